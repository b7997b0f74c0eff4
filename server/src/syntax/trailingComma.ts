// tree-sitter-nix 0.0.2 rejects a trailing comma in formals (`{ lib, pkgs, }:`, nixfmt's style).
// We blank such commas (same length, so every offset stays valid) and reparse incrementally; the
// resulting trees are identical to those of the fixed upstream grammar. A parse from scratch first
// tries the text with every comma that reads as one blanked (blankedGuess): when its tree has no
// error and each of them stands in code, that is the tree the first way ends with, without the
// failed parse before it (the shared clan's registry: one parse instead of two).
import type { Tree } from 'web-tree-sitter';
import { LineIndex } from '../base/lineIndex';

const TRAILING_COMMA = /,((?:\s|#[^\n]*\n)*)\}(\s*(?:@\s*[A-Za-z_][\w'-]*\s*)?):/g;
const NOT_CODE = new Set(['comment', 'string_fragment', 'string_expression', 'indented_string_expression', 'escape_sequence']);

/** Offsets of the trailing commas of formals in `text` (its tree shows where code is). */
export function trailingFormalCommas(text: string, tree: Tree): number[] {
  return likelyTrailingCommas(text).filter((i) => inCode(tree, i));
}

/** Offsets of what reads as a trailing comma of formals in `text` alone: some may stand in a string or a comment. */
export function likelyTrailingCommas(text: string): number[] {
  const commas: number[] = [];
  for (const m of text.matchAll(TRAILING_COMMA)) commas.push(m.index!);
  return commas;
}

/** Whether the character at `offset` stands in code in `tree`, not in a string or a comment. */
function inCode(tree: Tree, offset: number): boolean {
  const node = tree.rootNode.descendantForIndex(offset, offset + 1);
  return !node || !NOT_CODE.has(node.type);
}

/** `text` with a space for each of those commas (in order; same length, so every position stays). */
export function withoutCommas(text: string, commas: number[]): string {
  const parts: string[] = [];
  let from = 0;
  for (const i of commas) {
    parts.push(text.slice(from, i), ' ');
    from = i + 1;
  }
  parts.push(text.slice(from));
  return parts.join('');
}

/**
 * The tree of `text` with each of `commas` (likelyTrailingCommas) blanked, parsed by `parse`, when
 * that guess is right: the tree has no syntax error and each comma stands in code. Null (the tree
 * deleted) when it is not: the caller parses `text` as it is. A text whose only errors were those
 * commas gets this tree either way.
 */
export function blankedGuess(text: string, commas: number[], parse: (text: string) => Tree): Tree | null {
  const tree = parse(withoutCommas(text, commas));
  if (guessHolds(tree, commas)) return tree;
  tree.delete();
  return null;
}

/** Whether `tree`, of a text with `commas` blanked, is right: no syntax error, and each of them in code. */
export function guessHolds(tree: Tree, commas: number[]): boolean {
  return !tree.rootNode.hasError && commas.every((i) => inCode(tree, i));
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
