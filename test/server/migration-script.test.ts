// workspace/executeCommand clanVars.server.migrationScript through the built server, as the editor's
// "Write Migration Script" asks for it: the script of the clan holding the given file.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { MIGRATION_SCRIPT_COMMAND, type MigrationScriptResult } from '../../server/src/lsp/protocol';
import { TestClient, uri } from '../helpers/lspClient';
import { removeTree, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
const clients: TestClient[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.stop()));
  roots.forEach(removeTree);
});

test('migration script command: announced, and answers with the script of the clan of the file', async () => {
  const root = writeTree({
    'flake.nix': '{ inputs.clan-core.url = "https://git.clan.lol/clan/clan-core/archive/main.tar.gz"; outputs = _: { }; }\n', // names clan: machines/ are its machines
    'machines/host/configuration.nix': `{ config, ... }:
{
  sops.secrets.wg-key = { sopsFile = ../../secrets/wg.yaml; };
  networking.wireguard.interfaces.wg0.privateKeyFile = config.sops.secrets.wg-key.path;
}
`,
  });
  roots.push(root);
  const c = await TestClient.start(root);
  clients.push(c);
  await c.waitReady();
  const result = (await c.conn.sendRequest('workspace/executeCommand', { command: MIGRATION_SCRIPT_COMMAND, arguments: [uri(path.join(root, 'machines/host/configuration.nix'))] })) as MigrationScriptResult;
  assert.equal(result.root, root);
  assert.match(result.script, /^#!\/usr\/bin\/env bash\n/);
  assert.match(result.script, /^move host wg-key\/value 'sops file secrets\/wg\.yaml, \["wg-key"\]' \.\/secrets\/wg\.yaml sops --decrypt --extract '\["wg-key"\]' -- \.\/secrets\/wg\.yaml$/m);
  const other = await c.conn.sendRequest('workspace/executeCommand', { command: 'clanVars.server.unknown', arguments: [] });
  assert.equal(other, null);
});
