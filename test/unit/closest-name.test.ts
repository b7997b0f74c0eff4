// Did-you-mean: the edit distance (with adjacent transpositions) and its early stop at a cap.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closestName, editDistance } from '../../server/src/rules/closestName';

test('edit distance: insertions, deletions, substitutions and adjacent transpositions', () => {
  assert.equal(editDistance('openssh', 'openssh'), 0);
  assert.equal(editDistance('opensh', 'openssh'), 1);
  assert.equal(editDistance('opnessh', 'openssh'), 1);
  assert.equal(editDistance('deepsek', 'deepseek'), 1);
  assert.equal(editDistance('abc', 'xyz'), 3);
  assert.equal(editDistance('', 'abc'), 3);
});

test('edit distance with a cap: equal below it, over it when the distance is', () => {
  let seed = 11;
  const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
  const word = () => Array.from({ length: 1 + rand(12) }, () => 'abcde'[rand(5)]).join('');
  for (let i = 0; i < 3000; i++) {
    const a = word();
    const b = word();
    const full = editDistance(a, b);
    const cap = rand(6);
    const capped = editDistance(a, b, cap);
    if (full <= cap) assert.equal(capped, full, `${a} ${b} cap ${cap}`);
    else assert.ok(capped > cap, `${a} ${b} cap ${cap}: ${capped}`);
  }
});

test('closest name: the nearest within a third of the length, ties by name', () => {
  assert.equal(closestName('opensh', ['openssh', 'wireguard', 'opensshd']), 'openssh');
  assert.equal(closestName('gen-x', ['gen-1', 'gen-2', 'other']), 'gen-1');
  assert.equal(closestName('zerotier', ['openssh', 'wireguard']), null);
});
