// The checker over clan-core must find no error-severity diagnostics in clan-core's own generators:
// the copy in ../shared/corpus, or a whole checkout named by CLAN_CORE_DIR=/path/to/clan-core.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../helpers/tempClan';

const dir = process.env.CLAN_CORE_DIR ?? [path.resolve(REPO_ROOT, '..', 'shared', 'corpus', 'clan-lol+clan-core')].find((d) => fs.existsSync(d));

test('cli: no errors on clan-core', { skip: dir ? false : 'no clan-core: ../shared/corpus is absent and CLAN_CORE_DIR is not set' }, () => {
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'clan-vars-lint.js'), '--format', 'json', dir!], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const { diagnostics } = JSON.parse(r.stdout) as { diagnostics: { severity: string; file: string; line: number; code: string }[] };
  const errors = diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}:${d.line} ${d.code}`);
  assert.deepEqual(errors, []);
});
