// Failures the LSP fuzzer (fuzz/run.ts) found, each shrunk to the few messages and file events
// that lead to it (run.ts --round N writes a round's journal) and replayed here against the built
// server, then checked as the fuzzer checks a round: a fresh server given the same files and the
// same open texts publishes the same diagnostics. Each step waits for the server's word that it has
// done the work of what it was sent (the test hook clanVars/test/idle), then looks at what it published.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { FuzzClient } from '../../fuzz/client';
import { compareWithFresh } from '../../fuzz/fresh';
import { REPO_ROOT, removeTree, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
const clients: FuzzClient[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.stop()));
  roots.forEach(removeTree);
});

/** The servers answer the test hooks: `idle` says when they have done what they were sent. */
const HOOKS = { CLAN_VARS_TEST_HOOKS: '1' };
const FACTS = path.join(REPO_ROOT, 'test/fixtures/migration/facts');
const CONFIG = 'machines/alpha/configuration.nix';

/** A workspace with the facts-era clan of the fixtures in `facts/`, and a server that indexed it. */
async function factsClan(): Promise<{ c: FuzzClient; root: string; clan: string }> {
  const files: Record<string, string> = { 'other.nix': '{ }\n' };
  for (const rel of ['flake.nix', 'flake.lock', CONFIG]) files[`facts/${rel}`] = fs.readFileSync(path.join(FACTS, rel), 'utf8');
  const root = writeTree(files);
  roots.push(root);
  const c = await FuzzClient.start(root, { env: HOOKS });
  clients.push(c);
  await c.waitReady();
  return { c, root, clan: path.join(root, 'facts') };
}

/** Opens `file` and types a third facts service before its last brace: the editor's text has one more than the disk's. */
function openEdited(c: FuzzClient, file: string): void {
  const text = fs.readFileSync(file, 'utf8');
  c.open(file, text);
  const end = text.lastIndexOf('}');
  const at = { line: text.slice(0, end).split('\n').length - 1, character: end - text.lastIndexOf('\n', end - 1) - 1 };
  c.change(pathToFileURL(file).href, [{ range: { start: at, end: at }, text: '  clan.core.facts.services.extra.secret.k = { };\n' }]);
}

function codesOf(c: FuzzClient, file: string): string[] {
  return (c.diagnostics.get(pathToFileURL(file).href)?.diagnostics ?? []).map((d) => String(d.code));
}

// seed 777, round 24 (357 messages, shrunk to 2): the directory holding an open document was
// deleted; the server dropped the document's facts with the files read from disk, and its findings
// went with them until the next keystroke
test('fuzz seed 777: deleting the directory of an open document keeps the findings of its text', async () => {
  const { c, root, clan } = await factsClan();
  const config = path.join(clan, CONFIG);
  c.open(config, fs.readFileSync(config, 'utf8'));
  await c.idle();
  assert.deepEqual(codesOf(c, config), ['facts-leftover', 'facts-leftover']);
  fs.rmSync(clan, { recursive: true });
  c.watched([{ file: clan, type: 3 }]);
  await c.idle();
  assert.deepEqual(codesOf(c, config), ['facts-leftover', 'facts-leftover'], 'the open text still declares two facts services');
  await compareWithFresh(c, root);
  assert.deepEqual(c.failures, []);
});

test('fuzz seed 777: an edited open document keeps the findings of its edited text when its directory goes', async () => {
  const { c, root, clan } = await factsClan();
  const config = path.join(clan, CONFIG);
  openEdited(c, config);
  await c.idle();
  assert.equal(codesOf(c, config).filter((x) => x === 'facts-leftover').length, 3);
  // a directory between the clan and the document
  const machines = path.join(clan, 'machines');
  fs.rmSync(machines, { recursive: true });
  c.watched([{ file: machines, type: 3 }]);
  await c.idle();
  assert.equal(codesOf(c, config).filter((x) => x === 'facts-leftover').length, 3);
  await compareWithFresh(c, root);
  assert.deepEqual(c.failures, []);
});

