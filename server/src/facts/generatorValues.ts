// How the generator reader (generators.ts) reads values: let-bound names followed, wrappers such as
// `lib.mkIf` unwrapped, lists enumerated, an option's value recorded, a computed name read as a
// pattern through let-bound strings. Syntax only; never throws.
import type { FlatNode as Node } from '../syntax/flatTree';
import type { NameRef } from '../syntax/syntax';
import type { OptionValue } from './types';
import { letScope, parameters, type Scope } from './topLevel';
import { applyParts, attrPath, bindingsOf, dottedName, literalOf, MAX_DEPTH, rangeOf, unparen } from '../syntax/syntax';

/** Library functions that return a list, with how many arguments they take. */
const LIST_FUNCTIONS: Record<string, number> = {
  map: 2, filter: 2, attrNames: 1, attrValues: 1, concatMap: 2, concatLists: 1, genList: 2, sort: 2, catAttrs: 2, mapAttrsToList: 2,
  optional: 2, optionals: 2, toList: 1, range: 2, unique: 1, flatten: 1, splitString: 2, reverseList: 1, remove: 2, subtractLists: 2,
  intersectLists: 2, take: 2, drop: 2, sublist: 3, tail: 1, forEach: 2, imap0: 2, imap1: 2, naturalSort: 1, split: 2, zipLists: 2,
};

/** Functions whose last argument is the value itself (`lib.mkIf cond value`). */
const WRAPPERS = new Set(['mkIf', 'mkDefault', 'mkForce', 'mkOverride', 'mkBefore', 'mkAfter', 'mkOrder', 'optionalAttrs', 'mkMerge']);

export function wrapperName(fn: Node | null): string | null {
  const name = dottedName(fn);
  if (!name) return null;
  const last = name.split('.').pop()!;
  return WRAPPERS.has(last) ? last : null;
}

/** Follows let-bound variables; returns the node a value really is. */
export function resolve(node: Node | null, scope: Scope, depth: number): Node | null {
  let n = unparen(node);
  for (let i = 0; n && i < 20 && depth + i < MAX_DEPTH; i++) {
    if (n.type === 'variable_expression' && scope.has(n.text)) n = unparen(scope.get(n.text)!);
    else break;
  }
  return n;
}

/** `lib.nameValuePair <name> <value>` or `{ name = <name>; value = <value>; }` (`rec` or not). */
export function nameValue(node: Node | null): { name: Node; value: Node } | null {
  if (!node) return null;
  if (node.type === 'apply_expression') {
    const { fn, args } = applyParts(node);
    return lastName(fn) === 'nameValuePair' && args.length === 2 ? { name: unparen(args[0]) ?? args[0], value: args[1] } : null;
  }
  if (node.type !== 'attrset_expression' && node.type !== 'rec_attrset_expression') return null;
  let name: Node | null = null;
  let value: Node | null = null;
  for (const b of bindingsOf(node)) {
    if (b.type !== 'binding') return null;
    const parts = attrPath(b.childForFieldName('attrpath'));
    const v = unparen(b.childForFieldName('expression'));
    if (parts.length !== 1 || !v) return null;
    if (parts[0].name === 'name') name = v;
    else if (parts[0].name === 'value') value = v;
    else return null;
  }
  return name && value ? { name, value } : null;
}


export function unknownOption(path: NameRef[]): OptionValue {
  const last = path[path.length - 1];
  return { path: path.map((r) => r.name ?? '*'), keyRange: last.range, valueRange: last.range, kind: 'unknown', literal: undefined, text: last.name ?? '*' };
}

