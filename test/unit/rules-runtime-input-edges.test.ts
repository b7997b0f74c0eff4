// missing-runtime-input as a clan user meets it at its edges: the whole finding (message,
// explanation, range, severity, fix) with PATH left alone or emptied by the script; which
// runtimeInputs entries the rule can read (a parenthesised `pkgs.` expression, a quoted attribute)
// and which may provide anything (`cfg.package`, a module argument, a non-`pkgs` expression under
// `with pkgs;`, a script builder, a list too long to show); declarations it cannot read (a registry
// entry, an evaluated set) keep it silent; where the fix goes when the generator is spread over
// modules; and which unknown command words it leaves alone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generatorModule as gen } from '../helpers/ruleCases';
import * as path from 'node:path';
import { logRuleRuns, relativeFindings, scannedClan } from '../helpers/ruleRuns';

const CODE = 'missing-runtime-input';
logRuleRuns();

interface Seen {
  file: string;
  /** 0-based line and characters of the command word. */
  at: [number, number, number];
  severity: string;
  message: string;
  explanation?: string;
  /** Each fix as its title and edits (file, line, character, inserted text). */
  fixes: string[][];
}

/** What the user sees of each missing-runtime-input finding in a clan of these files (an empty flake.nix added). */
async function seen(files: Record<string, string>): Promise<Seen[]> {
  const found = await relativeFindings(CODE, { 'flake.nix': '{ }', ...files });
  return found.map((p) => ({
    file: p.file,
    at: [p.range.start.line, p.range.start.character, p.range.end.character],
    severity: p.severity,
    message: p.message,
    explanation: p.explanation,
    fixes: (p.fixes ?? []).map((f) => [f.title, ...f.edits.map((e) => `${e.file}:${e.range.start.line}:${e.range.start.character} ${JSON.stringify(e.newText)}`)]),
  }));
}

/** The files and messages of the findings only. */
async function messages(files: Record<string, string>): Promise<string[]> {
  return (await seen(files)).map((s) => `${s.file}: ${s.message}`);
}

/** A module declaring generator `name` with a file x, these runtimeInputs (Nix, or none) and this one-line script. */
const scripted = (name: string, runtimeInputs: string | null, script: string) =>
  gen(name, `    files.x = { };\n${runtimeInputs === null ? '' : `    runtimeInputs = ${runtimeInputs};\n`}    script = ${JSON.stringify(script)};`);

const CLAN_PATH = 'clan runs generator scripts with PATH = runtimeInputs + coreutils only';

test('nothing on PATH: a warning on the command word, the whole message and explanation, a fix for a package the table knows and none for a command it does not', async () => {
  const files = { 'm.nix': gen('g', `    files.x = { };\n    script = ''\n      frobnicate > $out/x\n      openssl rand -hex 8 >> $out/x\n    '';`) };
  assert.deepEqual(await seen(files), [
    {
      file: 'm.nix',
      at: [5, 6, 16],
      severity: 'warning',
      message: "'frobnicate' is not on the script's PATH: add the package that provides it to runtimeInputs.",
      explanation: `${CLAN_PATH}, so generator 'g' would fail with "frobnicate: command not found".`,
      fixes: [],
    },
    {
      file: 'm.nix',
      at: [6, 6, 13],
      severity: 'warning',
      message: "'openssl' is not on the script's PATH: add pkgs.openssl to runtimeInputs.",
      explanation: `${CLAN_PATH}, so generator 'g' would fail with "openssl: command not found".`,
      fixes: [['Add pkgs.openssl to runtimeInputs', `m.nix:8:0 ${JSON.stringify('    runtimeInputs = [ pkgs.openssl ];\n')}`]],
    },
  ]);
});

