// The script rules: outputs, prompts, inputs, PATH and sandbox, on small generators.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze, brief } from '../helpers/analyze';
import { generatorModule as gen, runRuleCases } from '../helpers/ruleCases';
import { removeTree, writeTree } from '../helpers/tempClan';

const SCRIPT_CODES = ['missing-output', 'undeclared-output', 'unknown-prompt', 'unknown-input', 'missing-runtime-input', 'sandbox-hostile'];

runRuleCases('script rules', [
  {
    name: 'missing-output: a declared file never written; persisted prompts count as written',
    files: {
      'm.nix': gen('g', `    files.key = { };
    files."key.pub".secret = false;
    files.extra = { };
    prompts.token.persist = true;
    files.token = { };
    runtimeInputs = [ pkgs.openssh ];
    script = ''
      ssh-keygen -t ed25519 -N "" -f "$out"/key
    '';`),
    },
    expect: ['m.nix:6 missing-output'],
    only: SCRIPT_CODES,
    messages: [/did not generate a file for 'extra'/],
  },
  {
    name: 'missing-output: holes that convert or quote a value do not hide a file the script never writes',
    files: {
      'a.nix': gen('a', `    files.key = { };\n    files.pub = { };\n    script = ''\n      openssl genrsa -out $out/key \${toString keyBits}\n    '';`),
      'b.nix': gen('b', `    files.key = { };\n    files.pub = { };\n    script = ''\n      bits=\${builtins.toJSON cfg.bits}\n      printf '%s' \${lib.escapeShellArg name} > $out/key\n    '';`),
    },
    expect: ['a.nix:5 missing-output', 'b.nix:5 missing-output'],
    only: ['missing-output'],
  },
  {
    name: 'missing-output stays silent for holes that may be shell code: a name alone, a conversion in command position',
    files: {
      'a.nix': gen('a', `    files.key = { };\n    files.pub = { };\n    script = ''\n      touch $out/key\n      \${writeOut}\n    '';`),
      'b.nix': gen('b', `    files.key = { };\n    files.pub = { };\n    script = ''\n      touch $out/key\n      \${toString steps}\n    '';`),
      'c.nix': gen('c', `    files.key = { };\n    files.pub = { };\n    script = ''\n      touch $out/key; \${toString steps}\n    '';`),
    },
    expect: [],
    only: ['missing-output'],
  },
  {
    name: 'missing-output stays silent for computed names, cd $out, loops, tools given $out, and Nix code',
    files: {
      'a.nix': gen('a', `    files.x = { };\n    script = ''\n      for f in x y; do touch "$out/$f"; done\n    '';`),
      'b.nix': gen('b', `    files.x = { };\n    script = ''\n      cd "$out"\n      touch x\n    '';`),
      'c.nix': gen('c', `    files.x = { };\n    script = ''\n      tar -xf archive.tar -C $out\n    '';`),
      'd.nix': gen('d', `    files.x = { };\n    script = ''\n      \${lib.concatMapStrings (f: "touch $out/\${f}\\n") [ "x" ]}\n    '';`),
      'e.nix': gen('e', `    files.x = { };\n    script = ./generate.sh;`),
      'f.nix': gen('f', `    files.x = { };\n    script = "echo hi > $out/x";`),
      'g.nix': gen('g2', `    files."keys/PK/PK.key" = { };\n    script = ''\n      mkdir -p $out/keys\n      mv /var/lib/sbctl/keys/* $out/keys\n    '';`),
    },
    expect: [],
    only: ['missing-output'],
  },
  {
    name: 'missing-output stays silent for manual generators and programs that write through $out unseen',
    files: {
      'a.nix': gen('a', `    files.token = { };\n    script = ''\n      echo "fill this with: clan vars set" >&2\n      exit 1\n    '';`),
      'b.nix': gen('b', `    files.token = { };\n    script = ''\n      printf 'no generator for %s\\n' token >&2; exit 3\n    '';`),
      'c.nix': gen('c', `    files.key = { };\n    script = ''\n      python3 -c "import os; open(os.environ['out'] + '/key', 'w').write('k')"\n    '';`),
      'd.nix': gen('d', `    files.key = { };\n    script = ''\n      perl gen.pl\n    '';`),
      'e.nix': gen('e', `    files.key = { };\n    script = ''\n      some-tool --env-output\n      node -e "require('fs').writeFileSync(process.env.out + '/key', 'k')"\n    '';`),
    },
    expect: [],
    only: ['missing-output'],
  },
  {
    name: 'missing-output: a script that fails before writing, or writes nothing, is still reported',
    files: {
      'a.nix': gen('a', `    files.token = { };\n    files.other = { };\n    script = ''\n      test -n "$x" || exit 1\n      echo ok > $out/token\n    '';`),
      'b.nix': gen('b', `    files.token = { };\n    script = ''\n      echo "no exit here" >&2\n    '';`),
    },
    expect: ['a.nix:5 missing-output', 'b.nix:4 missing-output'],
    only: ['missing-output'],
  },
  {
    name: 'missing-output: leftovers of the facts system fail with "secrets: unbound variable", reported once',
    files: {
      'm.nix': gen('g', `    files.key = { };
    files.pub.secret = false;
    script = ''
      openssl rand -hex 32 > "$secrets"/key
      cat "$secrets"/key | sha256sum > $facts/pub
    '';`),
    },
    // on the script's first `$secrets`, where the mistake is, not on a declaration
    expect: ['m.nix:7 missing-output'],
    only: ['missing-output', 'undeclared-output'],
    messages: [/writes to \$secrets, a variable of the removed facts system.*"secrets: unbound variable"/],
  },
  {
    name: 'missing-output: a script that runs nothing (empty, comments only) is a manual generator filled with clan vars set; one that runs commands and writes nothing is not',
    files: {
      'a.nix': gen('a', `    files.waveform = { secret = false; };\n    script = "";`),
      'b.nix': gen('b', `    files.waveform = { secret = false; };\n    script = ''\n      # filled from a backup with clan vars set\n    '';`),
      'c.nix': gen('c', `    files.waveform = { secret = false; };\n    script = ''\n      dd if=/dev/mmcblk0p2 of=waveform.bin\n    '';`),
    },
    expect: ['c.nix:4 missing-output'],
    only: ['missing-output'],
  },
  {
    name: 'undeclared-output: a write clan ignores; renamed intermediates and heredoc text are fine',
    files: {
      'm.nix': gen('g', `    files.key = { };
    script = ''
      echo a > $out/key
      echo b > "$out/stray.txt"
      echo c > $out/tmp.pem
      mv $out/tmp.pem $out/key
      cat > $out/key <<EOF
      path is $out/not-a-write
      EOF
    '';`),
    },
    expect: ['m.nix:7 undeclared-output'],
    only: SCRIPT_CODES,
    messages: [/writes \$out\/stray\.txt.*ignores undeclared outputs silently/],
  },
  {
    name: 'undeclared-output: a file the script deletes after writing it is an intermediate one; one it leaves behind, or writes again after deleting, is not',
    files: {
      'm.nix': gen('g', `    files.public-key = { secret = false; };
    files.private-key = { };
    script = ''
      generate-keys > $out/all
      grep '^Public' $out/all > $out/public-key
      grep '^Private' $out/all > $out/private-key
      rm $out/all
      generate-keys > "$out/kept"
      shred -u "$out"/wiped
      echo x > "$out"/wiped
    '';`),
    },
    expect: ['m.nix:11 undeclared-output', 'm.nix:13 undeclared-output'],
    only: ['undeclared-output'],
    messages: [/writes \$out\/kept/, /writes \$out\/wiped/],
  },
  {
    name: 'undeclared-output: writes through cp, install, tee and >> count',
    files: {
      'm.nix': gen('g', `    files.key = { };
    script = ''
      echo a > $out/key
      cp "$in/dep/seed" "$out/copied"
      install -m 0400 /dev/null $out/installed
      echo x | tee $out/teed >/dev/null
      date >> "$out"/appended
    '';`),
    },
    expect: ['m.nix:7 undeclared-output', 'm.nix:8 undeclared-output', 'm.nix:9 undeclared-output', 'm.nix:10 undeclared-output'],
    only: ['undeclared-output'],
  },
  {
    name: 'undeclared-output stays silent for operands that are read, deleted or left by a tool',
    files: {
      'm.nix': gen('g', `    files.key = { };
    files.id = { };
    script = ''
      ssh-keygen -t ed25519 -N "" -f "$out/key"
      rm -f "$out/key.pub"
      rm $out/other.pub
      keytool make --public $out/by-product.pub --private $out/key
      grep -o id "$out"/scratch.xml > "$out"/id
      cat "$out/scratch.xml" > /dev/null
      wc -l < "$out/scratch.xml"
    '';`),
    },
    expect: [],
    only: ['undeclared-output'],
  },
  {
    name: 'unknown-prompt: $prompts without prompts, an undeclared prompt; ${prompts-} is safe',
    files: {
      'a.nix': gen('a', `    files.x = { };\n    script = ''\n      cat $prompts/pw > $out/x\n    '';`),
      'b.nix': gen('b', `    files.x = { };\n    prompts.password.type = "hidden";\n    script = ''\n      cat "$prompts/passwrd" > $out/x\n      cat "$prompts/password" >> $out/x\n    '';`),
      'c.nix': gen('c', `    files.x = { };\n    script = ''\n      if [ -n "\${prompts-}" ]; then :; fi\n      echo > $out/x\n    '';`),
      'd.nix': gen('d', `    files.x = { };\n    script = ''\n      # $prompts/pw is only mentioned in a comment\n      echo '$prompts/quoted' > $out/x\n    '';`),
    },
    expect: ['a.nix:6 unknown-prompt', 'b.nix:7 unknown-prompt'],
    only: SCRIPT_CODES,
    messages: [/prompts: unbound variable/, /Did you mean 'password'\?/],
  },
  {
    name: 'unknown-input: a generator not in dependencies, a file the dependency does not declare',
    files: {
      'm.nix': `{ ... }:
{
  clan.core.vars.generators.ca.files."ca.key" = { };
  clan.core.vars.generators.ca.script = "touch $out/ca.key";
  clan.core.vars.generators.cert = {
    dependencies = [ "ca" ];
    files.crt = { };
    script = ''
      cat $in/ca/ca.key $in/ca/ca.crt $in/other/x > $out/crt
    '';
  };
}
`,
    },
    expect: ['m.nix:9 unknown-input', 'm.nix:9 unknown-input'],
    only: SCRIPT_CODES,
    messages: [/declares no file 'ca\.crt'.*Its files: ca\.key/, /'other' is not a dependency of/],
  },
  {
    name: 'script rules read a script written as `let ... in` a string (clan-core sshd\'s openssh-cert): its text is the string\'s',
    files: {
      'm.nix': `{ lib, ... }:
{
  clan.core.vars.generators.ca = { files.key = { }; files."key.pub".secret = false; runtimeInputs = [ pkgs.openssh ]; script = "ssh-keygen -f $out/key"; };
  clan.core.vars.generators.cert = {
    dependencies = [ "ca" ];
    files.cert = { };
    runtimeInputs = [ pkgs.openssh ];
    script =
      let
        domains = lib.concatStringsSep "," [ "a" "b" ];
      in
      (let principal = "x"; in ''
        ssh-keygen -s $in/ca/key.priv -n \${domains} -I \${principal} $in/ca/key.pub
        cp $in/ca/key-cert.pub $out/cert
        mkpasswd > $out/extra
      '');
  };
}
`,
    },
    expect: ['m.nix:13 unknown-input', 'm.nix:15 missing-runtime-input', 'm.nix:15 undeclared-output'],
    only: SCRIPT_CODES,
    messages: [/Generator 'ca' declares no file 'key\.priv'/],
  },
  {
    name: "unknown-input: reads in an unquoted heredoc's command substitutions and text; a quoted heredoc is text only",
    files: {
      'm.nix': `{ ... }:
{
  clan.core.vars.generators.ca.files.token = { };
  clan.core.vars.generators.ca.script = "touch $out/token";
  clan.core.vars.generators.env = {
    dependencies = [ "ca" ];
    files.env = { };
    script = ''
      cat > "$out/env" <<-EOF
      A=$(cat $in/ca/tokn)
      B=\`cat $in/ca/token\`
      C="$in/ca/toke" D=$in/ca/token
      EOF
      cat >> "$out/env" <<'EOF'
      E=$(cat $in/ca/not-read)
      EOF
    '';
  };
}
`,
    },
    expect: ['m.nix:10 unknown-input', 'm.nix:12 unknown-input'],
    only: SCRIPT_CODES,
    messages: [/declares no file 'tokn'/, /declares no file 'toke'/],
  },
  {
    name: 'unknown-input: a path the script tests for existence first is one it knows may be missing; an untested one still fails',
    files: {
      'm.nix': gen('db', `    files.password = { };
    files.env = { };
    script = ''
      if [ -f "$in/db/password" ]; then
        cp "$in/db/password" "$out/password"
      else
        head -c 16 /dev/urandom | base64 > "$out/password"
      fi
      [[ -e $in/other ]] && cat $in/other/x >> "$out/password"
      cat "$in/db/env" > "$out/env"
    '';`),
    },
    expect: ['m.nix:13 unknown-input'],
    only: ['unknown-input'],
    messages: [/reads \$in\/db, but 'db' is not a dependency/],
  },
  {
    name: 'missing-runtime-input: table commands need their package; builtins, coreutils, functions and store paths are fine',
    files: {
      'a.nix': gen('a', `    files.x = { };
    runtimeInputs = [ pkgs.jq ];
    script = ''
      helper() { echo hi; }
      helper | tr a b | base64 > $out/x
      openssl rand -hex 16 | jq -R . >> $out/x
      \${pkgs.mkpasswd}/bin/mkpasswd -m sha-512 x >> $out/x
      case "$1" in
        grep) echo matched ;;
      esac
      [[ -e $out/x ]] && printf 'ok' >> $out/x
    '';`),
      'b.nix': gen('b', `    files.x = { };\n    runtimeInputs = with pkgs; [ openssl ];\n    script = "openssl rand -hex 8 > $out/x";`),
      'c.nix': gen('c', `    files.x = { };\n    runtimeInputs = [ pkgs.openssh_hpn (pkgs.python3.withPackages (ps: [ ps.xkcdpass ])) ];\n    script = ''\n      ssh-keygen -f $out/x\n      python3 -c 'print(1)'\n      xkcdpass > /dev/null\n    '';`),
      'd.nix': gen('d', `    files.x = { };\n    runtimeInputs = [ cfg.package ];\n    script = "mytool > $out/x";`),
      'e.nix': gen('e', `    files.x = { };\n    script = "my-tool > $out/x";`),
    },
    expect: ['a.nix:9 missing-runtime-input', 'e.nix:5 missing-runtime-input'],
    only: ['missing-runtime-input'],
    messages: [/^'openssl' is not on the script's PATH: add pkgs\.openssl to runtimeInputs\. .*command not found/],
  },
  {
    name: 'missing-runtime-input suggests only package names the table knows (ssh-keygen is in openssh)',
    files: {
      'a.nix': gen('a', `    files.key = { };\n    script = ''\n      ssh-keygen -t ed25519 -N "" -f "$out/key"\n    '';`),
      'b.nix': gen('b', `    files.x = { };\n    script = ''\n      frobnicate-secret > $out/x\n    '';`),
    },
    expect: ['a.nix:6 missing-runtime-input', 'b.nix:6 missing-runtime-input'],
    only: ['missing-runtime-input'],
    messages: [/^'ssh-keygen' is not on the script's PATH: add pkgs\.openssh to runtimeInputs\./, /^'frobnicate-secret' is not on the script's PATH: add the package that provides it to runtimeInputs\./],
  },
  {
    name: 'missing-runtime-input: a command whose failure the script handles with || is not found all the same, and the script goes on without it',
    files: {
      'a.nix': gen('a', `    files.x = { };\n    script = ''\n      grep -v SECRET "$prompts/env" > $out/x || true\n    '';`),
      'b.nix': gen('b', `    files.x = { };\n    script = ''\n      grep -q x /dev/null || echo none > $out/x\n      grep -c y /dev/null > $out/x\n    '';`),
    },
    expect: ['a.nix:6 missing-runtime-input', 'b.nix:6 missing-runtime-input'],
    only: ['missing-runtime-input'],
    messages: [/"grep: command not found" and generator 'a' goes on without what it does: the script handles its failure with \|\|/, /generator 'b' would fail with "grep: command not found"/],
  },
  {
    name: "missing-runtime-input: commands named like Object's properties are commands (constructor, toString)",
    files: {
      'a.nix': gen('a', `    files.x = { };\n    script = ''\n      constructor > $out/x\n      toString >> $out/x\n    '';`),
    },
    expect: ['a.nix:6 missing-runtime-input', 'a.nix:7 missing-runtime-input'],
    only: ['missing-runtime-input'],
    messages: [/'constructor'/, /'toString'/],
  },
  {
    name: 'missing-runtime-input: a script that sets PATH itself adds the packages of a literal makeBinPath list and ${pkgs.x}/bin; a PATH it sets from what the syntax cannot read may hold anything',
    files: {
      'a.nix': gen('a', `    files.x = { };
    script = ''
      export PATH=\${lib.makeBinPath [ pkgs.openssl pkgs.coreutils ]}
      openssl rand -hex 16 > $out/x
      jq . < /dev/null
    '';`),
      'b.nix': gen('b', `    files.x = { };\n    script = ''\n      PATH="\${pkgs.openssl}/bin:$PATH" openssl rand -hex 16 > $out/x\n      pwgen 8 >> $out/x\n    '';`),
      'c.nix': gen('c', `    files.x = { };\n    runtimeInputs = with pkgs; [ pwgen ];\n    script = ''\n      export PATH=$PATH:\${lib.makeBinPath (with pkgs; [ openssl ])}\n      openssl rand -hex 16 > $out/x\n      pwgen 8 >> $out/x\n    '';`),
      'd.nix': gen('d', `    files.x = { };\n    script = ''\n      export PATH=\${binPath}\n      openssl rand -hex 16 > $out/x\n    '';`),
      'e.nix': gen('e', `    files.x = { };\n    script = ''\n      PATH="/run/current-system/sw/bin:$PATH"\n      openssl rand -hex 16 > $out/x\n    '';`),
      'f.nix': gen('f', `    files.x = { };\n    script = ''\n      export PATH=\${lib.makeBinPath [ pkgs.openssl config.services.x.package ]}:$PATH\n      frobnicate > $out/x\n    '';`),
    },
    expect: ['a.nix:8 missing-runtime-input', 'b.nix:7 missing-runtime-input'],
    only: ['missing-runtime-input'],
    messages: [/^'jq' is neither in runtimeInputs nor on the PATH the script sets: add pkgs\.jq to one of them\. .*sets PATH to pkgs\.openssl, pkgs\.coreutils/, /^'pwgen' is not on the script's PATH: add pkgs\.pwgen to runtimeInputs\. .*adds only pkgs\.openssl to it/],
  },
  {
    name: 'missing-runtime-input: runtimeInputs brought in by inherit count as written where they are bound; a list the syntax cannot enumerate (a function argument, ++ cfg.extra) may hold anything',
    literalOnly: 'the runtimeInputs are bound outside the generator',
    files: {
      'a.nix': `{ pkgs, ... }:\nlet\n  runtimeInputs = with pkgs; [ pwgen ];\nin\n{\n  clan.core.vars.generators.a = {\n    files.x = { };\n    inherit runtimeInputs;\n    script = "pwgen 8 > $out/x; mkpasswd x >> $out/x";\n  };\n}\n`,
      'b.nix': `{ pkgs, runtimeInputs, ... }:\n{\n  clan.core.vars.generators.b = {\n    files.x = { };\n    inherit runtimeInputs;\n    script = "mkpasswd x > $out/x";\n  };\n}\n`,
      'c.nix': gen('c', `    files.x = { };\n    runtimeInputs = [ pkgs.pwgen ] ++ cfg.extraInputs;\n    script = "mkpasswd x > $out/x";`),
      'd.nix': gen('d', `    files.x = { };\n    runtimeInputs = deps;\n    script = "mkpasswd x > $out/x";`),
    },
    expect: ['a.nix:9 missing-runtime-input'],
    only: ['missing-runtime-input'],
    messages: [/^'mkpasswd' is not on the script's PATH: add mkpasswd to runtimeInputs/],
  },
  {
    name: 'sandbox-hostile: process substitution, network tools, $HOME and /etc',
    files: {
      'm.nix': gen('g', `    files.x = { };
    runtimeInputs = [ pkgs.curl pkgs.diffutils ];
    script = ''
      diff <(echo a) <(echo b) > $out/x || true
      curl https://example.com >> $out/x
      cat $HOME/.token /etc/ssl/cert.pem /etc/passwd >> $out/x
    '';`),
    },
    expect: ['m.nix:7 sandbox-hostile', 'm.nix:7 sandbox-hostile', 'm.nix:8 sandbox-hostile', 'm.nix:9 sandbox-hostile', 'm.nix:9 sandbox-hostile'],
    only: SCRIPT_CODES,
    messages: [/macOS sandbox/, /needs the network/, /\/etc\/ssl\/cert\.pem does not exist/],
  },
  {
    name: 'missing-runtime-input: a runtimeInputs entry provides a command by a package of the table (any of them), by a listed prefix only, or by the command\'s own name; a command the table does not know is left alone when runtimeInputs has entries',
    files: {
      // openssh is no openssl, and openssl no openssh (the ssh-keygen prefix)
      'a.nix': gen('a', `    files.x = { };\n    runtimeInputs = [ pkgs.openssh ];\n    script = "openssl rand -hex 16 > $out/x";`),
      'b.nix': gen('b', `    files.key = { };\n    runtimeInputs = [ pkgs.openssl ];\n    script = "ssh-keygen -t ed25519 -N '' -f $out/key";`),
      // grep from gnugrep (one of its three packages), hexdump from the attribute named like it, mytool from somewhere in runtimeInputs
      'c.nix': gen('c', `    files.x = { };\n    runtimeInputs = [ pkgs.gnugrep pkgs.unixtools.hexdump ];\n    script = ''\n      grep -c . /dev/null > $out/x\n      hexdump -C /dev/null >> $out/x\n      mytool >> $out/x\n    '';`),
    },
    expect: ['a.nix:6 missing-runtime-input', 'b.nix:6 missing-runtime-input'],
    only: ['missing-runtime-input'],
    messages: [/^'openssl' is not on the script's PATH: add pkgs\.openssl to runtimeInputs\./, /^'ssh-keygen' is not on the script's PATH: add pkgs\.openssh to runtimeInputs\./],
  },
], { spellings: true });

test('unknown-input beside a computed dependency name: a read of a far name is left alone, and the rule does not fail (fuzz seed 2 at 80,000 edits crashed it)', async () => {
  const root = writeTree({
    'm.nix': `{ prefix, ... }:
{
  clan.core.vars.generators.base.files.key = { };
  clan.core.vars.generators.base.script = "touch $out/key";
  clan.core.vars.generators.cert = {
    dependencies = [ "base" "\${prefix}-extra" ];
    files.crt = { };
    script = ''
      cat $in/zzzzzzzz/key $in/bsae/key > $out/crt
    '';
  };
}
`,
  });
  try {
    const { found, log } = await analyze(root);
    assert.deepEqual(log.filter((l) => /failed/.test(l)), []);
    assert.deepEqual(brief(found.filter((f) => f.code === 'unknown-input')), ['m.nix:9 unknown-input']);
  } finally {
    removeTree(root);
  }
});
