// The line a finding is on, with a caret under its range, as rustc and ruff show it:
//
//    |
// 11 |   lea = [ "deepsek" ];
//    |           ^^^^^^^^^
//
// The source line is printable (base/printable.ts) before it is shown, tabs as spaces, and cut to
// the width around the caret when it is longer.
import * as path from 'node:path';
import { Confinement } from '../../base/confinement';
import { printable } from '../../base/printable';
import type { Problem, Severity } from '../../base/types';
import type { Paint } from './color';

/** The lines of the files findings are in, read once each, inside the folder checked. */
export class SourceLines {
  private readonly files = new Map<string, string[] | null>();
  private readonly confinements = new Map<string, Confinement>();

  constructor(private readonly maxBytes: number) {}

  /**
   * The lines of `file`, or null: not a .nix file (the secrets on disk are not shown), or not
   * readable inside `root` (a link out of it, gone since the check).
   */
  of(file: string, root: string): string[] | null {
    let lines = this.files.get(file);
    if (lines !== undefined) return lines;
    lines = null;
    if (path.extname(file) === '.nix') {
      try {
        let confinement = this.confinements.get(root);
        if (!confinement) this.confinements.set(root, (confinement = Confinement.within(root)));
        lines = confinement.readText(file, this.maxBytes).split(/\r?\n/);
      } catch {
        lines = null;
      }
    }
    this.files.set(file, lines);
    return lines;
  }
}

/** The text as shown: tabs as two spaces, then printable. */
function shown(text: string): string {
  return printable(text.replace(/\t/g, '  '));
}

/**
 * The frame of a finding's first line, its gutter `gutter` columns wide; none when the line is not
 * in the file (it changed since the check). The source part is at most `width` columns, the window
 * around the caret marked with `…` where it is cut.
 */
export function codeFrame(problem: Problem, lines: string[], gutter: number, width: number, paint: Paint): string[] {
  const { start, end } = problem.range;
  const source = lines[start.line];
  if (source === undefined) return [];
  const from = Math.min(start.character, source.length);
  const to = end.line === start.line ? Math.max(from, Math.min(end.character, source.length)) : source.length;
  let before = shown(source.slice(0, from));
  let marked = shown(source.slice(from, to));
  let after = shown(source.slice(to));
  const room = Math.max(20, width - gutter - 3);
  if (before.length + marked.length + after.length > room) {
    // keep a little of what comes before the caret, as much of the range as fits, then what follows
    const lead = Math.min(before.length, Math.floor(room / 4));
    if (lead < before.length) before = '…' + before.slice(before.length - lead + 1);
    if (before.length + marked.length > room) marked = marked.slice(0, room - before.length - 1) + '…';
    const left = room - before.length - marked.length;
    if (after.length > left) after = left > 1 ? after.slice(0, left - 1) + '…' : '';
  }
  const bar = paint.frame(`${' '.repeat(gutter)} |`);
  const severity: Severity = problem.severity;
  const caret = '^'.repeat(Math.max(1, marked.length));
  return [
    bar,
    `${paint.frame(`${String(start.line + 1).padStart(gutter)} |`)} ${(before + marked + after).trimEnd()}`,
    `${bar} ${' '.repeat(before.length)}${paint.severity(severity, caret)}`,
  ];
}
