// missing-output on small clans: which scripts keep it silent (a hole that may be shell code, an
// interpreter, a manual generator), and the exact finding it gives (message, range, fixes).
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { analyzeFolder } from '../../server/src/cli/analyzeFolder';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import type { Problem } from '../../server/src/base/types';
import { generatorModule as gen, generatorLines as mod, lineRange as at, scriptLines as script } from '../helpers/ruleCases';
import { logRuleRuns, scannedClan } from '../helpers/ruleRuns';
import { removeTree, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));
logRuleRuns();

/** The missing-output findings of a clan of these files, with paths relative to it. */
async function missing(files: Record<string, string>): Promise<{ problems: Problem[]; root: string; all: Problem[] }> {
  const root = writeTree(files);
  roots.push(root);
  const report = await analyzeFolder(root, DEFAULT_SETTINGS, () => {});
  const rel = (p: Problem) => ({ ...p, file: path.relative(root, p.file) });
  return { problems: report.problems.filter((p) => p.code === 'missing-output').map(rel), root, all: report.problems };
}

/** Which of the files a finding is in, sorted. */
const filesOf = (problems: Problem[]) => [...new Set(problems.map((p) => p.file))].sort();

/** A script (Nix indented string body, one line per entry) writing $out/key, with `key` and `pub` declared: reported (pub) or not. */
interface Case { why: string; script: string[]; reported: boolean }

async function table(cases: Case[], declare = '    files.key = { };\n    files.pub = { };\n'): Promise<void> {
  const files: Record<string, string> = {};
  cases.forEach((c, i) => {
    files[`c${i}.nix`] = gen(`g${i}`, `${declare}    script = ''\n${c.script.map((l) => `      ${l}\n`).join('')}    '';`);
  });
  const { problems } = await missing(files);
  const got = new Set(filesOf(problems));
  const wrong = cases.map((c, i) => ({ c, i })).filter(({ c, i }) => got.has(`c${i}.nix`) !== c.reported);
  assert.deepEqual(wrong.map(({ c, i }) => `c${i}: ${c.why} (${c.reported ? 'expected a finding' : 'expected none'}): ${c.script.join(' \\n ')}`), []);
}

test('missing-output: holes that name a program or value cannot write an output, even alone on a line', async () => {
  const line = (hole: string, reported: boolean, why: string): Case => ({ why, reported, script: ['touch $out/key', hole] });
  await table([
    line('${pkgs.openssl}', true, 'a package'),
    line('${ pkgs.openssl }', true, 'spaces inside the braces'),
    line('${getExe pkgs.jq}', true, 'getExe without lib.'),
    line('${lib.getExe pkgs.jq}', true, 'lib.getExe'),
    line("${lib.getExe' pkgs.openssh \"ssh-keygen\"}", true, "getExe' with a program name"),
    line("${lib.getExe'  pkgs.openssh  \"ssh-keygen\"}", true, "getExe' with runs of spaces"),
    line('${lib.getExe  pkgs.jq}', true, 'two spaces after the function'),
    line('${pkgs.xorg.xauth}', true, 'a longer attribute path'),
    line('${(pkgs.openssl)}', true, 'a parenthesised name'),
    line('${lib.getBin pkgs.openssl}', true, 'getBin'),
    line('${pkgs.openssl}${pkgs.jq}', true, 'two names side by side'),
    line('${writeOut}', false, 'a bare name may be a shell snippet'),
    line('${lib.optionalString cfg.x "touch $out/pub"}', false, 'a function that yields shell code'),
    line('${cfg.script or "true"}', false, 'a fallback expression'),
    line('${ cfg.x # ${pkgs.openssl\n}', false, 'a comment that names a package does not make the code harmless'),
    line('${pkgs.openssl"}"}', false, 'a harmless prefix followed by more code'),
  ]);
});

