// Quick fixes through the built server, as an editor asks for them (textDocument/codeAction), and
// the same diagnostics from the server as from the checker.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import type { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver-protocol';
import { applyEdits } from '../../server/src/cli/applyFixes';
import { analyze } from '../helpers/analyze';
import { TestClient, uri } from '../helpers/lspClient';
import { removeTree, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
const clients: TestClient[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.stop()));
  roots.forEach(removeTree);
});

const FILES: Record<string, string> = {
  'flake.nix': '{ }',
  'lib/secret-registry.nix': `{ pkgs ? null }:
let
  mkPromptedSecret = { generator, envVar ? null, ... }: { inherit generator envVar; };
in
{
  openrouter = mkPromptedSecret { generator = "openrouter-api-key"; envVar = "OPENROUTER_API_KEY"; };
}
`,
  'lib/machine-env-matrix.nix': `{ lea = [ "openrouter" "mistral" ]; }\n`,
  'lib/vars-generators.nix': `{ keys, pkgs ? null }: { }\n`,
  'machines/lea/default.nix': `{ lib, pkgs, ... }:
{
  imports = [
    ./hardware.nix
    (lib.modules.importApply ../../lib/vars-generators.nix { keys = [ "openrouter" ]; })
  ];
  networking.hostName = "lea";
}
`,
  'machines/lea/hardware.nix': '{ }\n',
  'machines/lea/ssh.nix': `{ pkgs, ... }:
{
  clan.core.vars.generators.ca.files.key = { };
  clan.core.vars.generators.ca.script = "touch $out/key";
  clan.core.vars.generators.ssh = {
    files.key.mode = "400";
    files.cert = { };
    runtimeInputs = [ ];
    script = ''
      openssl rand -hex 8 > $out/key
      cat $in/ca/key > $out/cert
    '';
  };
}
`,
};

async function setup() {
  const root = writeTree(FILES);
  roots.push(root);
  const c = await TestClient.start(root);
  clients.push(c);
  await c.waitReady();
  return { root, c };
}

async function actionsFor(c: TestClient, file: string, code: string): Promise<{ diagnostic: Diagnostic; actions: CodeAction[] }> {
  const diagnostics = await c.waitForDiagnostics(file, (d) => d.some((x) => x.code === code));
  const diagnostic = diagnostics.find((x) => x.code === code)!;
  const actions = (await c.conn.sendRequest('textDocument/codeAction', {
    textDocument: { uri: uri(file) },
    range: diagnostic.range,
    context: { diagnostics: [diagnostic] },
  })) as CodeAction[];
  return { diagnostic, actions: actions.filter((a) => a.diagnostics?.[0]?.code === code) };
}

/** The text of `file` after applying the action's edits for it. */
function applied(action: CodeAction, file: string): string {
  const edits = (action.edit?.changes?.[uri(file)] ?? []) as TextEdit[];
  return applyEdits(fs.readFileSync(file, 'utf8'), edits.map((e) => ({ file, range: e.range, newText: e.newText })));
}

test('code actions: invalid-mode offers the four-digit mode, preferred because it is safe', async () => {
  const { root, c } = await setup();
  const file = path.join(root, 'machines/lea/ssh.nix');
  const { actions } = await actionsFor(c, file, 'invalid-mode');
  assert.equal(actions.filter((a) => !a.title.startsWith('Ignore ')).length, 1);
  assert.equal(actions[0].title, 'Change to "0400"');
  assert.equal(actions[0].kind, 'quickfix');
  assert.equal(actions[0].isPreferred, true);
  assert.match(applied(actions[0], file), /files\.key\.mode = "0400";/);
});

