// Custom messages between the extension and the language server, declared once for both sides.
// Only plain types here: no vscode or LSP imports.

/** Notification server -> client: what the server is doing, for the status bar. */
export const STATUS_NOTIFICATION = 'clanVars/status';

export interface StatusParams {
  state: 'starting' | 'indexing' | 'ready' | 'error';
  /** .nix files indexed, generators found, errors and warnings published. */
  files: number;
  generators: number;
  errors: number;
  warnings: number;
  message?: string;
}
