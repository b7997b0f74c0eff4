// The checker reports the secret rules (and exits 0: they are warnings) on a clan with sops secrets.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { test } from 'node:test';
import { PROJECT_ROOT } from '../helpers/secretsEnv';
import { secretsScenario } from '../helpers/secretsScenario';

test('clan-vars-lint --format json lists the secret diagnostics', async () => {
  const s = await secretsScenario();
  const out = execFileSync(process.execPath, [path.join(PROJECT_ROOT, 'bin/clan-vars-lint.js'), '--format', 'json', s.root], { encoding: 'utf8' });
  const { diagnostics } = JSON.parse(out) as { diagnostics: { file: string; line: number; code: string; severity: string; message: string }[] };
  const mine = diagnostics.filter((d) => d.code.startsWith('secret-') || d.code === 'broken-secret-link');
  assert.deepEqual(mine.map((d) => `${d.file}:${d.line} ${d.code}`).sort(), s.expected);
  assert.ok(mine.every((d) => d.severity === 'warning'));
  assert.ok(!out.includes('AGE-SECRET-KEY'), 'no key material in the output');
});
