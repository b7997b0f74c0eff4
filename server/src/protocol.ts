// Custom messages between the extension and the language server, declared once for both sides.
// Only plain types here: no vscode or LSP imports.
import type { DependencyGraph, GraphFilter, GraphLayout } from './graph/types';

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

/** Request client -> server: the dependency graph of one clan, filtered and laid out. */
export const DEPENDENCY_GRAPH_REQUEST = 'clanVars/dependencyGraph';

export interface DependencyGraphParams {
  /** A clan root (absolute path) chosen by the user; wins over `uri`. */
  root?: string;
  /** A document of the clan to show (usually the active editor's). */
  uri?: string;
  filter?: GraphFilter;
}

export interface DependencyGraphResult {
  /** Every clan root the server knows, with its number of generator declarations, most first. */
  roots: { root: string; generators: number }[];
  /** The filtered graph (file paths are absolute). */
  graph: DependencyGraph;
  /** Coordinates for `graph`, computed with dagre. */
  layout: GraphLayout;
  /** Generators in the clan before filtering. */
  total: number;
}

/** Request client -> server: the generator declared at or above a line of a file, for "follow the editor". */
export const GENERATOR_AT_REQUEST = 'clanVars/generatorAt';

export interface GeneratorAtParams {
  uri: string;
  line: number;
}

export interface GeneratorAtResult {
  name: string | null;
  root: string | null;
}
