// One answer per generator (issue 33): hover, code lens, the dependency graph, the vars view,
// completion and `clan-vars-lint --machines` agree on a generator's machines, its secret backend
// and where its files are. The clan has the cases where they used to disagree: machine `a` imports
// the module declaring `g`; machine `b` (all of its modules read) has only stored vars of `g`;
// the clan keeps its machine keys in `secrets/age-keys/` (age backend) and no var of `a` is a sops file.
// The server runs in this process (TestClient.startInProcess); the checker is the built one.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { test } from 'node:test';
import type { CodeLens, CompletionList, Hover } from 'vscode-languageserver-protocol';
import { DEPENDENCY_GRAPH_REQUEST, REVEAL_TARGETS_REQUEST, VARS_STATUS_REQUEST, VIEWS_CHANGED_NOTIFICATION } from '../../server/src/lsp/protocol';
import type { MachinesReport } from '../../server/src/ide/machinesReport';
import { TestClient, uri } from '../helpers/lspClient';
import { REPO_ROOT, removeTree, writeTree } from '../helpers/tempClan';
import { ownGenerators } from '../helpers/ownGenerators';

const MODULE = `{
  clan.core.vars.generators.g = {
    files.key = { };
    files.pub.secret = false;
    script = "gen > $out/key; pub > $out/pub";
  };
  clan.core.vars.generators.h = {
    dependencies = [ "g" ];
    files.x = { };
    script = "cat $in/g/pub > $out/x";
  };
}
`;

function clan(): string {
  return writeTree({
    'flake.nix': '{ }',
    'machines/a/configuration.nix': '{ imports = [ ../../modules/g.nix ]; }',
    'machines/b/configuration.nix': '{ networking.hostName = "b"; }',
    'modules/g.nix': MODULE,
    'secrets/age-keys/machines/a/pub': 'age1xyz\n',
    'secrets/clan-vars/per-machine/a/g/key/key.age': 'age-encryption.org/v1\n',
    'vars/per-machine/a/g/pub/value': 'ssh-ed25519 AAAA\n',
    // b does not have g (all its modules are read): these are left over
    'vars/per-machine/b/g/pub/value': 'ssh-ed25519 BBBB\n',
  });
}

