// Document links over stdio: relative paths open their file (a directory its default.nix).
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import type { DocumentLink } from 'vscode-languageserver-protocol';
import { TestClient, uri } from '../helpers/lspClient';
import { removeTree, writeTree } from '../helpers/tempClan';

const TEXT = `{ ... }:
let
  reg = import ../../lib/registry.nix;
in
{
  imports = [ ./hardware.nix ../../modules/shared ./missing.nix <nixpkgs/foo> ./\${"x"}.nix ];
}
`;

test('document links: import and imports paths that exist', async () => {
  const root = writeTree({
    'flake.nix': '{ }',
    'lib/registry.nix': '{ }',
    'machines/a/hardware.nix': '{ }',
    'modules/shared/default.nix': '{ }',
    'machines/a/configuration.nix': TEXT,
  });
  const c = await TestClient.start(root);
  try {
    await c.waitReady();
    const file = path.join(root, 'machines/a/configuration.nix');
    c.open(file, TEXT);
    const links = (await c.conn.sendRequest('textDocument/documentLink', { textDocument: { uri: uri(file) } })) as DocumentLink[];
    assert.deepEqual(
      links.map((l) => `${l.range.start.line}:${l.range.start.character} ${path.relative(root, new URL(l.target!).pathname)}`),
      ['2:15 lib/registry.nix', '5:14 machines/a/hardware.nix', '5:29 modules/shared/default.nix'],
    );
  } finally {
    await c.stop();
    removeTree(root);
  }
});

test('document links: none in an open document the index skips (binary content), which is not parsed for them', async () => {
  const root = writeTree({ 'flake.nix': '{ }', 'machines/a/hardware.nix': '{ }', 'machines/a/configuration.nix': '{ }' });
  const c = await TestClient.start(root);
  try {
    await c.waitReady();
    const file = path.join(root, 'machines/a/configuration.nix');
    const link = { textDocument: { uri: uri(file) } };
    c.open(file, '{ imports = [ ./hardware.nix ]; }');
    assert.equal(((await c.conn.sendRequest('textDocument/documentLink', link)) as DocumentLink[]).length, 1);
    c.change(file, { start: { line: 0, character: 32 }, end: { line: 0, character: 32 } }, ' x = "\0";');
    assert.deepEqual(await c.conn.sendRequest('textDocument/documentLink', link), []);
  } finally {
    await c.stop();
    removeTree(root);
  }
});
