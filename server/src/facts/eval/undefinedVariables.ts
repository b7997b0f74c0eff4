// Nix resolves variables when it parses a file: a variable bound by no enclosing function, `let`,
// `rec` set or global, and not inside a `with`, stops the evaluation of the file with
// "undefined variable 'x'" before anything in it is evaluated, reached or not. This finds such
// variables in a file's AST (iteratively, any depth), with the names that are in scope where each
// is written (for a did-you-mean). Results are cached per AST.
import type { Range } from '../../base/types';
import type { SNode } from './ast';
import { Attached } from '../../base/attached';

export interface UndefinedVariable {
  name: string;
  range: Range;
  /** The names in scope where it is written: lexical bindings and Nix's unprefixed globals. */
  inScope: string[];
}

/** Nix's global names without the `__` prefix (Nix 2.8, and `break` of later versions). */
export const NIX_GLOBALS = [
  'abort', 'baseNameOf', 'break', 'builtins', 'derivation', 'derivationStrict', 'dirOf', 'false', 'fetchGit', 'fetchMercurial',
  'fetchTarball', 'fetchTree', 'fromTOML', 'import', 'isNull', 'map', 'null', 'placeholder', 'removeAttrs', 'scopedImport',
  'throw', 'toString', 'true',
];
const GLOBALS = new Set(NIX_GLOBALS);

/** A name Nix may have in its global scope: the list above and every `__`-prefixed built-in. */
export function mayBeGlobal(name: string): boolean {
  return GLOBALS.has(name) || name.startsWith('__');
}

interface StaticScope {
  names: Set<string> | null;
  /** Inside a `with`: any name may come from it. */
  withs: boolean;
  parent: StaticScope | null;
}

const cache = new Attached<SNode, UndefinedVariable[]>('undefinedVariables');

export function undefinedVariables(root: SNode): UndefinedVariable[] {
  let found = cache.get(root);
  if (!found) {
    found = check(root);
    cache.set(root, found);
  }
  return found;
}

function check(root: SNode): UndefinedVariable[] {
  const out: UndefinedVariable[] = [];
  const top: StaticScope = { names: null, withs: false, parent: null };
  const stack: [SNode | undefined, StaticScope][] = [[root, top]];
  const use = (name: string, range: Range, scope: StaticScope) => {
    if (!isBound(name, scope)) out.push({ name, range, inScope: namesIn(scope) });
  };
  while (stack.length) {
    const [node, scope] = stack.pop()!;
    if (!node) continue;
    const f = node.fields;
    switch (node.type) {
      case 'variable_expression':
        use(f.name?.text ?? '', node.range, scope);
        break;
      case 'function_expression': {
        const formals = f.formals?.lists.formal ?? [];
        const names = new Set(formals.map((fm) => fm.fields.name?.text ?? ''));
        if (f.universal) names.add(f.universal.text);
        const inner: StaticScope = { names, withs: scope.withs, parent: scope };
        stack.push([f.body, inner], ...formals.map((fm): [SNode | undefined, StaticScope] => [fm.fields.default, inner]));
        break;
      }
      case 'let_expression':
      case 'rec_attrset_expression':
      case 'let_attrset_expression': {
        const inner: StaticScope = { names: boundNames(node), withs: scope.withs, parent: scope };
        pushBindings(node, inner, scope, stack, use);
        if (node.type === 'let_expression') stack.push([f.body, inner]);
        break;
      }
      case 'attrset_expression':
        pushBindings(node, scope, scope, stack, use);
        break;
      case 'with_expression':
        stack.push([f.environment, scope], [f.body, { names: null, withs: true, parent: scope }]);
        break;
      default:
        for (const c of node.children) stack.push([c, scope]);
    }
  }
  return out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

function bindingsOf(node: SNode): SNode[] {
  return node.children.find((c) => c.type === 'binding_set')?.children ?? [];
}

/** Attribute names written as such: an identifier or a string without interpolation. */
function staticName(attr: SNode): string | null {
  if (attr.type === 'identifier') return attr.text;
  if (attr.type === 'string_expression' && attr.children.every((c) => c.type === 'string_fragment')) return attr.children.map((c) => c.text).join('');
  return null;
}

/** The names a `let` or `rec` set binds: the first attribute of each path, and inherited names. */
function boundNames(node: SNode): Set<string> {
  const names = new Set<string>();
  for (const b of bindingsOf(node)) {
    const attrs = b.type === 'binding' ? (b.fields.attrpath?.children.slice(0, 1) ?? []) : (b.fields.attrs?.children ?? []);
    for (const a of attrs) {
      const n = staticName(a);
      if (n !== null) names.add(n);
    }
  }
  return names;
}

/** Bindings: values and dynamic names see `inner`; `inherit x;` refers to x in `outer`. */
function pushBindings(
  node: SNode,
  inner: StaticScope,
  outer: StaticScope,
  stack: [SNode | undefined, StaticScope][],
  use: (name: string, range: Range, scope: StaticScope) => void,
): void {
  for (const b of bindingsOf(node)) {
    if (b.type === 'binding') stack.push([b.fields.attrpath, inner], [b.fields.expression, inner]);
    else if (b.type === 'inherit_from') stack.push([b.fields.expression, inner]);
    else if (b.type === 'inherit') {
      for (const a of b.fields.attrs?.children ?? []) {
        const n = staticName(a);
        if (n !== null) use(n, a.range, outer);
      }
    }
  }
}

function isBound(name: string, scope: StaticScope): boolean {
  for (let s: StaticScope | null = scope; s; s = s.parent) if (s.names?.has(name)) return true;
  return mayBeGlobal(name) || scope.withs;
}

function namesIn(scope: StaticScope): string[] {
  const names = new Set<string>();
  for (let s: StaticScope | null = scope; s; s = s.parent) for (const n of s.names ?? []) names.add(n);
  for (const n of NIX_GLOBALS) names.add(n);
  return [...names];
}
