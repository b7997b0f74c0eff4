// Every authoring request at many positions of awkward documents (half-typed, unbalanced, binary
// noise): each gets an answer, none is an internal error, the server keeps running.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { authoringClan, LEA } from '../helpers/authoringClan';
import { TestClient, uri } from '../helpers/lspClient';
import { removeTree } from '../helpers/tempClan';

const DOCS = [
  LEA.slice(0, LEA.length / 2),
  '{ clan.core.vars.generators."${x}" = { dependencies = [ "${y}" ]; script = \'\'$in/${z}/a $out/ $prompts/\'\'; }; }',
  '\u0000\u0001 {{{ [[[ "\'\' ${ $in/ /* ',
  "let a = ''\n ''${b} ''' $out/\n in { files.\"\".mode = ",
];

test('authoring requests never fail on awkward documents', async () => {
  const root = authoringClan();
  const c = await TestClient.start(root);
  try {
    await c.waitReady();
    for (const [i, text] of DOCS.entries()) {
      const file = path.join(root, `machines/lea/awkward-${i}.nix`);
      c.open(file, text);
      const lines = text.split('\n');
      const td = { uri: uri(file) };
      for (const method of ['textDocument/documentSymbol', 'textDocument/codeLens', 'textDocument/documentLink']) await c.conn.sendRequest(method, { textDocument: td });
      for (let line = 0; line < lines.length; line++) {
        for (let character = 0; character <= lines[line].length; character += 3) {
          const position = { line, character };
          await c.conn.sendRequest('textDocument/hover', { textDocument: td, position });
          await c.conn.sendRequest('textDocument/completion', { textDocument: td, position });
          await c.conn.sendRequest('textDocument/definition', { textDocument: td, position });
          await c.conn.sendRequest('textDocument/references', { textDocument: td, position, context: { includeDeclaration: true } });
          await c.conn.sendRequest('textDocument/prepareRename', { textDocument: td, position }).catch((e: Error) => assert.doesNotMatch(e.message, /failed/));
        }
      }
    }
    await c.conn.sendRequest('workspace/symbol', { query: '\u0000' });
    assert.ok(c.alive());
    assert.ok(!c.logs.some((l) => /failed:|uncaught/.test(l)), c.logs.join('\n'));
  } finally {
    await c.stop();
    removeTree(root);
  }
});
