// Converts a tree-sitter tree into a compact tree of plain objects the evaluator walks. The copy
// is built without recursion (any nesting depth is fine), holds no wasm memory, so the tree can be
// deleted right away, and gives cheap field access. Comments are dropped; ERROR and MISSING nodes
// are kept and evaluate to "unknown".
import type { Tree } from 'web-tree-sitter';
import type { Range } from '../model/types';

export interface SNode {
  type: string;
  /** Source text of leaves (identifiers, literals, fragments, operators); '' for inner nodes. */
  text: string;
  range: Range;
  /** Named children in order (no comments, no anonymous tokens). */
  children: SNode[];
  /** The first child (named or an anonymous token such as an operator) of each field. */
  fields: Record<string, SNode | undefined>;
  /** Every child of a field that repeats (`element`, `formal`, `attr`, `binding`). */
  lists: Record<string, SNode[] | undefined>;
  /** On the root: the text has a syntax error, so Nix would not evaluate any of it. */
  syntaxError?: boolean;
}

/** Node types whose full text is kept even though they have children. */
const KEEP_TEXT = new Set(['path_expression', 'hpath_expression', 'spath_expression', 'uri_expression', 'integer_expression', 'float_expression']);

/**
 * `source`, when given, is the text the leaves take their text from instead of the tree's: the
 * tree may have been parsed from a copy with some characters replaced (same offsets, see
 * parseSource.ts).
 */
export function toAst(tree: Tree, source?: string): SNode {
  const cursor = tree.walk();
  const makeNode = (type: string, n: TsNode): SNode => nodeOf(type, n, source);
  try {
    const rootNode = cursor.currentNode;
    const root = makeNode(rootNode.type, rootNode);
    const stack: SNode[] = [root];
    if (!cursor.gotoFirstChild()) return root;
    for (;;) {
      const n = cursor.currentNode;
      const parent = stack[stack.length - 1];
      const field = cursor.currentFieldName;
      let made: SNode | null = null;
      if (n.type !== 'comment') {
        if (n.isMissing) made = makeNode('MISSING', n);
        else if (n.isNamed || field) made = makeNode(n.isNamed ? n.type : n.type, n);
      }
      if (made) {
        if (n.isNamed || n.isMissing) parent.children.push(made);
        if (field) {
          if (!parent.fields[field]) parent.fields[field] = made;
          (parent.lists[field] ??= []).push(made);
        }
      }
      if (made && cursor.gotoFirstChild()) {
        stack.push(made);
        continue;
      }
      if (!made && cursor.gotoFirstChild()) {
        // an anonymous token with children does not occur; skip its subtree
        cursor.gotoParent();
      }
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return root;
        stack.pop();
        if (stack.length === 0) return root;
      }
    }
  } finally {
    cursor.delete();
  }
}

interface TsNode {
  text: string;
  childCount: number;
  startIndex: number;
  endIndex: number;
  startPosition: { row: number; column: number };
  endPosition: { row: number; column: number };
}

function nodeOf(type: string, n: TsNode, source: string | undefined): SNode {
  const keep = n.childCount === 0 || KEEP_TEXT.has(type);
  return {
    type,
    text: keep ? (source === undefined ? n.text : source.slice(n.startIndex, n.endIndex)) : '',
    range: {
      start: { line: n.startPosition.row, character: n.startPosition.column },
      end: { line: n.endPosition.row, character: n.endPosition.column },
    },
    children: [],
    fields: {},
    lists: {},
  };
}
