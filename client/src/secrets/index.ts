// The secrets UI: the read-only `clan-secret:` file system and the Reveal command. One call from
// the extension's activate().
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { revealSecret, type RevealArgument } from './revealSecret';
import { SECRET_SCHEME, SecretFileSystem } from './secretFileSystem';

export const REVEAL_COMMAND = 'clanVars.revealSecret';

export function registerSecrets(context: vscode.ExtensionContext, output: vscode.LogOutputChannel, client: () => LanguageClient | undefined): void {
  const fsp = new SecretFileSystem();
  context.subscriptions.push(
    fsp,
    vscode.workspace.registerFileSystemProvider(SECRET_SCHEME, fsp, { isReadonly: true, isCaseSensitive: true }),
    vscode.commands.registerCommand(REVEAL_COMMAND, async (arg?: RevealArgument) => {
      try {
        await revealSecret(fsp, output, client(), arg);
      } catch (e) {
        output.error(`reveal failed: ${(e as Error).message}`);
        void vscode.window.showErrorMessage(`Clan Vars: reveal failed: ${(e as Error).message}`);
      }
    }),
  );
}
