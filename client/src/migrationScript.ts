// "Clan Vars: Write Migration Script": asks the server for the script that moves stored facts and
// sops-nix values into clan vars, and opens it in an unsaved editor. Nothing is written or run: the
// user reviews the script, saves it where they like and runs it in a terminal.
import * as vscode from 'vscode';
import { ExecuteCommandRequest, type LanguageClient } from 'vscode-languageclient/node';
import { MIGRATION_SCRIPT_COMMAND, type MigrationScriptResult } from '../../server/src/lsp/protocol';
import { noticeText } from '../../server/src/base/printable';

/** The script and report of the clan of the active editor (or the workspace's main clan); undefined when it failed (the user was told). */
async function fetchMigration(output: vscode.LogOutputChannel, client: () => LanguageClient | undefined): Promise<MigrationScriptResult | undefined> {
  const c = client();
  if (!c?.isRunning()) {
    void vscode.window.showErrorMessage('Clan Vars: the language server is not running (see Clan Vars: Show Log).');
    return undefined;
  }
  const active = vscode.window.activeTextEditor?.document.uri;
  const args = active?.scheme === 'file' ? [active.toString()] : [];
  let result: MigrationScriptResult | null;
  try {
    result = (await c.sendRequest(ExecuteCommandRequest.type, { command: MIGRATION_SCRIPT_COMMAND, arguments: args })) as MigrationScriptResult | null;
  } catch (e) {
    output.error(`writing the migration script failed: ${e}`);
    void vscode.window.showErrorMessage(`Clan Vars: writing the migration script failed: ${e}`);
    return undefined;
  }
  if (!result) void vscode.window.showWarningMessage('Clan Vars: no clan found in this workspace.');
  return result ?? undefined;
}

export function registerMigrationScript(context: vscode.ExtensionContext, output: vscode.LogOutputChannel, client: () => LanguageClient | undefined): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('clanVars.writeMigrationScript', async () => {
      const result = await fetchMigration(output, client);
      if (!result) return;
      const doc = await vscode.workspace.openTextDocument({ language: 'shellscript', content: result.script });
      await vscode.window.showTextDocument(doc, { preview: false });
      void vscode.window.showInformationMessage(noticeText(`Review this script, save it, and run it from ${result.root} (first with --dry-run). It holds no values: they pass through pipes when it runs.`));
    }),
    // the report as an unsaved Markdown document (its preview is one command away: nothing is written)
    vscode.commands.registerCommand('clanVars.showMigrationReport', async () => {
      const result = await fetchMigration(output, client);
      if (!result) return;
      const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: result.report });
      await vscode.window.showTextDocument(doc, { preview: false });
    }),
  );
}
