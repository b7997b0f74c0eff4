// A Nix string literal as the shell will see it: escapes decoded (`''$`, `'''`, `''\n`, `\"`),
// each `${...}` Nix interpolation replaced by one placeholder character, and for every character
// of the result the offset in the source it came from, so findings map back into the editor.
import type { Position, Range } from '../base/types';
import type { ScriptSource } from './syntax';
import { LineIndex } from '../base/lineIndex';

/** Stands for a Nix interpolation in the decoded text. */
export const NIX_INTERPOLATION = '\u0001';

export interface DecodedString {
  text: string;
  /** Source of each interpolation, in order. */
  interpolations: string[];
  /** Maps offsets in `text` back to source positions. */
  rangeOf(start: number, end: number): Range;
}

/** Decodes a string literal; null when the value is not a string literal (a path, a function call, ...). */
export function decodeNixString(source: ScriptSource): DecodedString | null {
  const raw = source.raw;
  const indented = source.kind === 'indented_string_expression' && raw.startsWith("''") && raw.endsWith("''") && raw.length >= 4;
  const quoted = source.kind === 'string_expression' && raw.startsWith('"') && raw.endsWith('"') && raw.length >= 2;
  if (!indented && !quoted) return null;
  let text = '';
  const interpolations: string[] = [];
  // Where the text's characters come from, in runs: for each, the offset in `text` it starts at,
  // the offset in `raw`, and 1 when its characters come one for one (plain text) or 0 when they all
  // come from the one escape or interpolation at that offset.
  const runs: number[] = [];
  /** Where the plain text not yet added to `text` starts in `raw` (-1: none). */
  let plain = -1;
  const endPlain = (at: number) => {
    if (plain < 0) return;
    runs.push(text.length, plain, 1);
    text += raw.slice(plain, at);
    plain = -1;
  };
  const emit = (s: string, from: number, at: number) => {
    endPlain(at);
    runs.push(text.length, from, 0);
    text += s;
  };
  const end = raw.length - (indented ? 2 : 1);
  let i = indented ? 2 : 1;
  while (i < end) {
    const c = raw.charCodeAt(i);
    if (indented && c === QUOTE && raw.charCodeAt(i + 1) === QUOTE) {
      const next = raw[i + 2];
      if (next === '$') emit('$', i + 2, i), (i += 3);
      else if (next === "'") emit("''", i, i), (i += 3);
      else if (next === '\\' && i + 3 < end) emit(unescape(raw[i + 3]), i, i), (i += 4);
      else emit("'", i, i), i++;
    } else if (!indented && c === BACKSLASH && i + 1 < end) {
      emit(unescape(raw[i + 1]), i, i);
      i += 2;
    } else if (c === DOLLAR && raw.charCodeAt(i + 1) === DOLLAR) {
      emit('$$', i, i);
      i += 2;
    } else if (c === DOLLAR && raw.charCodeAt(i + 1) === OPEN_BRACE) {
      const close = matchingBrace(raw, i + 1, end);
      interpolations.push(raw.slice(i, close + 1));
      emit(NIX_INTERPOLATION, i, i);
      i = close + 1;
    } else {
      if (plain < 0) plain = i;
      i++;
    }
  }
  endPlain(i);
  let lines: LineIndex | undefined;
  const position = (offset: number): Position => (lines ??= new LineIndex(raw)).positionAt(offset, source.range.start);
  /** The offset in `raw` the character at `k` of `text` comes from. */
  const offsetAt = (k: number): number => {
    let lo = 0;
    let hi = runs.length / 3 - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (runs[mid * 3] <= k) lo = mid;
      else hi = mid - 1;
    }
    return runs[lo * 3 + 1] + (k - runs[lo * 3]) * runs[lo * 3 + 2];
  };
  const last = text.length - 1;
  const rangeOf = (start: number, stop: number): Range => {
    const s = last >= 0 && start >= 0 ? offsetAt(Math.min(start, last)) : 0;
    const e = stop > start ? (last >= 0 && stop >= 1 ? offsetAt(Math.min(stop - 1, last)) : s) + 1 : s;
    return { start: position(s), end: position(Math.max(s, e)) };
  };
  return { text, interpolations, rangeOf };
}

const QUOTE = 39; // '
const BACKSLASH = 92;
const DOLLAR = 36;
const OPEN_BRACE = 123;

function unescape(c: string): string {
  return c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : c;
}

/** The index of the `}` closing the `{` at `open`, skipping nested braces and strings; `end - 1` if none. */
function matchingBrace(raw: string, open: number, end: number): number {
  let depth = 0;
  for (let i = open; i < end; i++) {
    const c = raw[i];
    if (c === '"') {
      for (i++; i < end && raw[i] !== '"'; i++) if (raw[i] === '\\') i++;
    } else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return end - 1;
}
