// Issue 52, finding 3, in the server: a module of long names held its main thread for minutes (the
// did-you-mean of each finding filled a name × name table per candidate). Opened in the editor, a
// megabyte of names of 9,000 characters that reaches every rule that suggests gets its diagnostics,
// and hover, completion, code actions and document symbols on those names are answered, while the
// timeouts below are minutes short of what the old server took.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import type { CodeAction, CompletionList, DocumentSymbol, Hover } from 'vscode-languageserver-protocol';
import { messageOf, positionOf, TestClient, uri } from '../helpers/lspClient';
import { removeTree, writeTree } from '../helpers/tempClan';
import { longNamesClan, SUGGESTING_CODES } from '../helpers/longNamesClan';

const roots: string[] = [];
const clients: TestClient[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.stop()));
  roots.forEach(removeTree);
});

test('long names in an open document: diagnostics without suggestions, and hover, completion, code actions and symbols answered', async () => {
  const root = writeTree(longNamesClan(9000, 6), 'clan-vars-long-names-');
  roots.push(root);
  const c = await TestClient.start(root);
  clients.push(c);
  await c.waitReady(30_000);
  const file = path.join(root, 'machines/m/configuration.nix');
  const text = fs.readFileSync(file, 'utf8');
  c.open(file, text);
  const diagnostics = await c.waitForDiagnostics(file, (d) => d.some((x) => x.code === 'unknown-dependency'), 30_000);
  for (const code of SUGGESTING_CODES.filter((x) => !['unknown-registry-key', 'undefined-variable'].includes(x))) assert.ok(diagnostics.some((d) => d.code === code), `nothing from ${code}`);
  assert.deepEqual(diagnostics.map(messageOf).filter((m) => /did you mean/i.test(m)).map((m) => m.slice(0, 100)), []);

  const textDocument = { uri: uri(file) };
  const declared = positionOf(text, '"g0-', 5);
  // the first dependency of g0: a name one character from g0's
  const unknown = positionOf(text, 'Q"', -5);
  const hover = (await c.conn.sendRequest('textDocument/hover', { textDocument, position: declared })) as Hover | null;
  assert.match(JSON.stringify(hover?.contents ?? ''), /g0-a{100}/);
  const completion = (await c.conn.sendRequest('textDocument/completion', { textDocument, position: unknown })) as CompletionList | null;
  // the other generators (not g0 itself, nor g1, already a dependency)
  assert.deepEqual(completion?.items.map((i) => `${i.label.slice(0, 3)} ${i.label.length}`), ['g2- 9000', 'g3- 9000', 'g4- 9000', 'g5- 9000']);
  const here = diagnostics.filter((d) => d.range.start.line === unknown.line);
  assert.equal(here.length, 1);
  const actions = (await c.conn.sendRequest('textDocument/codeAction', { textDocument, range: here[0].range, context: { diagnostics: here } })) as CodeAction[];
  assert.ok(Array.isArray(actions));
  // no suggestion, so no fix that replaces the name with one
  assert.deepEqual(actions.filter((a) => /^Change to/.test(a.title)), []);
  const symbols = (await c.conn.sendRequest('textDocument/documentSymbol', { textDocument })) as DocumentSymbol[];
  assert.equal(symbols.length, 6);
  assert.equal(symbols[0].name.length, 9000);
});
