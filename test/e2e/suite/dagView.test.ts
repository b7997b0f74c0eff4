// The dependency DAG webview (issue 8). Runs when package.json contributes a graph command.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { contributedCommands, WAIT_MS } from './helpers';
import { area, scenario, skip } from './runner';

function webviewTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview);
}

area('DAG view', () => {
  scenario('Show Dependency Graph opens a webview', async () => {
    const command = contributedCommands().find((c) => /graph|dag/i.test(c));
    if (!command) skip('package.json contributes no graph command yet (the DAG view is issue 8)');
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
});
