// Document symbols and workspace symbols over stdio.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { DocumentSymbol, SymbolInformation } from 'vscode-languageserver-protocol';
import { authoringClan } from '../helpers/authoringClan';
import { TestClient, uri } from '../helpers/lspClient';
import { removeTree } from '../helpers/tempClan';

let root: string;
let client: TestClient;
before(async () => {
  root = authoringClan();
  client = await TestClient.start(root);
  await client.waitReady();
});
after(async () => {
  await client.stop();
  removeTree(root);
});

const outline = (symbols: DocumentSymbol[]): string[] => symbols.map((s) => `${s.name}(${(s.children ?? []).map((c) => c.name).join(' ')})`);

test('document symbols: generators with their files and prompts as children', async () => {
  const symbols = (await client.conn.sendRequest('textDocument/documentSymbol', { textDocument: { uri: uri(path.join(root, 'machines/lea/configuration.nix')) } })) as DocumentSymbol[];
  assert.deepEqual(outline(symbols), ['ca(ca.key ca.crt)', 'ssh(key key.pub pass)']);
  assert.equal(symbols[0].detail, 'shared generator');
  assert.ok(symbols[1].range.end.line > symbols[1].selectionRange.end.line, 'the range covers the body');
});

test('document symbols: registry entries in the registry file', async () => {
  const symbols = (await client.conn.sendRequest('textDocument/documentSymbol', { textDocument: { uri: uri(path.join(root, 'lib/secret-registry.nix')) } })) as DocumentSymbol[];
  assert.deepEqual(symbols.map((s) => `${s.name} ${s.detail}`), ['gmail → gmail-app-password', 'host-name → host-name']);
});

test('workspace symbols: every generator and registry key, filtered by the query', async () => {
  const all = (await client.conn.sendRequest('workspace/symbol', { query: '' })) as SymbolInformation[];
  const names = all.map((s) => `${s.containerName}:${s.name}`).sort();
  assert.deepEqual(names, ['generator:ca', 'generator:ssh', 'generator:ssh', 'registry key:gmail', 'registry key:host-name']);
  const some = (await client.conn.sendRequest('workspace/symbol', { query: 'gml' })) as SymbolInformation[];
  assert.deepEqual(some.map((s) => s.name), ['gmail']);
});
