// The dependency DAG webview: the graph command opens a webview.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { contributedCommands, openFixture, WAIT_MS } from './helpers';
import { area, scenario } from './runner';

/** Resolves once `ok()` holds, checked now and at every change of tabs or groups; fails after WAIT_MS with `what`. */
function until(ok: () => boolean, what: string): Promise<void> {
  if (ok()) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const done = () => (clearTimeout(timer), subs.forEach((s) => s.dispose()));
    const check = () => ok() && (done(), resolve());
    const timer = setTimeout(() => (done(), reject(new Error(`${what} within ${WAIT_MS} ms; groups: ${describeGroups()}`))), WAIT_MS);
    const subs = [vscode.window.tabGroups.onDidChangeTabs(check), vscode.window.tabGroups.onDidChangeTabGroups(check)];
  });
}

function describeGroups(): string {
  return vscode.window.tabGroups.all.map((g) => `${g.viewColumn}: [${g.tabs.map((t) => t.label).join(', ')}]`).join('; ');
}

function webviewTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview);
}

area('DAG view', () => {
  scenario('Show Dependency Graph opens a webview', async () => {
    const command = contributedCommands().find((c) => /graph|dag/i.test(c));
    assert.ok(command, 'package.json contributes no graph command');
    const before = webviewTabs().length;
    const opened = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => (sub.dispose(), reject(new Error(`${command} opened no webview within ${WAIT_MS} ms`))), WAIT_MS);
      const sub = vscode.window.tabGroups.onDidChangeTabs(() => {
        if (webviewTabs().length > before) (clearTimeout(timer), sub.dispose(), resolve());
      });
    });
    await vscode.commands.executeCommand(command);
    await opened;
    assert.ok(webviewTabs().length > before);
  });

  scenario('the viewColumn option moves the graph: into the active group, then into a new group of its own', async () => {
    const command = contributedCommands().find((c) => /graph|dag/i.test(c))!;
    await openFixture('lib/machine-env-matrix.nix');
    const editorColumn = vscode.window.activeTextEditor?.viewColumn;
    assert.ok(editorColumn, 'no active text editor');
    await vscode.commands.executeCommand(command, { viewColumn: 'active' });
    await until(() => webviewTabs().some((t) => t.group.viewColumn === editorColumn), `the graph did not move into the editor's group ${editorColumn}`);
    await vscode.commands.executeCommand(command, { viewColumn: 'newGroup' });
    await until(() => {
      const tab = webviewTabs()[0];
      const last = Math.max(...vscode.window.tabGroups.all.map((g) => g.viewColumn));
      return !!tab && tab.group.tabs.length === 1 && tab.group.viewColumn === last && last > editorColumn;
    }, 'the graph did not move into a new group of its own');
  });
});
