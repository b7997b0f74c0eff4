// Applies quick fixes to files on disk (for `clan-vars-lint --fix`): only the safe ones, never in a
// file with syntax errors, never two overlapping edits. A file is written only while it still has
// the text the analysis saw, only when it is a regular file (not a link) inside the checked folder,
// and atomically, through a temporary file nothing planted can redirect (base/safeWrite.ts). Its
// folder is reached once and held while the file is checked and replaced (inFolderOf), so a folder
// on the way swapped for a link meanwhile cannot send the write anywhere else.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { textDigest } from '../base/textDigest';
import { isBefore, type Fix, type Position, type Problem, type TextEdit } from '../base/types';
import { checkText, PARSER_MAX_SIZE } from '../base/readNixFile';
import { readWorkspaceFile } from '../base/readWorkspaceFile';
import { inFolderOf, writeFileAtomic } from '../base/safeWrite';
import { LineIndex } from '../base/lineIndex';

type Applied = { problem: Problem; fix: Fix };

export interface FixPlan {
  /** Edits per file, in no particular order, not overlapping. */
  edits: Map<string, TextEdit[]>;
  applied: Applied[];
  /** Files where safe fixes were left out because the file does not parse. */
  refused: Set<string>;
  /** For each file with edits: the digest (textDigest) of the text the edits were computed on, if known. */
  digests: Map<string, string | undefined>;
}

/** What `applyPlan` did: the files written, the fixes now in them, the files left alone and why. */
export interface FixOutcome {
  written: string[];
  applied: Applied[];
  skipped: { file: string; reason: string }[];
}

/** The safe fixes of `problems`; `analysedDigest` gives the digest of the text a file had when it was analysed. */
export function planFixes(problems: Problem[], hasSyntaxErrors: (file: string) => boolean, analysedDigest: (file: string) => string | undefined): FixPlan {
  const plan: FixPlan = { edits: new Map(), applied: [], refused: new Set(), digests: new Map() };
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
      if (!plan.digests.has(e.file)) plan.digests.set(e.file, analysedDigest(e.file));
    }
    plan.applied.push({ problem, fix });
  }
  return plan;
}


function overlaps(a: TextEdit, b: TextEdit): boolean {
  // two insertions at the same place would also fight over order
  if (!isBefore(a.range.start, b.range.start) && !isBefore(b.range.start, a.range.start)) return true;
  return isBefore(a.range.start, b.range.end) && isBefore(b.range.start, a.range.end);
}

/** Applies non-overlapping edits to a text. Positions are zero-based lines and UTF-16 columns. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const lines = new LineIndex(text);
  const offset = (p: Position) => lines.offsetAt(p);
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * The text of the file `name` in the working directory (its folder, held by inFolderOf) to apply
 * its edits to, or why it must be left alone: it is a link, it is not a regular file, or its text is
 * not the one the edits were computed on. The text is decoded as the analysis decodes it (a byte
 * order mark is not part of it).
 */
function currentText(name: string, analysed: string | undefined): { text: string; bom: boolean } | { reason: string } {
  let bytes: Buffer;
  try {
    const st = fs.lstatSync(name);
    if (st.isSymbolicLink()) return { reason: `it is a link (to ${fs.readlinkSync(name)}); fix the file it points to where it lives` };
    if (!st.isFile()) return { reason: 'it is not a regular file' };
    bytes = readWorkspaceFile(name, PARSER_MAX_SIZE);
  } catch (e) {
    return { reason: `it cannot be read: ${(e as { code?: string }).code ?? (e as Error).message}` };
  }
  const read = checkText(bytes, PARSER_MAX_SIZE);
  if (!('text' in read) || analysed === undefined || textDigest(read.text) !== analysed) return { reason: 'it changed since it was checked; run again' };
  return { text: read.text, bom: bytes.subarray(0, 3).equals(BOM) };
}

/**
 * Runs `fn` with the current text of `file` (currentText) and its name in its folder, held, when
 * that folder is inside `root`; else returns why the file must be left alone.
 */
function withCurrentText<T>(file: string, root: string, analysed: string | undefined, fn: (current: { text: string; bom: boolean }, name: string) => T): T | { reason: string } {
  try {
    return inFolderOf(file, (folder, name) => {
      const rel = path.relative(root, folder);
      if (rel.startsWith('..' + path.sep) || rel === '..' || path.isAbsolute(rel)) return { reason: `it is outside the checked folder (at ${path.join(folder, name)})` };
      const current = currentText(name, analysed);
      return 'reason' in current ? current : fn(current, name);
    });
  } catch (e) {
    return { reason: `it cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  }
}

/**
 * Applies a plan to the files under `root`. A file that cannot be fixed safely (see currentText) is
 * left alone, and so are the other files of the fixes that touch it; a file that changes between
 * that check and its write, or whose write fails, is reported the same way. Each file is checked
 * again and written in one visit of its folder. The files it writes keep their mode.
 */
export function applyPlan(plan: FixPlan, root: string): FixOutcome {
  const outcome: FixOutcome = { written: [], applied: [], skipped: [] };
  const ready = new Set<string>();
  for (const file of plan.edits.keys()) {
    const refused = withCurrentText(file, root, plan.digests.get(file), () => null);
    if (refused) outcome.skipped.push({ file, reason: refused.reason });
    else ready.add(file);
  }
  outcome.applied = plan.applied.filter(({ fix }) => fix.edits.every((e) => ready.has(e.file)));
  const edits = new Map<string, TextEdit[]>();
  for (const { fix } of outcome.applied) for (const e of fix.edits) edits.set(e.file, [...(edits.get(e.file) ?? []), e]);
  const failed = new Set<string>();
  for (const [file, list] of edits) {
    const written = withCurrentText(file, root, plan.digests.get(file), ({ text, bom }, name) => {
      const next = applyEdits(text, list);
      if (next === text) return false;
      try {
        writeFileAtomic(name, bom ? '\uFEFF' + next : next);
        return true;
      } catch (e) {
        return { reason: `it cannot be written: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
      }
    });
    if (written === true) outcome.written.push(file);
    else if (written !== false) {
      failed.add(file);
      outcome.skipped.push({ file, reason: written.reason });
    }
  }
  if (failed.size) outcome.applied = outcome.applied.filter(({ fix }) => fix.edits.every((e) => !failed.has(e.file)));
  return outcome;
}
