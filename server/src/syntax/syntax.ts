// Small helpers over tree-sitter-nix nodes. Every recursive walk here is depth-limited or iterative,
// so deeply nested input cannot overflow the stack.
import type { FlatCursor as TreeCursor, FlatNode as Node } from './flatTree';
import type { Position, Range } from '../base/types';

/**
 * A name written in the source: a generator name, a dependency, a key. `name` is null when the
 * name is computed (`"x-${machine}"`); `pattern` then holds a glob with `*` for each interpolation.
 */
export interface NameRef {
  name: string | null;
  pattern: string | null;
  range: Range;
}

/** A generator's `script` as written: the raw source of the value, including quotes. */
export interface ScriptSource {
  raw: string;
  range: Range;
  /** `indented_string_expression`, `string_expression`, `path_expression`, ... */
  kind: string;
}

export const MAX_DEPTH = 400;

/** Whether `name` can be written bare in Nix (an identifier: `ssh`, `key'`, `wg-home`), not only quoted. */
export function isIdentifier(name: string): boolean {
  return /^[A-Za-z_][\w'-]*$/.test(name);
}

export function rangeOf(node: Node): Range {
  return {
    start: { line: node.startPosition.row, character: node.startPosition.column },
    end: { line: node.endPosition.row, character: node.endPosition.column },
  };
}

export function samePosition(a: Position, b: Position): boolean {
  return a.line === b.line && a.character === b.character;
}

export function sameRange(a: Range, b: Range): boolean {
  return samePosition(a.start, b.start) && samePosition(a.end, b.end);
}

/**
 * A range inside text that moved from `from` to `to` unchanged (so laid out the same after its first
 * line): for results kept by text and reused where that text now is.
 */
export function moveRange(r: Range, from: Position, to: Position): Range {
  const move = (p: Position): Position => ({
    line: p.line - from.line + to.line,
    character: p.line === from.line ? p.character - from.character + to.character : p.character,
  });
  return { start: move(r.start), end: move(r.end) };
}

/** The literal value of a string without interpolations, or null. */
export function stringValue(node: Node | null): string | null {
  if (!node) return null;
  const type = node.type;
  if (type !== 'string_expression' && type !== 'indented_string_expression') return null;
  return plainStringValue(node.text, type) ?? stringValueOfParts(node);
}

/**
 * The value of a string written without escapes and interpolations (no backslash or `$` in `"..."`, no
 * `'` or `$` in `''...''`): its text between the quotes, so no Node is made for its parts
 * (bench/probe.ts walk); null for any other string, whose value stringValueOfParts reads.
 * Exported for the test that compares the two readings.
 */
export function plainStringValue(text: string, type: string): string | null {
  if (type === 'string_expression') return /^"[^"\\$]*"$/.test(text) ? text.slice(1, -1) : null;
  return text.length >= 4 && /^''[^'$]*''$/.test(text) ? stripIndent(text.slice(2, -2)) : null;
}

/** stringValue from the string's parts (its fragments and escapes). */
export function stringValueOfParts(node: Node): string | null {
  let out = '';
  for (const child of node.namedChildren) {
    if (!child) continue;
    if (child.type === 'string_fragment') out += child.text;
    else if (child.type === 'escape_sequence') out += unescape(child.text, node.type === 'indented_string_expression');
    else if (child.type === 'dollar_escape') continue;
    else return null;
  }
  if (node.type === 'indented_string_expression') out = stripIndent(out);
  return out;
}

/** The value of a literal: a string without interpolations, a number, true, false or null. */
export function literalOf(node: Node | null): string | number | boolean | null | undefined {
  if (!node) return undefined;
  switch (node.type) {
    case 'string_expression':
    case 'indented_string_expression': {
      const v = stringValue(node);
      return v === null ? undefined : v;
    }
    case 'integer_expression':
    case 'float_expression':
      return Number(node.text);
    case 'variable_expression':
      return node.text === 'true' ? true : node.text === 'false' ? false : node.text === 'null' ? null : undefined;
    default:
      return undefined;
  }
}

/** A string as a glob: interpolations become `*`. Null if it is not a string. */
export function stringPattern(node: Node | null): string | null {
  if (!node) return null;
  if (node.type !== 'string_expression' && node.type !== 'indented_string_expression') return null;
  let out = '';
  for (const child of node.namedChildren) {
    if (!child) continue;
    if (child.type === 'interpolation') out += '*';
    else if (child.type === 'string_fragment') out += child.text;
    else if (child.type === 'escape_sequence') out += unescape(child.text, false);
  }
  return out;
}

function unescape(seq: string, indented: boolean): string {
  if (indented) {
    if (seq === "'''") return "''";
    if (seq.startsWith("''\\")) return escapeChar(seq.slice(3));
    return seq;
  }
  return seq.startsWith('\\') ? escapeChar(seq.slice(1)) : seq;
}

function escapeChar(c: string): string {
  return c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : c;
}

function stripIndent(s: string): string {
  const lines = s.split('\n');
  if (lines.length && lines[0].trim() === '') lines.shift();
  const indents = lines.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length);
  const min = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(min)).join('\n');
}

/** A name as written in an attrpath or a string: literal when possible, otherwise a pattern. */
export function nameRefOf(node: Node): NameRef {
  if (node.type === 'identifier') return { name: node.text, pattern: null, range: rangeOf(node) };
  const value = stringValue(node);
  if (value !== null) return { name: value, pattern: null, range: rangeOf(node) };
  const pattern = stringPattern(node);
  return { name: null, pattern: pattern ?? '*', range: rangeOf(node) };
}

