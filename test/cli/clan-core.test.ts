// Opt-in: the checker over a checkout of clan-core (CLAN_CORE_DIR=/path/to/clan-core npm test)
// must find no error-severity diagnostics in clan-core's own generators.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../helpers/tempClan';

const dir = process.env.CLAN_CORE_DIR;

test('cli: no errors on clan-core', { skip: dir ? false : 'set CLAN_CORE_DIR to a clan-core checkout to run this' }, () => {
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'clan-vars-lint.js'), '--format', 'json', dir!], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const { diagnostics } = JSON.parse(r.stdout) as { diagnostics: { severity: string; file: string; line: number; code: string }[] };
  const errors = diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}:${d.line} ${d.code}`);
  assert.deepEqual(errors, []);
});
