// The vars view shows what the Problems panel reports in a generator's declarations (issue 55): the
// worst severity and a count at a glance (the row's description and icon), the messages in its
// tooltip. It called a generator "generated" with a green check while the checker had an error on it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openFolder } from '../../server/src/cli/folder';
import { clanVarsStatus } from '../../server/src/ide/vars/varsStatus';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { describeGenerator, problemsSummary } from '../../client/src/vars/describeState';
import { removeTree, writeTree } from '../helpers/tempClan';

test('a generator with an error, one with a warning, one without: its state, then the count and worst severity, the messages in the tooltip', async () => {
  const root = writeTree({
    'flake.nix': '{ }',
    'machines/a/configuration.nix': `{
  clan.core.vars.generators.bad = { dependencies = [ "nope" ]; files.k = { }; script = "echo x > $out/k"; };
  clan.core.vars.generators.meh = { files.pub = { secret = false; mode = "0444"; }; script = "echo x > $out/pub"; };
  clan.core.vars.generators.good = { files.k = { }; script = "echo x > $out/k"; };
}
`,
    'vars/per-machine/a/meh/pub/value': 'x',
  });
  try {
    const index = await openFolder(root, DEFAULT_SETTINGS, () => {});
    const problems = [...index.allProblems().values()].flat();
    const status = clanVarsStatus(index.clan(root), problems);
    const row = (name: string) => status.machines.find((m) => m.name === 'a')!.generators.find((g) => g.name === name)!;
    assert.deepEqual(problemsSummary(row('bad')), { severity: 'error', text: '1 error' });
    // the state first, then the count (issue 57: the sidebar cut '1 warning · gen…'; the row's icon shows the severity)
    assert.match(describeGenerator(row('bad'), status.backend).short, / · 1 error$/);
    assert.match(describeGenerator(row('bad'), status.backend).long, /\*\*1 error\*\* in its declarations:\n- error: .*nope/);
    assert.equal(problemsSummary(row('meh'))?.severity, 'warning');
    assert.match(describeGenerator(row('meh'), status.backend).short, / · 1 warning$/);
    assert.equal(problemsSummary(row('good')), null);
    assert.doesNotMatch(describeGenerator(row('good'), status.backend).short, /error|warning/);
  } finally {
    removeTree(root);
  }
});
