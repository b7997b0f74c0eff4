// The findings of a check as the output formats take them, with the paths each format prints.
import * as path from 'node:path';
import type { Problem, Severity } from '../../base/types';
import { plural } from '../../base/plural';

export interface Finding {
  problem: Problem;
  /** The folder checked that it was found in (its real path). */
  root: string;
  /**
   * Its path as the compact and JSON formats print it: relative to the folder checked, after the
   * folder as it was given when several were given.
   */
  shown: string;
}

/** What was checked, for the summary line. */
export interface Counts {
  files: number;
  generators: number;
  skipped: number;
}

export interface Check {
  findings: Finding[];
  counts: Counts;
  /** The working folder. */
  cwd: string;
  /** The folders checked, real paths. */
  roots: string[];
}

function isUnder(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return !rel.startsWith('..') && !path.isAbsolute(rel);
}

/**
 * The folder the text, GitHub, GitLab and SARIF formats give paths relative to: the working folder
 * when every folder checked is in it (in CI, the repository's root), else the deepest folder that
 * holds every folder checked (a single folder: itself).
 */
export function reportBase(roots: string[], cwd: string): string {
  if (roots.every((r) => isUnder(r, cwd))) return cwd;
  let base = roots[0];
  while (!roots.every((r) => isUnder(r, base)) && path.dirname(base) !== base) base = path.dirname(base);
  return base;
}

/** `file` relative to `base` with `/` between its parts, or null when it is not under `base`. */
export function relativePath(base: string, file: string): string | null {
  return isUnder(file, base) ? path.relative(base, file).split(path.sep).join('/') : null;
}

/** 1-based line and column of a finding's start and end (columns in UTF-16 code units, as the LSP's). */
export function oneBased(p: Problem): { line: number; column: number; endLine: number; endColumn: number } {
  return { line: p.range.start.line + 1, column: p.range.start.character + 1, endLine: p.range.end.line + 1, endColumn: p.range.end.character + 1 };
}

/** How a severity is named in the text formats and the summary (information: a note). */
export const SEVERITY_WORD: Record<Severity, string> = { error: 'error', warning: 'warning', information: 'note', hint: 'hint' };

export const SEVERITIES: Severity[] = ['error', 'warning', 'information', 'hint'];

/** `3 errors, 0 warnings, 17 hints (319 .nix files checked, 58 generator declarations)`: the last line of the text and compact formats. */
export function summaryLine(findings: Finding[], counts: Counts): string {
  const n = (s: Severity) => findings.filter((f) => f.problem.severity === s).length;
  const infos = n('information');
  const hints = n('hint');
  return (
    `${plural(n('error'), 'error')}, ${plural(n('warning'), 'warning')}${infos ? `, ${plural(infos, 'note')}` : ''}${hints ? `, ${plural(hints, 'hint')}` : ''} ` +
    `(${plural(counts.files, '.nix file')} checked, ${plural(counts.generators, 'generator declaration')}${counts.skipped ? `, ${counts.skipped} skipped` : ''})`
  );
}
