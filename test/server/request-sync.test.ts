// What a request brings up to date before its handler reads (lsp/features/context.ts requestHandler):
// a request about one document takes that document's edits only, and is answered from the rest as
// last indexed (a keystroke in a large registry no longer holds a hover in another file while the
// registry is indexed again); a request about the workspace takes every open document's edits.
// The context is the server's own interface (ServerContext), its writer recording what it is asked.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CancellationTokenSource } from 'vscode-languageserver/node';
import { requestHandler, type RequestNeeds, type ServerContext } from '../../server/src/lsp/features/context';

function recordingContext(): { ctx: ServerContext; synced: (string | undefined)[] } {
  const synced: (string | undefined)[] = [];
  const ctx = {
    scans: { documentsReady: Promise.resolve(), done: () => Promise.resolve(), underWay: false },
    syncDocuments: (uri?: string) => void synced.push(uri),
    log: () => {},
  } as unknown as ServerContext;
  return { ctx, synced };
}

const A = 'file:///clan/modules/a.nix';

for (const [needs, params, expected, what] of [
  ['indexed', { textDocument: { uri: A }, position: { line: 0, character: 0 } }, A, 'a hover or completion: its own document only'],
  ['indexed', { textDocument: { uri: A } }, A, 'document symbols or links: their own document only'],
  ['indexed', { query: 'ssh' }, undefined, 'workspace symbols (answered from what is indexed): every document'],
  ['workspace', { textDocument: { uri: A }, position: { line: 0, character: 0 } }, undefined, 'references, rename, code actions (edits name every document version): every document'],
] as [RequestNeeds, unknown, string | undefined, string][]) {
  test(`a request brings up to date what it reads: ${what}`, async () => {
    const { ctx, synced } = recordingContext();
    let ran = 0;
    const handle = requestHandler(ctx, 'probe', () => ++ran, needs);
    assert.equal(await handle(params, new CancellationTokenSource().token), 1);
    assert.equal(ran, 1);
    assert.deepEqual(synced, [expected]);
  });
}
