// The dependency graph view: the "Show Dependency Graph" command. One call from activate().
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { GraphPanel, type ShowArgument } from './graphPanel';

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
  );
}
