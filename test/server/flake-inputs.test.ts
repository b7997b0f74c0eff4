// The flake inputs requests over stdio, as the fetch command sends them: which inputs are missing and
// which machines they leave open; then, once the input is in the store (here written where `nix
// flake archive` puts it: the store path of its narHash in NIX_STORE_DIR), a reload makes the
// machine known and its closed-world findings appear, without a restart.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { sourceStorePath } from '../../server/src/model/inputs/flakeInputs';
import { FLAKE_NIX_REFS_REQUEST, INPUTS_STATUS_REQUEST, RELOAD_INPUTS_REQUEST } from '../../server/src/lsp/protocol';
import { TestClient } from '../helpers/lspClient';
import { removeTree, writeTree } from '../helpers/tempClan';

const narHash = `sha256-${createHash('sha256').update('mod').digest('base64')}`;
const LOCK = { nodes: { root: { inputs: { mod: 'mod' } }, mod: { locked: { narHash, type: 'path', path: '/x' } } }, root: 'root', version: 7 };
const MACHINE = `{ inputs, ... }: {
  imports = [ inputs.mod.nixosModules.default ];
  clan.core.vars.generators.x = { dependencies = [ "nope" ]; files.f = { }; script = "true"; };
}
`;

test('inputs status and reload: a fetched input closes the machine, and its findings are published', async () => {
  const root = writeTree({ 'flake.nix': '{ }', 'flake.lock': JSON.stringify(LOCK), 'machines/a/configuration.nix': MACHINE });
  const store = writeTree({ keep: '' });
  const client = await TestClient.start(root, { env: { ...process.env, NIX_STORE_DIR: store, CLAN_VARS_CACHE_DIR: 'off' } });
  const machineFile = path.join(root, 'machines', 'a', 'configuration.nix');
  try {
    await client.waitReady();
    const status = (type: typeof INPUTS_STATUS_REQUEST) => client.send(type, { root });
    assert.deepEqual(await status(INPUTS_STATUS_REQUEST), { clans: [{ root, present: [], missing: ['mod'], openMachines: [{ name: 'a', inputs: ['mod'] }] }] });
    const codes = () => (client.diagnostics.get(`file://${machineFile}`) ?? []).map((d) => d.code);
    assert.ok(!codes().includes('unknown-dependency'), 'open machine: a missing dependency is not an error');

    // what nix flake archive does: the source at the store path of its narHash
    const dir = sourceStorePath(narHash, store)!;
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'flake.nix'), '{ outputs = _: { nixosModules.default = ./module.nix; }; }\n');
    fs.writeFileSync(path.join(dir, 'module.nix'), '{ services.openssh.enable = true; }\n');

    assert.deepEqual(await status(RELOAD_INPUTS_REQUEST), { clans: [{ root, present: ['mod'], missing: [], openMachines: [] }] });
    const diags = await client.waitForDiagnostics(machineFile, (d) => d.some((x) => x.code === 'unknown-dependency'));
    assert.match(String(diags.find((d) => d.code === 'unknown-dependency')!.message), /'nope'/);

    // every root, and an unknown root: answered
    assert.equal((await client.send(RELOAD_INPUTS_REQUEST, {})).clans.length, 1);
    const none = await client.send(INPUTS_STATUS_REQUEST, { root: '/nonexistent/clan' });
    assert.deepEqual(none.clans.map((c) => c.missing), [[]]);
  } finally {
    await client.stop();
    removeTree(root);
    removeTree(store);
  }
});

test('flake.nix refs for the fetch plan: the paths a flake.nix text names, read by the server (the client loads no parser)', async () => {
  const root = writeTree({ 'flake.nix': '{ }' });
  const client = await TestClient.start(root, { env: { ...process.env, CLAN_VARS_CACHE_DIR: 'off' } });
  try {
    await client.waitReady();
    const text = '{ inputs.k = { url = "path:/srv/keys"; flake = false; }; inputs.n.url = "github:o/r"; outputs = _: { url = "/api"; }; }';
    assert.deepEqual(await client.send(FLAKE_NIX_REFS_REQUEST, { text }), {
      refs: [
        { where: 'inputs.n.url', value: 'github:o/r', attribute: 'url' },
        { where: 'inputs.k.url', value: 'path:/srv/keys', attribute: 'url' },
      ],
    });
    assert.deepEqual(await client.send(FLAKE_NIX_REFS_REQUEST, { text: 'x'.repeat(1_000_001) }), { refs: null }, 'too big: not read');
  } finally {
    await client.stop();
    removeTree(root);
  }
});
