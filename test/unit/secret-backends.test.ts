// The secret stores are one list (server/src/base/secretBackends.ts, issue 55): the setting in
// package.json, the settings reader, clan's option values in the docs and completion read it.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { settingsDoc } from '../../server/src/base/optionDocs';
import { CLAN_SECRET_STORES, SECRET_STORE_SETTINGS } from '../../server/src/base/secretBackends';
import { withDefaults } from '../../server/src/base/settings';
import { REPO_ROOT } from '../helpers/tempClan';

test('the clanVars.secretStore setting offers the settings reader\'s values, and the reader takes each', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
  const sections = Array.isArray(pkg.contributes.configuration) ? pkg.contributes.configuration : [pkg.contributes.configuration];
  const setting = sections.map((s: { properties: Record<string, { enum?: string[] }> }) => s.properties['clanVars.secretStore']).find(Boolean);
  assert.deepEqual(setting?.enum, [...SECRET_STORE_SETTINGS]);
  for (const v of SECRET_STORE_SETTINGS) assert.equal(withDefaults({ secretStore: v as never }).secretStore, v);
  assert.equal(withDefaults({ secretStore: 'custom' as never }).secretStore, 'auto', 'a value the extension cannot read falls back to auto');
});

test("clan's vars.settings.secretStore values in the option docs", () => {
  assert.deepEqual(settingsDoc('secretStore')?.values, [...CLAN_SECRET_STORES]);
});
