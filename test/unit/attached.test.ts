// Caches kept on their key objects (server/src/base/attached.ts) instead of in WeakMaps.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Attached } from '../../server/src/base/attached';

test('a value attached to an object is found on it, and not on copies of it or in its JSON', () => {
  const cache = new Attached<object, number[]>('test');
  const key = { a: 1 };
  assert.equal(cache.get(key), undefined);
  const value = [1, 2];
  assert.equal(cache.set(key, value), value);
  assert.equal(cache.get(key), value);
  assert.equal(cache.get({ ...key }), undefined);
  assert.equal(cache.get(Object.assign({}, key)), undefined);
  assert.equal(JSON.stringify(key), '{"a":1}');
  assert.deepEqual(Object.keys(key), ['a']);
  // two caches keep their values apart; a second set replaces the first
  const other = new Attached<object, string>('test');
  other.set(key, 'x');
  cache.set(key, [3]);
  assert.deepEqual(cache.get(key), [3]);
  assert.equal(other.get(key), 'x');
});

test('a frozen object keeps nothing and does not throw', () => {
  const cache = new Attached<object, number>('test');
  const key = Object.freeze({ a: 1 });
  assert.equal(cache.set(key, 5), 5);
  assert.equal(cache.get(key), undefined);
});
