// The PATH a generator script sets itself (rules/scriptPath.ts), as missing-runtime-input shows it:
// what the script adds to the PATH clan gives (runtimeInputs + coreutils), what drops it, and which
// settings the syntax cannot read (then nothing is concluded). Each generator has no runtimeInputs
// and runs openssl and jq (pwgen where noted); the findings say which of them the script's PATH lacks.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { analyzeFolder } from '../../server/src/cli/analyzeFolder';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import type { Problem } from '../../server/src/base/types';
import { generatorModule as gen } from '../helpers/ruleCases';
import { removeTree, writeTree } from '../helpers/tempClan';

/** A generator whose script sets PATH with `setting` (Nix source, inside '' '') and then runs openssl and jq. */
const sets = (name: string, setting: string, extra = '') =>
  gen(name, `    files.x = { };\n    script = ''\n      ${setting}\n      openssl rand -hex 8 > $out/x\n      jq -n 1 >> $out/x${extra}\n    '';`);

const FILES: Record<string, string> = {
  // $PATH spelled ${PATH}, ${PATH-default}, ${PATH:-default}: the PATH clan gives is kept
  'braced.nix': sets('braced', `export PATH="''\${PATH}:\${pkgs.openssl}/bin"`),
  'dash-default.nix': sets('dash-default', `export PATH="''\${PATH-/usr/bin}:\${pkgs.openssl}/bin"`),
  'colon-default.nix': sets('colon-default', `export PATH="''\${PATH:-/usr/local/bin}:\${pkgs.openssl}/bin"`),
  // another variable whose name starts with PATH, another variable, $PATH followed by a folder: anything
  'paths-var.nix': sets('paths-var', `export PATH="$PATHS:\${pkgs.openssl}/bin"`),
  'other-var.nix': sets('other-var', `export PATH="$TOOLS:$PATH"`),
  'own-subfolder.nix': sets('own-subfolder', `export PATH="$PATH/sbin:\${pkgs.openssl}/bin"`),
  'unclosed.nix': sets('unclosed', `export PATH=''\${X$PATH`),
  // the same ending the script (a one-line string): the value ends with $PATH, but is not $PATH
  'unclosed-end.nix': gen('unclosed-end', `    files.x = { };\n    script = "jq -n 1 > $out/x; export PATH=\\\${X$PATH";`),
  // an empty entry is the working folder: it adds nothing and hides nothing
  'empty-entry.nix': sets('empty-entry', `export PATH=":\${pkgs.openssl}/bin:$PATH"`),
  // a Nix value named PATH is not the shell's $PATH
  'nix-path.nix': `{ pkgs, lib, ... }:\nlet\n  PATH = lib.makeBinPath [ pkgs.openssl ];\nin\n{\n  clan.core.vars.generators.nix-path = {\n    files.x = { };\n    script = ''\n      export PATH=\${PATH}\n      openssl rand -hex 8 > $out/x\n      jq -n 1 >> $out/x\n    '';\n  };\n}\n`,
  // ''\${pkgs.openssl} escapes the interpolation: the shell gets a literal \${pkgs.openssl}, not the package
  'escaped.nix': sets('escaped', `export PATH="''\${pkgs.openssl}/bin:$PATH"`),
  // makeBinPath: only a list of pkgs.x, or of bare names under with pkgs;, alone in its entry
  'binpath-suffix.nix': sets('binpath-suffix', `export PATH="\${lib.makeBinPath [ pkgs.openssl ]}/extra:$PATH"`),
  'binpath-empty.nix': sets('binpath-empty', `export PATH=\${lib.makeBinPath [ ]}`),
  'binpath-with.nix': sets('binpath-with', `export PATH=\${lib.makeBinPath (with pkgs; [ openssl ])}:$PATH`),
  'binpath-bare.nix': sets('binpath-bare', `export PATH=\${lib.makeBinPath [ openssl ]}:$PATH`),
  'binpath-mixed.nix': sets('binpath-mixed', `export PATH=\${lib.makeBinPath [ pkgs.openssl cfg.package ]}:$PATH`),
  // \${pkgs.x} counts before /bin (or /bin/) only
  'pkg-root.nix': sets('pkg-root', `export PATH=\${pkgs.openssl}:$PATH`),
  'pkg-deep-bin.nix': sets('pkg-deep-bin', `export PATH=\${pkgs.openssl}/libexec/bin:$PATH`),
  'pkg-bin-sub.nix': sets('pkg-bin-sub', `export PATH=\${pkgs.openssl}/bin/sub:$PATH`),
  'pkg-bin-slash.nix': sets('pkg-bin-slash', `export PATH=\${pkgs.openssl}/bin/:$PATH`),
  // quotes are removed, single as double
  'single-quoted.nix': sets('single-quoted', `export PATH=\${pkgs.openssl}'/bin':"$PATH"`),
  // each interpolation of the value is read in its turn, also after others earlier in the script
  'two-holes.nix': sets('two-holes', `export PATH=\${pkgs.openssl}/bin:\${pkgs.jq}/bin:$PATH`, `\n      pwgen 8 >> $out/x`),
  'hole-before.nix': gen('hole-before', `    files.x = { };\n    script = ''\n      \${lib.getExe pkgs.hello} > $out/x\n      export PATH=\${pkgs.openssl}/bin:$PATH\n      openssl rand -hex 8 >> $out/x\n      jq -n 1 >> $out/x\n    '';`),
  'hole-first.nix': gen('hole-first', `    files.x = { };\n    script = "\${lib.getExe pkgs.hello} > $out/x; export PATH=\${pkgs.openssl}/bin:$PATH; openssl rand -hex 8 >> $out/x; jq -n 1 >> $out/x";`),
  // a lone $ at the end is no expansion the rule can read
  'trailing-dollar.nix': sets('trailing-dollar', `export PATH=\${pkgs.openssl}/bin:$`),
};