test('a script that empties PATH (`export PATH=`, `PATH=:`): the command is on no PATH, and no fix (the author decides where the package goes)', async () => {
  for (const setting of ['export PATH=', 'PATH=:']) {
    const files = { 'm.nix': gen('g', `    files.x = { };\n    script = ''\n      ${setting}\n      openssl rand -hex 8 > $out/x\n    '';`) };
    assert.deepEqual(await seen(files), [
      {
        file: 'm.nix',
        at: [6, 6, 13],
        severity: 'warning',
        message: "'openssl' is neither in runtimeInputs nor on the PATH the script sets: add pkgs.openssl to one of them.",
        explanation: `${CLAN_PATH}, and the script sets PATH itself without it, so generator 'g' would fail with "openssl: command not found".`,
        fixes: [],
      },
    ], setting);
  }
});

test('a script that replaces PATH with packages of its own: a command the table does not know may come from them; one it knows is reported without a fix', async () => {
  const files = { 'm.nix': gen('g', `    files.x = { };\n    script = ''\n      export PATH=\${lib.makeBinPath [ pkgs.openssl ]}\n      frobnicate > $out/x\n      jq . /dev/null\n    '';`) };
  assert.deepEqual(await seen(files), [
    {
      file: 'm.nix',
      at: [7, 6, 8],
      severity: 'warning',
      message: "'jq' is neither in runtimeInputs nor on the PATH the script sets: add pkgs.jq to one of them.",
      explanation: `${CLAN_PATH}, and the script sets PATH to pkgs.openssl itself, so generator 'g' would fail with "jq: command not found".`,
      fixes: [],
    },
  ]);
});

test('a script that adds a package to PATH (${pkgs.x}/bin): a command the table does not know may come from it (silent); without it, that command is reported', async () => {
  const files = {
    'a.nix': gen('a', `    files.x = { };\n    script = ''\n      export PATH="\${pkgs.mytools}/bin:$PATH"\n      frobnicate > $out/x\n    '';`),
    'b.nix': scripted('b', null, 'frobnicate > $out/x'),
  };
  assert.deepEqual(await messages(files), ["b.nix: 'frobnicate' is not on the script's PATH: add the package that provides it to runtimeInputs."]);
});

test('Nix code spliced into the script (a ${...} in command position) may define any command: one the table does not know is left alone, one it knows is not', async () => {
  const files = { 'm.nix': gen('g', `    files.x = { };\n    script = ''\n      \${setup}\n      frobnicate > $out/x\n      openssl rand -hex 8 >> $out/x\n    '';`) };
  assert.deepEqual(await messages(files), ["m.nix: 'openssl' is not on the script's PATH: add pkgs.openssl to runtimeInputs."]);
});

test('command words that name no program are no missing package: a mistyped assignment (key-size=4096), a job spec (%1)', async () => {
  const files = {
    'm.nix': gen('g', `    files.x = { };\n    script = ''\n      key-size=4096\n      %1\n      frobnicate > $out/x\n    '';`),
  };
  assert.deepEqual(await messages(files), ["m.nix: 'frobnicate' is not on the script's PATH: add the package that provides it to runtimeInputs."]);
});