test('missing-output: a converted name is harmless where the shell reads an argument, not in command position', async () => {
  const c = (script: string[], reported: boolean, why: string): Case => ({ why, reported, script: ['touch $out/key', ...script] });
  await table([
    c(['openssl rand -hex ${toString keyBits} > /dev/null'], true, 'an argument'),
    c(['openssl rand -hex ${ toString keyBits} > /dev/null'], true, 'a space before the function'),
    c(['openssl rand -hex ${toString  keyBits} > /dev/null'], true, 'two spaces after the function'),
    c(['openssl rand -hex ${toString keyBits } > /dev/null'], true, 'a space before the closing brace'),
    c(['port=${builtins.toJSON cfg.port}'], true, 'an assigned value'),
    c(['openssl rand -hex ${steps # ${toString keyBits\n} > /dev/null'], false, 'a comment naming a conversion'),
    c(['openssl rand -hex ${builtins.toJSON cfg.port"}"} > /dev/null'], false, 'a conversion followed by more code'),
    c(['${lib.escapeShellArg name}'], true, 'a quoted word, even in command position'),
    c(['${lib.escapeShellArgs names}'], true, 'quoted words, even in command position'),
    c(['${toString steps}'], false, 'a conversion alone on its line'),
    c(['if true', 'then ${toString steps}', 'fi'], false, 'a conversion after then'),
    c(['if true; then ${toString steps}; fi'], false, 'a conversion after then on one line'),
    c(['if true; then  ${toString steps}; fi'], false, 'a conversion after then and two spaces'),
    c(['if true; then echo ${toString steps}; fi'], true, 'an argument after then'),
    c(['echo to do ${toString steps}'], true, 'an argument after the word do'),
    c(['sudo ${toString steps}'], true, 'an argument of a command ending in do'),
    c(['echo ${toString a}', '${toString b}'], false, 'a second conversion in command position'),
  ]);
  // the first hole at the very start of the script
  await table([{ why: 'a conversion opening the script', reported: false, script: ['${toString steps}', 'touch $out/key'] }]);
});

test('missing-output: programs that run code of their own, or read out from the environment, keep it silent', async () => {
  const c = (script: string[], reported: boolean, why: string): Case => ({ why, reported, script: ['touch $out/key', ...script] });
  await table([
    c(['python gen.py'], false, 'python'),
    c(['python3 gen.py'], false, 'python3'),
    c(['python3.11 gen.py'], false, 'python3.11'),
    c(['/usr/bin/python3 gen.py'], false, 'python3 by its path'),
    c(['cmake --build .'], true, 'cmake is not make'),
    c(['pythonic gen.py'], true, 'a name starting like python'),
    c(['pypy3 -c "import os; open(os.environ[\'out\'] + \'/pub\', \'w\')"'], false, 'reads os.environ[out]'),
    c(['jq -n \'$ENV.out\''], false, 'reads $ENV.out'),
    c(['echo environment-out'], true, 'a word about the environment is no read'),
    c(['for k in a b; do echo $k > $out/key; done'], false, 'a loop over $out'),
    c(['touch $out/pub-$n'], false, 'a computed name may be pub'),
    c(['ssh-keygen -t ed25519 -N "" -f $out/other'], true, 'ssh-keygen writes only other and other.pub'),
  ]);
});

test('missing-output: a manual generator (writes nothing, exits with failure) is silent; a failing script that writes is not', async () => {
  const c = (script: string[], reported: boolean, why: string): Case => ({ why, reported, script });
  await table(
    [
      c(['exit 1'], false, 'exit 1 alone'),
      c(['echo "fill with clan vars set" >&2; exit 1'], false, 'exit after ;'),
      c(['exit  1'], false, 'two spaces'),
      c(['echo "fill with clan vars set" >&2', 'exit $code'], false, 'exit with a variable'),
      c(['echo "fill with clan vars set" >&2', 'exit "$code"'], false, 'exit with a quoted variable'),
      c(['echo "fill with clan vars set" >&2', "exit ''${code}"], false, 'exit with a braced variable'),
      c(['echo "cannot exit 1 here" >&2'], true, 'exit only in text'),
      c(['echo "no exit" >&2', 'exit 0'], true, 'exit 0 is success'),
      c(['echo a > $out/key', 'if ! true; then exit 1; fi'], true, 'a failing script that writes key (pub missing)'),
    ],
    '    files.pub = { };\n',
  );
});


