// "Clan Vars: Write Migration Script": asks the server for the script that moves stored facts and
// sops-nix values into clan vars, and opens it in an unsaved editor. Nothing is written or run: the
// user reviews the script, saves it where they like and runs it in a terminal.
import * as vscode from 'vscode';
import { ExecuteCommandRequest, type LanguageClient } from 'vscode-languageclient/node';
import { MIGRATION_SCRIPT_COMMAND, type MigrationScriptResult } from '../../server/src/protocol';
import { printable } from '../../server/src/vars/clanNames';

export function registerMigrationScript(context: vscode.ExtensionContext, output: vscode.LogOutputChannel, client: () => LanguageClient | undefined): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('clanVars.writeMigrationScript', async () => {
      const c = client();
      if (!c?.isRunning()) {
        void vscode.window.showErrorMessage('Clan Vars: the language server is not running (see Clan Vars: Show Log).');
        return;
      }
      const active = vscode.window.activeTextEditor?.document.uri;
      const args = active?.scheme === 'file' ? [active.toString()] : [];
      let result: MigrationScriptResult | null;
      try {
        result = (await c.sendRequest(ExecuteCommandRequest.type, { command: MIGRATION_SCRIPT_COMMAND, arguments: args })) as MigrationScriptResult | null;
      } catch (e) {
        output.error(`writing the migration script failed: ${e}`);
        void vscode.window.showErrorMessage(`Clan Vars: writing the migration script failed: ${e}`);
        return;
      }
      if (!result) {
        void vscode.window.showWarningMessage('Clan Vars: no clan found in this workspace.');
        return;
      }
      const doc = await vscode.workspace.openTextDocument({ language: 'shellscript', content: result.script });
      await vscode.window.showTextDocument(doc, { preview: false });
      void vscode.window.showInformationMessage(`Review this script, save it, and run it from ${printable(result.root)} (first with --dry-run). It holds no values: they pass through pipes when it runs.`);
    }),
  );
}