test('runtimeInputs entries that may provide any program keep the rule silent; the same script beside them without runtimeInputs is reported', async () => {
  const long = Array.from({ length: 25 }, (_, i) => `pkgs.tool${String(i).padStart(2, '0')}`).join(' ');
  const files = {
    // a package option of a module, a module argument, a non-pkgs value under `with pkgs;`
    'cfg.nix': scripted('cfg', '[ cfg.package ]', 'openssl rand -hex 8 > $out/x'),
    'with.nix': scripted('with', 'with pkgs; [ jq config.services.foo.package ]', 'openssl rand -hex 8 > $out/x'),
    'arg.nix': `{ pkgs, tools, ... }:\n{\n  clan.core.vars.generators.arg = {\n    files.x = { };\n    runtimeInputs = [ tools ];\n    script = "openssl rand -hex 8 > $out/x";\n  };\n}\n`,
    // packages of another nixpkgs, a folder (a path under `with pkgs;` is no package name)
    'input.nix': scripted('input', '[ inputs.nixpkgs.legacyPackages.${pkgs.system}.jq ]', 'openssl rand -hex 8 > $out/x'),
    'folder.nix': scripted('folder', 'with pkgs; [ jq /opt/tools ]', 'openssl rand -hex 8 > $out/x'),
    'relative.nix': scripted('relative', 'with pkgs; [ jq scripts/tools ]', 'openssl rand -hex 8 > $out/x'),
    // a function of a package is not that package
    'getbin.nix': scripted('getbin', '[ (lib.getBin pkgs.openssl) ]', 'pwgen 8 > $out/x'),
    // scripts built in Nix
    'script.nix': scripted('script', '[ (pkgs.writeScriptBin "gen" (builtins.readFile ./gen.sh)) ]', 'openssl rand -hex 8 > $out/x'),
    // bare names under `with` a package set built in Nix
    'withset.nix': scripted('withset', 'with (pkgs.callPackage ./tools.nix { }); [ gen ]', 'openssl rand -hex 8 > $out/x'),
    // a callPackage past the 200 characters of the list's text
    'long.nix': scripted('long', `[ ${long} (pkgs.callPackage ./tools.nix { }) ]`, 'openssl rand -hex 8 > $out/x'),
    // lists the syntax cannot enumerate
    'deps.nix': scripted('deps', 'deps', 'openssl rand -hex 8 > $out/x'),
    'extra.nix': scripted('extra', '[ pkgs.jq ] ++ cfg.extraInputs', 'openssl rand -hex 8 > $out/x'),
    'none.nix': scripted('none', null, 'openssl rand -hex 8 > $out/x'),
  };
  assert.deepEqual(await messages(files), ["none.nix: 'openssl' is not on the script's PATH: add pkgs.openssl to runtimeInputs."]);
});

test('runtimeInputs entries read by their names: a parenthesised pkgs expression (python3 with packages, spaced or not), a quoted attribute and a bare name under `with pkgs;` (wireguard-tools: wg) provide what they name, not openssl', async () => {
  const script = "python3 -c 'print(1)' > $out/x; openssl rand -hex 8 >> $out/x";
  const files = {
    'a.nix': scripted('a', '[ (pkgs.python3.withPackages (ps: [ ps.qrcode ])) ]', script),
    'b.nix': scripted('b', '[ ( pkgs.python3.withPackages (ps: [ ps.qrcode ]) ) ]', script),
    'c.nix': scripted('c', '[ pkgs."wireguard-tools" ]', 'wg genkey > $out/x; openssl rand -hex 8 >> $out/x'),
    'd.nix': scripted('d', 'with pkgs; [ wireguard-tools ]', 'wg genkey > $out/x; openssl rand -hex 8 >> $out/x'),
  };
  const found = await seen(files);
  assert.deepEqual(
    found.map((s) => [s.file, s.message, ...s.fixes.flat()]),
    [
      ['a.nix', "'openssl' is not on the script's PATH: add pkgs.openssl to runtimeInputs.", 'Add pkgs.openssl to runtimeInputs', 'a.nix:4:70 "pkgs.openssl "'],
      ['b.nix', "'openssl' is not on the script's PATH: add pkgs.openssl to runtimeInputs.", 'Add pkgs.openssl to runtimeInputs', 'b.nix:4:72 "pkgs.openssl "'],
      ['c.nix', "'openssl' is not on the script's PATH: add pkgs.openssl to runtimeInputs.", 'Add pkgs.openssl to runtimeInputs', 'c.nix:4:45 "pkgs.openssl "'],
      ['d.nix', "'openssl' is not on the script's PATH: add openssl to runtimeInputs.", 'Add openssl to runtimeInputs', 'd.nix:4:49 "openssl "'],
    ],
  );
});

