// Drives the built language server over stdio, as an editor does.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { messageOf, positionOf, TestClient, uri } from '../helpers/lspClient';
import { removeTree, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
const clients: TestClient[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.stop()));
  roots.forEach(removeTree);
});

const MATRIX = `{\n  lea = [\n    "gmial"\n  ];\n}\n`;
function clan() {
  const root = writeTree({
    'flake.nix': '{ }',
    'lib/secret-registry.nix': `{ gmail = { generator = "gmail-app-password"; }; }\n`,
    'lib/machine-env-matrix.nix': MATRIX,
    'machines/a.nix': `{ clan.core.vars.generators.a.dependencies = [ "b" ]; }\n`,
  });
  roots.push(root);
  return root;
}

async function start(root: string, settings?: Record<string, unknown>) {
  const c = await TestClient.start(root, { settings });
  clients.push(c);
  return c;
}

test('server: diagnostics for the whole workspace after indexing, without opening files', async () => {
  const root = clan();
  const c = await start(root);
  const matrix = await c.waitForDiagnostics(path.join(root, 'lib/machine-env-matrix.nix'), (d) => d.length > 0);
  assert.equal(matrix.length, 1);
  assert.equal(matrix[0].code, 'unknown-registry-key');
  assert.equal(matrix[0].severity, 1);
  assert.equal(matrix[0].source, 'clan-vars');
  assert.deepEqual(matrix[0].range, { start: { line: 2, character: 4 }, end: { line: 2, character: 11 } });
  assert.match(messageOf(matrix[0]), /Did you mean 'gmail'\?/);
  assert.equal(matrix[0].relatedInformation?.[0].location.uri, uri(path.join(root, 'lib/secret-registry.nix')));
  const a = await c.waitForDiagnostics(path.join(root, 'machines/a.nix'), (d) => d.length > 0);
  assert.equal(a[0].code, 'unknown-dependency');
});

test('server: an edit updates diagnostics, the fix clears them, a new mistake brings them back', async () => {
  const root = clan();
  const c = await start(root);
  const file = path.join(root, 'lib/machine-env-matrix.nix');
  await c.waitForDiagnostics(file, (d) => d.length === 1);
  c.open(file, MATRIX);
  // fix the typo: "gmial" -> "gmail"
  const at = positionOf(MATRIX, 'gmial');
  c.change(file, { start: at, end: { line: at.line, character: at.character + 5 } }, 'gmail');
  await c.waitForDiagnostics(file, (d) => d.length === 0);
  // type a second key, character by character: ends as an unknown key "gx"
  const end = { line: 2, character: 11 };
  c.change(file, { start: end, end }, ' "g');
  c.change(file, { start: { line: 2, character: 14 }, end: { line: 2, character: 14 } }, 'x"');
  const d = await c.waitForDiagnostics(file, (ds) => ds.length === 1 && /'gx'/.test(messageOf(ds[0])));
  assert.deepEqual(d[0].range.start, { line: 2, character: 12 });
});

test('server: editing the registry re-checks the matrix in another file', async () => {
  const root = clan();
  const c = await start(root);
  const matrix = path.join(root, 'lib/machine-env-matrix.nix');
  const registry = path.join(root, 'lib/secret-registry.nix');
  await c.waitForDiagnostics(matrix, (d) => d.length === 1);
  const text = fs.readFileSync(registry, 'utf8');
  c.open(registry, text);
  const at = positionOf(text, 'gmail');
  c.change(registry, { start: at, end: { line: at.line, character: at.character + 5 } }, 'gmial');
  await c.waitForDiagnostics(matrix, (d) => d.length === 0);
});

