// Shared by the registry and matrix extractors: the attrset a file evaluates to, looking through
// `{ pkgs ? null }:` function headers, let blocks, parentheses and `//` merges.
import type { FlatNode as Node } from '../syntax/flatTree';
import { attrPath, bindingsOf, MAX_DEPTH, unparen } from '../syntax/syntax';

export type Scope = Map<string, Node>;

export interface TopLevel {
  /** The attrsets whose bindings make up the file's value. */
  sets: Node[];
  /** Let-bound names visible in those attrsets. */
  scope: Scope;
}

/** Adds the `name = value;` bindings (single literal name) of an attrset or let node to `into`. */
export function addSimpleBindings(node: Node, into: Map<string, Node>): Map<string, Node> {
  for (const b of bindingsOf(node)) {
    if (b.type !== 'binding') continue;
    const parts = attrPath(b.childForFieldName('attrpath'));
    const value = b.childForFieldName('expression');
    if (parts.length === 1 && parts[0].name !== null && value) into.set(parts[0].name, value);
  }
  return into;
}

export function letScope(node: Node, outer: Scope): Scope {
  return addSimpleBindings(node, new Map(outer));
}

/** `scope` inside function `fn`: its parameters hide the let-bound names they share. */
export function withoutParameters(scope: Scope, fn: Node): Scope {
  const params = parameters(fn);
  if (!params.some((p) => scope.has(p))) return scope;
  const inner = new Map(scope);
  for (const p of params) inner.delete(p);
  return inner;
}

/** The names a function binds (`x: ...`, `{ a, b, ... }@args: ...`). */
export function parameters(fn: Node): string[] {
  const names: string[] = [];
  const universal = fn.childForFieldName('universal');
  if (universal) names.push(universal.text);
  const formals = fn.childForFieldName('formals');
  for (const f of formals?.namedChildren ?? []) {
    const n = f?.type === 'formal' ? f.childForFieldName('name') : null;
    if (n) names.push(n.text);
  }
  return names;
}

export function topLevel(root: Node): TopLevel | null {
  const sets: Node[] = [];
  let scope: Scope = new Map();
  let ok = true;
  const go = (node: Node | null, depth: number): void => {
    const n = unparen(node);
    if (!n || depth > MAX_DEPTH) {
      ok = false;
      return;
    }
    switch (n.type) {
      case 'source_code':
        return go(n.namedChildren.find((c) => c.type !== 'comment') ?? null, depth + 1);
      case 'function_expression':
      case 'with_expression':
      case 'assert_expression':
        return go(n.childForFieldName('body'), depth + 1);
      case 'let_expression':
        scope = letScope(n, scope);
        return go(n.childForFieldName('body'), depth + 1);
      case 'binary_expression':
        if (n.childForFieldName('operator')?.text !== '//') break;
        go(n.childForFieldName('left'), depth + 1);
        return go(n.childForFieldName('right'), depth + 1);
      case 'variable_expression':
        if (scope.has(n.text)) return go(scope.get(n.text)!, depth + 1);
        break;
      case 'attrset_expression':
      case 'rec_attrset_expression':
        sets.push(n);
        return;
    }
    ok = false;
  };
  go(root, 0);
  return ok && sets.length ? { sets, scope } : null;
}

/** A binding's first attr name and value, for bindings with a literal first name. */
export function namedBindings(set: Node): { name: string; nameNode: Node; rest: Node[]; value: Node | null; binding: Node }[] {
  const out = [];
  for (const b of bindingsOf(set)) {
    if (b.type !== 'binding') continue;
    const ap = b.childForFieldName('attrpath');
    const attrs = ap ? ap.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment') : [];
    const first = attrPath(ap)[0];
    if (!first || first.name === null) continue;
    out.push({ name: first.name, nameNode: attrs[0], rest: attrs.slice(1), value: b.childForFieldName('expression'), binding: b });
  }
  return out;
}
