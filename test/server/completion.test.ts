// Completion over stdio on half-typed text: each case is a document with a `$0` cursor marker,
// opened in the clan of test/helpers/authoringClan.ts, and the labels expected (and not expected).
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { CompletionItem, CompletionList, TextEdit } from 'vscode-languageserver-protocol';
import { authoringClan, cursor } from '../helpers/authoringClan';
import { TestClient, uri } from '../helpers/lspClient';
import { removeTree } from '../helpers/tempClan';

let root: string;
let client: TestClient;
before(async () => {
  root = authoringClan();
  client = await TestClient.start(root);
  await client.waitReady();
});
after(async () => {
  await client.stop();
  removeTree(root);
});

let n = 0;
async function completeIn(rel: string | null, marked: string): Promise<CompletionItem[]> {
  const { text, position } = cursor(marked);
  const file = path.join(root, rel ?? `machines/lea/typing-${n++}.nix`);
  client.open(file, text);
  const list = (await client.conn.sendRequest('textDocument/completion', { textDocument: { uri: uri(file) }, position })) as CompletionList;
  return list.items;
}

const G = '{ config, pkgs, ... }:\n{\n  clan.core.vars.generators.';
const CASES: { name: string; file?: string; text: string; has: string[]; not?: string[]; insert?: [string, string] }[] = [
  { name: 'generator options', text: `${G}new = {\n    sc$0`, has: ['script', 'files', 'dependencies', 'share', 'validation', 'runtimeInputs', 'prompts'], not: ['name', 'mode'] },
  { name: 'file options', text: `${G}new = {\n    files.k = {\n      $0`, has: ['secret', 'deploy', 'owner', 'group', 'mode', 'neededFor', 'restartUnits'], not: ['path', 'script'] },
  { name: 'file options after a dot', text: `${G}new = {\n    files."k.pub".$0`, has: ['secret', 'mode'] },
  { name: 'prompt options', text: `${G}new = {\n    prompts.pw = { t$0 }; };\n}`, has: ['type', 'persist', 'description', 'display'] },
  { name: 'display options', text: `${G}new = {\n    prompts.pw.display = {\n $0`, has: ['group', 'label', 'required', 'helperText'] },
  { name: 'neededFor values in a string', text: `${G}new = {\n    files.k.neededFor = "us$0`, has: ['services', 'users', 'activation', 'partitioning'], insert: ['users', 'users'] },
  { name: 'neededFor values after =', text: `${G}new = {\n    files.k.neededFor = $0`, has: ['services'], insert: ['services', '"services"'] },
  { name: 'prompt type values', text: `${G}new.prompts.pw.type = "$0";\n}`, has: ['line', 'hidden', 'multiline', 'multiline-hidden'] },
  { name: 'secretStore values', text: '{ vars.settings.secretStore = "$0', has: ['sops', 'age', 'password-store'] },
  { name: 'dependencies, those already listed left out', text: `${G}new = {\n    dependencies = [ "ca" "s$0`, has: ['ssh', 'gmail-app-password'], not: ['new', 'ca'] },
  { name: 'dependencies, listed after the cursor left out too', text: `${G}new.dependencies = [ "$0" "gmail-app-password" ];\n}`, has: ['ssh', 'ca'], not: ['gmail-app-password'] },
  { name: "dependencies: only what resolves on the file's machine", file: 'machines/emily/typing-deps.nix', text: `${G}new.dependencies = [ "$0`, has: ['ssh', 'ca', 'gmail-app-password'], not: ['host-name'] },
  { name: 'dependencies, no quote yet', text: `${G}new.dependencies = [ $0`, has: ['ssh'], insert: ['ssh', '"ssh"'] },
  { name: 'generator names after .generators.', text: '{ config, ... }: { x = config.clan.core.vars.generators.$0', has: ['ssh', 'ca', 'host-name'] },
  { name: 'file names after .files.', text: '{ config, ... }: { x = config.clan.core.vars.generators.ssh.files.$0', has: ['key', 'key.pub', 'pass'], insert: ['key.pub', '"key.pub"'] },
  { name: '$out/ in a script', text: `${G}ssh.script = ''\n    cat x > $out/$0`, has: ['key', 'key.pub', 'pass'] },
  { name: '$in/ dependencies, inserted with their slash', text: `${G}ssh.script = ''\n    cat $in/$0`, has: ['ca'], insert: ['ca', 'ca/'] },
  { name: '$in/<dep>/ files', text: `${G}ssh.script = ''\n    cat "$in/ca/c$0`, has: ['ca.key', 'ca.crt'] },
  { name: '$prompts/', text: `${G}ssh.script = ''\n    cat $prompts/$0`, has: ['pass'] },
  { name: 'registry keys in the matrix', file: 'lib/machine-env-matrix.nix', text: '{\n  lea = [ "gmail" "h$0" ];\n  emily = [ "gmail" ];\n}\n', has: ['gmail', 'host-name'] },
];

