// The built server publishes the secret diagnostics over stdio, and refreshes them when a file
// under sops/ or vars/ changes (workspace/didChangeWatchedFiles), as an editor would drive it.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { LspClient } from '../helpers/secretsLsp';
import { secretsScenario } from '../helpers/secretsScenario';

type Diagnostics = { uri: string; diagnostics: { code: string; range: { start: { line: number } } }[] };

test('secret diagnostics over stdio, refreshed on vars/ changes', async () => {
  const s = await secretsScenario();
  const box = pathToFileURL(path.join(s.root, 'machines/box/configuration.nix')).href;
  const client = new LspClient();
  try {
    await client.request('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(s.root).href,
      workspaceFolders: [{ uri: pathToFileURL(s.root).href, name: 'clan' }],
      capabilities: { workspace: { didChangeWatchedFiles: { dynamicRegistration: true }, workspaceFolders: true } },
    });
    const first = client.waitFor((m) => m.method === 'textDocument/publishDiagnostics' && (m.params as Diagnostics).uri === box);
    client.notify('initialized', {});
    const codes = (m: { params?: unknown }) => (m.params as Diagnostics).diagnostics.map((d) => `${d.range.start.line + 1} ${d.code}`).sort();
    assert.deepEqual(codes(await first), ['4 secret-recipients-outdated', '5 secret-not-shared-with-machine', '6 broken-secret-link']);

    const gone = path.join(s.root, 'vars/per-machine/box/dangling/k/machines/gone');
    fs.rmSync(gone);
    const second = client.next((m) => m.method === 'textDocument/publishDiagnostics' && (m.params as Diagnostics).uri === box);
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(gone).href, type: 3 }] });
    assert.deepEqual(codes(await second), ['4 secret-recipients-outdated', '5 secret-not-shared-with-machine']);
  } finally {
    await client.close();
  }
});
