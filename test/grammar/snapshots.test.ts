// Snapshot tests: every fixture under fixtures/ is tokenized with the real TextMate engine and
// compared with snapshots/<fixture>.snap. After an intended grammar change, regenerate them with
// `npm run test:grammar:update` (or `UPDATE_SNAPSHOTS=1 npm test`) and review the diff.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { renderSnapshot, tokenize } from './tokenize';

const fixtures = join(__dirname, 'fixtures');
const snapshots = join(__dirname, 'snapshots');
const update = process.env.UPDATE_SNAPSHOTS === '1';

describe('grammar snapshots', () => {
  const files = readdirSync(fixtures).filter((f) => f.endsWith('.nix')).sort();

  test('there are fixtures, and every snapshot belongs to one', () => {
    assert.ok(files.length >= 10, `only ${files.length} fixtures`);
    const orphans = readdirSync(snapshots)
      .filter((s) => s.endsWith('.snap'))
      .filter((s) => !files.includes(s.replace(/\.snap$/, '')));
    assert.deepEqual(orphans, [], 'snapshots without a fixture');
  });

  for (const file of files) {
    test(file, async () => {
      const text = readFileSync(join(fixtures, file), 'utf8').replace(/\n$/, '');
      const actual = renderSnapshot(text, await tokenize(text));
      const snapshotPath = join(snapshots, `${file}.snap`);
      if (update) {
        mkdirSync(snapshots, { recursive: true });
        writeFileSync(snapshotPath, actual);
        return;
      }
      assert.ok(existsSync(snapshotPath), `no snapshot for ${file}: run npm run test:grammar:update`);
      assert.equal(actual, readFileSync(snapshotPath, 'utf8'), `${file} no longer tokenizes as snapshotted`);
    });
  }
});
