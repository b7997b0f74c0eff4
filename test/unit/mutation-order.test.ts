// The order the mutation runner gives a mutant's test files (mutation/orderedTapRunner.mjs): the
// last killers of the same source file first, then the quickest of the dry run; the same files,
// none lost or added, since a survivor must still pass every one of them.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';

const ROOT = path.resolve(__dirname, '..', '..');
type Learned = { killers: Record<string, string[]>; times: Record<string, number> };

test('mutation runner order: killers of the same source first (the last one first), then the quickest, then as given', async () => {
  const { order } = (await import(path.join(ROOT, 'mutation', 'orderedTapRunner.mjs'))) as { order: (files: string[], source: string, learned: Learned) => string[] };
  const files = ['a.test.ts', 'b.test.ts', 'c.test.ts', 'd.test.ts', 'e.test.ts'];
  const learned: Learned = { killers: { 'x.ts': ['d.test.ts', 'b.test.ts'], 'y.ts': ['a.test.ts'] }, times: { 'a.test.ts': 900, 'b.test.ts': 100, 'c.test.ts': 50, 'e.test.ts': 50 } };
  assert.deepEqual(order(files, 'x.ts', learned), ['d.test.ts', 'b.test.ts', 'c.test.ts', 'e.test.ts', 'a.test.ts']);
  // another source's killers do not count; a file the dry run did not time goes last
  assert.deepEqual(order(files, 'z.ts', learned), ['c.test.ts', 'e.test.ts', 'b.test.ts', 'a.test.ts', 'd.test.ts']);
  // a killer the mutant's files do not include is not added
  assert.deepEqual(order(['c.test.ts', 'a.test.ts'], 'x.ts', learned), ['c.test.ts', 'a.test.ts']);
  assert.deepEqual(order([], 'x.ts', learned), []);
});
