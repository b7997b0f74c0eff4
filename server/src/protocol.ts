// Custom messages between the extension and the language server, declared once for both sides.
// Only plain types here: no vscode or LSP imports.
import type { DependencyGraph, GraphFilter, GraphLayout } from './graph/types';

/**
 * Node options an editor starts the server with. A young generation of 2 x 8 MB instead of V8's
 * 2 x 16 MB: on the 8,000-file bench clan the peak RSS went from 358 to 327 MB, while keystrokes
 * and the registry pipeline's evaluations (some 170 MB allocated each) took as long; 2 x 4 MB saved
 * no more and made evaluations slower. V8 reads it only at start-up, so the server cannot set it
 * itself (serverProcess.ts sets what it can).
 */
export const SERVER_NODE_OPTIONS = ['--max-semi-space-size=8'];

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
  /** True while the registry pipeline's evaluation waits for a pause in typing or runs. */
  evaluationPending?: boolean;
  /** While indexing: files read so far of all found. */
  progress?: { done: number; total: number };
}

// ---- vars on disk and clan runs (issue 7) ----

/** Request client -> server: the state of every var of every clan, read from disk. */
export const VARS_STATUS_REQUEST = 'clanVars/varsStatus';
/** Request client -> server: drop the cached view of vars on disk (after a clan run) and re-check. */
export const RESCAN_VARS_REQUEST = 'clanVars/rescanVars';
/** Request client -> server: turn `clan vars check` output into problems on generator declarations. */
export const CHECK_OUTPUT_REQUEST = 'clanVars/checkOutput';

export interface VarsStatusParams {
  /** Only this clan root; every clan when absent. */
  root?: string;
}

export type SecretBackend = 'sops' | 'age' | 'password-store';
export type { MachineSource } from './model/machines';
import type { MachineSource } from './model/machines';
/** generated: every file exists; partial: some do; outdated: the validation hash differs. */
export type GeneratorState = 'generated' | 'partial' | 'missing' | 'outdated' | 'recipients-outdated' | 'unknown';
export type FileState = 'generated' | 'missing' | 'recipients-outdated' | 'unknown';

export interface ValidationStatus {
  /** none: no validation; match/outdated: compared; unknown: needs evaluation; absent: not stored yet. */
  kind: 'none' | 'match' | 'outdated' | 'unknown' | 'absent';
  expected?: string;
  stored?: string;
  reason?: string;
}

export interface FileStatus {
  name: string;
  /** null when `secret` is not a literal. */
  secret: boolean | null;
  state: FileState;
  /** Where the var is stored: public value, sops secret, age file, password-store entry. */
  kind: 'public' | 'sops' | 'age' | 'password-store' | null;
  /** The file on disk (existing or expected), when there is one to open. */
  path: string | null;
  detail?: string;
}

export interface GeneratorStatus {
  name: string;
  /** null for shared generators. */
  machine: string | null;
  state: GeneratorState;
  validation: ValidationStatus;
  files: FileStatus[];
  /** Where it is declared (absolute file, zero-based line). Empty: found on disk only. */
  declarations: { file: string; line: number }[];
  /** Generators that depend on this one, transitively (what a regeneration re-runs too). */
  dependents: string[];
  /** True when the declared files are not known statically (the files listed come from disk). */
  filesFromDisk: boolean;
  /** Created by a migration fix: the system its value is to be carried over from (migration script). */
  movedFrom?: 'sops-nix' | 'clan facts';
}

export interface MachineStatus {
  name: string;
  sources: MachineSource[];
  generators: GeneratorStatus[];
}

export interface ClanVarsStatus {
  root: string;
  backend: SecretBackend;
  backendSource: 'setting' | 'disk' | 'default';
  machines: MachineStatus[];
  shared: GeneratorStatus[];
  /** Per-machine generators declared in modules whose machine cannot be told without evaluation. */
  unassigned: GeneratorStatus[];
}

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

export interface CheckProblem {
  file: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity: 'error' | 'warning';
  code: string;
  message: string;
}

export interface CheckOutputResult {
  problems: CheckProblem[];
  /** Findings that could not be placed on a declaration (shown in the log). */
  unplaced: string[];
  /** Machines reported as all valid. */
  valid: string[];
}

// ---- flake inputs on this machine (issue 32, item 4) ----

/** Request client -> server: which locked inputs of each clan are not on this machine, and the machines they leave open. */
export const INPUTS_STATUS_REQUEST = 'clanVars/inputsStatus';
/**
 * Request client -> server: read a clan's flake inputs again (after `nix flake archive` put them in
 * the store): forgets what was read of them and rebuilds the clan's machines. Answers the new state.
 */
export const RELOAD_INPUTS_REQUEST = 'clanVars/reloadInputs';

export interface InputsStatusParams {
  /** Only this clan root; every clan when absent. */
  root?: string;
}

export interface ClanInputsStatus {
  root: string;
  /** Locked direct inputs found on this machine (the Nix store, or the clan-core checkout setting). */
  present: string[];
  /** Locked direct inputs not on this machine. */
  missing: string[];
  /** Machines that are open because a module of a missing input could not be read: fetching the inputs may close them. */
  openMachines: { name: string; inputs: string[] }[];
}

export interface InputsStatusResult {
  clans: ClanInputsStatus[];
}

/** Request client -> server: the dependency graph of one clan, filtered and laid out. */
export const DEPENDENCY_GRAPH_REQUEST = 'clanVars/dependencyGraph';

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
export const GENERATOR_AT_REQUEST = 'clanVars/generatorAt';

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
}
