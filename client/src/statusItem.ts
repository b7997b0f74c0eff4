// The status bar item: what the language server is doing and what it found.
import * as vscode from 'vscode';
import type { StatusParams } from '../../server/src/lsp/protocol';
import { statusText, type LastRun } from './statusText';
import { markdownText, printable } from '../../server/src/base/printable';

export type ClanVarsStatusItem = vscode.StatusBarItem & {
  update(s: StatusParams): void;
  /** The last clan run and how it ended; shown in the tooltip, and as an icon when it failed. */
  lastRun(text: string, ok: boolean): void;
  /** The user has seen the last run's failure (answered its notification, opened the log): the item drops its mark. */
  failureSeen(): void;
  /** Stored values not carried over to vars yet, per machine. */
  toMove(counts: { machine: string; count: number }[]): void;
};

export function createStatusItem(): ClanVarsStatusItem {
  const item = vscode.window.createStatusBarItem('clanVars.status', vscode.StatusBarAlignment.Left, 10) as ClanVarsStatusItem;
  let last: LastRun | undefined;
  let state: StatusParams | undefined;
  item.lastRun = (text: string, ok: boolean) => {
    last = { text, ok };
    if (state) item.update(state);
  };
  item.failureSeen = () => {
    if (!last || last.ok || last.seen) return;
    last = { ...last, seen: true };
    if (state) item.update(state);
  };
  let moving: { machine: string; count: number }[] = [];
  item.toMove = (counts) => {
    moving = counts;
    if (state) item.update(state);
  };
  item.name = 'Clan Vars';
  item.command = 'clanVars.showOutput';
  item.update = (s: StatusParams) => {
    state = s;
    const t = statusText(s, last, moving);
    item.text = t.text;
    // the lines as they are, then a row of links that run the actions (only our own and VS Code's commands)
    const md = new vscode.MarkdownString(t.tooltip.split('\n').map(markdownText).join('  \n'));
    md.isTrusted = { enabledCommands: t.actions.map((a) => a.command) };
    md.supportThemeIcons = true;
    if (t.actions.length) md.appendMarkdown(`\n\n${t.actions.map((a) => `[${a.title}](command:${a.command})`).join(' · ')}`);
    item.tooltip = md;
    item.accessibilityInformation = { label: printable(t.tooltip.replace(/\n/g, '; ')) };
    item.backgroundColor = t.failed ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    item.show();
  };
  item.update({ state: 'starting', files: 0, generators: 0, errors: 0, warnings: 0 });
  return item;
}
