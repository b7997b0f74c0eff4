// Reads don't write (issue 55): on a settled workspace, no read request changes a version or a
// revision of the server's indexes and models (the set of clans, each clan's generation and rule
// input versions, the query database's revision, the generator index's and machine model's). A hover
// that settled an evaluation, or a model built during a request that edited one older models share,
// changed them. Every read request the server answers is sent, at every fifth character of each open
// file, on a copy of the example clan (a registry pipeline, the matrix, machines from three places).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { DEPENDENCY_GRAPH_REQUEST, GENERATOR_AT_REQUEST, INPUTS_STATUS_REQUEST, VARS_STATUS_REQUEST } from '../../server/src/lsp/protocol';
import { TestClient, uri } from '../helpers/lspClient';
import { EXAMPLE_CLAN, removeTree } from '../helpers/tempClan';

test('on a settled workspace, no read request changes a version or revision', async () => {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'clan-vars-reads-')));
  fs.cpSync(EXAMPLE_CLAN, root, { recursive: true });
  const client = await TestClient.startInProcess(root, { testHooks: true });
  try {
    await client.waitReady();
    const files = ['lib/secret-registry.nix', 'lib/machine-env-matrix.nix', 'lib/vars-generators.nix', 'modules/shared/openssh.nix', 'machines/zoe/configuration.nix'].map((f) => path.join(root, f));
    for (const f of files) client.open(f, fs.readFileSync(f, 'utf8'));
    await client.waitEvaluated();
    const idle = () => client.conn.sendRequest('clanVars/test/idle');
    const revisions = () => client.conn.sendRequest<string[]>('clanVars/test/revisions');
    await idle();
    const before = await revisions();
    assert.ok(before.length > 0 && before.every((r) => r.includes('"versions"')), `revisions: ${before.join('\n')}`);

    let sent = 0;
    const read = async (method: string, params: unknown) => {
      sent++;
      // an error answer is an answer too (prepareRename where nothing can be renamed)
      await client.conn.sendRequest(method, params).catch(() => {});
      const now = await revisions();
      assert.deepEqual(now, before, `${method} ${JSON.stringify(params)} changed a version or revision`);
    };
    for (const f of files) {
      const textDocument = { uri: uri(f) };
      for (const m of ['textDocument/documentSymbol', 'textDocument/codeLens', 'textDocument/documentLink']) await read(m, { textDocument });
      await read(GENERATOR_AT_REQUEST.method, { uri: uri(f), line: 2 });
      await read(DEPENDENCY_GRAPH_REQUEST.method, { uri: uri(f) });
      for (const [line, text] of fs.readFileSync(f, 'utf8').split('\n').entries()) {
        for (let character = 0; character < text.length; character += 5) {
          const position = { line, character };
          await read('textDocument/hover', { textDocument, position });
          await read('textDocument/completion', { textDocument, position });
          await read('textDocument/definition', { textDocument, position });
          await read('textDocument/references', { textDocument, position, context: { includeDeclaration: true } });
          await read('textDocument/prepareRename', { textDocument, position });
          await read('textDocument/codeAction', { textDocument, range: { start: position, end: position }, context: { diagnostics: [] } });
        }
      }
    }
    await read('workspace/symbol', { query: '' });
    await read(VARS_STATUS_REQUEST.method, { root });
    await read(INPUTS_STATUS_REQUEST.method, { root });
    await read(DEPENDENCY_GRAPH_REQUEST.method, { root });
    await idle();
    assert.deepEqual(await revisions(), before, 'after the reads settled');
    assert.ok(sent > 500, `${sent} read requests`);
  } finally {
    await client.stop();
    removeTree(root);
  }
});

// One writer (../shared/DESIGN.md): a change is applied before any handler runs, so even the first
// read after an edit finds its models built. Each edit below is followed at once, with no wait for
// the server to settle or publish, by reads of the edited file; the server (test hooks) names every
// request whose handler changed a version or revision after the writer's step (readsThatWrote).
test('the first read after an edit writes nothing: the writer brought the models up to date before it', async () => {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'clan-vars-first-read-')));
  fs.cpSync(EXAMPLE_CLAN, root, { recursive: true });
  const client = await TestClient.startInProcess(root, { testHooks: true });
  try {
    await client.waitReady();
    const registry = path.join(root, 'lib/secret-registry.nix');
    const matrix = path.join(root, 'lib/machine-env-matrix.nix');
    const module = path.join(root, 'modules/shared/openssh.nix');
    const texts = new Map([registry, matrix, module].map((f) => [f, fs.readFileSync(f, 'utf8')]));
    for (const [f, text] of texts) client.open(f, text);
    await client.waitEvaluated();
    await client.conn.sendRequest('clanVars/test/idle');
    assert.deepEqual(await client.conn.sendRequest('clanVars/test/readsThatWrote'), [], 'reads on the settled workspace');
    let reads = 0;
    const readsOf = async (file: string, line: number) => {
      const textDocument = { uri: uri(file) };
      const position = { line, character: 8 };
      for (const [method, params] of [
        ['textDocument/hover', { textDocument, position }],
        ['textDocument/completion', { textDocument, position }],
        ['textDocument/codeLens', { textDocument }],
        ['textDocument/references', { textDocument, position, context: { includeDeclaration: true } }],
        [DEPENDENCY_GRAPH_REQUEST.method, { uri: uri(file) }],
        [VARS_STATUS_REQUEST.method, { root }],
      ] as const) {
        reads++;
        await client.conn.sendRequest(method, params).catch(() => {});
      }
    };
    // each edit appends a comment line, then a line that changes what the file declares goes in and out
    for (let round = 0; round < 4; round++) {
      for (const [file, text] of texts) {
        const lines = text.split('\n');
        const last = lines.length - 1;
        const changed = `${text}\n# edit ${round}\n`;
        client.change(file, { start: { line: 0, character: 0 }, end: { line: last, character: lines[last]!.length } }, changed);
        await readsOf(file, Math.min(5, last));
        client.change(file, { start: { line: 0, character: 0 }, end: { line: changed.split('\n').length - 1, character: 0 } }, text.replace(/"([a-z][a-z0-9-]*)"/, `"$1-${round}"`));
        await readsOf(file, Math.min(5, last));
      }
    }
    assert.ok(reads >= 100, `${reads} reads`);
    const wrote = await client.conn.sendRequest('clanVars/test/readsThatWrote');
    await client.conn.sendRequest('clanVars/test/idle');
    assert.deepEqual(wrote, [], 'reads right after edits');
  } finally {
    await client.stop();
    removeTree(root);
  }
});
