// Long work on the server's thread in turns (base/turns.ts): a publish pass of the rules lets the
// requests that came in be answered between its slices, and before it starts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inTurns, makeWayForRequests, SLICE_MS } from '../../server/src/base/turns';
import { turnCounter } from '../helpers/turnCounter';

/** Busy for `ms` on this thread. */
function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

test('work in turns lets the event loop turn between slices of about SLICE_MS, and ends with its value', async () => {
  const counter = turnCounter();
  const seen: number[] = [];
  function* work(): Generator<void, string> {
    for (let i = 0; i < 60; i++) {
      busy(SLICE_MS / 10);
      seen.push(counter.turns);
      yield;
    }
    return 'done';
  }
  const started = performance.now();
  const value = await inTurns(work());
  const took = performance.now() - started;
  counter.stop();
  assert.equal(value, 'done');
  // turns passed while the work went on, not only once it ended
  const during = seen[seen.length - 1] - seen[0];
  assert.ok(during >= 3, `the event loop turned ${during} times during ${took.toFixed(0)} ms of work`);
  // and not after every step: a slice holds several (about ten; a loaded machine may stretch a step past a slice now and then)
  assert.ok(during < 40, `${during} turns for ${seen.length} steps`);
});

test('work in turns leaves the turns a request needs to it before its first slice (makeWayForRequests)', async () => {
  makeWayForRequests(6);
  const counter = turnCounter();
  let before = -1;
  function* work(): Generator<void, void> {
    before = counter.turns;
    yield;
  }
  await inTurns(work());
  counter.stop();
  assert.ok(before >= 5, `${before} turns passed before the first slice`);
});
