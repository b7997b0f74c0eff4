// Converts a tree-sitter tree into a compact tree of plain objects the evaluator walks. The copy
// is built without recursion (any nesting depth is fine), holds no wasm memory, so the tree can be
// deleted right away, and gives cheap field access. Comments are dropped; ERROR and MISSING nodes
// are kept and evaluate to "unknown".
import type { FlatNode, FlatTree, Point } from '../../syntax/flatTree';
import type { Range } from '../../base/types';
import type { Loc } from './values';
import { detached } from '../../base/detached';
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
  /**
   * Every child of the repeating fields the evaluator reads all of (`formal`; the others' children
   * are the named children): a list per field of every node cost a large registry's AST megabytes.
   */
  lists: Record<string, SNode[] | undefined>;
  /** On the root: the text has a syntax error, so Nix would not evaluate any of it. */
  syntaxError?: boolean;
  /** The node's location once an evaluation asked for it (evalNode.ts locOf): one object however often it is evaluated. */
  loc: Loc | undefined;
  /** A set's or let's members, once collected (evalAttrs.ts groupOf; a field, not a WeakMap: see attached.ts). */
  group: unknown;
}

/** About 5 ms of work (some 2.5 µs a node). */
const NODES_PER_STEP = 2000;

// Leaves (about half the nodes) share these: a large registry's AST stays in the evaluations' cache.
const NO_CHILDREN: SNode[] = Object.freeze([]) as unknown as SNode[];
const NO_FIELDS: Record<string, SNode | undefined> = Object.freeze({});
const NO_LISTS: Record<string, SNode[] | undefined> = Object.freeze({});

/** The fields whose every child goes into `lists`. */
const LISTED = new Set(['formal']);

/** Node types whose full text is kept even though they have children. */
const KEEP_TEXT = new Set(['path_expression', 'hpath_expression', 'spath_expression', 'uri_expression', 'integer_expression', 'float_expression']);

/**
 * An earlier AST of the same file, for an incremental parse: a named node for which `kept` says so
 * (it lies outside the edit and the ranges the parse changed, at the positions it had) is taken
 * over from `old` with its whole subtree instead of being built again. Its objects stay the same,
 * so what is cached per node (evalAttrs' groups, locations) stays valid.
 */
export interface AstReuse {
  old: SNode;
  kept(startIndex: number, endIndex: number, startRow: number): boolean;
}

/**
 * `source`, when given, is the text the leaves take their text from instead of the tree's: the
 * tree may have been parsed from a copy with some characters replaced (same offsets, see
 * parseSource.ts).
 */
export function toAst(tree: FlatTree, source?: string): SNode {
  return runSteps(toAstSteps(tree, source, Number.POSITIVE_INFINITY));
}

/** The AST of one expression of a tree (positions stay those in the file): a piece of code kept as a fact and evaluated later. */
export function nodeToAst(node: FlatNode): SNode {
  return runSteps(toAstSteps(node, undefined, Number.POSITIVE_INFINITY));
}

/**
 * `toAst` that yields after every `every` nodes, so that a caller can answer requests in between
 * (a 2,000-entry registry is some 60,000 nodes). `tree` must stay alive until the generator ends;
 * a caller that abandons it calls `return()` to free the cursor.
 */