export function optionValue(rest: NameRef[], node: Node, scope: Scope, depth: number): OptionValue {
  const option: OptionValue = {
    path: rest.map((r) => r.name ?? '*'),
    keyRange: rest[rest.length - 1].range,
    valueRange: rangeOf(node),
    kind: node.type,
    literal: literalOf(node),
    text: node.text.length > 200 ? node.text.slice(0, 200) + '…' : node.text,
  };
  if (certainlyList(node, scope, depth)) option.list = true;
  const list = listParts(node, scope, depth);
  // only a list whose every element is known: a part that is not (`++ cfg.extra`) may hold anything
  if (list.complete) {
    option.elements = list.items.map((e) => {
      const u = unparen(e) ?? e;
      return { literal: literalOf(u), range: rangeOf(u), kind: u.type, text: u.text.length > 200 ? u.text.slice(0, 200) + '…' : u.text };
    });
  }
  return option;
}

/**
 * Whether a value is a list whatever it evaluates to: a list, `++`, a library function that returns
 * one (`map`, `lib.attrNames`, `lib.optionals`, ...), through `let`, `with`, `if` (both branches)
 * and let-bound names.
 */
function certainlyList(node: Node | null, scope: Scope, depth: number): boolean {
  const n = node && unwrap(node, scope, depth);
  if (!n || depth > MAX_DEPTH) return false;
  switch (n.type) {
    case 'list_expression':
      return true;
    case 'binary_expression':
      return n.childForFieldName('operator')?.text === '++';
    case 'with_expression':
    case 'assert_expression':
      return certainlyList(n.childForFieldName('body'), scope, depth + 1);
    case 'let_expression':
      return certainlyList(n.childForFieldName('body'), letScope(n, scope), depth + 1);
    case 'if_expression':
      return certainlyList(n.childForFieldName('consequence'), scope, depth + 1) && certainlyList(n.childForFieldName('alternative'), scope, depth + 1);
    case 'variable_expression':
      return scope.has(n.text) && certainlyList(scope.get(n.text)!, scope, depth + 1);
    case 'apply_expression': {
      const { fn, args } = applyParts(n);
      const name = dottedName(fn);
      const last = name?.split('.').pop() ?? '';
      // `lib.x`, `builtins.x`, `lib.lists.x`, or `map` (a builtin in every scope) not hidden by a let binding
      const library = !!name && (/^(lib|builtins|pkgs\.lib)(\.(lists|attrsets|strings))?\.[^.]+$/.test(name) || (name === 'map' && !scope.has('map')));
      return library && Object.prototype.hasOwnProperty.call(LIST_FUNCTIONS, last) && args.length === LIST_FUNCTIONS[last];
    }
    default:
      return false;
  }
}

export function unwrap(node: Node, scope: Scope, depth: number): Node | null {
  let n: Node | null = node;
  for (let i = 0; n && n.type === 'apply_expression' && i < 10; i++) {
    const { fn, args } = applyParts(n);
    const w = wrapperName(fn);
    if (!w || w === 'mkMerge' || !args.length) return n;
    n = resolve(args[args.length - 1], scope, depth + i);
  }
  return n;
}

export function listElements(node: Node, scope: Scope, depth: number): Node[] {
  return listParts(node, scope, depth).items;
}

/**
 * The elements of a list value, through `++`, let-bound names, `with x;` and `let ... in`, each
 * element resolved when it is a let-bound name; `complete` false when some part is not a list
 * the syntax can enumerate (`cfg.extraInputs`, `lib.optional c x`).
 */
function listParts(node: Node, scope: Scope, depth: number): { items: Node[]; complete: boolean } {
  const n = unwrap(node, scope, depth);
  if (!n || depth > MAX_DEPTH) return { items: [], complete: false };
  if (n.type === 'list_expression') {
    const items = n.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment').map((c) => (unparen(c)?.type === 'variable_expression' ? (resolve(c, scope, depth) ?? c) : c));
    return { items, complete: true };
  }
  if (n.type === 'binary_expression' && n.childForFieldName('operator')?.text === '++') {
    const [l, r] = [listParts(n.childForFieldName('left')!, scope, depth + 1), listParts(n.childForFieldName('right')!, scope, depth + 1)];
    return { items: [...l.items, ...r.items], complete: l.complete && r.complete };
  }
  if (n.type === 'with_expression') return listParts(n.childForFieldName('body')!, scope, depth + 1);
  if (n.type === 'let_expression') return listParts(n.childForFieldName('body')!, letScope(n, scope), depth + 1);
  const r = resolve(n, scope, depth);
  if (r && r !== n && r.id !== n.id) return listParts(r, scope, depth + 1);
  return { items: [], complete: false };
}

