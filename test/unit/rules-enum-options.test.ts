// The enum-valued options (neededFor, prompt type) as a clan user meets them: which values are
// reported, the exact message with clan's error, the range, the severity, and the quick fix
// (its title, its edit, and whether `clan-vars-lint --fix` may apply it on its own).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { analyzeFolder } from '../../server/src/cli/analyzeFolder';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import type { Problem } from '../../server/src/base/types';
import { generatorModule as gen } from '../helpers/ruleCases';
import { removeTree, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

const ENUM_CODES = new Set(['invalid-needed-for', 'invalid-prompt-type']);
const NEEDED_FOR = `one of "partitioning", "activation", "users", "services"'`;
const PROMPT_TYPE = `one of "hidden", "line", "multiline", "multiline-hidden"'`;

/** The enum findings of a one-module clan, each with the text its range covers. */
async function enumFindings(body: string): Promise<(Problem & { covers: string; line: number })[]> {
  const root = writeTree({ 'm.nix': gen('g', body) });
  roots.push(root);
  const text = fs.readFileSync(path.join(root, 'm.nix'), 'utf8').split('\n');
  const report = await analyzeFolder(root, DEFAULT_SETTINGS, () => {});
  return report.problems
    .filter((p) => ENUM_CODES.has(p.code))
    .map((p) => ({ ...p, line: p.range.start.line + 1, covers: text[p.range.start.line].slice(p.range.start.character, p.range.end.character) }))
    .sort((a, b) => a.line - b.line);
}

/** The one quick fix of a finding, as title, new text, the text it replaces and whether it is safe. */
function fixOf(p: Problem & { covers: string }): { title: string; newText: string; replaces: string; safe: boolean; file: string } | null {
  assert.ok((p.fixes ?? []).length <= 1, `one fix at most: ${JSON.stringify(p.fixes)}`);
  const f = p.fixes?.[0];
  if (!f) return null;
  assert.equal(f.edits.length, 1);
  const e = f.edits[0];
  assert.deepEqual(e.range, p.range, 'the fix replaces the value the finding points at');
  return { title: f.title, newText: e.newText, replaces: p.covers, safe: f.safe, file: path.basename(e.file) };
}

test('enum options: the message quotes the value and clan\'s whole enum, on the value, as an error', async () => {
  const [a] = await enumFindings(`    files.a.neededFor = "boot";`);
  assert.equal(a.code, 'invalid-needed-for');
  assert.equal(a.severity, 'error');
  assert.equal(a.covers, '"boot"');
  assert.equal(
    a.message,
    `neededFor of files.a of generator 'g' cannot be "boot": evaluation fails with "A definition for option ... is not of type \`${NEEDED_FOR}".`,
  );
  assert.deepEqual(a.fixes, []);
});

test('enum options: a number or a boolean is quoted as written, not as a string', async () => {
  const [n, b] = await enumFindings(`    files.a.neededFor = 1;\n    prompts.p.type = true;`);
  assert.match(n.message, /^neededFor of files\.a of generator 'g' cannot be 1: evaluation fails/);
  assert.match(b.message, /^The type of prompts\.p of generator 'g' cannot be true: evaluation fails .*`one of "hidden", "line", "multiline", "multiline-hidden"'"\.$/);
});

test('enum options: a close misspelling gets a safe fix to the allowed value', async () => {
  const [h] = await enumFindings(`    prompts.p.type = "hiden";`);
  assert.equal(h.message, `The type of prompts.p of generator 'g' cannot be "hiden": evaluation fails with "A definition for option ... is not of type \`${PROMPT_TYPE}". Did you mean "hidden"?`);
  assert.deepEqual(fixOf(h), { title: 'Change to "hidden"', newText: '"hidden"', replaces: '"hiden"', safe: true, file: 'm.nix' });
});

test('enum options: a suggestion two edits away is offered, but not applied by --fix', async () => {
  const [m] = await enumFindings(`    prompts.p.type = "multilin-hiden";`);
  assert.match(m.message, /Did you mean "multiline-hidden"\?$/);
  assert.deepEqual(fixOf(m), { title: 'Change to "multiline-hidden"', newText: '"multiline-hidden"', replaces: '"multilin-hiden"', safe: false, file: 'm.nix' });
});

test('enum options: a known old spelling (password, text) is replaced by what clan calls it, safely, however far the words are', async () => {
  const [pw, text] = await enumFindings(`    prompts.p.type = "password";\n    prompts.q.type = "text";`);
  assert.match(pw.message, /cannot be "password": .*Did you mean "hidden"\?$/);
  assert.deepEqual(fixOf(pw), { title: 'Change to "hidden"', newText: '"hidden"', replaces: '"password"', safe: true, file: 'm.nix' });
  assert.deepEqual(fixOf(text), { title: 'Change to "line"', newText: '"line"', replaces: '"text"', safe: true, file: 'm.nix' });
});

test('enum options: capitals are compared as lower case (the fix for "HIDEN" is safe; "Line" suggests "line")', async () => {
  const [hiden, line] = await enumFindings(`    prompts.p.type = "HIDEN";\n    prompts.q.type = "Line";`);
  assert.deepEqual(fixOf(hiden), { title: 'Change to "hidden"', newText: '"hidden"', replaces: '"HIDEN"', safe: true, file: 'm.nix' });
  assert.deepEqual(fixOf(line), { title: 'Change to "line"', newText: '"line"', replaces: '"Line"', safe: true, file: 'm.nix' });
});

test('enum options: a value the syntax cannot read is not reported; allowed values are not', async () => {
  assert.deepEqual(await enumFindings(`    files.a.neededFor = cfg.when;\n    prompts.p.type = config.kind;\n    files.b.neededFor = "users";\n    prompts.q.type = "multiline";`), []);
});

test('enum options: only files.<f>.neededFor and prompts.<p>.type are these enums', async () => {
  // a prompt has no neededFor and a file no type, and an attrset under neededFor or type is no value
  // of it: evaluation fails there for another reason, not with this enum's error
  const found = await enumFindings(`    prompts.p.neededFor = "boot";\n    files.a.type = "hiden";\n    files.neededFor = "boot";\n    prompts.type = "hiden";\n    files.b.neededFor.at = "boot";\n    prompts.q.type.of = "hiden";`);
  assert.deepEqual(found.map((p) => `${p.line} ${p.code}`), []);
});


test('enum options: a value in capitals suggests its lower-case spelling when that is allowed ("USERS", "HIDDEN")', async () => {
  const [users, hidden] = await enumFindings(`    files.a.neededFor = "USERS";\n    prompts.p.type = "HIDDEN";`);
  assert.match(users.message, /cannot be "USERS": .*Did you mean "users"\?$/);
  assert.deepEqual(fixOf(users), { title: 'Change to "users"', newText: '"users"', replaces: '"USERS"', safe: true, file: 'm.nix' });
  assert.deepEqual(fixOf(hidden), { title: 'Change to "hidden"', newText: '"hidden"', replaces: '"HIDDEN"', safe: true, file: 'm.nix' });
});