test('another declaration of the generator the rule cannot read (a secret registry entry, a set evaluation computed) may give it runtimeInputs: silent', async () => {
  const files = {
    'reg.nix': scripted('reg', null, 'openssl rand -hex 8 > $out/x'),
    'lib/secret-registry.nix': '{\n  reg = { generator = "reg"; };\n}\n',
    'ev.nix': scripted('ev', null, 'openssl rand -hex 8 > $out/x'),
    'ev-set.nix': "{ ... }: {\n  clan.core.vars.generators = builtins.fromJSON ''{ \"ev\": { \"share\": false } }'';\n}\n",
    'lone.nix': scripted('lone', null, 'openssl rand -hex 8 > $out/x'),
  };
  assert.deepEqual(await messages(files), ["lone.nix: 'openssl' is not on the script's PATH: add pkgs.openssl to runtimeInputs."]);
});

/** The fixes of the one finding in a clan of these files. */
async function fixesOf(files: Record<string, string>): Promise<string[][]> {
  const found = await seen(files);
  assert.equal(found.length, 1, JSON.stringify(found));
  assert.equal(found[0].message, "'openssl' is not on the script's PATH: add pkgs.openssl to runtimeInputs.");
  return found[0].fixes;
}

const decl = (body: string) => `{ pkgs, ... }:\n{\n  clan.core.vars.generators.g = {\n${body}\n  };\n}\n`;
const ADD = 'Add pkgs.openssl to runtimeInputs';

test('a generator spread over modules: the fix adds to the runtimeInputs list another module declares (not to a mistaken runtimeInputs.x binding)', async () => {
  const script = '    files.x = { };\n    script = "openssl rand -hex 8 > $out/x";';
  const inputs = decl('    files.pub.secret = false;\n    runtimeInputs = [ pkgs.jq ];');
  assert.deepEqual(await fixesOf({ 'a.nix': decl(script), 'b.nix': inputs }), [[ADD, 'b.nix:4:30 "pkgs.openssl "']]);
  assert.deepEqual(await fixesOf({ 'a.nix': decl(`    runtimeInputs.extra = pkgs.jq;\n${script}`), 'b.nix': decl('    runtimeInputs = [ pkgs.jq ];') }), [[ADD, 'b.nix:3:30 "pkgs.openssl "']]);
});

test('a generator spread over modules, none with runtimeInputs: the fix adds them to the first declaration with a body to add to, which may not be the script\'s', async () => {
  const script = '    files.x = { };\n    script = "openssl rand -hex 8 > $out/x";';
  assert.deepEqual(await fixesOf({ 'a.nix': decl('    files.pub.secret = false;'), 'b.nix': decl(script) }), [[ADD, `a.nix:4:0 ${JSON.stringify('    runtimeInputs = [ pkgs.openssl ];\n')}`]]);
  // the script's declaration written as dotted bindings has no body to add to
  const dotted = '{ pkgs, ... }:\n{\n  clan.core.vars.generators.g.files.x = { };\n  clan.core.vars.generators.g.script = "openssl rand -hex 8 > $out/x";\n}\n';
  assert.deepEqual(await fixesOf({ 'm.nix': dotted, 'n.nix': decl('    files.pub.secret = false;') }), [[ADD, `n.nix:4:0 ${JSON.stringify('    runtimeInputs = [ pkgs.openssl ];\n')}`]]);
});

test('a runtimeInputs list longer than its 200 shown characters is read entry by entry: a package missing from it is reported (fixed at its end); a script built in Nix anywhere in it, bound by let or written inline, or an entry too long to read, may provide anything', async () => {
  const long = Array.from({ length: 25 }, (_, i) => `pkgs.tool${String(i).padStart(2, '0')}`).join(' ');
  const helper = `pkgs.python3.withPackages (ps: [ ${Array.from({ length: 30 }, (_, i) => `ps.lib${String(i).padStart(2, '0')}`).join(' ')} ])`;
  const files = {
    'a.nix': scripted('a', `[ ${long} ]`, 'openssl rand -hex 8 > $out/x'),
    'b.nix': `{ pkgs, ... }:\nlet\n  gen = pkgs.writeShellScriptBin "gen" "true";\nin\n{\n  clan.core.vars.generators.b = {\n    files.x = { };\n    runtimeInputs = [ ${long} gen ];\n    script = "openssl rand -hex 8 > $out/x";\n  };\n}\n`,
    'c.nix': scripted('c', `[ ${long} (pkgs.writeShellApplication { name = "gen"; text = "true"; }) ]`, 'openssl rand -hex 8 > $out/x'),
    'd.nix': scripted('d', `[ pkgs.jq (${helper}) ]`, 'openssl rand -hex 8 > $out/x'),
  };
  const end = 4 + 'runtimeInputs = [ '.length + long.length + 1;
  assert.deepEqual(
    (await seen(files)).map((s) => [s.file, s.message, ...s.fixes.flat()]),
    [['a.nix', "'openssl' is not on the script's PATH: add pkgs.openssl to runtimeInputs.", 'Add pkgs.openssl to runtimeInputs', `a.nix:4:${end} "pkgs.openssl "`]],
  );
});