/** A binding's attribute path, computed parts read through let-bound strings (scopedName). */
export function partsOf(b: Node, scope: Scope, depth: number): NameRef[] {
  const ap = b.childForFieldName('attrpath');
  const parts = attrPath(ap);
  if (!ap || depth > MAX_DEPTH || parts.every((p) => p.name !== null)) return parts;
  const nodes = ap.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
  return nodes.length === parts.length ? parts.map((p, i) => scopedName(p, nodes[i], scope)) : parts;
}

/**
 * A computed name with the let-bound strings it names substituted: `${appName}` with
 * `appName = "caddy";` is `caddy`, `"acme-${scope}"` with `scope` a function's argument the
 * pattern `acme-*`. The name as it was when nothing is let-bound.
 */
export function scopedName(ref: NameRef, node: Node, scope: Scope): NameRef {
  if (ref.name !== null) return ref;
  const pattern = patternOf(node, scope, 0);
  if (pattern === null || pattern === (ref.pattern ?? '*')) return ref;
  return pattern.includes('*') ? { name: null, pattern, range: ref.range } : { name: pattern, pattern: null, range: ref.range };
}

/**
 * The name a string, an interpolation or a let-bound name gives, `*` for each part that cannot be
 * known; null for a name with a `*`, a line break or an escape of its own. An indented string's
 * one line loses the spaces it starts with, as Nix strips them (`''  a${x}''` is `a` and x).
 */
function patternOf(node: Node | null, scope: Scope, hops: number): string | null {
  const n = unparen(node);
  if (!n || hops > 20) return '*';
  if (n.type === 'interpolation') return patternOf(n.namedChildren.find((c) => !!c && c.type !== 'comment') ?? null, scope, hops + 1);
  if (n.type === 'variable_expression') return scope.has(n.text) ? patternOf(scope.get(n.text)!, scope, hops + 1) : '*';
  if (n.type === 'apply_expression') return appliedPattern(n, scope, hops);
  if (n.type !== 'string_expression' && n.type !== 'indented_string_expression') return '*';
  let out = '';
  for (const [i, child] of n.namedChildren.entries()) {
    if (!child || child.type === 'comment') continue;
    // the indentation Nix strips: the spaces the line starts with (not those an interpolation gives)
    if (child.type === 'string_fragment' && !/[*\n]/.test(child.text)) out += i === 0 && n.type === 'indented_string_expression' ? child.text.replace(/^ +/, '') : child.text;
    else if (child.type === 'interpolation') {
      const inner = patternOf(child, scope, hops + 1);
      if (inner === null) return null;
      out += inner;
    } else return null;
  }
  return out;
}

/**
 * A let-bound function applied to all its arguments (`genName site` with `genName = site:
 * "nix-access-token-${...}"`): the pattern of its body, each parameter a part that cannot be known.
 */
function appliedPattern(n: Node, scope: Scope, hops: number): string | null {
  const { fn, args } = applyParts(n);
  const f = unparen(fn);
  let body = f?.type === 'variable_expression' && scope.has(f.text) ? unparen(scope.get(f.text)!) : null;
  const inner = new Map(scope);
  let arity = 0;
  for (; body?.type === 'function_expression' && arity < 10; arity++) {
    for (const p of parameters(body)) inner.delete(p);
    body = unparen(body.childForFieldName('body'));
  }
  // partly applied, it is a function; not a function, it is no name at all
  if (!body || arity === 0 || arity !== args.length) return '*';
  return patternOf(body, inner, hops + 1);
}

/** The last part of a function's dotted name (`lib.mapAttrs'` -> `mapAttrs'`). */
export function lastName(fn: Node | null): string | undefined {
  return dottedName(fn)?.split('.').pop();
}

