// Where a piece of a Nix text is, worked out from the text alone (zero-based lines and characters, as
// the facts give them): what the facts tests compare each extracted position and range with.
import assert from 'node:assert/strict';
import type { Position, Range } from '../../server/src/base/types';

/** The offset of the `nth` (from 0) occurrence of `needle` in `text`. */
function offsetOf(text: string, needle: string, nth: number): number {
  let i = -1;
  for (let k = 0; k <= nth; k++) {
    i = text.indexOf(needle, i + 1);
    assert.ok(i >= 0, `no ${JSON.stringify(needle)} #${nth} in the text`);
  }
  return i;
}

function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

/** Where the `nth` occurrence of `needle` starts in `text`. */
export function at(text: string, needle: string, nth = 0): Position {
  return positionAt(text, offsetOf(text, needle, nth));
}

/** The range of the `nth` occurrence of `needle` in `text` (it may span lines). */
export function span(text: string, needle: string, nth = 0): Range {
  const i = offsetOf(text, needle, nth);
  return { start: positionAt(text, i), end: positionAt(text, i + needle.length) };
}
