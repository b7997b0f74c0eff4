// The dependency graph panel: one webview beside the editor. It asks the language server for the
// laid-out graph, hands it to the webview, and acts on what the webview asks (open a declaration,
// change the filter, follow the editor, export). It refreshes as .nix files and vars change.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { GraphFilter } from '../../../server/src/ide/graph/types';
import { sendRequest } from '../protocolClient';
import {
  DEPENDENCY_GRAPH_REQUEST,
  GENERATOR_AT_REQUEST,
  type DependencyGraphParams,
  type DependencyGraphResult,
} from '../../../server/src/lsp/protocol';
import type { HostMessage, WebviewMessage } from '../../../webview/src/messages';
import { exportGraph } from './exportGraph';
import { webviewHtml } from './webviewHtml';

const FOLLOW_KEY = 'clanVars.graph.follow';

export interface ShowArgument {
  /** A generator to select once the graph is shown (from a code lens or the vars view). */
  generator?: string;
  /** A file of the clan to show. */
  uri?: string;
  /**
   * Where the graph opens: `beside` (default) in a group next to the active editor, `active` as a tab
   * of the active group (all of its width), `newGroup` in a new group to the right of all others.
   * An open graph moves there.
   */
  viewColumn?: 'beside' | 'active' | 'newGroup';
}

function columnOf(arg: ShowArgument | undefined): vscode.ViewColumn {
  if (arg?.viewColumn === 'active') return vscode.ViewColumn.Active;
  if (arg?.viewColumn === 'newGroup') return Math.min(9, Math.max(0, ...vscode.window.tabGroups.all.map((g) => g.viewColumn)) + 1) as vscode.ViewColumn;
  return vscode.ViewColumn.Beside;
}

export class GraphPanel {
  private static current: GraphPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private root: string | undefined;
  private filter: GraphFilter = {};
  private last: DependencyGraphResult | undefined;
  private ready = false;
  /** The last graph message the webview was sent, as JSON. */
  private shown: string | null = null;
  /** Width / height of the webview's drawing area, for the layout. */
  private aspect: number | undefined;
  private stale = false;
  private pendingReveal: string | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private followTimer: ReturnType<typeof setTimeout> | undefined;
  /** Closed: nothing is posted any more (a request answered after the close would throw "Webview is disposed"). */
  private disposed = false;

  static show(context: vscode.ExtensionContext, output: vscode.LogOutputChannel, client: () => LanguageClient | undefined, arg?: ShowArgument): void {
    const uri = typeof arg?.uri === 'string' ? arg.uri : vscode.window.activeTextEditor?.document.uri.toString();
    if (GraphPanel.current) {
      // reveal() with a column number moves the panel there (it ignores Active and Beside: those
      // leave it in its group); without an explicit choice it stays where it is
      GraphPanel.current.panel.reveal(GraphPanel.current.moveTarget(arg), !arg?.viewColumn || arg.viewColumn === 'beside');
      GraphPanel.current.pendingReveal = typeof arg?.generator === 'string' ? arg.generator : undefined;
      void GraphPanel.current.refresh(uri);
      return;
    }
    const panel = vscode.window.createWebviewPanel(GRAPH_VIEW_TYPE, 'Clan Vars: Dependency Graph', { viewColumn: columnOf(arg), preserveFocus: arg?.viewColumn !== 'active' }, webviewOptions(context));
    GraphPanel.current = new GraphPanel(panel, context, output, client, uri, typeof arg?.generator === 'string' ? arg.generator : undefined);
  }