test('server: a file created on disk is picked up from a watched-files event', async () => {
  const root = clan();
  const c = await start(root);
  const a = path.join(root, 'machines/a.nix');
  await c.waitForDiagnostics(a, (d) => d.length === 1);
  const b = path.join(root, 'machines/b.nix');
  fs.writeFileSync(b, '{ clan.core.vars.generators.b = { }; }\n');
  void c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(b), type: 1 }] });
  await c.waitForDiagnostics(a, (d) => d.length === 0);
  fs.rmSync(b);
  void c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(b), type: 3 }] });
  await c.waitForDiagnostics(a, (d) => d.length === 1);
  // a directory whose name ends in .nix, deleted with what is in it
  const dir = path.join(root, 'machines/odd.nix');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'b.nix'), '{ clan.core.vars.generators.b = { }; }\n');
  void c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(path.join(dir, 'b.nix')), type: 1 }] });
  await c.waitForDiagnostics(a, (d) => d.length === 0);
  fs.rmSync(dir, { recursive: true });
  void c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(dir), type: 3 }] });
  await c.waitForDiagnostics(a, (d) => d.length === 1);
});

test('server: a folder linked after the start: its file is indexed under the link, and follows the editor until closed unsaved', async () => {
  const root = clan();
  // `b` comes before `zz` and is less deep than `zz/inner`: a scan walks the folder under the link
  const real = path.join(root, 'zz/inner/b.nix');
  const text = '{ clan.core.vars.generators.x.dependencies = [ "nope" ]; }\n';
  fs.mkdirSync(path.dirname(real), { recursive: true });
  fs.writeFileSync(real, text);
  const c = await start(root);
  await c.waitForDiagnostics(real, (d) => d.length === 1);
  const linked = path.join(root, 'b/b.nix');
  fs.symlinkSync('zz/inner', path.join(root, 'b'));
  void c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(path.join(root, 'b')), type: 1 }] });
  await c.waitForDiagnostics(linked, (d) => d.length === 1);
  await c.waitForDiagnostics(real, (d) => d.length === 0);
  // the file typed in the editor under its real path, not saved: the path the scan found it under reads the editor's text
  c.open(real, text);
  const at = positionOf(text, 'nope');
  c.change(real, { start: at, end: { line: at.line, character: at.character + 4 } }, 'a');
  await c.waitForDiagnostics(linked, (d) => d.length === 0);
  // closed without saving: the text on disk again
  c.close(real);
  await c.waitForDiagnostics(linked, (d) => d.length === 1);
});

test('server: registry and matrix paths come from the editor settings', async () => {
  const root = writeTree({
    'nix/registry.nix': `{ k = { generator = "g"; }; }`,
    'nix/matrix.nix': `{ m = [ "bad" ]; }`,
  });
  roots.push(root);
  const c = await start(root, { registryPath: 'nix/registry.nix', matrixPath: 'nix/matrix.nix' });
  const d = await c.waitForDiagnostics(path.join(root, 'nix/matrix.nix'), (ds) => ds.length === 1);
  assert.equal(d[0].code, 'unknown-registry-key');
});

test('server: half-typed and binary input does not crash it, and it keeps answering', async () => {
  const root = clan();
  const c = await start(root);
  await c.waitReady();
  const file = path.join(root, 'machines/new.nix');
  let text = '';
  const typed = '{ clan.core.vars.generators.x = { dependencies = [ "a" "zz" ]; }; }';
  c.open(file, text);
  for (const ch of typed) {
    const pos = { line: 0, character: text.length };
    c.change(file, { start: pos, end: pos }, ch);
    text += ch;
  }
  c.change(file, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, '\u0000\u0001\uFFFD((([[[');
  c.change(file, { start: { line: 0, character: 0 }, end: { line: 0, character: 9 } }, '');
  const d = await c.waitForDiagnostics(file, (ds) => ds.some((x) => /'zz'/.test(messageOf(x))));
  assert.equal(d.filter((x) => x.code === 'unknown-dependency').length, 1);
  assert.ok(c.alive(), 'server still running');
  assert.ok(!c.logs.some((l) => /uncaught|failed:/.test(l)), c.logs.join('\n'));
});

