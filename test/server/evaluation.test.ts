// The registry pipeline is evaluated after a pause in typing: the server publishes literal
// diagnostics at once and the evaluated ones when the evaluation lands.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { messageOf, positionOf, TestClient } from '../helpers/lspClient';
import { REPO_ROOT, removeTree, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
const clients: TestClient[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.stop()));
  roots.forEach(removeTree);
});

const REGISTRY = fs.readFileSync(path.join(REPO_ROOT, 'test/fixtures/eval/registry-generated.nix'), 'utf8');
const MATRIX = '{\n  lea = [ "grafana-admin" ];\n}\n';

test('server: a key unknown to a computed registry is reported once the evaluation lands', async () => {
  const root = writeTree({
    'flake.nix': '{ }',
    'lib/secret-registry.nix': REGISTRY,
    'lib/machine-env-matrix.nix': MATRIX,
    'lib/vars-generators.nix': '{ keys, pkgs ? null }: { }\n',
  });
  roots.push(root);
  const c = await TestClient.start(root);
  clients.push(c);
  await c.waitReady();
  const matrix = path.join(root, 'lib/machine-env-matrix.nix');
  c.open(matrix, MATRIX);
  // "grafana-admin" -> "grafana-admn": only evaluation knows the registry's keys (listToAttrs)
  const at = positionOf(MATRIX, 'admin"');
  c.change(matrix, { start: { line: at.line, character: at.character + 3 }, end: { line: at.line, character: at.character + 4 } }, '');
  const d = await c.waitForDiagnostics(matrix, (ds) => ds.length === 1);
  assert.equal(d[0].code, 'unknown-registry-key');
  assert.match(messageOf(d[0]), /'grafana-admn'.*Did you mean 'grafana-admin'\?/);
  // and the fix clears it again
  c.change(matrix, { start: { line: at.line, character: at.character + 3 }, end: { line: at.line, character: at.character + 3 } }, 'i');
  await c.waitForDiagnostics(matrix, (ds) => ds.length === 0);
});

test('server: a registry turned binary in the editor is neither analysed nor evaluated from an older text', async () => {
  const root = writeTree({});
  roots.push(root);
  fs.cpSync(path.join(REPO_ROOT, 'examples/clan'), root, { recursive: true });
  const c = await TestClient.start(root);
  clients.push(c);
  const matrix = path.join(root, 'lib/machine-env-matrix.nix');
  const registry = path.join(root, 'lib/secret-registry.nix');
  await c.waitForDiagnostics(matrix, (ds) => ds.some((d) => d.code === 'unknown-registry-key'));
  const text = fs.readFileSync(registry, 'utf8');
  c.open(registry, text);
  // wait for the evaluation of the valid registry to land, then paste binary into it
  await c.waitFor('evaluation', () => c.logs.find((l) => l.startsWith('evaluated the registry pipeline')));
  void c.conn.sendNotification('textDocument/didChange', { textDocument: { uri: `file://${registry}`, version: 2 }, contentChanges: [{ text: '\u0000\u0001' + text }] });
  await c.waitForDiagnostics(matrix, (ds) => ds.length === 0);
});
