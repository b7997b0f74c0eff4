// invalid-mode, invalid-option-type and unknown-prompt as a clan user meets them: the whole finding
// (message, range, severity, fix) on small clans, the cases each rule must stay silent on, and
// the findings after edits (the rules' declared inputs).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { analyzeFolder } from '../../server/src/cli/analyzeFolder';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import type { Problem } from '../../server/src/base/types';
import { generatorModule as gen } from '../helpers/ruleCases';
import { scannedClan } from '../helpers/ruleRuns';
import { removeTree, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

/** What the user sees of a finding: where (file:line and the text it covers), severity, message, and its fixes (title, file:line and covered text, new text, safe). */
interface Seen {
  at: string;
  severity: string | undefined;
  message: string;
  fixes: [string, string, string, boolean][];
}

function seen(root: string, ps: Problem[]): Seen[] {
  const covered = (file: string, r: Problem['range']) => {
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    const text = r.start.line === r.end.line ? lines[r.start.line].slice(r.start.character, r.end.character) : `${lines[r.start.line].slice(r.start.character)}…`;
    return `${path.relative(root, file)}:${r.start.line + 1}:${r.start.character} [${text}]`;
  };
  return ps
    .slice()
    .sort((a, b) => a.file.localeCompare(b.file) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character)
    .map((p) => ({
      at: covered(p.file, p.range),
      severity: p.severity,
      message: p.message,
      fixes: (p.fixes ?? []).map((f) => {
        assert.equal(f.edits.length, 1, f.title);
        const e = f.edits[0];
        return [f.title, covered(e.file, e.range), e.newText, f.safe];
      }),
    }));
}

/** The findings of `code` (and any internal-error) in a clan of these files. */
async function findings(files: Record<string, string>, code: string): Promise<Seen[]> {
  const root = writeTree({ 'flake.nix': '{ }', ...files });
  roots.push(root);
  const report = await analyzeFolder(root, DEFAULT_SETTINGS, () => {});
  return seen(root, report.problems.filter((p) => p.code === code || p.code === 'internal-error'));
}

// ---------------------------------------------------------------------------------------------
// invalid-mode

const MODE_ERROR = `Evaluation fails with "A definition for option ... mode' is not of type \`string matching the pattern ^[0-7]{4}$'".`;
const modeMessage = (file: string, text: string, why: string, write: string) => `mode of files.${file} of generator 'g' is ${text}: ${why}. ${MODE_ERROR} ${write}`;

test('invalid-mode: each wrong mode with its whole message, range, severity and fix; four octal digits in a string pass', async () => {
  const found = await findings(
    {
      'm.nix': gen('g', `    files.a.mode = "400";
    files.b.mode = 400;
    files.c.mode = 0440;
    files.d.mode = "rw-r--r--";
    files.e.mode = "00400";
    files.f.mode = 00400;
    files.g.mode = 1777;
    files.h.mode = 0800;
    files.i.mode = true;
    files.j.mode = null;
    files.k.mode = "0600";
    files.l.mode = "1777";
    files.m.mode = cfg.mode;`),
    },
    'invalid-mode',
  );
  const fix = (line: number, col: number, covers: string, to: string): [string, string, string, boolean] => [`Change to "${to}"`, `m.nix:${line}:${col} [${covers}]`, `"${to}"`, true];
  const any = 'Write a mode such as "0400".';
  assert.deepEqual(found, [
    { at: 'm.nix:4:19 ["400"]', severity: 'error', message: modeMessage('a', '"400"', '"400" is the old three-digit form; since April 2025 clan wants four digits', 'Write "0400".'), fixes: [fix(4, 19, '"400"', '0400')] },
    { at: 'm.nix:5:19 [400]', severity: 'error', message: modeMessage('b', '400', 'a number is not a string', 'Write "0400".'), fixes: [fix(5, 19, '400', '0400')] },
    { at: 'm.nix:6:19 [0440]', severity: 'error', message: modeMessage('c', '0440', 'a number is not a string (and Nix reads 0440 as decimal 440)', 'Write "0440".'), fixes: [fix(6, 19, '0440', '0440')] },
    { at: 'm.nix:7:19 ["rw-r--r--"]', severity: 'error', message: modeMessage('d', '"rw-r--r--"', 'it is not four octal digits', any), fixes: [] },
    // five digits: neither anchor of the pattern may be dropped
    { at: 'm.nix:8:19 ["00400"]', severity: 'error', message: modeMessage('e', '"00400"', 'it is not four octal digits', any), fixes: [] },
    { at: 'm.nix:9:19 [00400]', severity: 'error', message: modeMessage('f', '00400', 'it is not four octal digits', any), fixes: [] },
    // four octal digits, but a number (Nix reads 1777 as the integer 1777): the string is meant
    { at: 'm.nix:10:19 [1777]', severity: 'error', message: modeMessage('g', '1777', 'a number is not a string', 'Write "1777".'), fixes: [fix(10, 19, '1777', '1777')] },
    { at: 'm.nix:11:19 [0800]', severity: 'error', message: modeMessage('h', '0800', 'it is not four octal digits', any), fixes: [] },
    { at: 'm.nix:12:19 [true]', severity: 'error', message: modeMessage('i', 'true', 'it is not four octal digits', any), fixes: [] },
    { at: 'm.nix:13:19 [null]', severity: 'error', message: modeMessage('j', 'null', 'it is not four octal digits', any), fixes: [] },
  ]);
});

// ---------------------------------------------------------------------------------------------
// invalid-option-type

const TYPE_ERROR = `Evaluation fails with "A definition for option ... is not of type \`boolean'".`;

test('invalid-option-type: share, secret, deploy and persist given another literal: the whole message, range, severity and the unsafe fix to the boolean meant', async () => {
  const root = writeTree({
    'flake.nix': '{ }',
    'm.nix': gen('g', `    share = "yes";
    files.a.secret = "no";
    files.b.deploy = 0;
    files.c.secret = "ON";
    files.d.deploy = 1;
    files.e.secret = "off";
    files.f.deploy = "TRUE";
    files.g.secret = "false";
    prompts.p.persist = null;
    prompts.q.persist = "sometimes";
    prompts.r.persist = 2;
    files.h.secret = false;
    files.i.deploy = lib.mkDefault true;`),
  });
  roots.push(root);
  const report = await analyzeFolder(root, DEFAULT_SETTINGS, () => {});
  const ps = report.problems.filter((p) => p.code === 'invalid-option-type');
  assert.deepEqual(
    ps.map((p) => p.explanation),
    ps.map(() => TYPE_ERROR),
  );
  const to = (line: number, covers: string, b: boolean, col = 21): [string, string, string, boolean] => [`Change to ${b}`, `m.nix:${line}:${col} [${covers}]`, String(b), false];
  const of = "of generator 'g' must be true or false, not";
  assert.deepEqual(seen(root, ps), [
    { at: 'm.nix:4:12 ["yes"]', severity: 'error', message: `share ${of} "yes": did you mean true?`, fixes: [to(4, '"yes"', true, 12)] },
    { at: 'm.nix:5:21 ["no"]', severity: 'error', message: `files.a.secret ${of} "no": did you mean false?`, fixes: [to(5, '"no"', false)] },
    { at: 'm.nix:6:21 [0]', severity: 'error', message: `files.b.deploy ${of} 0: did you mean false?`, fixes: [to(6, '0', false)] },
    { at: 'm.nix:7:21 ["ON"]', severity: 'error', message: `files.c.secret ${of} "ON": did you mean true?`, fixes: [to(7, '"ON"', true)] },
    { at: 'm.nix:8:21 [1]', severity: 'error', message: `files.d.deploy ${of} 1: did you mean true?`, fixes: [to(8, '1', true)] },
    { at: 'm.nix:9:21 ["off"]', severity: 'error', message: `files.e.secret ${of} "off": did you mean false?`, fixes: [to(9, '"off"', false)] },
    { at: 'm.nix:10:21 ["TRUE"]', severity: 'error', message: `files.f.deploy ${of} "TRUE": did you mean true?`, fixes: [to(10, '"TRUE"', true)] },
    { at: 'm.nix:11:21 ["false"]', severity: 'error', message: `files.g.secret ${of} "false": did you mean false?`, fixes: [to(11, '"false"', false)] },
    { at: 'm.nix:12:24 [null]', severity: 'error', message: `prompts.p.persist ${of} null`, fixes: [] },
    { at: 'm.nix:13:24 ["sometimes"]', severity: 'error', message: `prompts.q.persist ${of} "sometimes"`, fixes: [] },
    { at: 'm.nix:14:24 [2]', severity: 'error', message: `prompts.r.persist ${of} 2`, fixes: [] },
  ]);
});

test('invalid-option-type: the other spellings of true (on) and false (off, 0) are meant too', async () => {
  const found = await findings({ 'm.nix': gen('g', `    files.a.secret = "On";\n    files.b.secret = "0";\n    files.c.deploy = "Off";\n    files.d.deploy = "yes";`) }, 'invalid-option-type');
  assert.deepEqual(
    found.map((f) => [f.message.replace(/.* not /, ''), f.fixes.map((x) => x[0])]),
    [
      ['"On": did you mean true?', ['Change to true']],
      ['"0": did you mean false?', ['Change to false']],
      ['"Off": did you mean false?', ['Change to false']],
      ['"yes": did you mean true?', ['Change to true']],
    ],
  );
});

test('invalid-option-type: a value named like a property of every object (constructor, toString, __proto__) means no boolean', async () => {
  const found = await findings({ 'm.nix': gen('g', `    share = "constructor";\n    files.a.secret = "toString";\n    files.b.deploy = "__proto__";`) }, 'invalid-option-type');
  const of = "of generator 'g' must be true or false, not";
  assert.deepEqual(
    found.map((f) => [f.message, f.fixes]),
    [
      [`share ${of} "constructor"`, []],
      [`files.a.secret ${of} "toString"`, []],
      [`files.b.deploy ${of} "__proto__"`, []],
    ],
  );
});

test('invalid-option-type: options of other types with such values are not boolean options (a prompt has no secret or deploy, a file no persist, a value under secret names no option)', async () => {
  const found = await findings(
    {
      'm.nix': gen('g', `    prompts.p.deploy = "no";
    prompts.q.secret = "yes";
    files.a.persist = "yes";
    files.b.secret.x = "no";
    files.c.owner = "yes";
    files.d.mode = "0400";
    validation.share = "yes";`),
    },
    'invalid-option-type',
  );
  assert.deepEqual(found, []);
});

/** The registry pipeline of rules-sandbox-hostile's matrix test, its entry k0 with a file whose `secret` is `value`. */
function registryClan(secret: string, keys: string): Record<string, string> {
  return {
    'lib/secret-registry.nix': `{ pkgs ? null }: {\n  k0 = { generator = "reg-k0"; files.value = { secret = ${secret}; }; script = "touch $out/value"; };\n  k1 = { generator = "reg-k1"; files.value = { }; script = "touch $out/value"; };\n}\n`,
    'lib/machine-env-matrix.nix': `{ m0 = [ ${keys} ]; }\n`,
    'lib/vars-generators.nix': '{ keys, pkgs ? null }:\nlet registry = import ./secret-registry.nix { inherit pkgs; };\nin builtins.listToAttrs (map (k: { name = registry.${k}.generator; value = { inherit (registry.${k}) files script; }; }) keys)\n',
    'machines/m0/configuration.nix': `{ pkgs, ... }:\nlet gens = import ../../lib/vars-generators.nix { keys = (import ../../lib/machine-env-matrix.nix).m0; inherit pkgs; };\nin {\n  clan.core.vars.generators = gens;\n}\n`,
  };
}

test('invalid-option-type in the editor: a value the registry pipeline computes is found when the matrix brings its generator onto a machine, and no more when it takes it off', async () => {
  const { root, index } = await scannedClan(registryClan('"yes"', '"k1"'));
  const messages = () => [...index.allProblems().values()].flat().filter((p) => p.code === 'invalid-option-type').map((p) => `${path.relative(root, p.file)}:${p.range.start.line + 1} ${p.message}`);
  const shown = [messages()];
  for (const keys of ['"k0" "k1"', '"k1"']) {
    index.updateFromText(path.join(root, 'lib/machine-env-matrix.nix'), `{ m0 = [ ${keys} ]; }\n`);
    shown.push(messages());
  }
  assert.deepEqual(shown, [[], [`lib/secret-registry.nix:2 files.value.secret of generator 'reg-k0' must be true or false, not "yes": did you mean true?`], []]);
});

test('invalid-option-type in the editor: a wrong value typed into a module is found, and found no more once corrected', async () => {
  const typed = (v: string) => gen('g', `    files.a.secret = ${v};\n    files.a.deploy = true;`);
  const { root, index } = await scannedClan({ 'm.nix': typed('false') });
  const messages = () => [...index.allProblems().values()].flat().filter((p) => p.code === 'invalid-option-type').map((p) => p.message);
  const shown = [messages()];
  for (const v of ['"no"', 'false']) {
    index.updateFromText(path.join(root, 'm.nix'), typed(v));
    shown.push(messages());
  }
  assert.deepEqual(shown, [[], [`files.a.secret of generator 'g' must be true or false, not "no": did you mean false?`], []]);
});

// ---------------------------------------------------------------------------------------------
// unknown-prompt

const noPrompts = (g: string, declare: string) =>
  `Generator '${g}' declares no prompts, so clan does not set $prompts and the script (run with set -u) fails with "prompts: unbound variable".${declare}`;

test('unknown-prompt: $prompts in a generator without prompts: each use, with the declaration to add where a prompt is named', async () => {
  const found = await findings(
    {
      'a.nix': gen('a', `    files.x = { };
    script = ''
      cat $prompts/pw > $out/x
      ls $prompts >> $out/x
      cat "$prompts/$name" >> $out/x
      echo "\${prompts-}" >> $out/x
    '';`),
    },
    'unknown-prompt',
  );
  assert.deepEqual(found, [
    {
      at: 'a.nix:6:10 [$prompts/pw]',
      severity: 'error',
      message: noPrompts('a', ' Declare the prompt: prompts.pw = { };'),
      fixes: [["Declare prompt 'pw'", 'a.nix:11:0 []', '    prompts.pw = { };\n', false]],
    },
    // the bare directory and a computed name fail the same way: $prompts itself is unset
    { at: 'a.nix:7:9 [$prompts]', severity: 'error', message: noPrompts('a', ''), fixes: [] },
    { at: 'a.nix:8:11 [$prompts/]', severity: 'error', message: noPrompts('a', ''), fixes: [] },
  ]);
});

test('unknown-prompt: a prompt the generator does not declare, with the closest declared one when there is one; the directory and computed names pass', async () => {
  const found = await findings(
    {
      'b.nix': gen('b', `    files.x = { };
    prompts.password.type = "hidden";
    prompts."api-token" = { };
    script = ''
      cat "$prompts/passwrd" > $out/x
      cat $prompts/zzz-unrelated-name >> $out/x
      cat $prompts/password $prompts/api-token/ >> $out/x
      ls $prompts $prompts/ >> $out/x
      cat "$prompts/$name" >> $out/x
    '';`),
    },
    'unknown-prompt',
  );
  const declared = 'Declared prompts: password, api-token.';
  assert.deepEqual(found, [
    {
      at: 'b.nix:8:11 [$prompts/passwrd"]',
      severity: 'error',
      message: `Generator 'b' declares no prompt 'passwrd'; $prompts/passwrd does not exist when the script runs. Did you mean 'password'? ${declared}`,
      fixes: [["Declare prompt 'passwrd'", 'b.nix:14:0 []', '    prompts.passwrd = { };\n', false]],
    },
    {
      at: 'b.nix:9:10 [$prompts/zzz-unrelated-name]',
      severity: 'error',
      message: `Generator 'b' declares no prompt 'zzz-unrelated-name'; $prompts/zzz-unrelated-name does not exist when the script runs. ${declared}`,
      fixes: [["Declare prompt 'zzz-unrelated-name'", 'b.nix:14:0 []', '    prompts.zzz-unrelated-name = { };\n', false]],
    },
  ]);
});

test("unknown-prompt: the declaration is added to the generator's own set in another module when the script's module has none", async () => {
  const found = await findings(
    {
      'a.nix': '{ ... }:\n{\n  clan.core.vars.generators.t.script = "cat $prompts/other > $out/x";\n}\n',
      'b.nix': '{ ... }:\n{\n  clan.core.vars.generators.t = {\n    prompts.pw = { };\n    files.x = { };\n  };\n}\n',
    },
    'unknown-prompt',
  );
  assert.deepEqual(found, [
    {
      at: 'a.nix:3:44 [$prompts/other]',
      severity: 'error',
      message: "Generator 't' declares no prompt 'other'; $prompts/other does not exist when the script runs. Declared prompts: pw.",
      fixes: [["Declare prompt 'other'", 'b.nix:6:0 []', '    prompts.other = { };\n', false]],
    },
  ]);
});

const reads = (g: string, prompt: string) => gen(g, `    files.x = { };\n    script = "cat $prompts/${prompt} > $out/x";`);

test('unknown-prompt: silent where the prompts of a declaration merged into the generator cannot be listed (a registry entry, prompts computed by a function, a computed prompt name)', async () => {
  const found = await findings(
    {
      // a registry entry of the same name: the pipeline may give it prompts
      'lib/secret-registry.nix': '{ pkgs ? null }:\n{\n  api = { generator = "api"; envVar = "API"; };\n}\n',
      'api.nix': reads('api', 'token'),
      // prompts = <a function's value>, in another module than the script
      'u1.nix': reads('u', 'token'),
      'u2.nix': '{ cfg, ... }:\n{\n  clan.core.vars.generators.u.prompts = cfg.prompts;\n}\n',
      // a prompt whose name is computed (the evaluator lists it, but its settings are those of a computed name)
      'v.nix': `{ lib, ... }:\nlet n = lib.toUpper "x"; in\n{\n  clan.core.vars.generators.v = {\n    prompts."\${n}".type = "hidden";\n    files.x = { };\n    script = "cat $prompts/q > $out/x";\n  };\n}\n`,
    },
    'unknown-prompt',
  );
  assert.deepEqual(found, []);
});

test('unknown-prompt: a computed file name does not keep it silent (only prompts are read)', async () => {
  const found = await findings(
    { 'k.nix': `{ lib, ... }:\n{\n  clan.core.vars.generators.k = {\n    files."\${lib.toUpper "y"}".secret = false;\n    files.x = { };\n    script = "cat $prompts/q > $out/x";\n  };\n}\n` },
    'unknown-prompt',
  );
  assert.deepEqual(
    found.map((f) => [f.at, f.message]),
    [['k.nix:6:18 [$prompts/q]', noPrompts('k', ' Declare the prompt: prompts.q = { };')]],
  );
});
