// Issue 52, finding 10: files tree-sitter cannot finish held the requests about open documents, and
// the first ready, until the scan had given each its time (five 1.8 MB files: 17-33 s). Now a
// request about an open document is answered from it while the scan goes on (symbols, links, hover,
// completion, definition; workspace symbols from what is indexed), those that need every file
// (references, rename, code lenses, quick fixes) wait for the scan, and the scan goes on without the
// files still in its slow lane once the others are indexed, indexing each when its parse ends.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import type { CompletionList, DocumentSymbol, Hover, Location, SymbolInformation } from 'vscode-languageserver-protocol';
import { TestClient, uri } from '../helpers/lspClient';
import { removeTree, writeTree } from '../helpers/tempClan';
import { slowText } from '../helpers/slowText';

const roots: string[] = [];
const clients: TestClient[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.stop()));
  roots.forEach(removeTree);
});

const SLOW = [0, 1, 2, 3, 4].map((n) => `vendor/slow${n}.nix`);
// 30 lines (570,000 characters): a parse's own budget (1 s + 10 µs a character: 6.7 s) ends long
// after the scan stops waiting for the slow lane (the five allowances, 250 ms + 1 µs a character
// each: 4.1 s). With 3 lines the two were 35 ms apart, and on a loaded 2-core CI machine a slow file
// was skipped before the first ready.
const LINES = 30;
const OPEN = 'machines/b.nix';
const OPEN_TEXT = '{\n  clan.core.vars.generators.b = {\n    files.key = { };\n    script = "echo > $out/key";\n  };\n}\n';

test('slow scan: requests about an open document are answered from it while the scan goes on, and the first ready does not wait for the slow lane', async () => {
  const root = writeTree(
    {
      'flake.nix': '{ outputs = _: { }; }\n',
      'machines/a.nix': '{ clan.core.vars.generators.a.dependencies = [ "nope" ]; }\n',
      [OPEN]: OPEN_TEXT,
      ...Object.fromEntries(SLOW.map((rel, n) => [rel, slowText(n, LINES)])),
    },
    'clan-vars-slow-requests-',
  );
  const cache = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'clan-vars-slow-requests-cache-')));
  roots.push(root, cache);
  // 6 s for slow parses: the first two slow files take their own budgets (6.7 s), the others their
  // allowances once that is spent
  const c = await TestClient.start(root, { env: { ...process.env, CLAN_VARS_CACHE_DIR: cache, CLAN_VARS_SLOW_PARSE_MS: '6000' } });
  clients.push(c);
  const file = path.join(root, OPEN);
  c.open(file, OPEN_TEXT);
  const textDocument = { uri: uri(file) };
  const skipped = () => SLOW.filter((rel) => c.logs.some((l) => l.startsWith(`skipping ${path.join(root, rel)}: `))).length;
  const scanned = () => c.logs.some((l) => l.startsWith('indexed '));
  /** The answer to a request, with what had happened when it came. */
  const ask = <T>(method: string, params: unknown) => c.conn.sendRequest<T>(method, params).then((answer) => ({ answer, skipped: skipped(), scanned: scanned() }));

  const symbols = ask<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument });
  const hover = ask<Hover | null>('textDocument/hover', { textDocument, position: { line: 1, character: 29 } });
  const completion = ask<CompletionList>('textDocument/completion', { textDocument, position: { line: 2, character: 4 } });
  const workspaceSymbols = ask<SymbolInformation[]>('workspace/symbol', { query: '' });
  const references = ask<Location[]>('textDocument/references', { textDocument, position: { line: 1, character: 29 }, context: { includeDeclaration: true } });

  for (const [what, r] of Object.entries({ symbols: await symbols, hover: await hover, completion: await completion, workspaceSymbols: await workspaceSymbols })) {
    assert.deepEqual({ what, skipped: r.skipped, scanned: r.scanned }, { what, skipped: 0, scanned: false }, `${what} waited for the scan`);
  }
  assert.deepEqual((await symbols).answer.map((s) => s.name), ['b']);
  assert.match(JSON.stringify((await hover).answer?.contents), /generator.*b[\s\S]*still being read/i);
  assert.equal((await completion).answer.isIncomplete, true);
  assert.ok((await workspaceSymbols).answer.some((s) => s.name === 'b'));

  // the first ready: before the slow files are done with
  await c.waitReady(120_000);
  assert.equal(skipped(), 0, 'the first ready waited for the slow lane');
  // references need every file: answered once the scan is done
  assert.equal((await references).scanned, true);
  assert.equal((await references).answer.length, 1);

  // the files the scan went on without are indexed as their parses end, and published
  await c.waitFor('every slow file skipped', () => skipped() === SLOW.length, 120_000);
  await c.waitFor('a status with every file', () => c.notifications.some((n) => n.method === 'clanVars/status' && (n.params as { files: number }).files === 8), 30_000);
  await c.waitForDiagnostics(path.join(root, 'machines/a.nix'), (d) => d.some((x) => x.code === 'unknown-dependency'));
});
