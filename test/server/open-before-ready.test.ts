// Documents opened before the server finished starting (VS Code restoring editors, or the
// "Restart Language Server" command) are analysed once the server is ready. Found by the e2e
// restart scenario: the server used to loop forever re-opening them and never became ready.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { TestClient } from '../helpers/lspClient';
import { removeTree, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
const clients: TestClient[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.stop()));
  roots.forEach(removeTree);
});

test('server: documents opened while the server is still starting get their diagnostics', async () => {
  const root = writeTree({
    'lib/secret-registry.nix': `{ gmail = { generator = "gmail-app-password"; }; }\n`,
    'lib/machine-env-matrix.nix': `{\n  lea = [\n    "gmial"\n  ];\n}\n`,
    'machines/a.nix': `{ clan.core.vars.generators.a.dependencies = [ "b" ]; }\n`,
  });
  roots.push(root);
  const c = await TestClient.start(root);
  clients.push(c);
  // sent right after `initialized`, while the grammar is still loading
  for (const rel of ['lib/machine-env-matrix.nix', 'machines/a.nix']) c.open(path.join(root, rel), fs.readFileSync(path.join(root, rel), 'utf8'));
  await c.waitReady();
  const matrix = await c.waitForDiagnostics(path.join(root, 'lib/machine-env-matrix.nix'), (d) => d.length > 0);
  assert.deepEqual(matrix.map((d) => d.code), ['unknown-registry-key']);
  const machine = await c.waitForDiagnostics(path.join(root, 'machines/a.nix'), (d) => d.length > 0);
  assert.deepEqual(machine.map((d) => d.code), ['unknown-dependency']);
});
