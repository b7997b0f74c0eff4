// The recall gate, beside the precision gate: mistakes seeded into copies of the real clans in
// ../shared/corpus (seeded.json, written from what clan does) must be found, at least 90% of them,
// and correct edits must raise nothing new. The engine and the table are in recall.ts (run it alone
// to print the table: node --import tsx test/corpus/recall.ts).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { describe, test } from 'node:test';
import { CORPUS, readSeeds, runRecall, table, type Result } from './recall';

const THRESHOLD = 0.9;

const present = fs.existsSync(CORPUS);
if (!present) console.log(`# recall gate skipped: no clans under ${CORPUS} (the shared corpus is absent)`);

describe('recall on real clans', { skip: present ? false : `no corpus at ${CORPUS}` }, () => {
  test('the seeds are well formed', () => {
    const seeds = readSeeds();
    const ids = new Set<string>();
    for (const s of seeds) {
      assert.ok(!ids.has(s.id), `seed id ${s.id} is used twice`);
      ids.add(s.id);
      assert.ok(fs.existsSync(`${CORPUS}/${s.clan}`), `${s.id}: no clan ${s.clan}`);
      assert.ok(s.kind && s.note && s.edits.length, `${s.id}: wants a kind, a note and edits`);
      if (s.expect) assert.ok(s.expect.codes.length && s.expect.line > 0 && s.edits.some((e) => e.file === s.expect!.file), `${s.id}: expect names codes, a line and a file the seed edits`);
    }
    const mistakes = seeds.filter((s) => s.expect);
    assert.ok(mistakes.length >= 36 && seeds.length - mistakes.length >= 8, `want at least 36 mistakes and 8 correct edits, have ${mistakes.length} and ${seeds.length - mistakes.length}`);
    assert.equal(new Set(mistakes.map((s) => s.clan)).size, 5, 'mistakes in every clan of the corpus');
  });

  let result: Result;
  test('seeded copies are checked', { timeout: 30 * 60_000 }, async () => {
    result = await runRecall();
    console.log(table(result));
    const invalid = result.rows.filter((r) => r.invalid).map((r) => `${r.seed.id}: ${r.invalid}`);
    assert.deepEqual(invalid, [], "every edit's find occurs exactly once and the expected line lies within the edit");
  });

  test('correct edits raise no new error or warning', () => {
    const noisy = result.rows.filter((r) => !r.seed.expect && r.fresh.length).map((r) => `${r.seed.id}: ${r.fresh.map((d) => `${d.severity} ${d.file}:${d.line} ${d.code}: ${d.message}`).join(' | ')}`);
    assert.deepEqual(noisy, []);
  });

  test(`at least ${THRESHOLD * 100}% of the seeded mistakes are found`, () => {
    const missed = result.rows.filter((r) => r.seed.expect && !r.found).map((r) => `${r.seed.id} (${r.seed.kind})`);
    assert.ok(result.found >= THRESHOLD * result.mistakes, `found ${result.found} of ${result.mistakes} (${((100 * result.found) / result.mistakes).toFixed(1)}%); missed: ${missed.join(', ')}`);
  });
});
