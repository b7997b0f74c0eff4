// What the client said it can do, in the initialize request: the server offers only what it can take.
import type { InitializeParams } from 'vscode-languageserver/node';
import type { ServerContext } from './features/context';

export class ClientCapabilities {
  /** It answers workspace/configuration: settings are pulled per folder. */
  configuration = false;
  /** It registers file watchers the server asks for. */
  watchers = false;
  related = false;
  codeDescription = false;
  /** It sends workspace folder changes. */
  folders = false;
  progress = false;
  markdown = false;
  annotations = false;
  documentChanges = false;
  renameFiles = false;
  /** Editor commands it announced in `capabilities.experimental.clanVarsCommands`. */
  commands: string[] = [];

  read(c: InitializeParams['capabilities']): void {
    this.configuration = !!c.workspace?.configuration;
    this.watchers = !!c.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    this.related = !!c.textDocument?.publishDiagnostics?.relatedInformation;
    this.codeDescription = !!c.textDocument?.publishDiagnostics?.codeDescriptionSupport;
    this.folders = !!c.workspace?.workspaceFolders;
    this.progress = !!c.window?.workDoneProgress;
    this.markdown = !!c.textDocument?.hover?.contentFormat?.includes('markdown');
    this.annotations = !!c.workspace?.workspaceEdit?.changeAnnotationSupport && !!c.workspace?.workspaceEdit?.documentChanges;
    this.documentChanges = !!c.workspace?.workspaceEdit?.documentChanges;
    this.renameFiles = this.documentChanges && !!c.workspace?.workspaceEdit?.resourceOperations?.includes('rename');
    const announced = (c.experimental as { clanVarsCommands?: unknown } | undefined)?.clanVarsCommands;
    this.commands = Array.isArray(announced) ? announced.filter((x): x is string => typeof x === 'string') : [];
  }

  /** What the features see of them (ServerContext.clientCapabilities). */
  forFeatures(): ServerContext['clientCapabilities'] {
    return {
      relatedInformation: this.related,
      workDoneProgress: this.progress,
      markdown: this.markdown,
      changeAnnotations: this.annotations,
      documentChanges: this.documentChanges,
      renameFiles: this.renameFiles,
      commands: this.commands,
    };
  }
}