  /** A graph that was open when the window reloaded, given back by VS Code (registerWebviewPanelSerializer). */
  static revive(panel: vscode.WebviewPanel, context: vscode.ExtensionContext, output: vscode.LogOutputChannel, client: () => LanguageClient | undefined): void {
    GraphPanel.current?.panel.dispose();
    panel.webview.options = webviewOptions(context);
    GraphPanel.current = new GraphPanel(panel, context, output, client, vscode.window.activeTextEditor?.document.uri.toString(), undefined);
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly context: vscode.ExtensionContext,
    private readonly output: vscode.LogOutputChannel,
    private readonly client: () => LanguageClient | undefined,
    private uri: string | undefined,
    reveal: string | undefined,
  ) {
    this.pendingReveal = reveal;
    const dist = vscode.Uri.joinPath(context.extensionUri, 'dist');
    panel.webview.html = webviewHtml({
      cspSource: panel.webview.cspSource,
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css')).toString(),
    });
    const watcher = vscode.workspace.createFileSystemWatcher('**/{*.nix,vars/**,sops/**,secrets/**}');
    const changed = () => this.scheduleRefresh();
    this.disposables.push(
      watcher,
      watcher.onDidChange(changed),
      watcher.onDidCreate(changed),
      watcher.onDidDelete(changed),
      vscode.workspace.onDidChangeTextDocument((e) => e.document.languageId === 'nix' && e.contentChanges.length > 0 && changed()),
      vscode.window.onDidChangeTextEditorSelection((e) => this.followEditor(e.textEditor)),
      vscode.window.onDidChangeActiveTextEditor((e) => e && this.followEditor(e)),
      panel.onDidChangeViewState(() => panel.visible && this.stale && this.scheduleRefresh()),
      panel.webview.onDidReceiveMessage((m: WebviewMessage) => this.receive(m).catch((e) => this.fail('the graph view', e))),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  /** The column number to move an open panel to for `arg.viewColumn`, or undefined to leave it. */
  private moveTarget(arg: ShowArgument | undefined): vscode.ViewColumn | undefined {
    const active = vscode.window.tabGroups.activeTabGroup.viewColumn;
    if (arg?.viewColumn === 'active') return active;
    if (arg?.viewColumn === 'newGroup') return columnOf(arg);
    if (arg?.viewColumn === 'beside' && this.panel.viewColumn === active) return Math.min(9, active + 1) as vscode.ViewColumn;
    return undefined;
  }

  private get follow(): boolean {
    return this.context.globalState.get<boolean>(FOLLOW_KEY, false);
  }

  private post(m: HostMessage): void {
    if (this.disposed) return;
    void this.panel.webview.postMessage(m);
  }

  private fail(what: string, e: unknown): void {
    const message = (e as Error)?.message ?? String(e);
    this.shown = null; // the error replaces the graph shown
    this.output.error(`${what} failed: ${message}`);
    this.post({ type: 'error', message });
  }

  private scheduleRefresh(): void {
    if (!this.panel.visible) {
      this.stale = true;
      return;
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), 400);
  }

  async refresh(uri?: string): Promise<void> {
    if (uri) this.uri = uri;
    if (!this.ready) return;
    const client = this.client();
    if (!client?.isRunning()) {
      this.shown = null;
      return this.post({ type: 'error', message: 'The Clan Vars language server is not running.' });
    }
    this.stale = false;
    try {
      const params: DependencyGraphParams = { root: this.root, uri: this.uri, filter: this.filter, ...(this.aspect ? { aspect: this.aspect } : {}) };
      const result = await sendRequest(client, DEPENDENCY_GRAPH_REQUEST, params);
      this.last = result;
      this.root = result.graph.root || this.root;
      // the same graph as the webview shows (an edit that changed nothing it draws: a comment, a
      // script): not sent again, so the webview does not draw it again while the user types; it
      // hears that the refresh is done
      const message: HostMessage = { type: 'graph', result, root: result.graph.root, filter: this.filter, follow: this.follow };
      const text = JSON.stringify(message);
      if (text !== this.shown) {
        this.shown = text;
        this.post(message);
      } else this.post({ type: 'unchanged' });
      if (this.pendingReveal) this.post({ type: 'reveal', name: this.pendingReveal });
      this.pendingReveal = undefined;
    } catch (e) {
      this.fail('the dependency graph request', e);
    }
  }

  private followEditor(editor: vscode.TextEditor): void {
    if (!this.follow || !this.panel.visible || editor.document.languageId !== 'nix') return;
    clearTimeout(this.followTimer);
    this.followTimer = setTimeout(async () => {
      const client = this.client();
      if (!client?.isRunning()) return;
      try {
        const at = await sendRequest(client, GENERATOR_AT_REQUEST, { uri: editor.document.uri.toString(), line: editor.selection.active.line });
        if (at.name && (!this.root || at.root === this.root)) this.post({ type: 'reveal', name: at.name });
      } catch (e) {
        this.output.warn(`following the editor failed: ${(e as Error).message}`);
      }
    }, 250);
  }

  private async receive(m: WebviewMessage): Promise<void> {
    if (!m || typeof m !== 'object') return;
    switch (m.type) {
      case 'ready':
        this.ready = true;
        this.shown = null; // a new page: it shows nothing yet
        this.aspect = validAspect(m.aspect) ?? this.aspect;
        return this.refresh();
      case 'resize':
        this.aspect = validAspect(m.aspect) ?? this.aspect;
        return this.refresh();
      case 'newGroup':
        return this.moveToNewGroup();
      case 'filter':
        this.filter = {
          ...(typeof m.filter?.machine === 'string' ? { machine: m.filter.machine } : {}),
          ...(typeof m.filter?.focus === 'string' ? { focus: m.filter.focus } : {}),
        };
        if (typeof m.root === 'string' && this.last?.roots.some((r) => r.root === m.root)) this.root = m.root;
        return this.refresh();
      case 'follow':
        await this.context.globalState.update(FOLLOW_KEY, m.on === true);
        if (m.on === true && vscode.window.activeTextEditor) this.followEditor(vscode.window.activeTextEditor);
        return;
      case 'open':
        return this.open(m.nodeId, m.declaration);
      case 'export':
        if (this.last) await exportGraph(m, this.last.graph, this.output);
        return;
    }
  }

  /** Opens a node's declaration. The webview names the node; the location comes from our own data. */
  private async open(nodeId: unknown, index: unknown): Promise<void> {
    const node = this.last?.graph.nodes.find((n) => n.id === nodeId);
    const decl = node?.declarations[typeof index === 'number' ? index : 0] ?? node?.declarations[0];
    const edge = decl ? undefined : this.last?.graph.edges.find((e) => e.to === nodeId && e.declaration);
    const target = decl ?? edge?.declaration;
    if (!target) return;
    const r = target.range;
    const range = new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
    // Never in the graph's own group (that would hide the graph): an editor group showing a text
    // editor, else a new group beside the graph.
    const column = vscode.window.visibleTextEditors.find((e) => e.viewColumn !== undefined && e.viewColumn !== this.panel.viewColumn)?.viewColumn ?? vscode.ViewColumn.Beside;
    await vscode.window.showTextDocument(vscode.Uri.file(target.file), { selection: range, viewColumn: column, preserveFocus: true });
  }

  /** Moves the graph into a group of its own, right of the other groups (a no-op when it already is the only tab of the last group). */
  private moveToNewGroup(): void {
    const groups = vscode.window.tabGroups.all;
    const own = groups.find((g) => g.viewColumn === this.panel.viewColumn);
    const last = Math.max(0, ...groups.map((g) => g.viewColumn));
    if (own && own.tabs.length === 1 && own.viewColumn === last) return;
    this.panel.reveal(Math.min(9, last + 1) as vscode.ViewColumn, false);
  }

  private dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    clearTimeout(this.followTimer);
    if (GraphPanel.current === this) GraphPanel.current = undefined;
    for (const d of this.disposables) d.dispose();
  }
}

export const GRAPH_VIEW_TYPE = 'clanVars.dependencyGraph';

function webviewOptions(context: vscode.ExtensionContext): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist')] };
}

function validAspect(a: unknown): number | undefined {
  return typeof a === 'number' && Number.isFinite(a) && a > 0.05 && a < 50 ? a : undefined;
}
