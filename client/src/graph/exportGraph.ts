// Export of the dependency graph: SVG (drawn by the webview), Graphviz DOT or Mermaid (serialised
// here from the graph data), to a file chosen by the user or to the clipboard.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { toDot, toMermaid } from '../../../server/src/ide/graph/serialize';
import type { DependencyGraph } from '../../../server/src/ide/graph/types';
import type { WebviewMessage } from '../../../webview/src/messages';

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
  const base = graph.root ? vscode.Uri.file(path.join(graph.root, `vars-dependencies.${kind.ext}`)) : undefined;
  const target = await vscode.window.showSaveDialog({ defaultUri: base, filters: { [kind.label]: [kind.ext] }, saveLabel: 'Export' });
  if (!target) return;
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
  output.info(`exported the dependency graph to ${target.fsPath}`);
}