let root = '';
let problems: Problem[] = [];
let log: string[] = [];
before(async () => {
  root = writeTree(FILES);
  const report = await analyzeFolder(root, DEFAULT_SETTINGS, (l) => log.push(l));
  problems = report.problems.filter((p) => p.code === 'missing-runtime-input');
});
after(() => removeTree(root));

/** The missing-runtime-input findings of one file: `line: message | explanation`, with severity and fix titles. */
function of(file: string): string[] {
  return problems
    .filter((p) => path.basename(p.file) === file)
    .map((p) => `${p.range.start.line + 1}:${p.range.start.character}-${p.range.end.character} ${p.severity}: ${p.message} | ${p.explanation} | ${(p.fixes ?? []).map((f) => f.title).join(', ')}`);
}

/** The one finding of a script that adds `added` to PATH and keeps the PATH clan gives: `cmd` is still missing. */
const adds = (line: number, name: string, added: string, cmd = 'jq', end = 8) =>
  `${line}:6-${end} warning: '${cmd}' is not on the script's PATH: add pkgs.${cmd} to runtimeInputs. | clan runs generator scripts with PATH = runtimeInputs + coreutils only, and the script adds only ${added} to it, so generator '${name}' would fail with "${cmd}: command not found". | Add pkgs.${cmd} to runtimeInputs`;

test('${PATH}, ${PATH-default} and ${PATH:-default} keep the PATH clan gives, like $PATH', () => {
  assert.deepEqual(of('braced.nix'), [adds(8, 'braced', 'pkgs.openssl')]);
  assert.deepEqual(of('dash-default.nix'), [adds(8, 'dash-default', 'pkgs.openssl')]);
  assert.deepEqual(of('colon-default.nix'), [adds(8, 'colon-default', 'pkgs.openssl')]);
});

test('an entry that is not exactly $PATH may hold anything: $PATHS, $TOOLS, $PATH/sbin, an unclosed ${X$PATH; nothing is concluded', () => {
  for (const f of ['paths-var.nix', 'other-var.nix', 'own-subfolder.nix', 'unclosed.nix', 'unclosed-end.nix']) assert.deepEqual(of(f), [], f);
});

test('an empty entry (the working folder) adds nothing and is no reason to conclude nothing', () => {
  assert.deepEqual(of('empty-entry.nix'), [adds(8, 'empty-entry', 'pkgs.openssl')]);
  assert.deepEqual(log.filter((l) => /failed/.test(l)), []);
});

test("a Nix value named PATH and an escaped ''${pkgs.openssl} are no package the syntax can read: nothing is concluded", () => {
  assert.deepEqual(of('nix-path.nix'), []);
  assert.deepEqual(of('escaped.nix'), []);
});

test('makeBinPath: pkgs.x, or bare names under with pkgs;, alone in its entry; an empty list drops the PATH clan gives', () => {
  assert.deepEqual(of('binpath-with.nix'), [adds(8, 'binpath-with', 'openssl')]);
  assert.deepEqual(of('binpath-empty.nix'), [
    `7:6-13 warning: 'openssl' is neither in runtimeInputs nor on the PATH the script sets: add pkgs.openssl to one of them. | clan runs generator scripts with PATH = runtimeInputs + coreutils only, and the script sets PATH itself without it, so generator 'binpath-empty' would fail with "openssl: command not found". | `,
    `8:6-8 warning: 'jq' is neither in runtimeInputs nor on the PATH the script sets: add pkgs.jq to one of them. | clan runs generator scripts with PATH = runtimeInputs + coreutils only, and the script sets PATH itself without it, so generator 'binpath-empty' would fail with "jq: command not found". | `,
  ]);
  // a bare name outside with pkgs;, a value that is not a package, a folder after the list: anything
  for (const f of ['binpath-bare.nix', 'binpath-mixed.nix', 'binpath-suffix.nix']) assert.deepEqual(of(f), [], f);
});

test('${pkgs.x} counts before /bin or /bin/ only; its root or another folder may hold anything', () => {
  assert.deepEqual(of('pkg-bin-slash.nix'), [adds(8, 'pkg-bin-slash', 'pkgs.openssl')]);
  for (const f of ['pkg-root.nix', 'pkg-deep-bin.nix', 'pkg-bin-sub.nix']) assert.deepEqual(of(f), [], f);
});

test("single quotes are removed like double ones: ${pkgs.openssl}'/bin' is the package's bin", () => {
  assert.deepEqual(of('single-quoted.nix'), [adds(8, 'single-quoted', 'pkgs.openssl')]);
});

test('each interpolation is read in its turn: two in the value, one earlier in the script, one at its very start', () => {
  assert.deepEqual(of('two-holes.nix'), [adds(9, 'two-holes', 'pkgs.openssl, pkgs.jq', 'pwgen', 11)]);
  assert.deepEqual(of('hole-before.nix'), [adds(9, 'hole-before', 'pkgs.openssl')]);
  assert.deepEqual(of('hole-first.nix'), [adds(5, 'hole-first', 'pkgs.openssl').replace('5:6-8', '5:119-121')]);
});

test('a lone $ ending the value is read as an expansion that may hold anything, without failing the rule', () => {
  assert.deepEqual(of('trailing-dollar.nix'), []);
  assert.deepEqual(log.filter((l) => /failed/.test(l)), []);
});
