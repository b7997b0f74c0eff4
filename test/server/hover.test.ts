// Hover over stdio: option docs, generator summaries with on-disk state, files, registry keys,
// and script paths, on a small clan (see test/helpers/authoringClan.ts).
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { authoringClan, cursor, LEA, MATRIX } from '../helpers/authoringClan';
import { positionOf, TestClient, uri } from '../helpers/lspClient';
import { removeTree } from '../helpers/tempClan';

let root: string;
let client: TestClient;
before(async () => {
  root = authoringClan();
  client = await TestClient.start(root, { textDocument: { hover: { contentFormat: ['markdown', 'plaintext'] } } });
  await client.waitReady();
  // the hovers below describe the evaluated registry: wait for it, so no case races the evaluation
  await client.waitEvaluated();
});
after(async () => {
  await client.stop();
  removeTree(root);
});

const opened = new Set<string>();
/** Opens the document first, as an editor does before it asks for a hover. */
async function hoverAt(rel: string, position: { line: number; character: number }, text?: string): Promise<string | null> {
  if (text !== undefined && !opened.has(rel)) {
    opened.add(rel);
    client.open(path.join(root, rel), text);
  }
  const h = (await client.conn.sendRequest('textDocument/hover', { textDocument: { uri: uri(path.join(root, rel)) }, position })) as Hover | null;
  return h ? (h.contents as MarkupContent).value : null;
}

