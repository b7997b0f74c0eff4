// Scenarios for the commands that run clan, against the stand-in clan CLI (test/fixtures/fake-clan,
// copied beside the workspace by runTests.ts) which logs the argv and cwd of every call. The
// commands take the vars view's nodes as arguments, which skips the pickers. The two that ask in a
// modal dialog or an input box (regenerateGenerator, setVar) run in the workbench instead:
// test/e2e/ui.vars.ts (see UI_TESTED in commands.test.ts).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { WAIT_MS } from './helpers';

const FAKE_SPEC = {
  machines: {
    bo: {
      'wireguard-key': { files: { privatekey: { secret: true }, publickey: { secret: false } } },
      'wireguard-peers': { files: { peers: { secret: false } }, dependencies: ['wireguard-key'] },
    },
  },
};

function root(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder');
  return folder.uri.fsPath;
}

const fakeClan = () => path.join(path.dirname(root()), 'fake-clan', 'clan');
const callLog = () => path.join(path.dirname(root()), 'fake-clan', 'calls.jsonl');

/** Points clanVars.clanCommand at the stand-in and returns a reader of the calls it logged. */
async function useFakeClan(): Promise<() => { argv: string[]; cwd: string }[]> {
  fs.writeFileSync(path.join(root(), 'fake-clan.json'), JSON.stringify({ ...FAKE_SPEC, log: callLog() }));
  fs.rmSync(callLog(), { force: true });
  await vscode.workspace.getConfiguration('clanVars').update('clanCommand', [fakeClan()], vscode.ConfigurationTarget.Workspace);
  return () => (fs.existsSync(callLog()) ? fs.readFileSync(callLog(), 'utf8').trim().split('\n').map((l) => JSON.parse(l)) : []);
}

/** Waits until the stand-in has logged a call whose argv starts with `prefix`. */
async function waitForCall(calls: () => { argv: string[]; cwd: string }[], prefix: string[]): Promise<{ argv: string[]; cwd: string }> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const hit = calls().find((c) => prefix.every((p, i) => c.argv[i] === p));
    if (hit) return hit;
    if (Date.now() > deadline) assert.fail(`clan was not run with ${prefix.join(' ')} within ${WAIT_MS} ms; calls: ${JSON.stringify(calls())}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const clanNode = () => ({ type: 'clan', clan: { root: root(), backend: 'sops', backendSource: 'default', machines: [], shared: [], unassigned: [] } });
const machineNode = (name: string) => ({ ...clanNode(), type: 'machine', name, sources: ['matrix'], generators: [] });
const fileNode = () => {
  const file = { name: 'publickey', secret: false, state: 'generated', kind: 'public', path: path.join(root(), 'vars/per-machine/bo/wireguard-key/publickey/value') };
  const generator = { name: 'wireguard-key', machine: 'bo', state: 'generated', validation: { kind: 'none' }, files: [file], declarations: [], dependents: [], filesFromDisk: false };
  return { ...clanNode(), type: 'file', generator, file };
};

/** Waits for the terminal a clan run opened to close (the stand-in exits when done). */
function terminalClosed(): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the clan terminal did not close within ${WAIT_MS} ms`)), WAIT_MS);
    const sub = vscode.window.onDidCloseTerminal((t) => {
      if (!t.name.startsWith('Clan Vars')) return;
      clearTimeout(timer);
      sub.dispose();
      resolve();
    });
  });
}

export const VARS_RUNNERS: Record<string, () => Promise<void>> = {
  'clanVars.generateVars': async () => {
    const calls = await useFakeClan();
    const closed = terminalClosed();
    await vscode.commands.executeCommand('clanVars.generateVars', machineNode('bo'));
    const call = await waitForCall(calls, ['vars', 'generate', 'bo']);
    assert.equal(call.cwd, root(), 'clan must run from the clan root');
    await closed;
    assert.equal(fs.readFileSync(path.join(root(), 'vars/per-machine/bo/wireguard-peers/peers/value'), 'utf8'), 'fake-wireguard-peers-peers-bo');
  },
  'clanVars.generate': async () => {
    const calls = await useFakeClan();
    const closed = terminalClosed();
    await vscode.commands.executeCommand('clanVars.generate', { generator: 'wireguard-peers', machine: 'bo', regenerate: false });
    await waitForCall(calls, ['vars', 'generate', 'bo']);
    await closed;
  },
  'clanVars.checkVars': async () => {
    const calls = await useFakeClan();
    await vscode.commands.executeCommand('clanVars.checkVars', machineNode('bo'));
    const call = await waitForCall(calls, ['vars', 'check', 'bo']);
    assert.equal(call.cwd, root());
  },
  'clanVars.fixVars': async () => {
    const calls = await useFakeClan();
    const closed = terminalClosed();
    await vscode.commands.executeCommand('clanVars.fixVars', machineNode('bo'));
    await waitForCall(calls, ['vars', 'fix', 'bo']);
    await closed;
  },
  'clanVars.getVar': async () => {
    const calls = await useFakeClan();
    const closed = terminalClosed();
    await vscode.commands.executeCommand('clanVars.getVar', fileNode());
    await waitForCall(calls, ['vars', 'get', 'bo', 'wireguard-key/publickey']);
    await closed;
  },
  'clanVars.fetchInputs': async () => {
    // a flake without inputs beside the workspace (the fixture's clan-core input needs the network):
    // nix flake archive runs (or, without nix on PATH, the command says so), then the inputs are read again
    const flake = path.join(path.dirname(root()), 'fetch-inputs-flake');
    fs.mkdirSync(flake, { recursive: true });
    fs.writeFileSync(path.join(flake, 'flake.nix'), '{ outputs = _: { }; }\n');
    await vscode.commands.executeCommand('clanVars.fetchInputs', { ...clanNode(), clan: { ...clanNode().clan, root: flake } });
  },
  'clanVars.cancelRun': async () => {
    // nothing is running: the command says so and returns
    await vscode.commands.executeCommand('clanVars.cancelRun');
  },
  'clanVars.refreshVars': async () => {
    await vscode.commands.executeCommand('clanVars.refreshVars');
  },
  'clanVars.openVarFile': async () => {
    await vscode.commands.executeCommand('clanVars.openVarFile', fileNode());
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, fileNode().file.path);
  },
  'clanVars.copyVarPath': async () => {
    await vscode.commands.executeCommand('clanVars.copyVarPath', fileNode());
    assert.equal(await vscode.env.clipboard.readText(), 'config.clan.core.vars.generators.wireguard-key.files.publickey.path');
  },
  'clanVars.revealVar': async () => {
    const node = fileNode();
    await vscode.commands.executeCommand('clanVars.revealVar', node);
    // a public value opens as the file itself (earlier scenarios may have regenerated it)
    assert.equal(vscode.window.activeTextEditor?.document.getText(), fs.readFileSync(node.file.path, 'utf8'));
  },
  'clanVars.showDependencyGraph': async () => {
    const labels = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => t.label));
    const opened = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no dependency graph tab within ${WAIT_MS} ms; tabs: ${labels().join(', ')}`)), WAIT_MS);
      const check = () => {
        if (!labels().some((l) => /Dependency Graph/.test(l))) return;
        clearTimeout(timer);
        sub.dispose();
        resolve();
      };
      const sub = vscode.window.tabGroups.onDidChangeTabs(check);
      check();
    });
    await vscode.commands.executeCommand('clanVars.showDependencyGraph');
    await opened;
    // close it again: the DAG view area opens its own panel and waits for a new webview
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => /Dependency Graph/.test(t.label));
    await vscode.window.tabGroups.close(tabs);
  },
};
