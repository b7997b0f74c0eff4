// tree-sitter-nix 0.0.2 rejects a trailing comma in formals (`{ lib, pkgs, }:`, nixfmt's style).
// We blank such commas (same length, so every offset stays valid) and reparse incrementally; the
// resulting trees are identical to those of the fixed upstream grammar.
import type { Tree } from 'web-tree-sitter';
import { LineIndex } from '../base/lineIndex';

const TRAILING_COMMA = /,((?:\s|#[^\n]*\n)*)\}(\s*(?:@\s*[A-Za-z_][\w'-]*\s*)?):/g;
const NOT_CODE = new Set(['comment', 'string_fragment', 'string_expression', 'indented_string_expression', 'escape_sequence']);

/** Offsets of the trailing commas of formals in `text` (its tree shows where code is). */
export function trailingFormalCommas(text: string, tree: Tree): number[] {
  const commas: number[] = [];
  for (const m of text.matchAll(TRAILING_COMMA)) {
    const node = tree.rootNode.descendantForIndex(m.index!, m.index! + 1);
    if (node && NOT_CODE.has(node.type)) continue;
    commas.push(m.index!);
  }
  return commas;
}

/** `text` with a space for each of those commas (same length, so every position stays). */
export function withoutCommas(text: string, commas: number[]): string {
  let fixed = text;
  for (const i of commas) fixed = fixed.slice(0, i) + ' ' + fixed.slice(i + 1);
  return fixed;
}

export function blankTrailingFormalCommas(
  text: string,
  tree: Tree,
  reparse: (text: string, edited: Tree) => Tree,
): Tree {
  const commas = trailingFormalCommas(text, tree);
  if (commas.length === 0) return tree;
  const fixed = withoutCommas(text, commas);
  const lines = new LineIndex(text);
  for (const i of commas) {
    const at = lines.positionAt(i);
    const pos = { row: at.line, column: at.character };
    tree.edit({
      startIndex: i,
      oldEndIndex: i + 1,
      newEndIndex: i + 1,
      startPosition: pos,
      oldEndPosition: { row: pos.row, column: pos.column + 1 },
      newEndPosition: { row: pos.row, column: pos.column + 1 },
    });
  }
  try {
    return reparse(fixed, tree);
  } finally {
    tree.delete(); // also when the reparse throws (out of time): the tree would leak in wasm memory
  }
}