/** The parts of an attrpath (`a."b".${c}`) as name references. */
export function attrPath(node: Node | null): NameRef[] {
  if (!node) return [];
  return plainAttrPath(node.text, node.startPosition) ?? attrPathOfParts(node);
}

/** An identifier of an attrpath, or a quoted name of printable ASCII without `"`, backslash and `$`. */
const PLAIN_PART = `(?:[A-Za-z_][A-Za-z0-9_'-]*|"[\\x20\\x21\\x23\\x25-\\x5b\\x5d-\\x7e]*")`;
const PLAIN_ATTRPATH = new RegExp(`^${PLAIN_PART}(?:\\.${PLAIN_PART})*$`);
/** Nix's keywords: never an identifier of an attrpath (tree-sitter gives an error there). */
const KEYWORD_PART = /(?:^|\.)(?:if|then|else|assert|with|let|in|rec|inherit|or)(?:\.|$)/;

/**
 * The parts of an attrpath written on one line with identifiers and plain quoted names only
 * (`clan.core.vars.generators."gen-0"`), read from its text, so no Node is made for its parts
 * (bench/probe.ts walk): ASCII, so its columns are its offsets. Null for any other attrpath.
 * Exported for the test that compares the two readings.
 */
export function plainAttrPath(text: string, start: { row: number; column: number }): NameRef[] | null {
  if (!PLAIN_ATTRPATH.test(text) || KEYWORD_PART.test(text)) return null;
  const parts: NameRef[] = [];
  const at = (offset: number): Position => ({ line: start.row, character: start.column + offset });
  for (let i = 0; i < text.length; ) {
    const quoted = text[i] === '"';
    const dot = quoted ? text.indexOf('"', i + 1) + 1 : text.indexOf('.', i);
    const end = dot === -1 ? text.length : dot;
    parts.push({ name: quoted ? text.slice(i + 1, end - 1) : text.slice(i, end), pattern: null, range: { start: at(i), end: at(end) } });
    i = end + 1; // past the dot
  }
  return parts;
}

/** attrPath from the attrpath's child nodes. */
export function attrPathOfParts(node: Node): NameRef[] {
  return node.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment').map(nameRefOf);
}

/** Strips parentheses. */
export function unparen(node: Node | null): Node | null {
  let n = node;
  for (let i = 0; n && n.type === 'parenthesized_expression' && i < MAX_DEPTH; i++) {
    n = n.childForFieldName('expression');
  }
  return n;
}

/** The dotted name of a variable or select expression (`lib.modules.importApply`), or null. */
export function dottedName(node: Node | null): string | null {
  const n = unparen(node);
  if (!n) return null;
  if (n.type === 'variable_expression') return n.text;
  if (n.type === 'select_expression' && !n.childForFieldName('default')) {
    const base = dottedName(n.childForFieldName('expression'));
    const parts = attrPath(n.childForFieldName('attrpath'));
    if (base === null || parts.some((p) => p.name === null)) return null;
    return [base, ...parts.map((p) => p.name)].join('.');
  }
  return null;
}

/** Splits `f a b` into the function and its arguments. */
export function applyParts(node: Node): { fn: Node | null; args: Node[] } {
  const args: Node[] = [];
  let n: Node | null = node;
  for (let i = 0; n && n.type === 'apply_expression' && i < MAX_DEPTH; i++) {
    const arg = n.childForFieldName('argument');
    if (arg) args.unshift(arg);
    n = unparen(n.childForFieldName('function'));
  }
  return { fn: n, args };
}

/** The bindings (`binding`, `inherit`, `inherit_from`) of an attrset or let node. */
export function bindingsOf(node: Node): Node[] {
  const set = node.namedChildren.find((c) => c.type === 'binding_set');
  return set ? set.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment') : [];
}

/**
 * Visits the children of an attrset's or let node's binding set with one cursor, no Node made for
 * them (large registries and matrices have a binding per entry); `visit` leaves the cursor on the child.
 */
export function eachBinding(node: Node, visit: (cursor: TreeCursor) => void): void {
  const c = node.walk();
  try {
    if (!c.gotoFirstChild()) return;
    while (c.nodeType !== 'binding_set') if (!c.gotoNextSibling()) return;
    if (!c.gotoFirstChild()) return;
    do visit(c);
    while (c.gotoNextSibling());
  } finally {
    c.delete();
  }
}

/** The names an `inherit` / `inherit_from` binding brings in. */
export function inheritedNames(node: Node): NameRef[] {
  const attrs = node.childForFieldName('attrs');
  return attrs ? attrs.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment').map(nameRefOf) : [];
}

/** Visits every node depth-first without recursion. Return false from `visit` to skip children. */
export function walk(root: Node, visit: (node: Node) => boolean | void): void {
  const cursor = root.walk();
  try {
    let descend = true;
    for (;;) {
      if (descend && visit(cursor.currentNode) !== false && cursor.gotoFirstChild()) continue;
      descend = true;
      if (cursor.gotoNextSibling()) continue;
      let climbed = false;
      while (cursor.gotoParent()) {
        if (cursor.currentNode.id === root.id) return;
        if (cursor.gotoNextSibling()) {
          climbed = true;
          break;
        }
      }
      if (!climbed) return;
    }
  } finally {
    cursor.delete();
  }
}

/** A Nix attribute name as it must be written: bare when it is an identifier, quoted otherwise. */
export function attrName(name: string): string {
  return isIdentifier(name) ? name : JSON.stringify(name).replace(/\$\{/g, '\\${');
}
