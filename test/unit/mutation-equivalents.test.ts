// The equivalent-mutant lists (mutation/equivalent/*.mjs) stay true to the code: each entry names a
// file that exists, a text that is in it, in the function(s) its `where` names, and a reason. An
// entry whose code moved or changed fails here instead of matching nothing (or something else) in
// the next mutation run; an entry without a place could hide a survivor of the same text elsewhere.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

const ROOT = path.resolve(__dirname, '..', '..');
const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();

interface Entry {
  file: string;
  mutator: string;
  original: string;
  replacement: string;
  reason: string;
  where?: string | string[];
}

// Stryker's mutator names (@stryker-mutator/instrumenter)
const MUTATORS = new Set(['ArithmeticOperator', 'ArrayDeclaration', 'ArrowFunction', 'AssignmentOperator', 'BlockStatement', 'BooleanLiteral', 'ConditionalExpression', 'EqualityOperator', 'LogicalOperator', 'MethodExpression', 'ObjectLiteral', 'OptionalChaining', 'Regex', 'StringLiteral', 'UnaryOperator', 'UpdateOperator']);

test('every equivalent mutant names an existing text of its file, in the functions it says, with a reason', async () => {
  const { EQUIVALENT } = (await import(path.join(ROOT, 'mutation', 'equivalent.mjs'))) as { EQUIVALENT: Entry[] };
  const { enclosingFunction, functionNames } = (await import(path.join(ROOT, 'mutation', 'where.mjs'))) as {
    enclosingFunction: (file: string, source: string, line: number, column: number) => string;
    functionNames: (file: string, source: string) => Set<string>;
  };
  assert.ok(EQUIVALENT.length > 100, `the lists hold ${EQUIVALENT.length} entries`);
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const e of EQUIVALENT) {
    const at = `${e.file} ${e.mutator} ${JSON.stringify(e.original).slice(0, 60)}`;
    if (!MUTATORS.has(e.mutator)) problems.push(`${at}: no such mutator`);
    if (!e.reason?.trim()) problems.push(`${at}: no reason`);
    const file = path.join(ROOT, e.file);
    if (!fs.existsSync(file)) {
      problems.push(`${at}: no such file`);
      continue;
    }
    const source = fs.readFileSync(file, 'utf8');
    const where = e.where === undefined ? [] : [e.where].flat();
    if (!where.length) problems.push(`${at}: names no function (where)`);
    const names = functionNames(e.file, source);
    for (const w of where) if (!names.has(w)) problems.push(`${at}: no function '${w}' in the file`);
    // the places the text is, by function (compared with whitespace collapsed, as run.mjs does)
    const flat = collapse(e.original);
    const found = new Set<string>();
    const lines = source.split('\n');
    for (let l = 0; l < lines.length; l++) {
      // a text may span lines (a function's whole body: some 20): look from each line with the next ones joined
      const window = collapse(lines.slice(l, l + 30).join('\n'));
      const first = collapse(lines[l]);
      for (let i = window.indexOf(flat); i >= 0 && i < first.length; i = window.indexOf(flat, i + 1)) {
        const column = lines[l].search(/\S/) + 1 + i + countCollapsed(lines[l], i);
        found.add(enclosingFunction(e.file, source, l + 1, column));
      }
    }
    if (!found.size) problems.push(`${at}: the text is not in the file`);
    else for (const w of where) if (!found.has(w)) problems.push(`${at}: the text is not in '${w}' (it is in ${[...found].join(', ')})`);
    const key = JSON.stringify([e.file, e.mutator, flat, collapse(e.replacement), where]);
    if (seen.has(key)) problems.push(`${at}: listed twice`);
    seen.add(key);
  }
  assert.deepEqual(problems, []);
});

/** How many characters whitespace collapsing removed from `line` before collapsed index `i` (past its indentation). */
function countCollapsed(line: string, i: number): number {
  const body = line.trimStart();
  let removed = 0;
  let j = 0;
  let k = 0;
  while (k < i && j < body.length) {
    if (/\s/.test(body[j]) && /\s/.test(body[j + 1] ?? '')) {
      removed++;
      j++;
      continue;
    }
    j++;
    k++;
  }
  return removed;
}