test('missing-output: the finding on a declared file the script never writes, with its rename and removal fixes', async () => {
  const { problems, root } = await missing({ 'tls.nix': mod('tls', ['files.key = { };', 'files.cert = { };', ...script(['openssl req -x509 -keyout $out/key -out $out/crt'])]) });
  const file = path.join(root, 'tls.nix');
  assert.deepEqual(problems, [
    {
      file: 'tls.nix',
      range: at(4, 10, 14),
      severity: 'error',
      code: 'missing-output',
      message: "Generator 'tls' declares file 'cert', but its script never writes $out/cert: write it or remove the declaration. The script writes 'crt': did you mean that?",
      explanation: `clan vars generate would stop with "did not generate a file for 'cert'".`,
      fixes: [
        { title: "Rename 'cert' to 'crt' (the name the script writes)", edits: [{ file, range: at(4, 10, 14), newText: 'crt' }], safe: false },
        { title: "Remove the declaration of 'cert'", edits: [{ file, range: { start: { line: 4, character: 0 }, end: { line: 5, character: 0 } }, newText: '' }], safe: false },
      ],
    },
  ]);
});

test('missing-output: the rename suggested is a name the script writes that no declaration claims', async () => {
  const suggestion = async (body: string[], extra: Record<string, string> = {}) => {
    const { problems } = await missing({ 'g.nix': mod('g', body), ...extra });
    assert.equal(problems.length, 1, JSON.stringify(problems));
    const p = problems[0];
    const rename = p.fixes?.find((f) => f.title.startsWith('Rename'));
    const said = / The script writes '([^']*)': did you mean that\?$/.exec(p.message)?.[1] ?? null;
    assert.equal(rename ? /to '([^']*)'/.exec(rename.title)![1] : null, said, p.message);
    assert.ok(p.message.startsWith(`Generator 'g' declares file '`) && !p.message.includes('Stryker'), p.message);
    return said;
  };
  // key is declared and written: not a rename target, though it is the closest name
  assert.equal(await suggestion(['files.key = { };', 'files.keys = { };', ...script(['touch $out/key $out/foo'])]), 'foo');
  // a close name among several unclaimed ones
  assert.equal(await suggestion(['files.cert = { };', ...script(['touch $out/crt $out/zzz'])]), 'crt');
  // one unclaimed name, however far: the only candidate
  assert.equal(await suggestion(['files.cert = { };', ...script(['touch $out/foo'])]), 'foo');
  // several unclaimed names, none close: no guess
  assert.equal(await suggestion(['files.cert = { };', ...script(['touch $out/foo $out/bar'])]), null);
  // a name declared by another declaration of the generator is claimed too
  assert.equal(await suggestion(['files.keys = { };', ...script(['touch $out/key $out/foo'])], { 'other.nix': mod('g', ['files.key = { };']) }), 'foo');
});

test('missing-output: the finding on a script of the removed facts system, on its first $secrets', async () => {
  const { problems, root } = await missing({
    'm.nix': mod('g', ['files.key = { };', 'files.pub.secret = false;', ...script(['openssl rand -hex 32 > "$secrets"/key', 'cat "$secrets"/key | sha256sum > $facts/pub'])]),
  });
  assert.equal(problems.length, 1);
  const { fixes, ...p } = problems[0];
  assert.deepEqual(p, {
    file: 'm.nix',
    range: at(6, 30, 38),
    severity: 'error',
    code: 'missing-output',
    message: "The script of generator 'g' writes to $secrets, a variable of the removed facts system: write each declared file to $out/<name>.",
    explanation: 'clan vars generate runs scripts with set -u, so it stops with "secrets: unbound variable". Migration guide: https://docs.clan.lol/guides/migrations/migration-facts-vars/',
  });
  assert.deepEqual(fixes?.map((f) => [f.title, f.edits.map((e) => [path.relative(root, e.file), e.newText])]), [
    ['Rewrite for vars: $secrets and $facts become $out', [['m.nix', "''\n      openssl rand -hex 32 > \"$out\"/key\n      cat \"$out\"/key | sha256sum > $out/pub\n    ''"]]],
  ]);
});

