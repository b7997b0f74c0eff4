// The state of a clan's vars as the vars view shows it, and the findings of `clan vars check`: the
// core's shapes, which the protocol (../protocol.ts) passes to the editor as they are.
import type { MachineSource } from '../machines';

export type { MachineSource };

import type { SecretBackend } from '../../base/secretBackends';
export type { SecretBackend };
/** generated: every file exists; partial: some do; outdated: the validation hash differs. */
export type GeneratorState = 'generated' | 'partial' | 'missing' | 'outdated' | 'recipients-outdated' | 'orphaned' | 'unknown';
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
  kind: 'public' | SecretBackend | null;
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
  /** Why it is listed here: the machine's modules declare it, its matrix keys select it, or only its vars are stored (state `orphaned` when clan no longer uses them). */
  why: 'declared' | 'matrix' | 'stored';
  /** True when the declared files are not known statically (the files listed come from disk). */
  filesFromDisk: boolean;
  /** Created by a migration fix: the system its value is to be carried over from (migration script). */
  movedFrom?: 'sops-nix' | 'clan facts';
  /** The errors and warnings the checker finds in its declarations (the Problems panel's), errors first. */
  problems?: { severity: 'error' | 'warning'; message: string }[];
}

export interface MachineStatus {
  name: string;
  sources: MachineSource[];
  generators: GeneratorStatus[];
  /** Facts services and sops-nix secrets its modules still declare: what could move to vars. */
  legacy?: number;
}

export interface ClanVarsStatus {
  root: string;
  backend: SecretBackend;
  backendSource: 'setting' | 'clan' | 'disk' | 'default';
  machines: MachineStatus[];
  shared: GeneratorStatus[];
  /** Per-machine generators declared in modules whose machine cannot be told without evaluation. */
  unassigned: GeneratorStatus[];
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
