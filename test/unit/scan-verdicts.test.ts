// Verdicts on texts that ran out of parse time (model/scan/scanVerdicts.ts): which are believed,
// where they are kept, and how many. Written against the survivors of `npm run mutation scan`.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, beforeEach, test } from 'node:test';
import { forgetVerdicts, knownTooSlow, rememberTooSlow } from '../../server/src/model/scan/scanVerdicts';
import { textDigest } from '../../server/src/base/textDigest';
import { factsCacheAt } from '../helpers/factsCache';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clan-vars-verdicts-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
beforeEach(() => forgetVerdicts());

/** A facts cache as a scan has it, with nothing loaded; its file is never written here. */
const cache = () => factsCacheAt(path.join(dir, 'never-written.facts'));

const SLOW = 'parsing took longer than 250 ms (a file of 3 MB)';

test('a verdict is remembered in this process and written to the facts cache of each scan that meets the text', () => {
  const first = cache();
  rememberTooSlow('text a', SLOW, first);
  assert.equal(first.verdict(textDigest('text a')), SLOW, 'the scan that found it');
  assert.equal(knownTooSlow('text a', null), SLOW);
  const second = cache();
  assert.equal(knownTooSlow('text a', second), SLOW);
  assert.equal(second.verdict(textDigest('text a')), SLOW, 'a later scan with another cache');
  assert.equal(knownTooSlow('text b', second), undefined, 'another text');
  assert.equal(second.verdict(textDigest('text b')), undefined, 'and nothing written for it');
});

test('a verdict from the facts cache is believed only in the form the scan writes', () => {
  const c = cache();
  c.putVerdict(textDigest('slow'), SLOW);
  assert.equal(knownTooSlow('slow', c), SLOW, 'read from the cache');
  forgetVerdicts();
  assert.equal(knownTooSlow('slow', null), undefined, 'remembered in this process only when read');
  for (const [i, bad] of ['', 'boom', `x${SLOW}`, `${SLOW}\nand more`, `${SLOW}${'.'.repeat(201)}`, 'parsing took longer than ms'].entries()) {
    const text = `bad ${i}`;
    c.putVerdict(textDigest(text), bad);
    assert.equal(knownTooSlow(text, c), undefined, JSON.stringify(bad));
    assert.equal(knownTooSlow(text, null), undefined, `${JSON.stringify(bad)}: not remembered`);
  }
  assert.equal(knownTooSlow('never seen', c), undefined);
});

test('a reason in another form is not remembered, nor written', () => {
  const c = cache();
  for (const reason of ['stopped', `${SLOW}\nand more`]) {
    rememberTooSlow('text', reason, c);
    assert.equal(knownTooSlow('text', null), undefined, reason);
    assert.equal(c.verdict(textDigest('text')), undefined, reason);
  }
});

test('this process remembers the newest 10,000 verdicts', () => {
  for (let i = 0; i <= 10_000; i++) rememberTooSlow(`t${i}`, SLOW, null, `d${i}`);
  assert.equal(knownTooSlow('t0', null, 'd0'), undefined, 'the oldest is forgotten');
  assert.equal(knownTooSlow('t1', null, 'd1'), SLOW, 'the next is kept');
  assert.equal(knownTooSlow('t10000', null, 'd10000'), SLOW);
  forgetVerdicts();
  assert.equal(knownTooSlow('t1', null, 'd1'), undefined, 'forgotten');
});
