// Did-you-mean: the edit distance (with adjacent transpositions) and its early stop at a cap.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closestName, editDistance } from '../../server/src/base/closestName';

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

test('closest name: the same choice as comparing every candidate by its full distance', () => {
  let seed = 7;
  const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
  const letters = 'abcdé-ü1';
  const word = () => Array.from({ length: 3 + rand(9) }, () => letters[rand(8)]).join('');
  // a few random substitutions, insertions, deletions and swaps away from `w`
  const nearMiss = (w: string) => {
    let out = w;
    for (let k = 1 + rand(4); k > 0; k--) {
      const at = rand(out.length + 1);
      const op = rand(4);
      if (op === 0) out = out.slice(0, at) + letters[rand(8)] + out.slice(at + 1);
      else if (op === 1) out = out.slice(0, at) + letters[rand(8)] + out.slice(at);
      else if (op === 2) out = out.slice(0, at) + out.slice(at + 1);
      else if (at + 1 < out.length) out = out.slice(0, at) + out[at + 1] + out[at] + out.slice(at + 2);
    }
    return out;
  };
  for (let i = 0; i < 500; i++) {
    const name = word();
    const candidates = Array.from({ length: 1 + rand(40) }, () => (rand(2) ? nearMiss(name) : word()));
    const limit = Math.max(2, Math.floor(name.length / 3));
    const ranked = candidates
      .filter((c) => c !== name)
      .map((c) => ({ c, d: editDistance(name, c) }))
      .filter((x) => x.d <= limit)
      .sort((x, y) => x.d - y.d || (x.c < y.c ? -1 : x.c > y.c ? 1 : 0));
    assert.equal(closestName(name, candidates), ranked[0]?.c ?? null, `${name} among ${candidates.join(' ')}`);
    // and each candidate alone: found exactly when it is within the limit
    for (const c of candidates) if (c !== name) assert.equal(closestName(name, [c]), editDistance(name, c) <= limit ? c : null, `${name} ~ ${c}`);
  }
});
