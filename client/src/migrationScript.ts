// "Clan Vars: Write Migration Script": asks the server for the script that moves stored facts and
// sops-nix values into clan vars, and opens it in an unsaved editor. Nothing is written or run: the
// user reviews the script, saves it where they like and runs it in a terminal. "Clan Vars: Show
// Migration Report": the report, rendered, in a read-only view.
import * as path from 'node:path';
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
    // the report rendered (the Markdown preview) of a read-only document of our own: nothing to
    // save, so closing it asks nothing; the raw text, read-only too, where the preview is not there
    vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, reports),
    vscode.commands.registerCommand('clanVars.showMigrationReport', async () => {
      const result = await fetchMigration(output, client);
      if (!result) return;
      const uri = reports.set(result.root, result.report);
      if (vscode.extensions.getExtension('vscode.markdown-language-features')) {
        try {
          await vscode.commands.executeCommand('markdown.showPreview', uri);
          return;
        } catch (e) {
          output.warn(`the Markdown preview did not open the migration report: ${e}`);
        }
      }
      await vscode.window.showTextDocument(uri, { preview: false });
    }),
  );
}

const REPORT_SCHEME = 'clan-vars-report';

/** The migration reports shown, one per clan, as read-only documents `clan-vars-report:/<clan>/Migration Report.md`. */
class ReportDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  /** Keeps the clan's report; its document's uri (told to change when it was shown before). */
  set(root: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: REPORT_SCHEME, path: `/${path.basename(root) || 'clan'}/Migration Report.md`, query: new URLSearchParams({ root }).toString() });
    const key = uri.toString();
    const shown = this.texts.has(key);
    this.texts.set(key, text);
    if (shown) this.changed.fire(uri);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? 'This report is no longer available: run Clan Vars: Show Migration Report again.\n';
  }
}
const reports = new ReportDocuments();