test('missing-output: a prompt of the file name whose persist is computed may write the file; persist = false does not', async () => {
  const { problems } = await missing({
    'a.nix': `{ config, ... }:\n{\n  clan.core.vars.generators.a = {\n    prompts.other = { };\n    prompts.token.persist = config.keepToken;\n    files.token = { };\n    files.key = { };\n    script = "touch $out/key";\n  };\n}\n`,
    'b.nix': mod('b', ['prompts.token.persist = false;', 'files.token = { };', 'files.key = { };', 'script = "touch $out/key";']),
    'c.nix': mod('c', ['prompts.token.persist = true;', 'files.token = { };', 'files.key = { };', 'script = "touch $out/key";']),
    'd.nix': mod('d', ['prompts.other.persist = config.keepToken;', 'files.token = { };', 'files.key = { };', 'script = "touch $out/key";']),
    'e.nix': `{ config, ... }:\n{\n  clan.core.vars.generators.e = {\n    prompts.token.persist = config.keepToken;\n    files.token = { };\n    files.key = { };\n    script = "touch $out/key";\n  };\n}\n`,
  });
  assert.deepEqual(problems.map((p) => `${p.file}:${p.range.start.line}`), ['b.nix:4', 'd.nix:4']);
});

test('missing-output: a generator declared in two modules is checked once, with the script of the one that has it', async () => {
  const { problems } = await missing({
    'a.nix': mod('g', ['files.extra = { };']),
    'b.nix': mod('g', ['files.key = { };', 'script = "touch $out/key";']),
  });
  assert.deepEqual(problems.map((p) => `${p.file}:${p.range.start.line}`), ['a.nix:3']);
});

test("missing-output: a machine's own declaration of a name is not merged into another machine's generator of that name", async () => {
  const { problems } = await missing({
    'flake.nix': '{ outputs = { self, clan-core, ... }: { clan = clan-core.lib.clan { inherit self; }; }; }\n',
    // a's generator g: its own declaration with the script, and one of a module only a imports
    'machines/a/configuration.nix': '{ ... }: {\n  imports = [ ./extra.nix ];\n  clan.core.vars.generators.g = { files.key = { }; script = "touch $out/key"; };\n}\n',
    'machines/a/extra.nix': mod('g', ['files.more = { };']),
    // b's generator g, filled by hand: no script on b, so nothing is missing there
    'machines/b/configuration.nix': '{ ... }: {\n  clan.core.vars.generators.g = { files.extra = { }; };\n}\n',
  });
  assert.deepEqual(problems.map((p) => `${p.file}:${p.range.start.line}`), ['machines/a/extra.nix:3']);
});

test('missing-output: two generators with computed names are each checked', async () => {
  const { problems } = await missing({
    'a.nix': `{ name, ... }:\n{\n  clan.core.vars.generators."a-\${name}" = {\n    files.key = { };\n    files.pub = { };\n    script = "touch $out/key";\n  };\n}\n`,
    'b.nix': `{ name, ... }:\n{\n  clan.core.vars.generators."b-\${name}" = {\n    files.key = { };\n    files.pub = { };\n    script = "touch $out/key";\n  };\n}\n`,
  });
  assert.deepEqual(problems.map((p) => `${p.file}:${p.range.start.line}`), ['a.nix:4', 'b.nix:4']);
});

test('missing-output: a script that writes nothing it can name crashes nothing and reports nothing', async () => {
  const { problems, all } = await missing({
    'a.nix': mod('a', ['files.key = { };', ...script(['cd "$out"', 'touch key'])]),
    'b.nix': mod('b', ['files.key = { };', ...script(['tar -xf archive.tar -C $out'])]),
  });
  assert.deepEqual(problems, []);
  assert.deepEqual(all.filter((p) => /internal|crash|failed/i.test(p.message)), []);
});

