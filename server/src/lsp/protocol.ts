// Custom messages between the extension and the language server, declared once for both sides.
// Only plain types here: no vscode or LSP imports.
import type { DependencyGraph, GraphFilter, GraphLayout } from '../ide/graph/types';

/**
 * Node options an editor starts the server with. A young generation of 2 x 8 MB instead of V8's
 * 2 x 16 MB: on the 8,000-file bench clan the peak RSS went from 358 to 327 MB, while keystrokes
 * and the registry pipeline's evaluations (some 170 MB allocated each) took as long; 2 x 4 MB saved
 * no more and made evaluations slower. V8 reads it only at start-up, so the server cannot set it
 * itself (serverProcess.ts sets what it can).
 */
/**
 * A request of this protocol: its method, with the types of its params and result bound to it, so
 * that the server's handler and the client's call agree (the types are for the compiler only).
 */
export interface Request<P, R> {
  readonly method: string;
  readonly types?: { params: P; result: R };
}

/** A notification of this protocol, with the type of its params. */
export interface Notification<P> {
  readonly method: string;
  readonly types?: { params: P };
}

const request = <P, R>(method: string): Request<P, R> => ({ method });
const notification = <P>(method: string): Notification<P> => ({ method });

/** node's options for the server, as the extension starts it: a young generation of 2 × 8 MB (README: Performance). */
export const SERVER_NODE_OPTIONS = ['--max-semi-space-size=8'];

/**
 * The server's environment beside the editor's, as the extension starts it. glibc's malloc raises
 * its mmap threshold up to 32 MB as large blocks are freed (the scan's workers and their messages
 * free many), and from then on keeps what is freed in its arenas: after the cold scan of the 8,000-file
 * bench clan about 70 MB of the server's RSS was neither V8's heap nor wasm memory. Keeping
 * glibc's first threshold (128 KB) hands large blocks back when they are freed: the peak RSS over
 * the same edits 262-278 MB instead of 289-304 MB (three runs each). Other C libraries ignore it.
 */
export const SERVER_ENV: Record<string, string> = { MALLOC_MMAP_THRESHOLD_: '131072' };

/** Notification server -> client: what the server is doing, for the status bar. */
export const STATUS_NOTIFICATION = notification<StatusParams>('clanVars/status');

/**
 * Notification server -> client: what the generator views of these clans read changed (their
 * generators, modules, registry, matrix, evaluation or vars on disk): views built from them, such as
 * the vars view, are out of date.
 */
export const VIEWS_CHANGED_NOTIFICATION = notification<ViewsChangedParams>('clanVars/viewsChanged');

export interface ViewsChangedParams {
  roots: string[];
}

export interface StatusParams {
  state: 'starting' | 'indexing' | 'ready' | 'error';
  /** .nix files indexed, generators found, errors and warnings published. */
  files: number;
  generators: number;
  errors: number;
  warnings: number;
  /** Hints published (sops-nix secrets that could move to vars, ...): VS Code leaves them out of the Problems panel. */
  hints?: number;
  message?: string;
  /** True while the registry pipeline's evaluation waits for a pause in typing or runs. */
  evaluationPending?: boolean;
  /** While indexing: files read so far of all found. */
  progress?: { done: number; total: number };
}

// ---- vars on disk and clan runs (issue 7) ----
import type { VarRef } from '../secrets/varRef';
import type { VarKind } from '../model/varsOnDisk';

/** Request client -> server: the state of every var of every clan, read from disk. */
export const VARS_STATUS_REQUEST = request<VarsStatusParams, VarsStatusResult>('clanVars/varsStatus');
/** Request client -> server: every var on disk of every clan the server knows, for Reveal Secret (the server's scan: the client reads no folder for it). */
export const REVEAL_TARGETS_REQUEST = request<VarsStatusParams, RevealTargetsResult>('clanVars/revealTargets');

export interface RevealTargetsResult {
  targets: { root: string; ref: VarRef; kind: VarKind; path: string }[];
}

