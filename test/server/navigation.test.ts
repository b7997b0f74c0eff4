// Definition, references and rename over stdio, across files of one clan.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { Location, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { authoringClan, EMILY, LEA, MATRIX } from '../helpers/authoringClan';
import { positionOf, TestClient, uri } from '../helpers/lspClient';
import { removeTree } from '../helpers/tempClan';

let root: string;
let client: TestClient;
const COMPUTED = '{ name, ... }: { clan.core.vars.generators."x-${name}".files.k = { }; }\n';
before(async () => {
  root = authoringClan({ 'modules/computed.nix': COMPUTED });
  client = await TestClient.start(root);
  await client.waitReady();
});
after(async () => {
  await client.stop();
  removeTree(root);
});

const LEA_FILE = 'machines/lea/configuration.nix';
const doc = (rel: string) => ({ uri: uri(path.join(root, rel)) });
const where = (locs: Location[]) => locs.map((l) => `${path.relative(root, new URL(l.uri).pathname)}:${l.range.start.line}:${l.range.start.character}`).sort();
const lineOf = (text: string, needle: string, offset = 0) => {
  const p = positionOf(text, needle, offset);
  return `${p.line}:${p.character}`;
};

test('definition: dependency, $in/<dep>, registry generator and matrix key go to their declarations', async () => {
  const cases: [string, string, string, number, string[]][] = [
    ['dependency "ca"', LEA_FILE, '"ca" ]', 1, [`${LEA_FILE}:${lineOf(LEA, 'ca = {')}`]],
    ['$in/ca', LEA_FILE, '$in/ca', 4, [`${LEA_FILE}:${lineOf(LEA, 'ca = {')}`]],
    ['$out/key -> files.key', LEA_FILE, '$out/key', 5, [`${LEA_FILE}:${lineOf(LEA, 'key = {')}`, `machines/emily/configuration.nix:${lineOf(EMILY, 'key = {')}`]],
    ['$prompts/pass', LEA_FILE, '$prompts/pass', 9, [`${LEA_FILE}:${lineOf(LEA, 'pass = {')}`]],
    ['matrix key', 'lib/machine-env-matrix.nix', '"gmail"', 1, ['lib/secret-registry.nix:5:2']],
  ];
  const matrixText = MATRIX;
  for (const [name, file, needle, offset, expected] of cases) {
    const text = file === LEA_FILE ? LEA : matrixText;
    const locs = (await client.conn.sendRequest('textDocument/definition', { textDocument: doc(file), position: positionOf(text, needle, offset) })) as Location[];
    assert.deepEqual(where(locs), expected.sort(), name);
  }
});

test('references: a generator across declarations, dependencies, reads and scripts', async () => {
  const locs = (await client.conn.sendRequest('textDocument/references', { textDocument: doc(LEA_FILE), position: positionOf(LEA, 'ssh = {'), context: { includeDeclaration: true } })) as Location[];
  assert.deepEqual(where(locs), [`${LEA_FILE}:${lineOf(LEA, 'ssh = {')}`, `${LEA_FILE}:${lineOf(LEA, 'ssh.files.key.path')}`, `machines/emily/configuration.nix:${lineOf(EMILY, 'ssh.files')}`].sort());
  const ca = (await client.conn.sendRequest('textDocument/references', { textDocument: doc(LEA_FILE), position: positionOf(LEA, 'ca = {'), context: { includeDeclaration: false } })) as Location[];
  assert.deepEqual(where(ca), [`${LEA_FILE}:${lineOf(LEA, '"ca" ]')}`, `${LEA_FILE}:${lineOf(LEA, 'ca/ca.key')}`].sort());
});