test('missing-output: ssh-keygen writes the .pub beside the key; other files are not written by prefix', async () => {
  const { problems } = await missing({
    'a.nix': mod('a', ['files.key = { };', 'files."key.pub" = { };', ...script(['ssh-keygen -t ed25519 -N "" -f $out/key', 'chmod 600 $out/key'])]),
    'b.nix': mod('b', ['files.key = { };', 'files."key.pub" = { };', ...script(['touch $out/key'])]),
    'c.nix': mod('c', ['files.key = { };', 'files.keyring = { };', ...script(['touch $out/key'])]),
    'd.nix': mod('d', ['files."keys/a" = { };', ...script(['mkdir -p $out/keys', 'cp a $out/keys'])]),
    'e.nix': mod('e', ['files.token = { };', 'files.x = { };', 'prompts.token = { };', ...script(['cat $prompts/token > $out/x'])]),
  });
  assert.deepEqual(problems.map((p) => `${p.file}:${p.range.start.line}`), ['b.nix:4', 'c.nix:4', 'e.nix:3']);
});

test('missing-output: a generator merged with a declaration whose files or prompts are unknown is not judged', async () => {
  const { problems } = await missing({
    // the files of a name computed from an argument: any of them may be the missing one
    'a.nix': `{ user, ... }:\n{\n  clan.core.vars.generators.g.files."\${user}-pw" = { };\n}\n`,
    'b.nix': mod('g', ['files.key = { };', 'files.pub = { };', 'script = "touch $out/key";']),
    // a computed set persisting the prompt pub: it provides the file
    'c.nix': `{ lib, ... }:\n{\n  clan.core.vars.generators = lib.genAttrs [ "h" ] (_: { prompts.pub.persist = true; });\n}\n`,
    'd.nix': mod('h', ['files.key = { };', 'files.pub = { };', 'script = "touch $out/key";']),
    // the same, with nothing unknown: reported
    'e.nix': `{ lib, ... }:\n{\n  clan.core.vars.generators = lib.genAttrs [ "i" ] (_: { files.other = { }; });\n}\n`,
    'f.nix': mod('i', ['files.key = { };', 'files.pub = { };', 'script = "touch $out/key";']),
  });
  assert.deepEqual(problems.map((p) => `${p.file}:${p.range.start.line}`), ['e.nix:2', 'f.nix:4']);
});

test('missing-output: an edit of one generator re-runs the rule over that generator alone, and its result is current', async () => {
  const before = mod('a', ['files.key = { };', 'script = "touch $out/key";']);
  const { root, index, lines } = await scannedClan({ 'a.nix': before, 'b.nix': mod('b', ['files.key = { };', 'script = "touch $out/key";']), 'c.nix': mod('c', ['files.key = { };', 'script = "touch $out/key";']) });
  const found = () => [...index.allProblems().values()].flat().filter((p) => p.code === 'missing-output').map((p) => `${path.relative(root, p.file)}:${p.range.start.line}`);
  assert.deepEqual(found(), []);
  lines.length = 0;
  index.updateFromText(path.join(root, 'a.nix'), mod('a', ['files.key = { };', 'files.pub = { };', 'script = "touch $out/key";']));
  assert.deepEqual(found(), ['a.nix:4']);
  assert.deepEqual(lines.filter((l) => l.startsWith('rule missing-output ')).map((l) => l.replace(/ in [\d.]+ ms$/, '')), ['rule missing-output ran over 1 generators']);
  index.updateFromText(path.join(root, 'a.nix'), before);
  assert.deepEqual(found(), []);
});

test('missing-output: a file declared by inherit is reported with the rename fix only (no binding of its own to remove)', async () => {
  const { problems } = await missing({
    'd.nix': `{ ... }:\nlet\n  cert = { secret = false; };\nin\n{\n  clan.core.vars.generators.d = {\n    files = { inherit cert; };\n    script = "touch $out/crt";\n  };\n}\n`,
  });
  assert.deepEqual(
    problems.map((p) => [p.range, p.fixes?.map((f) => f.title)]),
    [[at(6, 22, 26), ["Rename 'cert' to 'crt' (the name the script writes)"]]],
  );
});

