// Code lens over stdio: state only by default; Generate/Regenerate when the client announces the
// clanVars.generate command.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, test } from 'node:test';
import type { CodeLens } from 'vscode-languageserver-protocol';
import { authoringClan } from '../helpers/authoringClan';
import { TestClient, uri } from '../helpers/lspClient';
import { removeTree } from '../helpers/tempClan';

const roots: string[] = [];
const clients: TestClient[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.stop()));
  roots.forEach(removeTree);
});

async function lenses(experimental?: Record<string, unknown>): Promise<CodeLens[]> {
  const root = authoringClan();
  roots.push(root);
  const c = await TestClient.start(root, { experimental });
  clients.push(c);
  await c.waitReady();
  return (await c.conn.sendRequest('textDocument/codeLens', { textDocument: { uri: uri(path.join(root, 'machines/lea/configuration.nix')) } })) as CodeLens[];
}

test('code lens: machines, dependents and on-disk state above each generator', async () => {
  const ls = await lenses();
  assert.deepEqual(
    ls.map((l) => `${l.range.start.line} ${l.command?.title}`),
    ['3 shared by lea · 1 dependent · not generated', '12 machines: emily, lea · 0 dependents · 1/2 generated'],
  );
});

test('code lens: Generate and Regenerate when the client has the command', async () => {
  const ls = await lenses({ clanVarsCommands: ['clanVars.generate'] });
  const actions = ls.filter((l) => l.command?.command === 'clanVars.generate').map((l) => `${l.command!.title} ${JSON.stringify(l.command!.arguments)}`);
  assert.deepEqual(actions, [
    'Generate [{"generator":"ca","machine":null,"regenerate":false}]',
    'Generate [{"generator":"ssh","machine":"emily","regenerate":false}]',
    'Regenerate [{"generator":"ssh","machine":"emily","regenerate":true}]',
  ]);
});
