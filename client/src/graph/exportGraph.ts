// Export of the dependency graph: SVG (drawn by the webview), Graphviz DOT or Mermaid (serialised
// here from the graph data), to a file chosen by the user or to the clipboard.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { toDot, toMermaid } from '../../../server/src/ide/graph/serialize';
import type { DependencyGraph } from '../../../server/src/ide/graph/types';
import type { WebviewMessage } from '../../../webview/src/messages';
import { noticeText } from '../../../server/src/base/printable';

const MAX_SVG = 64 * 1024 * 1024;
const KINDS = {
  svg: { ext: 'svg', label: 'SVG image' },
  dot: { ext: 'dot', label: 'Graphviz DOT' },
  mermaid: { ext: 'mmd', label: 'Mermaid' },
} as const;

export async function exportGraph(m: Extract<WebviewMessage, { type: 'export' }>, graph: DependencyGraph, output: vscode.LogOutputChannel): Promise<void> {
  const kind = KINDS[m.format as keyof typeof KINDS];
  if (!kind) return;
  let text: string;
  if (m.format === 'svg') {
    if (typeof m.svg !== 'string' || m.svg.length > MAX_SVG || !m.svg.startsWith('<svg')) return;
    text = m.svg;
  } else text = m.format === 'dot' ? toDot(graph) : toMermaid(graph);
  if (m.target === 'clipboard') {
    await vscode.env.clipboard.writeText(text);
    void vscode.window.showInformationMessage(`Clan Vars: the dependency graph was copied as ${kind.label}.`);
    return;
  }
  // nothing is written before the user has chosen where (the dialog asks before replacing a file)
  const base = graph.root ? vscode.Uri.file(path.join(graph.root, `vars-dependencies.${kind.ext}`)) : undefined;
  const target = await vscode.window.showSaveDialog({ defaultUri: base, filters: { [kind.label]: [kind.ext] }, saveLabel: 'Export', title: `Export the dependency graph as ${kind.label}` });
  if (!target) return;
  const shown = vscode.workspace.asRelativePath(target, false);
  try {
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
  } catch (e) {
    output.error(`exporting the dependency graph to ${target.fsPath} failed: ${e}`);
    void vscode.window.showErrorMessage(noticeText(`Clan Vars: the dependency graph could not be written to ${shown}: ${(e as Error).message ?? e}`));
    return;
  }
  output.info(`exported the dependency graph to ${target.fsPath}`);
  const [open, reveal] = ['Open', 'Reveal in Explorer'];
  const answer = await vscode.window.showInformationMessage(noticeText(`Clan Vars: the dependency graph was exported as ${kind.label} to ${shown}.`), open, reveal);
  if (answer === open) await vscode.commands.executeCommand('vscode.open', target);
  else if (answer === reveal) await vscode.commands.executeCommand('revealInExplorer', target);
}