test('an edit re-checks the edited generator only: a command typed into one script is reported, the other generators are not checked again', async () => {
  const { root, index, lines } = await scannedClan({
    'a.nix': '{ pkgs, ... }: {\n  clan.core.vars.generators.a = { files.k = { }; runtimeInputs = [ pkgs.coreutils ]; script = "openssl rand -hex 8 > $out/k"; };\n}\n',
    'b.nix': '{ pkgs, ... }: {\n  clan.core.vars.generators.b = { files.k = { }; runtimeInputs = [ pkgs.coreutils ]; script = "echo b > $out/k"; };\n}\n',
    'c.nix': '{ pkgs, ... }: {\n  clan.core.vars.generators.c = { files.k = { }; runtimeInputs = [ pkgs.coreutils ]; script = "echo c > $out/k"; };\n}\n',
  });
  const found = () => [...index.allProblems().values()].flat().filter((p) => p.code === CODE).map((p) => `${path.relative(root, p.file)}:${p.range.start.line} ${p.message}`).sort();
  assert.deepEqual(found(), ["a.nix:1 'openssl' is not on the script's PATH: add pkgs.openssl to runtimeInputs."]);
  lines.length = 0;
  index.updateFromText(path.join(root, 'b.nix'), '{ pkgs, ... }: {\n  clan.core.vars.generators.b = { files.k = { }; runtimeInputs = [ pkgs.coreutils ]; script = "jq -n 1 > $out/k"; };\n}\n');
  assert.deepEqual(found(), ["a.nix:1 'openssl' is not on the script's PATH: add pkgs.openssl to runtimeInputs.", "b.nix:1 'jq' is not on the script's PATH: add pkgs.jq to runtimeInputs."]);
  assert.deepEqual(lines.filter((l) => l.startsWith(`rule ${CODE} `)).map((l) => l.replace(/ in [\d.]+ ms$/, '')), [`rule ${CODE} ran over 1 generators`]);
});

test('the fix adds to the last list of a value whose every element is known: under `with pkgs;`, after `++`, in a `let` body; none where the value ends with a name', async () => {
  const script = '    files.x = { };\n    script = "openssl rand -hex 8 > $out/x";';
  const fixes = async (text: string) => (await seen({ 'a.nix': decl(`    runtimeInputs = ${text};\n${script}`) })).map((f) => f.fixes);
  const before = (text: string) => `a.nix:3:${decl(`    runtimeInputs = ${text};`).split('\n')[3]!.lastIndexOf(']')}`;
  assert.deepEqual(await fixes('with pkgs; [ jq ]'), [[['Add openssl to runtimeInputs', `${before('with pkgs; [ jq ]')} "openssl "`]]]);
  for (const text of ['[ pkgs.jq ] ++ [ pkgs.curl ]', 'let tools = [ pkgs.jq ]; in tools ++ [ pkgs.curl ]']) {
    assert.deepEqual(await fixes(text), [[[ADD, `${before(text)} "pkgs.openssl "`]]], text);
  }
  // ending with a let-bound name: no list ends the text, so no edit (the name's list may be other generators' too)
  assert.deepEqual(await fixes('let tools = [ pkgs.jq ]; in [ pkgs.curl ] ++ tools'), [[]]);
});