for (const c of CASES) {
  test(`completion: ${c.name}`, async () => {
    const items = await completeIn(c.file ?? null, c.text);
    const labels = items.map((i) => i.label);
    for (const l of c.has) assert.ok(labels.includes(l), `${l} in ${labels.join(', ')}`);
    for (const l of c.not ?? []) assert.ok(!labels.includes(l), `${l} not in ${labels.join(', ')}`);
    if (c.insert) assert.equal((items.find((i) => i.label === c.insert![0])!.textEdit as TextEdit).newText, c.insert[1]);
  });
}

test('completion: option items carry their documentation', async () => {
  const items = await completeIn(null, `${G}new = {\n    $0`);
  const share = items.find((i) => i.label === 'share')!;
  assert.match(typeof share.documentation === 'string' ? share.documentation : share.documentation!.value, /Default/);
});

test('completion: plain Nix and garbage give an empty answer, not an error', async () => {
  assert.deepEqual(await completeIn(null, '{ services.nginx.$0'), []);
  assert.deepEqual(await completeIn(null, "\u0000''${{[[\"$0"), []);
});

test('completion: a position past the end of its line gets edits on the real line end', async () => {
  const file = path.join(root, 'machines/lea/typing-past-end.nix');
  const text = `${G}new = {\n    sc`;
  client.open(file, text);
  const lines = text.split('\n');
  const line = lines.length - 1;
  const list = (await client.conn.sendRequest('textDocument/completion', { textDocument: { uri: uri(file) }, position: { line, character: 400 } })) as CompletionList;
  assert.ok(list.items.length > 0);
  for (const item of list.items) {
    const range = (item.textEdit as TextEdit).range;
    assert.deepEqual(range.end, { line, character: lines[line].length }, item.label);
    assert.ok(range.start.character <= lines[line].length, item.label);
  }
});

test("completion: a dependency's detail says which machines have it", async () => {
  // a module no machine imports: every name is offered, each with its machines (ssh's files: key, key.pub and the persisted prompt pass)
  const loose = await completeIn('modules/loose.nix', `${G}new.dependencies = [ "$0`);
  assert.match(loose.find((i) => i.label === 'ssh')?.detail ?? '', /^on emily, lea · 3 files$/);
  assert.match(loose.find((i) => i.label === 'ca')?.detail ?? '', /^shared/);
  // short, so that the editor's row never cuts the name for it (issue 57)
  for (const i of loose) assert.ok((i.detail ?? '').length <= 32, `${i.label}: "${i.detail}"`);
  // on a machine: only what resolves there, and whose it is
  const own = await completeIn('machines/emily/typing-detail.nix', `${G}new.dependencies = [ "$0`);
  assert.match(own.find((i) => i.label === 'ssh')?.detail ?? '', /^on emily\b/);
});
