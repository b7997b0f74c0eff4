// Messages between the dependency graph webview and the extension host. Plain types only: the
// extension imports them too. Everything the webview sends is checked by the host before use.
import type { DependencyGraphResult } from '../../server/src/protocol';
import type { GraphFilter } from '../../server/src/graph/types';

export type ExportFormat = 'svg' | 'dot' | 'mermaid';
export type ExportTarget = 'file' | 'clipboard';

/** Host -> webview. */
export type HostMessage =
  | { type: 'graph'; result: DependencyGraphResult; root: string; filter: GraphFilter; follow: boolean }
  | { type: 'reveal'; name: string }
  | { type: 'error'; message: string };

/** Webview -> host. */
export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'open'; nodeId: string; declaration?: number }
  | { type: 'filter'; root?: string; filter: GraphFilter }
  | { type: 'follow'; on: boolean }
  | { type: 'export'; format: ExportFormat; target: ExportTarget; svg?: string };
