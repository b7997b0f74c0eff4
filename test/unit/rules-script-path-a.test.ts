// missing-runtime-input on scripts that set PATH themselves (scriptPath.ts): which spellings of
// `${lib.makeBinPath [ ... ]}` and `${pkgs.x}/bin` are read (their packages count as on PATH, the
// rest of the script's commands are reported), and which are not (nothing is concluded).
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { analyze } from '../helpers/analyze';
import { generatorModule as gen } from '../helpers/ruleCases';
import { removeTree, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

/** The missing-runtime-input findings of a small clan, as `file:line message`, sorted. */
async function findings(files: Record<string, string>): Promise<string[]> {
  const root = writeTree(files);
  roots.push(root);
  const { found } = await analyze(root);
  return found
    .filter((f) => f.code === 'missing-runtime-input')
    .map((f) => `${f.file}:${f.line} ${f.message}`)
    .sort();
}

/** The finding for `jq` at line 8 of generator `name`'s file when the script adds `added` to PATH. */
function jqNotOnPath(name: string, added: string, line = 8): string {
  return (
    `${name}.nix:${line} 'jq' is not on the script's PATH: add pkgs.jq to runtimeInputs. ` +
    `clan runs generator scripts with PATH = runtimeInputs + coreutils only, and the script adds only ${added} to it, ` +
    `so generator '${name}' would fail with "jq: command not found".`
  );
}

/** A generator whose script sets PATH with `pathLine` (Nix source) and then runs openssl and jq. */
function pathScript(name: string, pathLine: string): string {
  return gen(name, `    files.x = { };\n    script = ''\n      ${pathLine}\n      openssl rand -hex 16 > $out/x\n      jq . < /dev/null\n    '';`);
}

test('missing-runtime-input: ${PATH} written with braces keeps the PATH clan gives; the packages after it are added', async () => {
  assert.deepEqual(await findings({ 'a.nix': pathScript('a', "export PATH=''${PATH}:${pkgs.openssl}/bin") }), [jqNotOnPath('a', 'pkgs.openssl')]);
});

test('missing-runtime-input: the holes before the PATH setting do not shift which hole is read as its package', async () => {
  const file = gen('b', `    files.x = { };\n    script = ''\n      printf '%s' \${lib.escapeShellArg "x"} > $out/x\n      PATH="\${pkgs.openssl}/bin:$PATH"\n      openssl rand -hex 16 >> $out/x\n      jq . < /dev/null\n    '';`);
  assert.deepEqual(await findings({ 'b.nix': file }), [jqNotOnPath('b', 'pkgs.openssl', 9)]);
});

test('missing-runtime-input: a makeBinPath list of packages deeper than pkgs.x is read', async () => {
  assert.deepEqual(
    await findings({ 'c.nix': pathScript('c', 'export PATH=$PATH:${lib.makeBinPath [ pkgs.openssl pkgs.python3Packages.qrcode ]}') }),
    [jqNotOnPath('c', 'pkgs.openssl, pkgs.python3Packages.qrcode')],
  );
});

test('missing-runtime-input: a makeBinPath (with pkgs; [ ... ]) list formatted over several lines is read, bare and dotted names alike', async () => {
  const line = 'export PATH=$PATH:${\n        lib.makeBinPath (\n          with pkgs;\n          [\n            openssl\n            python3Packages.qrcode\n          ]\n        )\n      }';
  assert.deepEqual(await findings({ 'd.nix': pathScript('d', line) }), [jqNotOnPath('d', 'openssl, python3Packages.qrcode', 16)]);
});

test('missing-runtime-input: makeBinPath without lib., and runs of whitespace inside the hole, are read', async () => {
  const line = 'export PATH=$PATH:${makeBinPath\n        (with\n          pkgs ; [ openssl ])}';
  assert.deepEqual(await findings({ 'e.nix': pathScript('e', line) }), [jqNotOnPath('e', 'openssl', 10)]);
});

test('missing-runtime-input: ${pkgs.x}/bin is read with spaces in the hole, getBin with or without lib., and deeper package paths', async () => {
  const line = 'PATH=$PATH:${ pkgs.openssl }/bin:${getBin pkgs.pwgen}/bin:${lib.getBin  pkgs.xxd}/bin:${lib.getBin pkgs.openssh}/bin:${pkgs.python3Packages.qrcode}/bin';
  assert.deepEqual(
    await findings({ 'f.nix': pathScript('f', line) }),
    [jqNotOnPath('f', 'pkgs.openssl, pkgs.pwgen, pkgs.xxd, pkgs.openssh, pkgs.python3Packages.qrcode')],
  );
});

test('missing-runtime-input: a makeBinPath (with pkgs; ...) entry that is not a package name (a path, an attribute selected with ${...}) may provide any command', async () => {
  assert.deepEqual(
    await findings({
      'g.nix': pathScript('g', 'export PATH=$PATH:${lib.makeBinPath (with pkgs; [ openssl ./tools ])}'),
      'h.nix': pathScript('h', 'export PATH=$PATH:${lib.makeBinPath (with pkgs; [ openssl self.packages.${system}.tools ])}'),
    }),
    [],
  );
});

test('missing-runtime-input: a hole that applies something else to a makeBinPath list (a comment holding "${ before it) may provide any command', async () => {
  // the PATH setting ends the script: the quote in the comment makes the hole's text run to its end
  const file = gen('k', `    files.x = { };\n    script = ''\n      jq . > $out/x\n      export PATH=\${withTools # "\${\n        lib.makeBinPath [ pkgs.openssl ]}'';`);
  assert.deepEqual(await findings({ 'k.nix': file }), []);
});

test('missing-runtime-input: a PATH setting with an unclosed ${ (a script being typed) is not read, and the checker does not hang on it', async () => {
  assert.deepEqual(await findings({ 'm.nix': pathScript('m', "export PATH=''${PATH") }), []);
});

test('missing-runtime-input: a makeBinPath entry that is not a pkgs attribute as a whole (another package set, a string glued to it) may provide anything: silent', async () => {
  for (const entry of ['otherpkgs.openssl', 'pkgs.openssl"-wrapped"']) {
    assert.deepEqual(await findings({ 'a.nix': pathScript('a', `export PATH=$PATH:\${lib.makeBinPath [ ${entry} ]}`) }), [], entry);
  }
});
