// The dependency graph view: the "Show Dependency Graph" command. One call from activate().
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { GRAPH_VIEW_TYPE, GraphPanel, type ShowArgument } from './graphPanel';

export const SHOW_GRAPH_COMMAND = 'clanVars.showDependencyGraph';

export function registerDependencyGraph(context: vscode.ExtensionContext, output: vscode.LogOutputChannel, client: () => LanguageClient | undefined): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(SHOW_GRAPH_COMMAND, (arg?: ShowArgument | vscode.Uri) => {
      try {
        GraphPanel.show(context, output, client, arg instanceof vscode.Uri ? { uri: arg.toString() } : arg);
      } catch (e) {
        output.error(`showing the dependency graph failed: ${(e as Error).message}`);
        void vscode.window.showErrorMessage(`Clan Vars: cannot show the dependency graph: ${(e as Error).message}`);
      }
    }),
    // a graph open when the window reloads comes back (its view and selection are in the webview's own state)
    vscode.window.registerWebviewPanelSerializer(GRAPH_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel) => {
        try {
          GraphPanel.revive(panel, context, output, client);
        } catch (e) {
          output.error(`restoring the dependency graph failed: ${(e as Error).message}`);
          panel.dispose();
        }
      },
    }),
  );
}
