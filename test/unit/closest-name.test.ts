// Did-you-mean: the edit distance (with adjacent transpositions), its band and early stop at a cap,
// and the bounds on a search (issue 52: a name of 15,000 characters held the checker 40 s).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closest, closestName, editDistance, SUGGESTION_MAX_LENGTH, SUGGESTION_WORK } from '../../server/src/base/closestName';

/** The distance from the whole table, as the textbook writes it: what the band must agree with. */
function fullDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

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
  const word = (max: number) => Array.from({ length: rand(max + 1) }, () => 'abcde'[rand(5)]).join('');
  for (let i = 0; i < 6000; i++) {
    // short words over few letters (many transpositions and ties), and longer ones with wider bands
    const max = i % 2 ? 12 : 40;
    const a = word(max);
    const b = rand(3) ? word(max) : a.slice(0, rand(a.length + 1)) + word(3) + a.slice(rand(a.length + 1));
    const full = fullDistance(a, b);
    assert.equal(editDistance(a, b), full, `${a} ${b}`);
    const cap = rand(i % 2 ? 6 : 16);
    const capped = editDistance(a, b, cap);
    if (full <= cap) assert.equal(capped, full, `${a} ${b} cap ${cap}`);
    else assert.equal(capped, cap + 1, `${a} ${b} cap ${cap}`);
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
      .map((c) => ({ c, d: fullDistance(name, c) }))
      .filter((x) => x.d <= limit)
      .sort((x, y) => x.d - y.d || (x.c < y.c ? -1 : x.c > y.c ? 1 : 0));
    assert.equal(closestName(name, candidates), ranked[0]?.c ?? null, `${name} among ${candidates.join(' ')}`);
    // and each candidate alone: found exactly when it is within the limit
    for (const c of candidates) if (c !== name) assert.equal(closestName(name, [c]), fullDistance(name, c) <= limit ? c : null, `${name} ~ ${c}`);
  }
});

/** `names`, counting how many a search draws. */
function counted(names: Iterable<string>): { drawn: number } & Iterable<string> {
  const out = {
    drawn: 0,
    *[Symbol.iterator]() {
      for (const n of names) {
        out.drawn++;
        yield n;
      }
    },
  };
  return out;
}

test('closest name: a name over the length limit gets no suggestion, and no candidate is looked at', () => {
  const long = 'a'.repeat(SUGGESTION_MAX_LENGTH + 1);
  const candidates = counted([long + 'b', long.slice(1), 'a'.repeat(15000)]);
  assert.equal(closestName(long, candidates), null);
  assert.equal(candidates.drawn, 0);
  // at the limit, still suggested
  const atLimit = 'a'.repeat(SUGGESTION_MAX_LENGTH);
  assert.equal(closestName(atLimit, [atLimit.slice(1) + 'b']), atLimit.slice(1) + 'b');
});

test('closest name: a search over more candidates than its work allows stops, with the closest of those it compared', () => {
  // names of 20 characters 6 edits from the one asked about (just within its limit), one 1 edit away at the end
  const name = 'abcdefghij-klmnopqrs';
  const far = Array.from({ length: 100_000 }, (_, i) => name.slice(0, 14) + String(i).padStart(6, '0').replace(/^0/, 'x'));
  const candidates = counted([...far, name.slice(0, -1) + 'z']);
  const found = closest(name, candidates);
  assert.ok(candidates.drawn > 100 && candidates.drawn < SUGGESTION_WORK / 20, `${candidates.drawn} drawn`);
  assert.equal(found?.distance, fullDistance(name, found!.name));
  assert.ok(far.slice(0, candidates.drawn).includes(found!.name));
  // with few enough candidates, the whole list is searched
  assert.equal(closestName(name, [...far.slice(0, 100), name.slice(0, -1) + 'z']), name.slice(0, -1) + 'z');
});