test('code actions: missing-runtime-input adds the package; unknown-input adds the dependency', async () => {
  const { root, c } = await setup();
  const file = path.join(root, 'machines/lea/ssh.nix');
  const runtime = await actionsFor(c, file, 'missing-runtime-input');
  assert.equal(runtime.actions[0].title, 'Add pkgs.openssl to runtimeInputs');
  assert.match(applied(runtime.actions[0], file), /runtimeInputs = \[ pkgs\.openssl \];/);
  const input = await actionsFor(c, file, 'unknown-input');
  assert.equal(input.actions[0].title, 'Add "ca" to dependencies');
  assert.match(applied(input.actions[0], file), /\n    dependencies = \[ "ca" \];\n  \};\n/);
});

test('code actions: an unknown registry key gets a registry entry in the registry\'s own style', async () => {
  const { root, c } = await setup();
  const matrix = path.join(root, 'lib/machine-env-matrix.nix');
  const registry = path.join(root, 'lib/secret-registry.nix');
  const { actions } = await actionsFor(c, matrix, 'unknown-registry-key');
  const add = actions.find((a) => a.title === "Add 'mistral' to the secret registry");
  assert.ok(add, JSON.stringify(actions));
  assert.match(applied(add!, registry), /\n  mistral = mkPromptedSecret \{ generator = "mistral-api-key"; envVar = "MISTRAL_API_KEY"; \};\n\}/);
});

test('code actions: importApply of generators is rewritten into let + clan.core.vars.generators', async () => {
  const { root, c } = await setup();
  const file = path.join(root, 'machines/lea/default.nix');
  const { actions } = await actionsFor(c, file, 'import-apply-generators');
  assert.equal(actions.filter((a) => !a.title.startsWith('Ignore ')).length, 1);
  assert.equal(actions[0].isPreferred, false);
  assert.equal(
    applied(actions[0], file),
    `{ lib, pkgs, ... }:
let
  varsGenerators = import ../../lib/vars-generators.nix { keys = [ "openrouter" ]; };
in
{
  imports = [
    ./hardware.nix
  ];
  networking.hostName = "lea";
  clan.core.vars.generators = varsGenerators;
}
`,
  );
});

test('server and checker report the same diagnostics', async () => {
  const { root, c } = await setup();
  const { found } = await analyze(root);
  const files = [...new Set(found.map((f) => f.file))];
  assert.ok(found.length >= 5, JSON.stringify(found));
  const fromServer: string[] = [];
  for (const rel of files) {
    const d = await c.waitForDiagnostics(path.join(root, rel), (x) => x.length === found.filter((f) => f.file === rel).length);
    for (const x of d) fromServer.push(`${rel}:${x.range.start.line + 1} ${x.code}`);
  }
  assert.deepEqual(fromServer.sort(), found.map((f) => `${f.file}:${f.line} ${f.code}`).sort());
});