export function* toAstSteps(tree: FlatTree | FlatNode, source?: string, every = NODES_PER_STEP, reuse?: AstReuse): Generator<void, SNode> {
  let count = 0;
  // read through the cursor only: a FlatNode object per node costs more than the whole walk; a node's
  // cursor cannot leave that node, so a node converts like a tree of its own
  const cursor = tree.walk();
  const top = 'rootNode' in tree ? tree.rootNode : tree;
  // without `source`, the root node's text: it starts at the root's first byte, which is not the
  // text's first when the text starts with whitespace
  const text = source ?? top.text;
  const base = source === undefined ? top.startIndex : 0;
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
      text: KEEP_TEXT.has(type) ? detached(slice()) : '',
      range: p && s === p.start && e === p.end ? p : { start: s, end: e },
      children: NO_CHILDREN,
      fields: NO_FIELDS,
      lists: NO_LISTS,
      loc: undefined,
      group: undefined,
    };
  };
  /** A node without children keeps its text. */
  const leaf = (node: SNode) => {
    // its own copy: an incremental parse takes nodes over into later versions of the AST
    if (!node.text) node.text = detached(slice());
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
      let taken = false;
      if (type !== 'comment') {
        if (missing) made = make('MISSING', parent);
        else {
          if (reuse && named && reuse.kept(cursor.startIndex, cursor.endIndex, cursor.startPosition.row)) {
            made = findNode(reuse.old, cursor.startPosition, cursor.endPosition, type);
            taken = made !== null;
          }
          if (!made && (named || field)) made = make(type, parent);
        }
      }
      if (made) {
        if (named || missing) {
          if (parent.children === NO_CHILDREN) parent.children = [made];
          else parent.children.push(made);
        }
        if (field) {
          if (parent.fields === NO_FIELDS) parent.fields = {};
          if (!parent.fields[field]) parent.fields[field] = made;
          if (LISTED.has(field)) {
            if (parent.lists === NO_LISTS) parent.lists = {};
            const list = parent.lists[field];
            if (list) list.push(made);
            else parent.lists[field] = [made];
          }
        }
      }
      if (!taken && cursor.gotoFirstChild()) {
        if (made) {
          stack.push(made);
          continue;
        }
        // an anonymous token with children does not occur; skip its subtree
        cursor.gotoParent();
      } else if (made && !taken) leaf(made);
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

const before = (p: { line: number; character: number }, q: Point) => p.line < q.row || (p.line === q.row && p.character <= q.column);
const after = (p: { line: number; character: number }, q: Point) => p.line > q.row || (p.line === q.row && p.character >= q.column);

/** The node of `root`'s tree with this type and range, found by descending through the children that contain the range. */
function findNode(root: SNode, start: Point, end: Point, type: string): SNode | null {
  let node = root;
  for (;;) {
    const r = node.range;
    if (node.type === type && r.start.line === start.row && r.start.character === start.column && r.end.line === end.row && r.end.character === end.column) return node;
    // the last child starting at or before `start` (children are in order)
    const kids = node.children;
    let lo = 0;
    let hi = kids.length - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (before(kids[mid].range.start, start)) {
        at = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    // several children may start there (an empty one before a full one): take one that also spans `end`
    while (at >= 0 && !after(kids[at].range.end, end)) {
      const k = kids[at].range.start;
      if (at === 0 || k.line !== kids[at - 1].range.start.line || k.character !== kids[at - 1].range.start.character) return null;
      at--;
    }
    if (at < 0) return null;
    node = kids[at];
  }
}

/**
 * An AST as facts keep it (written to JSON by the scan's workers and the facts cache, compared as
 * JSON): each node once. In an SNode a field's node is also one of the children, so JSON, which
 * writes a node for every reference, doubles a subtree at each level it is a field of (clan-core's
 * 20-line computed-tags.nix: 23.6 MB, kept under four prefixes). Here a field or a listed field
 * names a child by its index, and holds only a node that is no child (an anonymous token).
 */
export interface PortableAst {
  type: string;
  text: string;
  range: Range;
  children?: PortableAst[];
  fields?: Record<string, number | PortableAst>;
  lists?: Record<string, (number | PortableAst)[]>;
  syntaxError?: true;
}

/** `node` as facts keep it (its depth is that of the code: callers keep small pieces). */
export function portableAst(node: SNode): PortableAst {
  const out: PortableAst = { type: node.type, text: node.text, range: node.range };
  if (node.children.length) out.children = node.children.map(portableAst);
  const ref = (n: SNode): number | PortableAst => {
    const at = node.children.indexOf(n);
    return at >= 0 ? at : portableAst(n);
  };
  const fields = Object.entries(node.fields).filter((e): e is [string, SNode] => e[1] !== undefined);
  if (fields.length) out.fields = Object.fromEntries(fields.map(([k, n]) => [k, ref(n)]));
  const lists = Object.entries(node.lists).filter((e): e is [string, SNode[]] => e[1] !== undefined);
  if (lists.length) out.lists = Object.fromEntries(lists.map(([k, ns]) => [k, ns.map(ref)]));
  if (node.syntaxError) out.syntaxError = true;
  return out;
}

/** A new SNode from facts' form (an evaluation caches its work on the nodes it is given: each gets its own). */
export function fromPortableAst(p: PortableAst): SNode {
  const children = p.children?.length ? p.children.map(fromPortableAst) : NO_CHILDREN;
  const node = (ref: number | PortableAst): SNode => {
    const n = typeof ref === 'number' ? children[ref] : fromPortableAst(ref);
    if (!n) throw new Error(`an AST field names child ${ref as number} of a ${p.type} with ${children.length}`);
    return n;
  };
  const made: SNode = {
    type: p.type,
    text: p.text,
    range: p.range,
    children,
    fields: p.fields ? Object.fromEntries(Object.entries(p.fields).map(([k, r]) => [k, node(r)])) : NO_FIELDS,
    lists: p.lists ? Object.fromEntries(Object.entries(p.lists).map(([k, rs]) => [k, rs.map(node)])) : NO_LISTS,
    loc: undefined,
    group: undefined,
  };
  if (p.syntaxError) made.syntaxError = true;
  return made;
}
