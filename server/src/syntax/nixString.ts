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
  /** For each character of `text`: its offset in the raw source. */
  offsets: number[];
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
  const offsets: number[] = [];
  const interpolations: string[] = [];
  const emit = (s: string, at: number) => {
    for (const c of s) {
      text += c;
      offsets.push(at);
    }
  };
  const end = raw.length - (indented ? 2 : 1);
  let i = indented ? 2 : 1;
  while (i < end) {
    const c = raw[i];
    if (indented && raw.startsWith("''", i)) {
      const next = raw[i + 2];
      if (next === '$') emit('$', i + 2), (i += 3);
      else if (next === "'") emit("''", i), (i += 3);
      else if (next === '\\' && i + 3 < end) emit(unescape(raw[i + 3]), i), (i += 4);
      else emit(c, i), i++;
    } else if (!indented && c === '\\' && i + 1 < end) {
      emit(unescape(raw[i + 1]), i);
      i += 2;
    } else if (c === '$' && raw[i + 1] === '$') {
      emit('$$', i);
      i += 2;
    } else if (c === '$' && raw[i + 1] === '{') {
      const close = matchingBrace(raw, i + 1, end);
      interpolations.push(raw.slice(i, close + 1));
      emit(NIX_INTERPOLATION, i);
      i = close + 1;
    } else {
      emit(c, i);
      i++;
    }
  }
  const lines = new LineIndex(raw);
  const position = (offset: number): Position => lines.positionAt(offset, source.range.start);
  const rangeOf = (start: number, stop: number): Range => {
    const s = offsets[Math.min(start, offsets.length - 1)] ?? 0;
    const e = stop > start ? (offsets[Math.min(stop - 1, offsets.length - 1)] ?? s) + 1 : s;
    return { start: position(s), end: position(Math.max(s, e)) };
  };
  return { text, offsets, interpolations, rangeOf };
}

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
