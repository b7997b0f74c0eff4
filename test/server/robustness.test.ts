// Robustness through the built server over stdio: a failing request is answered with an error and
// logged once, cancellation stops a workspace scan, the initial index reports progress, and
// pathological text is skipped instead of stalling the server. (The heavy variants are in fuzz/.)
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { CancellationTokenSource } from 'vscode-languageserver-protocol/node';
import { FuzzClient } from '../../fuzz/client';
import { removeTree, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
const clients: FuzzClient[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.stop()));
  roots.forEach(removeTree);
});

async function start(files: Record<string, string>, env: NodeJS.ProcessEnv = {}, progress = false) {
  const root = writeTree(files);
  roots.push(root);
  const c = await FuzzClient.start(root, { env: { CLAN_VARS_TEST_HOOKS: '1', ...env }, progress });
  clients.push(c);
  await c.waitReady();
  return { c, root };
}

const CLAN = { 'flake.nix': '{ }', 'machines/a.nix': '{ clan.core.vars.generators.a.dependencies = [ "b" ]; }\n' };

async function errorOf(p: Promise<unknown>): Promise<{ code: number; message: string }> {
  return p.then(
    () => assert.fail('expected an error response'),
    (e: { code: number; message: string }) => e,
  );
}

test('robustness: a request that throws is answered with an error, logged once, and the server goes on', async () => {
  const { c, root } = await start(CLAN);
  for (let i = 0; i < 3; i++) {
    const e = await errorOf(c.conn.sendRequest('clanVars/test/throw', {}));
    assert.equal(e.code, -32603);
    assert.match(e.message, /deliberate failure/);
  }
  assert.equal(c.logs.filter((l) => l.includes('test-throw failed')).length, 1);
  assert.deepEqual(await c.conn.sendRequest('clanVars/test/echo', { still: 'alive' }), { still: 'alive' });
  // diagnostics still flow: the open text's second unknown dependency is reported
  const file = path.join(root, 'machines/a.nix');
  c.open(file, '{ clan.core.vars.generators.a.dependencies = [ "b" "c" ]; }\n');
  const published = await c.until('diagnostics of the opened text', () => {
    const d = c.diagnostics.get(pathToFileURL(file).href);
    return d?.version === 1 && d.diagnostics;
  });
  assert.deepEqual(published.map((d) => [d.code, /'(\w)'/.exec(String(d.message))?.[1]]), [['unknown-dependency', 'b'], ['unknown-dependency', 'c']]);
  assert.equal(c.proc.exitCode, null);
});

test('robustness: CLAN_VARS_TEST_THROW makes one named handler throw; only that request fails', async () => {
  const { c } = await start(CLAN, { CLAN_VARS_TEST_THROW: 'test-echo' });
  const e = await errorOf(c.conn.sendRequest('clanVars/test/echo', { x: 1 }));
  assert.match(e.message, /test-echo: deliberate failure/);
  await assert.rejects(c.conn.sendRequest('clanVars/test/throw', {}));
  assert.deepEqual(await c.conn.sendRequest('clanVars/test/rescan', {}), { files: 2 });
});

test('robustness: $/cancelRequest stops a workspace scan and answers RequestCancelled', async () => {
  const files: Record<string, string> = { 'flake.nix': '{ }' };
  for (let i = 0; i < 3000; i++) files[`m/${i % 30}/g${i}.nix`] = `{ clan.core.vars.generators.g${i}.files.k = { }; }\n`;
  const { c } = await start(files);
  const source = new CancellationTokenSource();
  const answer = errorOf(c.conn.sendRequest('clanVars/test/rescan', {}, source.token));
  source.cancel();
  const e = await answer;
  assert.equal(e.code, -32800);
  assert.deepEqual(await c.conn.sendRequest('clanVars/test/echo', 1), 1);
});

test('robustness: the initial index reports work-done progress when the client supports it', async () => {
  const { c } = await start(CLAN, {}, true);
  await c.until('end of the progress', () => c.progress.includes('end'));
  assert.equal(c.progress[0], 'begin');
  assert.equal(c.progress[c.progress.length - 1], 'end');
});

test('robustness: a pasted huge line or slow-to-parse text is skipped with a log line, and requests stay fast', async () => {
  const { c, root } = await start(CLAN);
  const file = path.join(root, 'machines/a.nix');
  const started = performance.now();
  c.open(file, '{ x = "' + 'a'.repeat(30_000) + '"; }\n');
  await c.until('log line of the huge line', () => c.logs.some((l) => /a\.nix: line 1 has 30\d{3} characters/.test(l)));
  c.change(pathToFileURL(file).href, [{ text: '{ y = ' + 'a.'.repeat(8000) + '\n' }]);
  await c.until('log line of the slow parse', () => c.logs.some((l) => /a\.nix: could not be parsed: parsing took longer than/.test(l)));
  assert.deepEqual(await c.conn.sendRequest('clanVars/test/echo', 2), 2);
  assert.ok(performance.now() - started < 5000);
});