/** Request client -> server: drop the cached view of vars on disk (after a clan run) and re-check. */
export const RESCAN_VARS_REQUEST = request<RescanVarsParams, { ok: boolean }>('clanVars/rescanVars');
/** Request client -> server: turn `clan vars check` output into problems on generator declarations. */
export const CHECK_OUTPUT_REQUEST = request<CheckOutputParams, CheckOutputResult>('clanVars/checkOutput');

export interface VarsStatusParams {
  /** Only this clan root; every clan when absent. */
  root?: string;
}

// the shapes of the vars view's state and of `clan vars check` findings are the core's (vars/types.ts)
export type { CheckOutputResult, CheckProblem, ClanVarsStatus, FileState, FileStatus, GeneratorState, GeneratorStatus, MachineSource, MachineStatus, SecretBackend, ValidationStatus } from '../model/generatorView/types';
import type { CheckOutputResult, ClanVarsStatus } from '../model/generatorView/types';
export type { ClanInputsStatus } from '../model/inputsStatus';
import type { ClanInputsStatus } from '../model/inputsStatus';
import type { FlakeNixRef } from '../actions/flakeNixRefs';

export interface VarsStatusResult {
  clans: ClanVarsStatus[];
}

export interface RescanVarsParams {
  root?: string;
}

export interface CheckOutputParams {
  /** The clan root `clan vars check` ran in. */
  root: string;
  /** stdout and stderr of the run, in any order. */
  output: string;
}

// ---- flake inputs on this machine (issue 32, item 4) ----

/** Request client -> server: which locked inputs of each clan are not on this machine, and the machines they leave open. */
export const INPUTS_STATUS_REQUEST = request<InputsStatusParams, InputsStatusResult>('clanVars/inputsStatus');
/**
 * Request client -> server: read a clan's flake inputs again (after `nix flake archive` put them in
 * the store): forgets what was read of them and rebuilds the clan's machines. Answers the new state.
 */
export const RELOAD_INPUTS_REQUEST = request<InputsStatusParams, InputsStatusResult>('clanVars/reloadInputs');

/**
 * Request client -> server: the strings of a flake.nix text that may name a path on this disk for
 * nix to fetch (actions/flakeNixRefs.ts), for the fetch plan the client makes (the client loads no
 * parser). `refs` is null when the text could not be parsed in time.
 */
export const FLAKE_NIX_REFS_REQUEST = request<FlakeNixRefsParams, FlakeNixRefsResult>('clanVars/flakeNixRefs');

export interface FlakeNixRefsParams {
  text: string;
}

export interface FlakeNixRefsResult {
  refs: FlakeNixRef[] | null;
}

export interface InputsStatusParams {
  /** Only this clan root; every clan when absent. */
  root?: string;
}

export interface InputsStatusResult {
  clans: ClanInputsStatus[];
}

/** Request client -> server: the dependency graph of one clan, filtered and laid out. */
export const DEPENDENCY_GRAPH_REQUEST = request<DependencyGraphParams, DependencyGraphResult>('clanVars/dependencyGraph');

export interface DependencyGraphParams {
  /** A clan root (absolute path) chosen by the user; wins over `uri`. */
  root?: string;
  /** A document of the clan to show (usually the active editor's). */
  uri?: string;
  filter?: GraphFilter;
  /** Width / height of the view the graph is drawn in; the layout's rows follow this shape (default 1.6). */
  aspect?: number;
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
export const GENERATOR_AT_REQUEST = request<GeneratorAtParams, GeneratorAtResult>('clanVars/generatorAt');

export interface GeneratorAtParams {
  uri: string;
  line: number;
}

export interface GeneratorAtResult {
  name: string | null;
  root: string | null;
}

/** workspace/executeCommand: the script moving stored facts and sops-nix values to vars (arguments: [uri?]). */
export const MIGRATION_SCRIPT_COMMAND = 'clanVars.server.migrationScript';

export interface MigrationScriptResult {
  /** The clan the script is for: run it from there. */
  root: string;
  script: string;
  /** The migration report (Markdown): what is declared, what it becomes, what moves and what is left to the user. */
  report: string;
}
