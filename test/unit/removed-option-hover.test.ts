// The hover on a removed option says what the finding on it says (issue 55): migrateFact is ignored
// by a clan-core pinned before 2026-05-29 and rejected by a later one, and the hover used to say
// "clan now rejects this option" whatever the pin.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeFolder } from '../../server/src/cli/analyzeFolder';
import { hoverFor } from '../../server/src/ide/hoverText';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { removeTree, writeTree, clanCorePinnedAt } from '../helpers/tempClan';
import { clanWith } from '../helpers/varsModel';

const lock = clanCorePinnedAt;
const MODULE = '{ clan.core.vars.generators.g = { migrateFact = "g"; files.k = { }; script = "x > $out/k"; }; }\n';

for (const [pin, lastModified, says] of [
  ['before the removal', 1780056185, /ignores it/],
  ['after the removal', 1785873814, /Evaluation fails/],
  ['not known', null, /from 2026-05-29 on, evaluation fails/],
] as const) {
  test(`migrateFact with clan-core pinned ${pin}: the hover and the finding say the same`, async () => {
    const root = writeTree({ 'flake.nix': '{ }', ...(lastModified ? { 'flake.lock': lock(lastModified) } : {}), 'machines/a/configuration.nix': MODULE });
    try {
      const { problems } = await analyzeFolder(root, DEFAULT_SETTINGS, () => {});
      const finding = problems.find((p) => p.code === 'removed-option');
      assert.ok(finding?.explanation, 'a removed-option finding with its explanation');
      assert.match(finding.explanation, says);
      const clan = await clanWith(root, { 'machines/a/configuration.nix': MODULE });
      const g = clan.byName.get('g')![0];
      const hover = hoverFor(clan, { kind: 'option', path: ['migrateFact'], range: g.options[0].keyRange, generator: g })!;
      assert.ok(hover.includes(finding.explanation), `the hover:\n${hover}\n\nthe finding's explanation:\n${finding.explanation}`);
      assert.doesNotMatch(hover, /clan now rejects/);
    } finally {
      removeTree(root);
    }
  });
}