function applied(edit: WorkspaceEdit, rel: string, text: string): string {
  const edits = [...(edit.changes?.[uri(path.join(root, rel))] ?? [])] as TextEdit[];
  const lines = text.split('\n');
  edits.sort((a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character);
  for (const e of edits) {
    const l = lines[e.range.start.line];
    lines[e.range.start.line] = l.slice(0, e.range.start.character) + e.newText + l.slice(e.range.end.character);
  }
  return lines.join('\n');
}

test('rename: a generator, including $in/ paths, quoting names that are not identifiers', async () => {
  const prep = (await client.conn.sendRequest('textDocument/prepareRename', { textDocument: doc(LEA_FILE), position: positionOf(LEA, '"ca" ]', 2) })) as { range: { start: { character: number } }; placeholder: string };
  assert.equal(prep.placeholder, 'ca');
  assert.equal(prep.range.start.character, positionOf(LEA, '"ca" ]', 1).character);
  const edit = (await client.conn.sendRequest('textDocument/rename', { textDocument: doc(LEA_FILE), position: positionOf(LEA, 'ca = {'), newName: 'cert-auth' })) as WorkspaceEdit;
  const after = applied(edit, LEA_FILE, LEA);
  assert.match(after, /generators\.cert-auth = \{/);
  assert.match(after, /dependencies = \[ "cert-auth" \]/);
  assert.match(after, /cat \$in\/cert-auth\/ca\.key/);
  const ssh = (await client.conn.sendRequest('textDocument/rename', { textDocument: doc(LEA_FILE), position: positionOf(LEA, 'ssh = {'), newName: 'ssh.host' })) as WorkspaceEdit;
  assert.match(applied(ssh, LEA_FILE, LEA), /generators\."ssh\.host" = \{[\s\S]*generators\."ssh\.host"\.files\.key\.path/);
  assert.match(applied(ssh, 'machines/emily/configuration.nix', EMILY), /generators\."ssh\.host"\.files/);
});

test('rename: a registry key in the registry and the matrix', async () => {
  const edit = (await client.conn.sendRequest('textDocument/rename', { textDocument: doc('lib/machine-env-matrix.nix'), position: positionOf(MATRIX, 'gmail', 1), newName: 'gmail-work' })) as WorkspaceEdit;
  assert.equal(edit.changes?.[uri(path.join(root, 'lib/machine-env-matrix.nix'))]?.length, 2);
  assert.equal(edit.changes?.[uri(path.join(root, 'lib/secret-registry.nix'))]?.length, 1);
});

test('rename: computed names and options are refused', async () => {
  await assert.rejects(client.conn.sendRequest('textDocument/prepareRename', { textDocument: doc('modules/computed.nix'), position: positionOf(COMPUTED, 'x-$', 1) }), /computed/);
  await assert.rejects(client.conn.sendRequest('textDocument/prepareRename', { textDocument: doc(LEA_FILE), position: positionOf(LEA, 'share') }), /can be renamed/);
  assert.ok(client.alive());
});

test('rename: with an editor that takes versioned edits, open documents carry the version renamed in, files not open null', async () => {
  const c = await TestClient.start(root, { workspaceEdit: { documentChanges: true } });
  try {
    await c.waitReady();
    const file = path.join(root, LEA_FILE);
    c.open(file, LEA);
    c.change(file, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, '# edited\n');
    const at = positionOf(LEA, 'ssh = {');
    const edit = (await c.conn.sendRequest('textDocument/rename', { textDocument: doc(LEA_FILE), position: { line: at.line + 1, character: at.character }, newName: 'ssh-host' })) as WorkspaceEdit;
    assert.equal(edit.changes, undefined);
    const docs = (edit.documentChanges ?? []) as { textDocument: { uri: string; version: number | null }; edits: TextEdit[] }[];
    assert.deepEqual(docs.map((d) => d.textDocument).sort((a, b) => a.uri.localeCompare(b.uri)), [
      { uri: uri(path.join(root, 'machines/emily/configuration.nix')), version: null },
      { uri: uri(file), version: 2 },
    ]);
    // the renamed declaration is found on the edited (shifted) line
    assert.ok(docs.find((d) => d.textDocument.uri === uri(file))!.edits.some((e) => e.range.start.line === at.line + 1 && e.newText === 'ssh-host'));
  } finally {
    await c.stop();
  }
});