const LEA_FILE = 'machines/lea/configuration.nix';
const CASES: { name: string; file: string; text: string; at: string; offset?: number; expect: RegExp[] }[] = [
  { name: 'option key neededFor', file: LEA_FILE, text: LEA, at: 'neededFor', expect: [/\*\*files\.key\.neededFor\*\*/, /Default: `"services"`/, /`"partitioning"`/] },
  { name: 'option key share', file: LEA_FILE, text: LEA, at: 'share', expect: [/\*\*share\*\* — boolean/, /vars\/shared/] },
  { name: 'prompt option type', file: LEA_FILE, text: LEA, at: 'type =', expect: [/multiline-hidden/, /Default: `"line"`/] },
  { name: 'container key files', file: LEA_FILE, text: LEA, at: 'files.key', expect: [/\*\*files\*\*/, /\$out/] },
  {
    name: 'generator declaration',
    file: LEA_FILE,
    text: LEA,
    at: 'ssh = {',
    // a compact summary, a rule, then the commands and the details (the machines' states on one line)
    expect: [
      /^\*\*generator `ssh`\*\* — per machine, on `emily`, `lea` · 1 of 2 generated\n\nFiles: `key` \(secret\), `key\.pub` \(public\), `pass` \(secret\) {2}\nPrompts: `pass` \(hidden, persisted\) {2}\nDepends on: `ca` · Needed by: —\n\n---\n\n```sh\nclan vars generate emily --generator ssh\nclan vars generate emily --generator ssh --regenerate\n[^`]*```\n/,
      /- `key` — secret, deployed, needed for users/,
      /On disk \(sops[^)]*\): emily validation hash outdated[^·]*· lea generated\n/,
    ],
  },
  { name: 'dependency entry', file: LEA_FILE, text: LEA, at: '"ca" ]', offset: 1, expect: [/generator `ca`\*\* — shared between machines \(`lea`\) · 0 of 1 generated/, /Needed by: `ssh`/, /On disk \([^)]*\): shared not generated/] },
  { name: 'generators access', file: LEA_FILE, text: LEA, at: 'generators.ssh.files', offset: 12, expect: [/generator `ssh`/] },
  {
    name: 'file read through .files.key.path',
    file: LEA_FILE,
    text: LEA,
    at: 'files.key.path',
    offset: 6,
    expect: [/file `key`\*\* of generator `ssh` — secret/, /`vars\/per-machine\/lea\/ssh\/key\/secret` — exists/, /\/run\/secrets-for-users\/vars\/per-machine\/emily\/ssh\/key/],
  },
  { name: '$out in a script', file: LEA_FILE, text: LEA, at: '$out/key', offset: 5, expect: [/`\$out\/key` — write this file/] },
  { name: '$in dep file', file: LEA_FILE, text: LEA, at: '$in/ca/ca.key', offset: 8, expect: [/`\$in\/ca\/ca.key`/, /not deployed/] },
  { name: '$in dep', file: LEA_FILE, text: LEA, at: '$in/ca/ca.key', offset: 4, expect: [/`\$in\/ca`/, /generator `ca`/] },
  { name: '$prompts', file: LEA_FILE, text: LEA, at: '$prompts/pass', offset: 9, expect: [/Type: hidden; persisted/] },
  { name: 'registry key in the matrix', file: 'lib/machine-env-matrix.nix', text: MATRIX, at: '"gmail"', offset: 1, expect: [/GMAIL_APP_PASSWORD_FILE/, /`mail` \/ `app-password`/, /Machines selecting it: `emily`, `lea`/] },
  { name: 'public registry key', file: 'lib/machine-env-matrix.nix', text: MATRIX, at: 'host-name', expect: [/`HOST_NAME` \(the value itself, public\)/] },
  {
    name: 'option of a file with a dotted name: the title quotes it as Nix must',
    file: 'machines/lea/borg.nix',
    text: '{ clan.core.vars.generators.borg.files."borgbackup.ssh".neededFor = "users"; }\n',
    at: 'neededFor',
    expect: [/\*\*files\."borgbackup\.ssh"\.neededFor\*\*/],
  },
  { name: 'enum value of neededFor', file: 'machines/lea/borg.nix', text: '{ clan.core.vars.generators.borg.files."borgbackup.ssh".neededFor = "users"; }\n', at: '"users"', offset: 2, expect: [/\*\*`"users"`\*\* — `files\."borgbackup\.ssh"\.neededFor`/, /before users and groups are created/, /must be `root`/] },
  { name: 'enum value of a prompt type', file: LEA_FILE, text: LEA, at: '"hidden"', offset: 2, expect: [/\*\*`"hidden"`\*\*/, /not shown while typed, asked twice/] },
  { name: 'vars.settings.secretStore', file: 'clan.nix', text: '{ vars.settings.secretStore = "sops"; }\n', at: 'secretStore', expect: [/"password-store"/] },
];

for (const c of CASES) {
  test(`hover: ${c.name}`, async () => {
    const value = await hoverAt(c.file, positionOf(c.text, c.at, c.offset ?? 0), c.text);
    assert.ok(value, 'a hover');
    for (const re of c.expect) assert.match(value!, re);
    assert.doesNotMatch(value!, /<machine>/, 'no placeholder to edit before a command runs');
  });
}

test('hover: nothing on plain Nix, and no error on an open half-typed document', async () => {
  assert.equal(await hoverAt(LEA_FILE, positionOf(LEA, 'pkgs, ...')), null);
  const { text, position } = cursor('{ clan.core.vars.generators.x = { files.k = { mo$0de = "04');
  const file = path.join(root, 'machines/lea/half.nix');
  client.open(file, text);
  const value = await hoverAt('machines/lea/half.nix', position);
  assert.match(value ?? '', /mode/);
});

test('hover: an editor that runs clanVars.generate gets Generate / Regenerate links under the generator summary', async () => {
  const other = await TestClient.start(root, { textDocument: { hover: { contentFormat: ['markdown'] } }, experimental: { clanVarsCommands: ['clanVars.generate'] } });
  try {
    await other.waitReady();
    const file = path.join(root, LEA_FILE);
    other.open(file, LEA);
    const h = (await other.conn.sendRequest('textDocument/hover', { textDocument: { uri: uri(file) }, position: positionOf(LEA, 'ssh = {') })) as Hover;
    const value = (h.contents as MarkupContent).value;
    const links = [...value.matchAll(/\[(\w+) on (\w+)\]\(command:clanVars\.generate\?([^)]+)\)/g)].map((m) => [m[1], m[2], JSON.parse(decodeURIComponent(m[3]))]);
    assert.deepEqual(links, [
      ['Generate', 'emily', [{ generator: 'ssh', machine: 'emily', regenerate: false }]],
      ['Regenerate', 'emily', [{ generator: 'ssh', machine: 'emily', regenerate: true }]],
    ]);
    assert.ok(value.indexOf('command:') < value.indexOf('\n---\n'), 'the links belong to the summary');
  } finally {
    await other.stop();
  }
  // without the command (an untrusted workspace, another editor): no links
  const plain = await hoverAt(LEA_FILE, positionOf(LEA, 'ssh = {'), LEA);
  assert.doesNotMatch(plain!, /command:/);
});
