// Converts a tree-sitter tree into a compact tree of plain objects the evaluator walks. The copy
// is built without recursion (any nesting depth is fine), holds no wasm memory, so the tree can be
// deleted right away, and gives cheap field access. Comments are dropped; ERROR and MISSING nodes
// are kept and evaluate to "unknown".
import type { Tree } from 'web-tree-sitter';
import type { Range } from '../model/types';
import type { Loc } from './values';
import { runSteps } from './runSteps';

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
  /** The node's location once an evaluation asked for it (evalNode.ts locOf): one object however often it is evaluated. */
  loc: Loc | undefined;
}

/** About 5 ms of work (some 2.5 µs a node). */
const NODES_PER_STEP = 2000;

// Leaves (about half the nodes) share these: a large registry's AST stays in the evaluations' cache.
const NO_CHILDREN: SNode[] = Object.freeze([]) as unknown as SNode[];
const NO_FIELDS: Record<string, SNode | undefined> = Object.freeze({});
const NO_LISTS: Record<string, SNode[] | undefined> = Object.freeze({});

/** Node types whose full text is kept even though they have children. */
const KEEP_TEXT = new Set(['path_expression', 'hpath_expression', 'spath_expression', 'uri_expression', 'integer_expression', 'float_expression']);

/**
 * `source`, when given, is the text the leaves take their text from instead of the tree's: the
 * tree may have been parsed from a copy with some characters replaced (same offsets, see
 * parseSource.ts).
 */
export function toAst(tree: Tree, source?: string): SNode {
  return runSteps(toAstSteps(tree, source, Number.POSITIVE_INFINITY));
}

/**
 * `toAst` that yields after every `every` nodes, so that a caller can answer requests in between
 * (a 2,000-entry registry is some 60,000 nodes). `tree` must stay alive until the generator ends;
 * a caller that abandons it calls `return()` to free the cursor.
 */
export function* toAstSteps(tree: Tree, source?: string, every = NODES_PER_STEP): Generator<void, SNode> {
  let count = 0;
  // read through the cursor only: a Node object per node costs more than the whole walk
  const cursor = tree.walk();
  // without `source`, the root node's text: it starts at the root's first byte, which is not the
  // text's first when the text starts with whitespace
  const text = source ?? tree.rootNode.text;
  const base = source === undefined ? tree.rootNode.startIndex : 0;
  const slice = () => text.slice(cursor.startIndex - base, cursor.endIndex - base);
  const make = (type: string, parent: SNode | null): SNode => {
    const start = cursor.startPosition;
    const end = cursor.endPosition;
    // a node shares its parent's positions where they are equal, its whole range when it spans the parent
    const p = parent?.range;
    const s = p && p.start.line === start.row && p.start.character === start.column ? p.start : { line: start.row, character: start.column };
    const e = p && p.end.line === end.row && p.end.character === end.column ? p.end : { line: end.row, character: end.column };
    return {
      type,
      text: KEEP_TEXT.has(type) ? slice() : '',
      range: p && s === p.start && e === p.end ? p : { start: s, end: e },
      children: NO_CHILDREN,
      fields: NO_FIELDS,
      lists: NO_LISTS,
      loc: undefined,
    };
  };
  /** A node without children keeps its text. */
  const leaf = (node: SNode) => {
    if (!node.text) node.text = slice();
  };
  try {
    const root = make(cursor.nodeType, null);
    const stack: SNode[] = [root];
    if (!cursor.gotoFirstChild()) {
      leaf(root);
      return root;
    }
    for (;;) {
      if (++count >= every) {
        count = 0;
        yield;
      }
      const type = cursor.nodeType;
      const named = cursor.nodeIsNamed;
      const missing = cursor.nodeIsMissing;
      const parent = stack[stack.length - 1];
      const field = cursor.currentFieldName;
      let made: SNode | null = null;
      if (type !== 'comment') {
        if (missing) made = make('MISSING', parent);
        else if (named || field) made = make(type, parent);
      }
      if (made) {
        if (named || missing) {
          if (parent.children === NO_CHILDREN) parent.children = [made];
          else parent.children.push(made);
        }
        if (field) {
          if (parent.fields === NO_FIELDS) {
            parent.fields = {};
            parent.lists = {};
          }
          if (!parent.fields[field]) parent.fields[field] = made;
          const list = parent.lists[field];
          if (list) list.push(made);
          else parent.lists[field] = [made];
        }
      }
      if (cursor.gotoFirstChild()) {
        if (made) {
          stack.push(made);
          continue;
        }
        // an anonymous token with children does not occur; skip its subtree
        cursor.gotoParent();
      } else if (made) leaf(made);
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
