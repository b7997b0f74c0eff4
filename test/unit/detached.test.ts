// base/detached.ts: copies of strings that keep no longer string alive, for facts kept across edits.
// Whether V8 shares a string's storage is not visible from JavaScript; what is checked here is what
// the helpers promise to their callers: equal strings, every long string of a fresh value replaced
// in place, frozen values (shared constants) and cycles left alone. The memory they save is measured
// with heap snapshots of the language server (README, Performance).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detached, detachStrings } from '../../server/src/base/detached';

test('detached: the same string, for short, long, non-ASCII and lone-surrogate texts', () => {
  const text = `{ pkgs ? null }:\n${'x'.repeat(100_000)} "wifi-pässword" \ud800 end`;
  for (const s of ['', 'short', text.slice(5, 60), text.slice(100_010, 100_030), text.slice(-8), text]) assert.equal(detached(s), s);
});

test('detachStrings: long strings of plain objects and arrays replaced in place by equal ones; frozen values and cycles left alone', () => {
  const text = 'let\n  sharedCore = [ "svc00000" "svc00001" ];\nin { }\n'.repeat(100);
  const frozen = Object.freeze({ name: text.slice(0, 40) });
  const value: Record<string, unknown> = { key: text.slice(10, 40), short: 'svc', n: 3, refs: [{ key: text.slice(20, 60), range: { start: { line: 1 } } }], frozen };
  value.self = value;
  const out = detachStrings(value);
  assert.equal(out, value);
  assert.deepEqual({ ...value, self: undefined }, { key: text.slice(10, 40), short: 'svc', n: 3, refs: [{ key: text.slice(20, 60), range: { start: { line: 1 } } }], frozen, self: undefined });
  assert.equal(Object.isFrozen(frozen), true);
  assert.equal(value.self, value);
});
