// Ranges for edits that quick fixes make: removing a binding (whole lines when it stands alone on
// them) and the place where a new binding goes in an attrset, with the indentation to use.
import type { FlatNode as Node } from '../syntax/flatTree';
import type { Position, Range } from '../base/types';

/** The range that deletes `node`: its whole lines when nothing else is on them, else the node and the spaces after it. */
export function removalRange(node: Node, text: string): Range {
  const start = node.startIndex;
  const end = node.endIndex;
  let before = start;
  while (before > 0 && (text[before - 1] === ' ' || text[before - 1] === '\t')) before--;
  let after = end;
  while (after < text.length && (text[after] === ' ' || text[after] === '\t')) after++;
  const aloneBefore = before === 0 || text[before - 1] === '\n';
  const aloneAfter = after === text.length || text[after] === '\n' || text[after] === '\r';
  if (aloneBefore && aloneAfter && after < text.length) {
    return { start: { line: node.startPosition.row, character: 0 }, end: { line: node.endPosition.row + 1, character: 0 } };
  }
  return {
    start: { line: node.startPosition.row, character: node.startPosition.column },
    end: { line: node.endPosition.row, character: node.endPosition.column + (after - end) },
  };
}

/**
 * Where a binding can be added to an attrset: before its closing brace. When the brace starts its
 * line, a new line with the brace's indentation plus two spaces; otherwise on the same line.
 */
export function insertionPoint(set: Node, text: string): { position: Position; indent: string | null } {
  const close = set.endIndex - 1;
  let i = close;
  while (i > 0 && (text[i - 1] === ' ' || text[i - 1] === '\t')) i--;
  const braceCol = set.endPosition.column - 1;
  if (set.startPosition.row !== set.endPosition.row && (i === 0 || text[i - 1] === '\n')) {
    const inner = bodyIndent(set, text) ?? text.slice(i, close) + '  ';
    return { position: { line: set.endPosition.row, character: 0 }, indent: inner };
  }
  return { position: { line: set.endPosition.row, character: braceCol }, indent: null };
}

/** The indentation of the first binding of an attrset that starts its own line. */
function bodyIndent(set: Node, text: string): string | null {
  const bindings = set.namedChildren.find((c) => c.type === 'binding_set');
  // sibling by sibling: it is usually the first, and a registry has thousands
  for (let b = bindings?.firstNamedChild ?? null; b; b = b.nextNamedSibling) {
    let i = b.startIndex;
    while (i > 0 && (text[i - 1] === ' ' || text[i - 1] === '\t')) i--;
    if (i === 0 || text[i - 1] === '\n') return text.slice(i, b.startIndex);
  }
  return null;
}

/** The text to insert for a new binding at an insertion point. */
export function bindingInsertion(at: { position: Position; indent: string | null }, binding: string): string {
  return at.indent === null ? `${binding} ` : `${at.indent}${binding}\n`;
}
