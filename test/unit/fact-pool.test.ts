// The facts a scan worker packs (packFacts) and the main thread reads back through its pool
// (FactPool.share): what crosses must come back equal, whatever the facts hold, and the pool may
// share only what is equal. Written against the survivors of `npm run mutation scan`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FactPool, packFacts } from '../../server/src/model/scan/factPool';
import type { FileFacts } from '../../server/src/facts/types';
import { Rng } from '../../fuzz/rng';

const COLUMNS = 4_194_304;
const at = (line: number, character: number) => ({ line, character });
const facts = (o: Record<string, unknown>) => ({ file: 'a.nix', ...o }) as unknown as FileFacts;
/** `f` packed, parsed as the main thread parses a worker's answer, and read back through `pool`. */
const crossed = (f: FileFacts, pool = new FactPool()) => pool.share(JSON.parse(packFacts(f)) as FileFacts, true);
const field = (f: FileFacts, k: string) => (f as unknown as Record<string, unknown>)[k];

/** A value shaped like facts: positions, ranges, near-misses of both, lists, strings of every kind. */
function randomValue(rng: Rng, depth: number): unknown {
  const n = () => rng.pick([0, 1, 9, 10, 99, 4095, COLUMNS - 1, COLUMNS, -1, 1.5]);
  const strings = ['', 'a', '\u0001', '\u0001x', '\u00011,2', '\u0001#0', '#0', 'x'.repeat(48), 'y'.repeat(49), '\u0001' + 'z'.repeat(60), 'a\u0000b', 'string_expression'];
  switch (rng.int(0, depth > 3 ? 4 : 9)) {
    case 0: return rng.pick(strings);
    case 1: return rng.pick([null, true, false, 0, -3, 2.5]);
    case 2: return at(n(), n());
    case 3: return { start: at(n(), n()), end: at(n(), n()) };
    case 4: return rng.pick([{ start: at(1, 2) }, { end: at(1, 2) }, { start: null, end: null }, { start: at(1, 2), end: 'x' }, { start: 'x', end: at(1, 2) }, { line: 1 }, { line: 1, character: 2, more: 3 }]);
    case 5: case 6: return Array.from({ length: rng.int(0, 10) }, () => (rng.chance(0.6) ? rng.pick(strings) : randomValue(rng, depth + 1)));
    default: {
      const o: Record<string, unknown> = {};
      for (let i = rng.int(0, 4); i > 0; i--) o[rng.pick(['start', 'end', 'line', 'character', 'range', 'name', 'text', 'k' + i])] = randomValue(rng, depth + 1);
      return o;
    }
  }
}

test('whatever facts hold, packed and read back through the pool they are equal (random facts, seeded)', () => {
  const pool = new FactPool();
  for (let seed = 1; seed <= 400; seed++) {
    const rng = new Rng(seed);
    const f = facts({ body: randomValue(rng, 0), again: randomValue(rng, 0) });
    const before = JSON.stringify(f);
    // twice through one pool, as two files with the same values are
    assert.equal(JSON.stringify(crossed(f, pool)), before, `seed ${seed}`);
    assert.equal(JSON.stringify(crossed(f, pool)), before, `seed ${seed}, again`);
    assert.equal(JSON.stringify(pool.share(JSON.parse(before) as FileFacts)), before, `seed ${seed}, plain`);
  }
});

test('what is a position or a range is packed, and nothing else is', () => {
  const packedOf = (v: unknown) => JSON.parse(packFacts(facts({ v }))).v as unknown;
  assert.equal(packedOf(at(0, 0)), '\u00010,0', 'line 0 and column 0 are a position');
  assert.equal(packedOf(at(12, 34)), '\u000112,34');
  assert.equal(packedOf(at(7, COLUMNS - 1)), `\u00017,${COLUMNS - 1}`);
  assert.equal(packedOf({ start: at(0, 0), end: at(10, 20) }), '\u00010,0,10,20');
  for (const v of [at(7, COLUMNS), at(-1, 0), at(0, -1), at(1.5, 0), at(1, 2.5), { line: 1, character: 2, note: 'x' }, { line: 1 }]) {
    assert.deepEqual(packedOf(v), v, `not a position: ${JSON.stringify(v)}`);
  }
  for (const v of [{ start: at(1, 2) }, { end: at(1, 2) }, { start: at(1, 2), end: 'x' }, { start: 'x', end: at(1, 2) }, { start: null, end: null }, { start: at(1, 2), end: at(1, 3), note: 'x' }]) {
    assert.equal(typeof packedOf(v), 'object', `not a range: ${JSON.stringify(v)}`);
  }
  assert.equal(packedOf(null), null);
});

