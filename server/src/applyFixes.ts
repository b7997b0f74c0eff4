// Applies quick fixes to files on disk (for `clan-vars-lint --fix`): only the safe ones, never in a
// file with syntax errors, never two overlapping edits; each file is written atomically.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Fix, Position, Problem, TextEdit } from './model/types';
import { readWorkspaceText } from './workspace/readWorkspaceFile';
import { PARSER_MAX_SIZE } from './workspace/readNixFile';

export interface FixPlan {
  /** Edits per file, in no particular order, not overlapping. */
  edits: Map<string, TextEdit[]>;
  applied: { problem: Problem; fix: Fix }[];
  /** Files where safe fixes were left out because the file does not parse. */
  refused: Set<string>;
}

export function planFixes(problems: Problem[], hasSyntaxErrors: (file: string) => boolean): FixPlan {
  const plan: FixPlan = { edits: new Map(), applied: [], refused: new Set() };
  for (const problem of problems) {
    const fix = problem.fixes?.find((f) => f.safe);
    if (!fix || fix.edits.length === 0) continue;
    const broken = fix.edits.find((e) => hasSyntaxErrors(e.file));
    if (broken) {
      plan.refused.add(broken.file);
      continue;
    }
    if (fix.edits.some((e) => (plan.edits.get(e.file) ?? []).some((o) => overlaps(o, e)))) continue;
    for (const e of fix.edits) {
      const list = plan.edits.get(e.file);
      if (list) list.push(e);
      else plan.edits.set(e.file, [e]);
    }
    plan.applied.push({ problem, fix });
  }
  return plan;
}

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

function overlaps(a: TextEdit, b: TextEdit): boolean {
  // two insertions at the same place would also fight over order
  if (!before(a.range.start, b.range.start) && !before(b.range.start, a.range.start)) return true;
  return before(a.range.start, b.range.end) && before(b.range.start, a.range.end);
}

/** Applies non-overlapping edits to a text. Positions are zero-based lines and UTF-16 columns. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const offset = (p: Position) => {
    if (p.line >= lineStarts.length) return text.length;
    const lineEnd = p.line + 1 < lineStarts.length ? lineStarts[p.line + 1] : text.length;
    return Math.min(lineStarts[p.line] + p.character, lineEnd);
  };
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

/** Writes through a temporary file in the same directory and a rename, keeping the file's mode. */
export function writeFileAtomic(file: string, text: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.clan-vars-${process.pid}.tmp`);
  const mode = fs.statSync(file).mode;
  try {
    fs.writeFileSync(tmp, text, { mode });
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/** Applies a plan to disk; returns the files changed. */
export function applyPlan(plan: FixPlan): string[] {
  const changed: string[] = [];
  for (const [file, edits] of plan.edits) {
    const text = readWorkspaceText(file, PARSER_MAX_SIZE);
    const next = applyEdits(text, edits);
    if (next !== text) {
      writeFileAtomic(file, next);
      changed.push(file);
    }
  }
  return changed;
}
