// The Clan Vars extension: starts the language server and shows its state.
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { SERVER_ENV, SERVER_NODE_OPTIONS, STATUS_NOTIFICATION, VIEWS_CHANGED_NOTIFICATION } from '../../server/src/lsp/protocol';
import { onNotification } from './protocolClient';
import { registerDiagnosticDocs } from './diagnosticDocs';
import { registerDependencyGraph } from './graph';
import { registerMigrationScript } from './migrationScript';
import { registerSecrets } from './secrets';
import { createStatusItem } from './statusItem';
import { registerVars } from './vars';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Clan Vars', { log: true });
  const statusItem = createStatusItem();
  context.subscriptions.push(output, statusItem);
  registerSecrets(context, output, () => client);
  const vars = registerVars(context, output, () => client, statusItem);
  registerDependencyGraph(context, output, () => client);
  registerMigrationScript(context, output, () => client);
  const handleDiagnostics = registerDiagnosticDocs(context);

  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    // the editor's environment with SERVER_ENV added (the language client merges them)
    run: { module, transport: TransportKind.ipc, options: { execArgv: SERVER_NODE_OPTIONS, env: SERVER_ENV } },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_OPTIONS, '--nolazy', '--inspect=6010'], env: SERVER_ENV } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file', language: 'nix' }],
    outputChannel: output,
    traceOutputChannel: output,
    middleware: {
      handleDiagnostics,
      // the generator hover's Generate / Regenerate links run this one command, nothing else
      provideHover: async (document, position, token, next) => {
        const hover = await next(document, position, token);
        for (const c of hover?.contents ?? []) if (c instanceof vscode.MarkdownString) c.isTrusted = { enabledCommands: ['clanVars.generate'] };
        return hover;
      },
    },
  };
  client = new LanguageClient('clanVars', 'Clan Vars', serverOptions, clientOptions);
  // Tell the server which editor commands its code lenses may run: generation needs a trusted workspace.
  client.registerFeature({
    fillClientCapabilities(capabilities) {
      const commands = [...(vscode.workspace.isTrusted ? ['clanVars.generate'] : []), 'clanVars.ignoreCode', 'editor.action.triggerSuggest'];
      capabilities.experimental = { ...(capabilities.experimental ?? {}), clanVarsCommands: commands };
    },
    initialize() {},
    getState: () => ({ kind: 'static' }),
    clear() {},
  });
  context.subscriptions.push(
    onNotification(client, STATUS_NOTIFICATION, (s) => statusItem.update(s)),
    onNotification(client, VIEWS_CHANGED_NOTIFICATION, () => vars.viewsChanged()),
    vscode.commands.registerCommand('clanVars.showOutput', () => {
      statusItem.failureSeen();
      output.show(true);
    }),
    // the quick fix "Ignore <code> in this workspace": adds the code to the workspace's setting
    vscode.commands.registerCommand('clanVars.ignoreCode', async (code: unknown) => {
      if (typeof code !== 'string' || !/^[a-z][a-z0-9-]*$/.test(code)) return;
      const config = vscode.workspace.getConfiguration('clanVars');
      const current = config.inspect<string[]>('diagnostics.ignore')?.workspaceValue ?? [];
      if (current.includes(code)) return;
      await config.update('diagnostics.ignore', [...current, code], vscode.ConfigurationTarget.Workspace);
      void vscode.window.showInformationMessage(`Clan Vars: ${code} is ignored in this workspace (setting clanVars.diagnostics.ignore).`);
    }),
    vscode.commands.registerCommand('clanVars.restartServer', async () => {
      statusItem.update({ state: 'starting', files: 0, generators: 0, errors: 0, warnings: 0 });
      await client?.restart();
    }),
  );
  // Once the workspace is trusted, restart so the server offers the generation code lenses.
  context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => void client?.restart()));
  try {
    await client.start();
  } catch (e) {
    statusItem.update({ state: 'error', files: 0, generators: 0, errors: 0, warnings: 0, message: String(e) });
    output.error(`the language server did not start: ${e}`);
  }
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
