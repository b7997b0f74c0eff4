// The generator dependency graph as plain data: built by the analysis core, laid out with dagre,
// serialised for the CLI (DOT, Mermaid, JSON) and rendered by the webview. No LSP or editor types.
import type { Range } from '../../base/types';

/** What is on disk for a generator's files, where known (vars/, sops/, secrets/clan-vars/). */
export type NodeState = 'generated' | 'partial' | 'missing' | 'outdated';

/**
 * `generator`: declared in the clan. `unknown`: named in `dependencies` but declared nowhere.
 * `external`: named in `dependencies`, not found, but the clan has generator sets we cannot
 * enumerate, so it may exist.
 */
export type NodeKind = 'generator' | 'unknown' | 'external';

export interface GraphFile {
  name: string;
  /** `files.<f>.secret` as written; absent when not written (clan's default is secret). */
  secret: boolean;
  /** `files.<f>.deploy = false` as a literal. */
  deploy: boolean;
}

export interface GraphDeclaration {
  file: string;
  range: Range;
}

export interface GraphNode {
  /** Stable id: `g:<name>` for generators, `u:<name>` for unknown targets. */
  id: string;
  /** The generator name as written (untrusted text; a pattern such as `key-*` for computed names). */
  name: string;
  kind: NodeKind;
  /** True when some declaration sets `share = true`. */
  shared: boolean;
  /** `registry` when the generator comes from the secret registry through the matrix; `input` when only a flake input (clan-core's services) or clan-core declares it. */
  origin: 'module' | 'registry' | 'input' | 'none';
  /** Machines that have this generator (the generator view's answer), sorted. */
  machines: string[];
  /** Why each machine has it, in words (the generator view's `reaches`, worded by `whyText`). */
  reaches?: { machine: string; why: string }[];
  /** Where it is declared outside the clan's files (`clan-core:clanServices/sshd/default.nix`). */
  declaredIn?: string[];
  files: GraphFile[];
  prompts: string[];
  declarations: GraphDeclaration[];
  state?: NodeState;
  /** Messages attached to the node itself: an unknown dependency target's, and the errors and warnings found in the generator's declaration. */
  problems?: string[];
  /** The worst of the errors and warnings found in its declaration (the Problems panel's), drawn on the node. */
  severity?: 'error' | 'warning';
  /** Shown as its file last parsed without errors: the file has a syntax error at this line (zero-based) now. */
  stale?: { file: string; line: number };
}

export interface GraphEdge {
  id: string;
  /** The dependent generator's node id. */
  from: string;
  /** The node id of the generator it depends on. */
  to: string;
  /** True when this edge lies on a dependency cycle. */
  cycle: boolean;
  /** True when the rules find the dependency unresolved (clan stops: an unknown-dependency error). */
  unknown: boolean;
  /** The diagnostic's message for cycles and unknown dependencies. */
  message?: string;
  /** Where the dependency is written. */
  declaration?: GraphDeclaration;
}

export interface DependencyGraph {
  root: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Every machine known to the clan (matrix, machine directories, vars on disk), sorted. */
  machines: string[];
  /** True when generator names cannot all be known (opaque generator sets). */
  namesOpen: boolean;
}

export interface Point {
  x: number;
  y: number;
}

export interface NodeBox {
  id: string;
  /** Centre, as dagre gives it. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** A row of a machine's list of generators with no dependency either way: drawn with its name only (nodeMetrics.compactSize). */
  compact?: boolean;
}

export interface EdgePath {
  id: string;
  points: Point[];
}

/** A labelled box around the generators of one machine. */
export interface ClusterBox {
  id: string;
  label: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface GraphLayout {
  nodes: NodeBox[];
  edges: EdgePath[];
  clusters: ClusterBox[];
  width: number;
  height: number;
}

/** Which part of the graph to show. */
export interface GraphFilter {
  /** Only generators of this machine (and what they depend on). */
  machine?: string;
  /** Only this generator's neighbourhood: what it depends on and what depends on it. */
  focus?: string;
}
