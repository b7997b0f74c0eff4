// missing-output on small clans: which scripts keep it silent (a hole that may be shell code, an
// interpreter, a manual generator), and the exact finding it gives (message, range, fixes).
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { analyzeFolder } from '../../server/src/cli/analyzeFolder';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import type { Problem } from '../../server/src/base/types';
import { generatorModule as gen } from '../helpers/ruleCases';
import { removeTree, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

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
