// The status bar item: what the language server is doing and what it found.
import * as vscode from 'vscode';
import type { StatusParams } from '../../server/src/protocol';

export type ClanVarsStatusItem = vscode.StatusBarItem & {
  update(s: StatusParams): void;
  /** The last clan run and how it ended; shown in the tooltip, and as an icon when it failed. */
  lastRun(text: string, ok: boolean): void;
};

export function createStatusItem(): ClanVarsStatusItem {
  const item = vscode.window.createStatusBarItem('clanVars.status', vscode.StatusBarAlignment.Left, 10) as ClanVarsStatusItem;
  let last: { text: string; ok: boolean } | undefined;
  let state: StatusParams | undefined;
  item.lastRun = (text: string, ok: boolean) => {
    last = { text, ok };
    if (state) item.update(state);
  };
  item.name = 'Clan Vars';
  item.command = 'clanVars.showOutput';
  item.update = (s: StatusParams) => {
    state = s;
    switch (s.state) {
      case 'starting':
      case 'indexing':
        item.text = '$(sync~spin) Clan Vars';
        item.tooltip = s.state === 'starting' ? 'Clan Vars: starting the language server' : 'Clan Vars: indexing .nix files';
        item.backgroundColor = undefined;
        break;
      case 'ready':
        item.text = s.errors || s.warnings ? `$(shield) Clan Vars $(error) ${s.errors} $(warning) ${s.warnings}` : '$(shield) Clan Vars';
        item.tooltip = `Clan Vars: ${s.files} .nix files, ${s.generators} generator declarations, ${s.errors} errors, ${s.warnings} warnings. Click for the log.`;
        item.backgroundColor = undefined;
        break;
      case 'error':
        item.text = '$(error) Clan Vars';
        item.tooltip = `Clan Vars: ${s.message ?? 'the language server failed'}. Click for the log.`;
        item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
        break;
    }
    if (last) {
      item.text += last.text.startsWith('running') ? ' $(terminal)' : last.ok ? '' : ' $(terminal) failed';
      item.tooltip = `${item.tooltip}\nLast clan run: ${last.text}`;
    }
    item.show();
  };
  item.update({ state: 'starting', files: 0, generators: 0, errors: 0, warnings: 0 });
  return item;
}