/** The hover's text without markdown's code marks (the test client takes plain text). */
const hoverText = (h: Hover | null) => (h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : JSON.stringify(h?.contents ?? null)).replace(/[`*]/g, '');

test('hover, code lens, graph, vars view, completion and --machines give the same machines, backend and paths', async () => {
  const root = clan();
  const file = path.join(root, 'modules/g.nix');
  const client = await TestClient.startInProcess(root);
  try {
    await client.waitReady();
    client.open(file, MODULE);
    const at = (line: number, character: number) => ({ textDocument: { uri: uri(file) }, position: { line, character } });

    // the vars view
    const status = await client.send(VARS_STATUS_REQUEST, { root });
    const c = status.clans[0];
    assert.equal(c.backend, 'age');
    assert.equal(c.backendSource, 'disk');
    const gOf = (m: string) => c.machines.find((x) => x.name === m)!.generators.find((x) => x.name === 'g')!;
    assert.equal(gOf('a').state, 'generated');
    assert.equal(gOf('a').why, 'declared');
    assert.deepEqual(gOf('a').files.map((f) => path.relative(root, f.path!)), ['secrets/clan-vars/per-machine/a/g/key/key.age', 'vars/per-machine/a/g/pub/value']);
    assert.equal(gOf('b').state, 'orphaned', 'b has only stored vars of g');
    assert.equal(gOf('b').why, 'stored');

    // Reveal Secret's list: the server's scan of the vars on disk (the client reads no folder for it)
    const { targets } = await client.send(REVEAL_TARGETS_REQUEST, {});
    assert.deepEqual(
      targets.map((t) => `${t.kind} ${t.ref.machine}/${t.ref.generator}/${t.ref.file} ${path.relative(root, t.path)}`).sort(),
      ['age a/g/key secrets/clan-vars/per-machine/a/g/key/key.age', 'public a/g/pub vars/per-machine/a/g/pub/value', 'public b/g/pub vars/per-machine/b/g/pub/value'],
    );

    // hover on the generator's name: machines [a], 1 of 1 generated, the age backend, b's vars orphaned
    const hover = hoverText(await client.conn.sendRequest<Hover>('textDocument/hover', at(1, 29)));
    assert.match(hover, /per machine, on a · 1 of 1 generated/);
    assert.match(hover, /On disk \(age\)/);
    assert.match(hover, /· b orphaned: b has no such generator/);
    // hover on the file: the path the vars view shows
    const fileHover = hoverText(await client.conn.sendRequest<Hover>('textDocument/hover', at(2, 11)));
    assert.match(fileHover, /secrets\/clan-vars\/per-machine\/a\/g\/key\/key\.age — exists/);

    // code lens: the same machines and state
    const lenses = await client.conn.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: uri(file) } });
    const gLens = lenses.find((l) => l.range.start.line === 1 && l.command?.command === '')!;
    assert.equal(gLens.command!.title, 'machines: a · 1 dependent · generated · 1 orphaned');

    // the dependency graph: machines [a], generated
    const graph = await client.send(DEPENDENCY_GRAPH_REQUEST, { root });
    const node = graph.graph.nodes.find((n) => n.name === 'g')!;
    assert.deepEqual(node.machines, ['a']);
    assert.equal(node.state, 'generated');

    // completion of a dependency name in h (the cursor in the string "g", which is offered again in its own place): g is a per machine generator of a ("on a")
    const items = await client.conn.sendRequest<CompletionList | { label: string; detail?: string }[]>('textDocument/completion', at(7, 22));
    const list = Array.isArray(items) ? items : items.items;
    assert.match(list.find((i) => i.label === 'g')?.detail ?? '', /^on a\b/);
  } finally {
    await client.stop();
  }

  // the checker: the same machines and paths
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'clan-vars-lint.js'), '--machines', 'json', root], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const [report] = JSON.parse(r.stdout) as MachinesReport[];
  assert.deepEqual(report.secretStore, { backend: 'age', source: 'disk' });
  const a = report.machines.find((m) => m.name === 'a')!;
  assert.deepEqual(a.vars.find((v) => v.generator === 'g')!.files.map((f) => f.path), ['secrets/clan-vars/per-machine/a/g/key/key.age', 'vars/per-machine/a/g/pub/value']);
  const b = report.machines.find((m) => m.name === 'b')!;
  assert.deepEqual(ownGenerators(b.generators), []);
  assert.deepEqual(b.vars.filter((v) => ownGenerators([v.generator]).length).map((v) => `${v.generator} ${v.state}`), ['g orphaned']);
  removeTree(root);
});

test('the secretStore setting reaches every view; an edit tells the client its views changed', async () => {
  const root = clan();
  const file = path.join(root, 'modules/g.nix');
  const client = await TestClient.startInProcess(root, { settings: { secretStore: 'sops' } });
  try {
    await client.waitReady();
    client.open(file, MODULE);
    const status = await client.send(VARS_STATUS_REQUEST, { root });
    assert.equal(status.clans[0].backend, 'sops');
    assert.equal(status.clans[0].backendSource, 'setting');
    const a = status.clans[0].machines.find((m) => m.name === 'a')!.generators.find((g) => g.name === 'g')!;
    assert.equal(a.files.find((f) => f.name === 'key')!.path, path.join(root, 'vars/per-machine/a/g/key/secret'));
    assert.equal(a.state, 'partial', 'the key is not in the sops store');
    const hover = hoverText(await client.conn.sendRequest<Hover>('textDocument/hover', { textDocument: { uri: uri(file) }, position: { line: 1, character: 29 } }));
    assert.match(hover, /On disk \(sops, from the clanVars\.secretStore setting\)/);
    const fileHover = hoverText(await client.conn.sendRequest<Hover>('textDocument/hover', { textDocument: { uri: uri(file) }, position: { line: 2, character: 11 } }));
    assert.match(fileHover, /vars\/per-machine\/a\/g\/key\/secret — not generated/);

    // renaming g's file in the module changes what the views read: the client is told
    const seen = client.notifications.filter((n) => n.method === VIEWS_CHANGED_NOTIFICATION.method).length;
    client.change(file, { start: { line: 2, character: 13 }, end: { line: 2, character: 13 } }, '2');
    const note = await client.waitFor('views changed', () => client.notifications.slice(seen).find((n) => n.method === VIEWS_CHANGED_NOTIFICATION.method));
    assert.deepEqual((note.params as { roots: string[] }).roots, [root]);
  } finally {
    await client.stop();
    removeTree(root);
  }
});

test('renaming a generated generator offers to move its stored vars (never the orphaned ones)', async () => {
  const root = clan();
  const file = path.join(root, 'modules/g.nix');
  const client = await TestClient.startInProcess(root, { workspaceEdit: { documentChanges: true, resourceOperations: ['create', 'rename', 'delete'], changeAnnotationSupport: { groupsOnLabel: true } } });
  try {
    await client.waitReady();
    client.open(file, MODULE);
    const edit = await client.conn.sendRequest<{ documentChanges: ({ kind?: string; oldUri?: string; newUri?: string; annotationId?: string } | { textDocument: unknown })[]; changeAnnotations?: Record<string, { needsConfirmation?: boolean; description?: string }> }>('textDocument/rename', { textDocument: { uri: uri(file) }, position: { line: 1, character: 29 }, newName: 'g2' });
    const moves = edit.documentChanges.filter((c): c is { kind: string; oldUri: string; newUri: string; annotationId: string } => 'kind' in c && c.kind === 'rename');
    assert.deepEqual(
      moves.map((m) => `${path.relative(root, new URL(m.oldUri).pathname)} -> ${path.relative(root, new URL(m.newUri).pathname)}`).sort(),
      ['secrets/clan-vars/per-machine/a/g -> secrets/clan-vars/per-machine/a/g2', 'vars/per-machine/a/g -> vars/per-machine/a/g2'],
    );
    const note = edit.changeAnnotations?.[moves[0].annotationId];
    assert.equal(note?.needsConfirmation, true, 'the editor asks before it moves a folder');
    assert.match(note?.description ?? '', /orphaned/);
    // the text edits are there too: the declaration and the dependency of h
    assert.equal(edit.documentChanges.filter((c) => 'textDocument' in c).length, 1);
  } finally {
    await client.stop();
    removeTree(root);
  }
});
