// The one conversion between offsets in a text (UTF-16 code units) and positions (zero-based line
// and UTF-16 column, as in LSP and tree-sitter's rows and columns): the starts of the text's lines,
// found once, and a binary search over them.
import type { Position } from './types';

export class LineIndex {
  /**
   * The offset at which each line starts: counted first, so that a large text's index is one
   * allocation outside the JS heap (a matrix of 11,000 lines, indexed at each keystroke, made a
   * growing array of ~250 KB each time).
   */
  private readonly starts: Uint32Array;

  constructor(private readonly text: string) {
    let lines = 1;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
    this.starts = new Uint32Array(lines);
    let line = 1;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts[line++] = i + 1;
  }

  /** The last texts' indexes: an open document's keystroke reads the lines of the text before it (to place the change) and after it (the new tree's positions). */
  private static recent: LineIndex[] = [];

  /** The lines of `text`, found again only when it is not one of the last two texts asked for. */
  static of(text: string): LineIndex {
    const recent = LineIndex.recent;
    for (const index of recent) if (index.text === text) return index;
    const made = new LineIndex(text);
    recent.unshift(made);
    if (recent.length > 2) recent.pop();
    return made;
  }

  /** The line holding `offset` (an offset at a line break belongs to the line it ends). */
  lineAt(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The offset at which line `line` (one of the text's) starts. */
  lineStart(line: number): number {
    return this.starts[line];
  }

  /** The position of `offset`; with `origin`, as if the text started there in its file. */
  positionAt(offset: number, origin: Position = { line: 0, character: 0 }): Position {
    const line = this.lineAt(offset);
    const character = offset - this.starts[line];
    return line === 0 ? { line: origin.line, character: origin.character + character } : { line: origin.line + line, character };
  }

  /** The offset of a position, clamped to the text and to the end of its line. */
  offsetAt(p: Position): number {
    if (p.line >= this.starts.length) return this.text.length;
    const start = this.starts[Math.max(0, p.line)];
    const end = p.line + 1 < this.starts.length ? this.starts[p.line + 1] - 1 : this.text.length;
    return Math.min(start + Math.max(0, p.character), end);
  }
}
