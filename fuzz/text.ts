// The client's copy of a document: LSP positions (UTF-16, lines split at \n, as the server does)
// to offsets and back, applying edits, and checking that a range lies inside the text.
export interface Pos {
  line: number;
  character: number;
}
export interface Rng {
  start: Pos;
  end: Pos;
}

/** Start offset of every line. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** Offset of a position, clamped the way the server and VS Code clamp: past the end -> end. */
export function offsetAt(text: string, starts: number[], p: Pos): number {
  if (p.line >= starts.length) return text.length;
  const lineStart = starts[p.line];
  const lineEnd = p.line + 1 < starts.length ? starts[p.line + 1] - 1 : text.length;
  return Math.min(lineStart + Math.max(0, p.character), lineEnd);
}

export function positionAt(starts: number[], offset: number): Pos {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, character: offset - starts[lo] };
}

/** Applies one LSP content change (a range, or none for the whole text). */
export function applyChange(text: string, change: { range?: Rng; text: string }): string {
  if (!change.range) return change.text;
  const starts = lineStarts(text);
  const start = offsetAt(text, starts, change.range.start);
  const end = Math.max(start, offsetAt(text, starts, change.range.end));
  return text.slice(0, start) + change.text + text.slice(end);
}

/** Why `range` does not lie inside `text`, or null when it does. */
export function rangeProblem(text: string, range: Rng | undefined, starts = lineStarts(text)): string | null {
  if (!range || !range.start || !range.end) return 'missing range';
  for (const [name, p] of [['start', range.start], ['end', range.end]] as const) {
    if (!Number.isInteger(p.line) || !Number.isInteger(p.character) || p.line < 0 || p.character < 0) return `${name} ${JSON.stringify(p)} is not a position`;
    if (p.line >= starts.length) return `${name} line ${p.line} is past the last line (${starts.length - 1})`;
    const lineEnd = p.line + 1 < starts.length ? starts[p.line + 1] - 1 : text.length;
    if (starts[p.line] + p.character > lineEnd) return `${name} character ${p.character} is past the end of line ${p.line} (${lineEnd - starts[p.line]})`;
  }
  if (range.end.line < range.start.line || (range.end.line === range.start.line && range.end.character < range.start.character)) return 'end before start';
  return null;
}