test('server: a data file the clan computes its machines\' tags from, open and saved: the watcher\'s event reads the machines again', async () => {
  const root = writeTree({
    'flake.nix': '{ outputs = inputs@{ flake-parts, ... }: flake-parts.lib.mkFlake { inherit inputs; } { imports = [ ./modules/clan.nix ]; }; }\n',
    'machines/s/configuration.nix': '{ }\n',
    'machines/c/configuration.nix': '{ }\n',
    'data.nix': '{ s = [ "web" ]; c = [ "db" ]; }\n',
    'tags/db.nix': '{ clan.core.vars.generators.dbkey = { files.k = { }; script = "echo > $out/k"; }; }\n',
    'tags/web.nix': '{ clan.core.vars.generators.webkey = { dependencies = [ "dbkey" ]; files.k = { }; script = "cat $in/dbkey/k > $out/k"; }; }\n',
    'modules/clan.nix': `{ lib, ... }:
{
  clan.modules.imp = { _class = "clan.service"; manifest.name = "imp"; roles.default = { }; };
  clan.inventory.machines = lib.mapAttrs (name: t: { tags = t; }) (import ../data.nix);
  clan.inventory.instances = builtins.listToAttrs (map (f: let tag = lib.removeSuffix ".nix" f; in {
    name = "with-\${tag}";
    value = { module = { name = "imp"; input = "self"; }; roles.default = { tags.\${tag} = { }; extraModules = [ "\${../tags}/\${f}" ]; }; };
  }) (builtins.attrNames (builtins.readDir ../tags)));
}
`,
  });
  roots.push(root);
  const c = await start(root);
  const web = path.join(root, 'tags/web.nix');
  // machine s has webkey (tag web), which depends on dbkey, which only c has (tag db)
  const before = await c.waitForDiagnostics(web, (d) => d.length === 1);
  assert.equal(before[0].code, 'unknown-dependency');
  assert.match(messageOf(before[0]), /'dbkey' is a per-machine generator of 'c', not of machine 's'/);
  const data = path.join(root, 'data.nix');
  const text = '{ s = [ "web" "db" ]; c = [ ]; }\n';
  c.open(data, fs.readFileSync(data, 'utf8'));
  c.change(data, { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }, text);
  // saved: the editor writes the file and its watcher reports it, the document still open
  fs.writeFileSync(data, text);
  void c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(data), type: 2 }] });
  await c.waitForDiagnostics(web, (d) => d.length === 0);
});

test('server: a file whose analysis throws (a bug) has an internal-error diagnostic, a log line and its error in the status', async () => {
  const root = clan();
  const b = path.join(root, 'machines/b.nix');
  fs.writeFileSync(b, '{ clan.core.vars.generators.b = { }; }\n');
  // CLAN_VARS_TEST_ANALYSIS_THROW: the analysis of this file throws, whatever its text
  const c = await TestClient.start(root, { env: { ...process.env, CLAN_VARS_TEST_ANALYSIS_THROW: 'machines/b.nix' } });
  clients.push(c);
  const failed = await c.waitForDiagnostics(b, (d) => d.length > 0);
  assert.deepEqual(failed.map((d) => [d.code, d.severity, d.range]), [['internal-error', 1, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }]]);
  assert.match(messageOf(failed[0]), /^Clan Vars could not analyse this file: deliberate failure \(CLAN_VARS_TEST_ANALYSIS_THROW\)\. This is a bug in Clan Vars/);
  assert.ok(c.logs.includes(`internal error: ${b} could not be analysed: deliberate failure (CLAN_VARS_TEST_ANALYSIS_THROW)`), c.logs.join('\n'));
  await c.waitFor('an error in the status for it', () => c.notifications.some((n) => n.method === 'clanVars/status' && (n.params as { errors: number }).errors === 3));
  // typing in it: still one diagnostic, and one log line for it
  const text = fs.readFileSync(b, 'utf8');
  const published = c.notifications.length;
  c.open(b, text);
  c.change(b, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, '# typing\n');
  await c.waitFor('a publish after the edit', () => c.notifications.slice(published).some((n) => n.method === 'clanVars/status'));
  assert.equal(c.diagnostics.get(uri(b))?.length, 1);
  assert.equal(c.logs.filter((l) => l.startsWith(`internal error: ${b}`)).length, 1);
  c.close(b);
  // gone from disk: gone from the Problems panel
  fs.rmSync(b);
  void c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(b), type: 3 }] });
  await c.waitForDiagnostics(b, (d) => d.length === 0);
});