test('missing-output: ${secrets} fails under set -u like $secrets; ${secrets:-dir} does not, so the file is simply missing', async () => {
  const { problems } = await missing({
    'a.nix': mod('a', ['files.key = { };', ...script(['openssl rand -hex 32 > ${secrets}/key'.replace('${', "''${")])]),
    'b.nix': mod('b', ['files.key = { };', ...script(['openssl rand -hex 32 > ${secrets:-/tmp}/key'.replace('${', "''${")])]),
  });
  assert.deepEqual(
    problems.map((p) => [p.file, p.message, p.fixes?.length]),
    [
      ['a.nix', "The script of generator 'a' writes to ${secrets}, a variable of the removed facts system: write each declared file to $out/<name>.", 1],
      ['b.nix', "Generator 'b' declares file 'key', but its script never writes $out/key: write it or remove the declaration.", 1],
    ],
  );
});

test('missing-output: a script in a one-line string: a manual generator that exits at once, a conversion opening it', async () => {
  const { problems } = await missing({
    'a.nix': mod('a', ['files.key = { };', 'script = "exit 1";']),
    'b.nix': mod('b', ['files.key = { };', 'files.pub = { };', 'script = "${toString steps}; touch $out/key";']),
    'c.nix': mod('c', ['files.key = { };', 'files.pub = { };', 'script = "touch $out/key";']),
  });
  assert.deepEqual(problems.map((p) => `${p.file}:${p.range.start.line}`), ['c.nix:4']);
});

test('missing-output: a facts variable spelled so the rewrite cannot find it ($\\secrets) is reported without a fix', async () => {
  const { problems } = await missing({ 'a.nix': mod('a', ['files.key = { };', 'script = "touch $\\secrets/key";']) });
  assert.deepEqual(
    problems.map((p) => [p.message, p.fixes]),
    [["The script of generator 'a' writes to $secrets, a variable of the removed facts system: write each declared file to $out/<name>.", []]],
  );
});

test('missing-output: a generator a secret registry entry names is not judged (the registry may provide its files)', async () => {
  const { problems } = await missing({
    'lib/secret-registry.nix': '{ }:\n{\n  token = { generator = "r"; };\n}\n',
    'r.nix': mod('r', ['files.key = { };', 'files.pub = { };', 'script = "touch $out/key";']),
    's.nix': mod('s', ['files.key = { };', 'files.pub = { };', 'script = "touch $out/key";']),
  });
  assert.deepEqual(problems.map((p) => `${p.file}:${p.range.start.line}`), ['s.nix:4']);
});

test('missing-output: a prompt only evaluation names may be persisted (its settings were not read): no finding on a file of its name, and a dependent may read that file', async () => {
  const { problems, all } = await missing({
    // a computed set of prompts: their names are evaluated, their `persist` is not read
    'a.nix': `{ lib, ... }:\n{\n  clan.core.vars.generators = lib.genAttrs [ "h" ] (_: { prompts = lib.genAttrs [ "pub" ] (_: { persist = true; }); });\n}\n`,
    'b.nix': mod('h', ['files.key = { };', 'files.pub = { };', 'script = "touch $out/key";']),
    // a prompt of a computed name persisted
    'c.nix': `{ lib, ... }:\nlet\n  mk = p: { prompts.\${p}.persist = true; };\nin\n{\n  clan.core.vars.generators = builtins.listToAttrs (map (n: { name = n; value = mk "pub"; }) [ "i" ]);\n}\n`,
    'd.nix': mod('i', ['files.key = { };', 'files.pub = { };', 'script = "touch $out/key";']),
    // a dependent reading the file such a prompt provides
    'e.nix': mod('j', ['dependencies = [ "h" ];', 'files.out = { };', 'script = "cat $in/h/pub > $out/out";']),
    // the prompt's name is no other file's: a file neither written nor provided is still reported
    'f.nix': `{ lib, ... }:\n{\n  clan.core.vars.generators = lib.genAttrs [ "k" ] (_: { prompts = lib.genAttrs [ "pub" ] (_: { persist = true; }); });\n}\n`,
    'g.nix': mod('k', ['files.key = { };', 'files.crt = { };', 'script = "touch $out/key";']),
  });
  assert.deepEqual(problems.map((p) => `${p.file}:${p.range.start.line} ${p.message}`), [
    "g.nix:4 Generator 'k' declares file 'crt', but its script never writes $out/crt: write it or remove the declaration.",
  ]);
  assert.deepEqual(all.filter((p) => p.code !== 'missing-output').map((p) => `${p.code} ${p.message}`), []);
});