test('packed numbers are read whole (several digits), and a range may end at the first position the pool made', () => {
  const pool = new FactPool();
  const back = (s: string) => field(pool.share(facts({ r: s }), true), 'r');
  assert.deepEqual(back('\u00010,0,0,0'), { start: at(0, 0), end: at(0, 0) }, 'both ends the pool\'s first position');
  assert.deepEqual(back('\u000112,345'), at(12, 345));
  assert.deepEqual(back('\u000112345678,1,2,3'), { start: at(12345678, 1), end: at(2, 3) });
  assert.deepEqual(back(`\u00011,${COLUMNS - 1}`), at(1, COLUMNS - 1));
  // reading a position makes that one position, not a range's second end too
  const one = new FactPool();
  one.share(facts({ r: '\u00015,6' }), true);
  assert.deepEqual(one.size, { positions: 1, ranges: 0, strings: 1 });
  for (const bad of [',1,2', '1,2,,', ',', '1,2,3,4,', `1,${COLUMNS}`, `1,${COLUMNS},2,3`, '1,2,3,99999999', '1;2', '1,2a']) {
    assert.throws(() => new FactPool().share(facts({ r: `\u0001${bad}` }), true), /not a packed range or position/, JSON.stringify(bad));
  }
  // the message names the start of the string, not all of it
  assert.throws(() => new FactPool().share(facts({ r: '\u0001' + '1,'.repeat(500) }), true), (e: Error) => e.message.length < 120);
});

test('a long string is numbered from 0 in each file, past nine', () => {
  const longs = Array.from({ length: 12 }, (_, i) => `${i}`.padEnd(49, '.'));
  const f = facts({ longs, again: longs.map((s) => s) });
  const packed = packFacts(f);
  assert.ok(packed.includes('"\\u0001#11"'), packed.slice(0, 200));
  assert.deepEqual(field(crossed(f), 'again'), longs);
  const ref = (n: string) => facts({ longs, r: `\u0001#${n}` });
  assert.equal(field(new FactPool().share(JSON.parse(JSON.stringify(ref('10'))), true), 'r'), longs[10]);
  for (const bad of ['12', 'x1', '1x', '00000000001']) assert.throws(() => new FactPool().share(JSON.parse(JSON.stringify(ref(bad))), true), /not a long string met before/, bad);
  assert.throws(() => new FactPool().share(facts({ r: '\u0001#' + '9'.repeat(500) }), true), (e: Error) => e.message.length < 120);
});

test('the pool shares a list only with an equal list: of at most 8 short strings, compared element by element', () => {
  const pool = new FactPool();
  const share = (v: unknown) => field(pool.share(facts({ v })), 'v') as unknown[];
  const eight = Array.from({ length: 8 }, (_, i) => `s${i}`);
  assert.equal(share([...eight]), share([...eight]), 'eight short strings: one list');
  const nine = [...eight, 's8'];
  assert.notEqual(share([...nine]), share([...nine]), 'nine: each its own');
  assert.equal(Object.isFrozen(share([...nine])), false);
  const s48 = 'x'.repeat(48);
  assert.equal(share([s48]), share([s48]), 'a string of 48 is short');
  assert.notEqual(share(['y'.repeat(49)]), share(['y'.repeat(49)]), 'of 49, long');
  assert.notEqual(share(['a\u0000b']), share(['a\u0000b']), 'a string with NUL is not shared');
  // lists that a key made without a separator, or of values other than strings, would confuse
  assert.deepEqual(share(['ab', 'c']), ['ab', 'c']);
  assert.deepEqual(share(['a', 'bc']), ['a', 'bc']);
  assert.deepEqual(share(['1', '2']), ['1', '2']);
  assert.deepEqual(share([1, 2]), [1, 2]);
  assert.deepEqual(share([]), []);
  assert.deepEqual(share(['']), ['']);
  assert.equal(share([]), share([]), 'every empty list is one');
  assert.deepEqual(share([[], ['']]), [[], ['']]);
});

test('the pool keeps one copy of each short string, and none of a long one', () => {
  const pool = new FactPool();
  pool.share(facts({ a: 'x'.repeat(48), b: 'y'.repeat(49) }));
  assert.equal(pool.size.strings, 2, 'a.nix and the 48 x');
  pool.share(facts({ a: 'x'.repeat(48), b: 'y'.repeat(49) }));
  assert.equal(pool.size.strings, 2, 'no more for the same strings');
  const packed = new FactPool();
  crossed(facts({ a: 'x'.repeat(48), b: 'y'.repeat(49) }), packed);
  assert.equal(packed.size.strings, 2, 'packed: the same');
});
