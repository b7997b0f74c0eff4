// Messages between the dependency graph webview and the extension host. Plain types only: the
// extension imports them too. Everything the webview sends is checked by the host before use.
import type { DependencyGraphResult } from '../../server/src/lsp/protocol';
import type { GraphFilter } from '../../server/src/ide/graph/types';

export type ExportFormat = 'svg' | 'dot' | 'mermaid';
export type ExportTarget = 'file' | 'clipboard';

/** Host -> webview. */
export type HostMessage =
  | { type: 'graph'; result: DependencyGraphResult; root: string; filter: GraphFilter; follow: boolean }
  | { type: 'reveal'; name: string }
  /** A refresh found the graph the webview shows: nothing to draw. */
  | { type: 'unchanged' }
  | { type: 'error'; message: string };

/** Webview -> host. */
export type WebviewMessage =
  | { type: 'ready'; aspect?: number }
  /** The drawing area's width / height changed a lot: lay the graph out for the new shape. */
  | { type: 'resize'; aspect: number }
  /** Move the graph into an editor group of its own (beside the others). */
  | { type: 'newGroup' }
  | { type: 'open'; nodeId: string; declaration?: number }
  | { type: 'filter'; root?: string; filter: GraphFilter }
  | { type: 'follow'; on: boolean }
  | { type: 'export'; format: ExportFormat; target: ExportTarget; svg?: string };
