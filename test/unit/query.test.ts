// The query database (server/src/base/query.ts): memoised values computed again only when what they
// read changed, early cut-off, dependencies that follow the branch taken, and reads that never write.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QueryDb } from '../../server/src/base/query';

test('query: a derived value is computed once per change of the inputs it read', () => {
  const db = new QueryDb();
  const a = db.input(1);
  const b = db.input(10);
  let runs = 0;
  const sum = db.derived(() => (runs++, a.get() + b.get()));
  assert.equal(sum.get(), 11);
  assert.equal(sum.get(), 11);
  assert.equal(runs, 1);
  a.set(2);
  assert.equal(sum.get(), 12);
  assert.equal(runs, 2);
  a.set(2); // equal: no new revision, nothing computed
  assert.equal(db.revision, 1);
  assert.equal(sum.get(), 12);
  assert.equal(runs, 2);
});

test('query: early cut-off: a value computed again that is unchanged does not recompute its readers', () => {
  const db = new QueryDb();
  const text = db.input('abc');
  let parity = 0;
  let readers = 0;
  const even = db.derived(() => (parity++, text.get().length % 2 === 0));
  const label = db.derived(() => (readers++, even.get() ? 'even' : 'odd'));
  assert.equal(label.get(), 'odd');
  text.set('xyz'); // same length: `even` is computed again and equals the old value
  assert.equal(label.get(), 'odd');
  assert.equal(parity, 2);
  assert.equal(readers, 1);
  text.set('abcd');
  assert.equal(label.get(), 'even');
  assert.equal(readers, 2);
});

test('query: the cells read are those of the last computation (a branch not taken is not a dependency)', () => {
  const db = new QueryDb();
  const useB = db.input(false);
  const a = db.input('a');
  const b = db.input('b');
  let runs = 0;
  const pick = db.derived(() => (runs++, useB.get() ? b.get() : a.get()));
  assert.equal(pick.get(), 'a');
  b.set('B'); // not read: nothing to compute
  assert.equal(pick.get(), 'a');
  assert.equal(runs, 1);
  useB.set(true);
  assert.equal(pick.get(), 'B');
  a.set('A'); // no longer read
  assert.equal(pick.get(), 'B');
  assert.equal(runs, 2);
});

test('query: setting an input while a query computes throws, and leaves the database usable', () => {
  const db = new QueryDb();
  const a = db.input(1);
  const bad = db.derived(() => {
    a.set(a.get() + 1);
    return a.get();
  });
  assert.throws(() => bad.get(), /reading never writes/);
  assert.equal(db.computing, false);
  const good = db.derived(() => a.get() * 2);
  assert.equal(good.get(), 2);
});

test('query: custom equality cuts off values that are equal but not the same object', () => {
  const db = new QueryDb();
  const names = db.input(['a', 'b']);
  let runs = 0;
  const sorted = db.derived(() => [...names.get()].sort(), (x, y) => x.join('\0') === y.join('\0'));
  const count = db.derived(() => (runs++, sorted.get().length));
  assert.equal(count.get(), 2);
  names.set(['b', 'a']);
  assert.equal(count.get(), 2);
  assert.equal(runs, 1);
});

test('query: a derived value is given the one it computed last, and an unchanged one returned as it is cuts off', () => {
  const db = new QueryDb();
  const items = db.input(['a']);
  const seen: (string[] | undefined)[] = [];
  // an index built from the one before when only its length matters
  const index = db.derived((previous: { list: string[] } | undefined) => {
    seen.push(previous?.list);
    const list = items.get();
    return previous && previous.list.length === list.length ? previous : { list };
  });
  let readers = 0;
  const size = db.derived(() => (readers++, index.get().list.length));
  assert.equal(size.get(), 1);
  assert.deepEqual(seen, [undefined]);
  items.set(['b']); // same length: the previous value comes back, and what reads it is not computed again
  assert.equal(size.get(), 1);
  assert.deepEqual(seen, [undefined, ['a']]);
  assert.equal(readers, 1);
  items.set(['b', 'c']);
  assert.equal(size.get(), 2);
  assert.equal(readers, 2);
});

test('query: an untracked read is not a dependency, and setting an input inside it still throws', () => {
  const db = new QueryDb();
  const a = db.input(1);
  const b = db.input(10);
  let runs = 0;
  const sum = db.derived(() => (runs++, a.get() + db.untracked(() => b.get())));
  assert.equal(sum.get(), 11);
  b.set(20); // not read as far as the database knows: the old value stays
  assert.equal(sum.get(), 11);
  assert.equal(runs, 1);
  a.set(2);
  assert.equal(sum.get(), 22);
  const bad = db.derived(() => db.untracked(() => a.set(5)));
  assert.throws(() => bad.get(), /reading never writes/);
  assert.equal(a.peek(), 2);
});

test('query: peek gives the last value without computing it again or noting a read', () => {
  const db = new QueryDb();
  const a = db.input(1);
  let runs = 0;
  const double = db.derived(() => (runs++, a.get() * 2));
  assert.equal(double.peek(), undefined);
  assert.equal(double.get(), 2);
  a.set(3);
  assert.equal(double.peek(), 2);
  assert.equal(runs, 1);
  let outer = 0;
  const reader = db.derived(() => (outer++, double.peek()));
  reader.get();
  a.set(4);
  reader.get();
  assert.equal(outer, 1);
});
