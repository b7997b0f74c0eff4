// The status bar item's words (the server's state in the item, the counts in its tooltip), and the vars view's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { statusText } from '../../client/src/statusText';
import { describeFile } from '../../client/src/vars/describeState';

const ready = { state: 'ready' as const, files: 8004, generators: 17000, errors: 4, warnings: 1 };

test('status item: each server state, counts only in the tooltip', () => {
  assert.equal(statusText({ state: 'starting', files: 0, generators: 0, errors: 0, warnings: 0 }).text, '$(sync~spin) Clan Vars');
  const indexing = statusText({ state: 'indexing', files: 0, generators: 0, errors: 0, warnings: 0, progress: { done: 2001, total: 8004 } });
  assert.equal(indexing.text, '$(sync~spin) Clan Vars 25%');
  assert.match(indexing.tooltip, /indexing \.nix files \(2,001 of 8,004\)/);
  const r = statusText(ready);
  assert.equal(r.text, '$(error) Clan Vars', 'no check mark while there are errors');
  assert.equal(statusText({ ...ready, errors: 0 }).text, '$(warning) Clan Vars');
  assert.equal(statusText({ ...ready, errors: 0, warnings: 0 }).text, '$(check) Clan Vars');
  assert.deepEqual(r.actions.map((a) => a.command), ['workbench.actions.view.problems', 'clanVars.showOutput']);
  assert.match(r.tooltip, /^Clan Vars: ready\n8,004 \.nix files, 17,000 generator declarations; 4 errors and 1 warning in the Problems panel/);
  const evaluating = statusText({ ...ready, evaluationPending: true });
  assert.equal(evaluating.text, '$(loading~spin) Clan Vars');
  assert.match(evaluating.tooltip, /evaluating the registry pipeline/);
  const failed = statusText({ state: 'error', files: 0, generators: 0, errors: 0, warnings: 0, message: 'cannot load the Nix grammar: x' });
  assert.deepEqual([failed.text, failed.failed], ['$(error) Clan Vars', true]);
  assert.match(failed.tooltip, /cannot load the Nix grammar/);
  for (const t of [r, evaluating, failed]) assert.doesNotMatch(t.text, /\d/);
});

test('status item: the last clan run', () => {
  const clean = { ...ready, errors: 0, warnings: 0 };
  assert.equal(statusText(clean, { text: 'running clan vars generate', ok: true }).text, '$(check) Clan Vars $(terminal)');
  const failed = statusText(clean, { text: 'clan vars generate failed (exit 1)', ok: false });
  assert.equal(failed.text, '$(check) Clan Vars $(terminal) failed');
  assert.match(failed.tooltip, /Last clan run: clan vars generate failed \(exit 1\)/);
});

test('status item: stored values still to move to vars, per machine', () => {
  const moving = statusText(ready, undefined, [{ machine: 'host', count: 4 }, { machine: 'alpha', count: 1 }]);
  assert.equal(moving.text, '$(error) Clan Vars $(arrow-right) 5');
  assert.ok(moving.actions.some((a) => a.command === 'clanVars.writeMigrationScript'));
  assert.match(moving.tooltip, /5 stored values of facts or sops-nix not in clan vars yet \(host: 4, alpha: 1\)/);
  assert.equal(statusText(ready, undefined, []).text, '$(error) Clan Vars', 'nothing to move: nothing shown');
  assert.equal(statusText({ ...ready, state: 'indexing' }, undefined, [{ machine: 'host', count: 4 }]).text.includes('arrow-right'), false);
});

test('status item: hints, which the Problems panel leaves out, are counted in the tooltip', () => {
  const t = statusText({ ...ready, hints: 16 });
  assert.match(t.tooltip, /\n16 hints \(not in the Problems panel/);
  assert.doesNotMatch(statusText(ready).tooltip, /hints/);
});

test('vars view: a file is described by its state first, short enough for the default sidebar', () => {
  const f = { name: 'key', secret: true, state: 'generated', kind: 'sops', path: '/c/vars/per-machine/a/g/key/secret' } as const;
  assert.equal(describeFile(f).short, 'generated');
  assert.equal(describeFile({ ...f, secret: false, kind: 'public', state: 'missing' }).short, 'missing · public');
  assert.match(describeFile(f).long, /^key: secret \(sops\), generated\nat \/c\/vars/);
  for (const state of ['generated', 'missing', 'recipients-outdated', 'unknown'] as const) assert.ok(describeFile({ ...f, state }).short.length <= 24, state);
});