// found while fixing seed 777: a change of settings reads every file again from disk
// seed 156744555, round 7 (720 messages, shrunk to 2): the folder of a machine was deleted while
// its configuration.nix stayed open. The machine was gone for a fresh server, which reads machine
// folders from disk, but the server that saw the deletion kept it (no file's facts changed, so
// nothing read the folders again) and kept the sops-nix hints it gives only in a machine's modules
test('fuzz seed 156744555: deleting the folder of a machine whose configuration is open forgets the machine', async () => {
  const sops = path.join(REPO_ROOT, 'test/fixtures/migration/sops');
  const rel = 'machines/host/configuration.nix';
  const root = writeTree({ 'flake.nix': fs.readFileSync(path.join(sops, 'flake.nix'), 'utf8'), [rel]: fs.readFileSync(path.join(sops, rel), 'utf8') });
  roots.push(root);
  const c = await FuzzClient.start(root, { env: HOOKS });
  clients.push(c);
  await c.waitReady();
  const config = path.join(root, rel);
  c.open(config, fs.readFileSync(config, 'utf8'));
  await c.idle();
  assert.equal(codesOf(c, config).filter((x) => x === 'sops-nix-secret').length, 4);
  const host = path.join(root, 'machines/host');
  fs.rmSync(host, { recursive: true });
  c.watched([{ file: host, type: 3 }]);
  await c.idle();
  assert.deepEqual(codesOf(c, config), [], 'no machine has the module any more');
  await compareWithFresh(c, root);
  assert.deepEqual(c.failures, []);
});

test('a change of settings keeps the findings of the open documents\' edited texts', async () => {
  const { c, root, clan } = await factsClan();
  const config = path.join(clan, CONFIG);
  openEdited(c, config);
  await c.idle();
  assert.equal(codesOf(c, config).filter((x) => x === 'facts-leftover').length, 3);
  c.settings = { maxFileSize: 1_000_000 };
  void c.conn.sendNotification('workspace/didChangeConfiguration', { settings: {} });
  await c.idle();
  assert.equal(codesOf(c, config).filter((x) => x === 'facts-leftover').length, 3);
  await compareWithFresh(c, root);
  assert.deepEqual(c.failures, []);
});

// the same for a workspace folder added while one of its files is open and edited
test('a workspace folder added later keeps the findings of its open documents\' edited texts', async () => {
  const { c } = await factsClan();
  const files: Record<string, string> = {};
  for (const rel of ['flake.nix', 'flake.lock', CONFIG]) files[rel] = fs.readFileSync(path.join(FACTS, rel), 'utf8');
  const added = writeTree(files);
  roots.push(added);
  const config = path.join(added, CONFIG);
  openEdited(c, config);
  await c.idle();
  void c.conn.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [{ uri: pathToFileURL(added).href, name: 'added' }], removed: [] } });
  await c.idle();
  assert.equal(codesOf(c, config).filter((x) => x === 'facts-leftover').length, 3);
});

// seed 2, round 153: an open document closed and opened again at once, then edited; the close
// read the file from disk, and the read finished after the editor's text was indexed: the disk
// text's facts replaced it, and its facts-leftover warnings were published with the edited
// text's version (one past the end of a line of it). A race with the disk read, which a replay of
// the round did not lose again (3 runs), so no journal to shrink: these are the round's messages
// for that document, from its trail (its texts are the fixture's, v2 is the fuzzer's edit)
test('fuzz seed 2: a document opened again while its close reads the disk keeps the findings of its text', async () => {
  const { c, root, clan } = await factsClan();
  const config = path.join(clan, CONFIG);
  const uri = pathToFileURL(config).href;
  const text = fs.readFileSync(config, 'utf8');
  c.open(config, text);
  await c.idle();
  c.close(uri);
  c.open(config, text);
  // the fuzzer's edit: a script pasted into the middle of a line of the first service
  c.change(uri, [{ range: { start: { line: 12, character: 58 }, end: { line: 12, character: 58 } }, text: "script = ''\n  cat $in/x/y > $out/z\n'';\n" }]);
  await c.idle();
  c.checkRanges();
  assert.deepEqual(c.failures, []);
  assert.equal(c.diagnostics.get(uri)?.version, 2);
  assert.deepEqual(codesOf(c, config), ['facts-leftover', 'facts-leftover']);
  await compareWithFresh(c, root);
  assert.deepEqual(c.failures, []);
});

// the same race from a file event: the file is read from disk for the event, and opened (with a
// text of its own) before that read ends
test('a document opened while a file event reads it from disk keeps the findings of its text', async () => {
  const { c, root, clan } = await factsClan();
  const config = path.join(clan, CONFIG);
  c.watched([{ file: config, type: 2 }]);
  openEdited(c, config);
  await c.idle();
  c.checkRanges();
  assert.deepEqual(c.failures, []);
  assert.equal(codesOf(c, config).filter((x) => x === 'facts-leftover').length, 3);
  await compareWithFresh(c, root);
  assert.deepEqual(c.failures, []);
});