test('code actions: the sops-nix migration is one edit of the declaration and its readers, shown for confirmation first where the editor can', async () => {
  const root = writeTree({
    'flake.nix': '{ inputs.clan-core.url = "https://git.clan.lol/clan/clan-core/archive/main.tar.gz"; outputs = _: { }; }\n', // names clan: machines/ are its machines
    'machines/host/configuration.nix': `{ config, ... }:
{
  sops.secrets.wg-key.owner = "systemd-network";
  networking.wireguard.interfaces.wg0.privateKeyFile = config.sops.secrets.wg-key.path;
}
`,
    'machines/host/backup.nix': `{ config, ... }: { services.restic.backups.b.passwordFile = config.sops.secrets.wg-key.path; }\n`,
  });
  roots.push(root);
  const file = path.join(root, 'machines/host/configuration.nix');
  for (const annotations of [true, false]) {
    const c = await TestClient.start(root, annotations ? { workspaceEdit: { documentChanges: true, changeAnnotationSupport: { groupsOnLabel: true } } } : {});
    clients.push(c);
    await c.waitReady();
    const { diagnostic, actions } = await actionsFor(c, file, 'sops-nix-secret');
    assert.equal(diagnostic.severity, 4, 'a hint');
    assert.equal(actions.filter((a) => !a.title.startsWith('Ignore ')).length, 1);
    assert.equal(actions[0].title, "Move sops-nix secret 'wg-key' to a vars generator");
    assert.equal(actions[0].isPreferred, false);
    const edit = actions[0].edit!;
    if (annotations) {
      assert.equal(edit.changes, undefined);
      const annotation = Object.values(edit.changeAnnotations ?? {})[0];
      // ticked in the editor's preview: an edit that needs confirmation starts unticked, and Apply then does nothing
      assert.equal(annotation?.needsConfirmation, false);
      assert.match(annotation.description ?? '', /declaration and 2 readers in 2 files.*not moved here.*written before or after/);
      const docs = (edit.documentChanges ?? []) as { textDocument: { uri: string }; edits: TextEdit[] }[];
      assert.deepEqual(docs.map((d) => d.textDocument.uri).sort(), [uri(path.join(root, 'machines/host/backup.nix')), uri(file)].sort());
      const own = docs.find((d) => d.textDocument.uri === uri(file))!.edits;
      const text = applyEdits(fs.readFileSync(file, 'utf8'), own.map((e) => ({ file, range: e.range, newText: e.newText })));
      assert.match(text, /clan\.core\.vars\.generators\.wg-key = \{/);
      assert.match(text, /files\.value = \{ owner = "systemd-network"; \};/);
      assert.match(text, /privateKeyFile = config\.clan\.core\.vars\.generators\.wg-key\.files\.value\.path;/);
    } else {
      assert.equal(Object.keys(edit.changes ?? {}).length, 2, 'plain changes for an editor without change annotations');
      assert.match(applied(actions[0], file), /clan\.core\.vars\.generators\.wg-key/);
    }
  }
});

test('code actions: every diagnostic can be ignored on its line or, when the editor has the command, in the workspace', async () => {
  const root = writeTree(FILES);
  roots.push(root);
  const c = await TestClient.start(root, { experimental: { clanVarsCommands: ['clanVars.ignoreCode'] } });
  clients.push(c);
  await c.waitReady();
  const file = path.join(root, 'machines/lea/ssh.nix');
  const { actions } = await actionsFor(c, file, 'invalid-mode');
  assert.deepEqual(actions.map((a) => a.title), ['Change to "0400"', 'Ignore invalid-mode on this line', 'Ignore invalid-mode in this workspace']);
  assert.deepEqual(actions[2].command, { title: 'Ignore invalid-mode in this workspace', command: 'clanVars.ignoreCode', arguments: ['invalid-mode'] });
  const ignored = applied(actions[1], file);
  assert.match(ignored, /\n    # clan-vars: ignore invalid-mode\n    files\.key\.mode = "400";/);
  // the comment silences it: the checker agrees
  fs.writeFileSync(file, ignored);
  assert.deepEqual((await analyze(root)).found.filter((p) => p.code === 'invalid-mode'), []);
  // a second code goes into the same comment
  const runtime = await actionsFor(c, file, 'missing-runtime-input');
  const line = runtime.actions.find((a) => a.title === 'Ignore missing-runtime-input on this line');
  assert.ok(line, runtime.actions.map((a) => a.title).join(', '));
});

test('code actions: a dependency cycle offers to remove each of its dependencies', async () => {
  const root = writeTree({
    'flake.nix': '{ }',
    'machines/m/a.nix': `{
  clan.core.vars.generators.a = { dependencies = [ "c" "b" ]; files.x = { }; script = "touch $out/x"; };
}
`,
    'machines/m/b.nix': `{
  clan.core.vars.generators.b = { dependencies = [ "a" ]; files.x = { }; script = "touch $out/x"; };
  clan.core.vars.generators.c = { files.x = { }; script = "touch $out/x"; };
}
`,
  });
  roots.push(root);
  const c = await TestClient.start(root);
  clients.push(c);
  await c.waitReady();
  const a = path.join(root, 'machines/m/a.nix');
  const b = path.join(root, 'machines/m/b.nix');
  const { actions } = await actionsFor(c, a, 'dependency-cycle');
  const removals = actions.filter((x) => x.title.startsWith('Remove '));
  assert.deepEqual(removals.map((x) => x.title), ['Remove this dependency (breaks the cycle)', "Remove the dependency of 'b' on 'a' (breaks the cycle)"]);
  assert.match(applied(removals[0], a), /dependencies = \[ "c" \];/);
  assert.match(applied(removals[1], b), /clan\.core\.vars\.generators\.b = \{ dependencies = \[ \]; /);
});

test('diagnostics link their code to its explanation in docs/diagnostics.md when the editor shows such links', async () => {
  for (const support of [true, false]) {
    const root = writeTree(FILES);
    roots.push(root);
    const c = await TestClient.start(root, { textDocument: { publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: support } } });
    clients.push(c);
    await c.waitReady();
    const file = path.join(root, 'machines/lea/ssh.nix');
    const d = (await c.waitForDiagnostics(file, (ds) => ds.some((x) => x.code === 'invalid-mode'))).find((x) => x.code === 'invalid-mode')!;
    if (!support) {
      assert.equal(d.codeDescription, undefined);
      continue;
    }
    const m = /^(file:\/\/.+)#L(\d+)$/.exec(d.codeDescription?.href ?? '');
    assert.ok(m, JSON.stringify(d.codeDescription));
    const line = fs.readFileSync(new URL(m[1]), 'utf8').split('\n')[Number(m[2]) - 1];
    assert.match(line, /^### .*`invalid-mode`/);
  }
});

test('code actions carry the version of the document they were computed on, null for files not open, when the editor takes versioned edits', async () => {
  const root = writeTree(FILES);
  roots.push(root);
  const c = await TestClient.start(root, { workspaceEdit: { documentChanges: true } });
  clients.push(c);
  await c.waitReady();
  const file = path.join(root, 'machines/lea/ssh.nix');
  c.open(file, FILES['machines/lea/ssh.nix']);
  c.change(file, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, '# edited\n');
  // the edit moved the mode down a line: these diagnostics are of version 2
  await c.waitForDiagnostics(file, (ds) => ds.some((x) => x.code === 'invalid-mode' && x.range.start.line === 6));
  const { actions } = await actionsFor(c, file, 'invalid-mode');
  type Versioned = { textDocument: { uri: string; version: number | null }; edits: TextEdit[] };
  for (const title of ['Change to "0400"', 'Ignore invalid-mode on this line']) {
    const edit = actions.find((a) => a.title === title)?.edit;
    assert.ok(edit, `${title}: ${JSON.stringify(actions.map((a) => a.title))}`);
    assert.equal(edit.changes, undefined, title);
    const docs = edit.documentChanges as Versioned[];
    assert.deepEqual(docs.map((d) => d.textDocument), [{ uri: uri(file), version: 2 }], title);
  }
  const fix = (actions.find((a) => a.title === 'Change to "0400"')!.edit!.documentChanges as Versioned[])[0].edits;
  const text = applyEdits(`# edited\n${FILES['machines/lea/ssh.nix']}`, fix.map((e) => ({ file, range: e.range, newText: e.newText })));
  assert.match(text, /^# edited\n[^]*files\.key\.mode = "0400";/);
  // a fix in a file that is not open: any version (the file on disk is what it was computed on)
  const matrix = path.join(root, 'lib/machine-env-matrix.nix');
  const registry = path.join(root, 'lib/secret-registry.nix');
  // once the registry pipeline is evaluated: the matrix's problems stay those the action is asked for
  await c.waitEvaluated();
  const matrixActions = (await actionsFor(c, matrix, 'unknown-registry-key')).actions;
  const add = matrixActions.find((a) => a.title === "Add 'mistral' to the secret registry");
  assert.ok(add, JSON.stringify(matrixActions.map((a) => a.title)));
  assert.deepEqual((add?.edit?.documentChanges as Versioned[]).map((d) => d.textDocument), [{ uri: uri(registry), version: null }]);
});
