// The language server on clans that name files outside themselves (security issue 52, finding 4): once
// the registry pipeline is evaluated, no diagnostic and no log line holds a byte of an outside file,
// also when the registry file (a link to an age key file) is open in the editor; what is inside is
// still reported.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { messageOf, TestClient, uri } from '../helpers/lspClient';
import { outsideTree, SECRET } from '../helpers/outsideReads';
import { removeTree } from '../helpers/tempClan';

const tree = outsideTree();
const clients: TestClient[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.stop()));
  removeTree(tree.base);
});

function everything(c: TestClient): string {
  const diagnostics = [...c.diagnostics].flatMap(([uri, ds]) => ds.map((d) => `${uri}: ${messageOf(d)} ${JSON.stringify(d)}`));
  return [...diagnostics, ...c.logs].join('\n');
}

test("server: the registry pipeline's imports of outside files read nothing of them", async () => {
  const c = await TestClient.start(tree.clan);
  clients.push(c);
  await c.waitEvaluated();
  // what it reads inside the clan is still checked: the undefined variable of a file it imports through a link inside
  const helpers = path.join(tree.clan, 'lib/helpers.nix');
  const d = await c.waitForDiagnostics(helpers, (ds) => ds.some((x) => x.code === 'undefined-variable'));
  assert.match(messageOf(d.find((x) => x.code === 'undefined-variable')!), /'helpr'/);
  assert.ok(!everything(c).includes(SECRET), everything(c));
  assert.ok(![...c.diagnostics.keys()].some((uri) => uri.includes('/outside/')), [...c.diagnostics.keys()].join('\n'));
});

test('server: a registry file linking to an age key file outside, open in the editor, is neither evaluated nor quoted', async () => {
  const c = await TestClient.start(tree.linkedRegistry);
  clients.push(c);
  await c.waitEvaluated();
  // the editor sends the text of the file the link leads to: the document is analysed as the editor's
  // text, but the evaluation, which reads the registry inside the clan only, does not take it
  const registry = path.join(tree.linkedRegistry, 'lib/secret-registry.nix');
  c.open(registry, fs.readFileSync(registry, 'utf8'));
  // a request about it: answered once the server has taken the open document in
  await c.conn.sendRequest('textDocument/documentSymbol', { textDocument: { uri: uri(registry) } });
  await c.waitEvaluated();
  const matrix = path.join(tree.linkedRegistry, 'lib/machine-env-matrix.nix');
  await c.waitForDiagnostics(matrix, (ds) => ds.some((x) => x.code === 'undefined-variable'));
  assert.ok(!everything(c).includes(SECRET), everything(c));
});
