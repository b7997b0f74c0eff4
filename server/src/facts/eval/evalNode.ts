// Evaluates one syntax node to weak head normal form. Sub-expressions become thunks, so evaluation
// is as lazy as Nix's. Node kinds with more logic live in evalAttrs, evalFunction, evalOps and
// evalStrings.
import type { SNode } from './ast';
import type { Context } from './context';
import { evalAttrset, evalLet, attrName } from './evalAttrs';
import { callFunction, makeLambda } from './evalFunction';
import { evalBinary, evalUnary } from './evalOps';
import { evalPath, evalString } from './evalStrings';
import { Scope, Thunk } from './thunk';
import { mayBeGlobal } from './undefinedVariables';
import { stackExhausted } from './context';
import { mkBool, mkFloat, mkInt, mkList, mkString, NixError, typeError, unknown, type Loc, type Value } from './values';

/** The file a node belongs to. */
export interface Src {
  file: string;
  dir: string;
}

/** Where `node` is; one object per node (an AST belongs to one file, but the file is checked). */
export function locOf(src: Src, node: SNode): Loc {
  const known = node.loc;
  if (known !== undefined && known.file === src.file) return known;
  return (node.loc = { file: src.file, range: node.range });
}

/**
 * Evaluates a node one level deeper. Where a node's value is another expression's value (the
 * branch of an `if`, the body of a `let`, `with`, `assert` or of a called lambda), the loop goes
 * on with that expression instead of nesting JS calls: a recursion through `if` and application
 * costs one JS-stack level per call, and a tail call none. Calls still count as levels against
 * the depth limit, so a runaway tail recursion ends quickly.
 */
export function evalNode(ctx: Context, node: SNode | undefined, scope: Scope, src: Src): Value {
  if (!node) return unknown('missing syntax');
  if (!ctx.countStep()) return unknown('budget');
  if (ctx.depth >= ctx.maxDepth) return unknown('depth');
  let levels = 1;
  ctx.depth++;
  try {
    for (;;) {
      const v = evalInner(ctx, node, scope, src);
      if (v !== CONTINUE) return v;
      if (!continuation.node) return unknown('missing syntax');
      ({ node, scope, src } = continuation as { node: SNode; scope: Scope; src: Src });
      const call = continuation.call;
      // let go of what it pointed at: held here, the last evaluation's scopes, thunks and syntax
      // stayed alive until the next one (37 MB in the 8,000-file bench clan)
      continuation.node = undefined;
      continuation.scope = NO_SCOPE;
      continuation.src = NO_SRC;
      if (!ctx.countStep()) return unknown('budget');
      if (call) {
        if (ctx.depth >= ctx.maxDepth) return unknown('depth');
        ctx.depth++;
        levels++;
      }
    }
  } catch (e) {
    return stackExhausted(e);
  } finally {
    ctx.depth -= levels;
  }
}

/** What evalInner returns when evaluation goes on with `continuation`. */
const CONTINUE: Value = unknown('continue');
/** Below this depth a call whose result is kept is made through `call` (a JS frame more), deeper in the caller's loop, unkept (evalFunction.ts). */
const KEPT_CALLS_MAX_DEPTH = 200;
const NO_SCOPE = new Scope(null, null);
const NO_SRC: Src = { file: '', dir: '' };
const continuation: { node: SNode | undefined; scope: Scope; src: Src; call: boolean } = {
  node: undefined,
  scope: NO_SCOPE,
  src: NO_SRC,
  call: false,
};

/** Tells evalNode's loop to go on with `node` (the body of a called function when `call`): the current node's value is its value. */
function goOn(node: SNode | undefined, scope: Scope, src: Src, call = false): Value {
  continuation.node = node;
  continuation.scope = scope;
  continuation.src = src;
  continuation.call = call;
  return CONTINUE;
}

/**
 * A thunk for a sub-expression; literals are evaluated at once. A variable bound lexically (or a
 * global) gives the binding's own thunk, as Nix gives the binding's value cell (equality.ts).
 */
export function lazy(ctx: Context, node: SNode | undefined, scope: Scope, src: Src): Thunk {
  if (node && (node.type === 'integer_expression' || node.type === 'float_expression')) return Thunk.of(evalInner(ctx, node, scope, src));
  const name = directVariable(node);
  const bound = name === null ? undefined : (scope.lexical(name) ?? ctx.globals.lexical(name));
  return bound ?? new Thunk(() => evalNode(ctx, node, scope, src));
}

/** The name, when an expression is only a variable (parentheses aside). */
export function directVariable(node: SNode | undefined): string | null {
  while (node?.type === 'parenthesized_expression') node = node.fields.expression;
  return node?.type === 'variable_expression' ? (node.fields.name?.text ?? null) : null;
}

/**
 * The thunk of a binding that is only the name of a sibling being bound with it (`let g = f;`):
 * it forwards to the sibling, which may or may not share its cell in Nix (see Thunk.alias).
 */
export function siblingAlias(ctx: Context, name: string, siblings: Map<string, Thunk>, scope: Scope, loc: Loc): Thunk {
  const t = new Thunk(() => lookup(ctx, name, scope, loc));
  t.alias = () => siblings.get(name);
  return t;
}

function evalInner(ctx: Context, node: SNode, scope: Scope, src: Src): Value {
  const loc = locOf(src, node);
  const f = node.fields;
  switch (node.type) {
    case 'source_code':
      return goOn(f.expression ?? node.children[0], scope, src);
    case 'parenthesized_expression':
      return goOn(f.expression, scope, src);
    case 'integer_expression':
      try {
        const n = BigInt(node.text);
        return n > 0x7fffffffffffffffn ? unknown('integer literal out of range', loc) : mkInt(n, loc);
      } catch {
        return unknown('bad integer', loc);
      }
    case 'float_expression':
      return mkFloat(Number(node.text.startsWith('.') ? '0' + node.text : node.text), loc);
    case 'string_expression':
    case 'indented_string_expression':
      return evalString(ctx, node, scope, src);
    case 'path_expression':
      return evalPath(ctx, node, scope, src);
    case 'uri_expression':
      return mkString(node.text, loc);
    case 'hpath_expression':
    case 'spath_expression':
      return unknown(`impure path ${node.text}`, loc);
    case 'variable_expression':
      return lookup(ctx, f.name?.text ?? '', scope, loc);
    case 'select_expression':
      return evalSelect(ctx, node, scope, src, loc);
    case 'has_attr_expression':
      return evalHasAttr(ctx, node, scope, src, loc);
    case 'apply_expression': {
      const fn = evalNode(ctx, f.function, scope, src);
      if (fn.t === 'lambda' && fn.bind) {
        const arg = lazy(ctx, f.argument, scope, src);
        const kept = fn.recall ? fn.recall(arg, loc) : null;
        if (kept) return kept;
        // a call whose result is kept goes through `call`, which keeps it; deep down, one goes on in this loop
        if (kept === undefined && ctx.depth < KEPT_CALLS_MAX_DEPTH) return callFunction(ctx, fn, arg, loc);
        const body = fn.bind(arg, loc);
        return goOn(body.node, body.scope, body.src, true);
      }
      return callFunction(ctx, fn, lazy(ctx, f.argument, scope, src), loc);
    }
    case 'function_expression':
      return makeLambda(ctx, node, scope, src);
    case 'let_expression':
      return goOn(f.body, evalLet(ctx, node, scope, src), src);
    case 'attrset_expression':
    case 'rec_attrset_expression':
    case 'let_attrset_expression':
      return evalAttrset(ctx, node, scope, src);
    case 'list_expression':
      return mkList(
        node.children.map((c) => lazy(ctx, c, scope, src)),
        loc,
      );
    case 'if_expression': {
      const c = evalNode(ctx, f.condition, scope, src);
      if (c.t === 'unknown') return c;
      if (c.t !== 'bool') throw typeError('a Boolean', c, loc);
      return goOn(c.v ? f.consequence : f.alternative, scope, src);
    }
    case 'assert_expression': {
      const c = evalNode(ctx, f.condition, scope, src);
      if (c.t === 'unknown') return c;
      if (c.t !== 'bool') throw typeError('a Boolean', c, loc);
      if (!c.v) throw new NixError('assert', 'assertion failed', loc);
      return goOn(f.body, scope, src);
    }
    case 'with_expression': {
      const env = lazy(ctx, f.environment, scope, src);
      return goOn(f.body, new Scope(scope, null, env), src);
    }
    case 'binary_expression':
      return evalBinary(ctx, node, scope, src, loc);
    case 'unary_expression':
      return evalUnary(ctx, node, scope, src, loc);
    default:
      return unknown(`cannot evaluate ${node.type}`, loc);
  }
}

/** Variable lookup: lexical scopes, then the globals, then enclosing `with`s (innermost first). */
export function lookup(ctx: Context, name: string, scope: Scope, loc: Loc | null): Value {
  const t = scope.lexical(name) ?? ctx.globals.lexical(name);
  if (t) return t.force(ctx, loc);
  for (const w of scope.withs()) {
    const env = w.force(ctx, loc);
    if (env.t === 'unknown') return env;
    if (env.t !== 'attrs') throw typeError('a set', env, loc);
    const hit = env.attrs.get(name);
    if (hit) return hit.force(ctx, loc);
    if (env.open) return unknown(`${name} may come from with`, loc);
  }
  // Not found, not even in a `with`: a global name we do not implement, or a variable of a text
  // evaluated with its free variables unknown (see evalText); else Nix's error.
  if (mayBeGlobal(name) || scope.root().freeVariablesUnknown) return unknown(`undefined variable '${name}'`, loc);
  throw new NixError('error', `undefined variable '${name}'`, loc);
}

function evalSelect(ctx: Context, node: SNode, scope: Scope, src: Src, loc: Loc): Value {
  const f = node.fields;
  let v = evalNode(ctx, f.expression, scope, src);
  for (const attr of f.attrpath?.children ?? []) {
    if (v.t === 'unknown') return v;
    const name = attrName(ctx, attr, scope, src);
    if (name.t === 'unknown') return name;
    if (name.t !== 'string') throw typeError('a string', name, locOf(src, attr));
    if (v.t !== 'attrs') {
      if (f.default) return evalNode(ctx, f.default, scope, src);
      throw typeError('a set', v, loc);
    }
    const hit = v.attrs.get(name.v);
    if (!hit) {
      if (v.open) return unknown(`attribute '${name.v}' may exist`, loc);
      if (f.default) return evalNode(ctx, f.default, scope, src);
      throw new NixError('error', `attribute '${name.v}' missing`, locOf(src, attr));
    }
    v = hit.force(ctx, locOf(src, attr));
  }
  return v;
}

function evalHasAttr(ctx: Context, node: SNode, scope: Scope, src: Src, loc: Loc): Value {
  let v = evalNode(ctx, node.fields.expression, scope, src);
  const attrs = node.fields.attrpath?.children ?? [];
  for (let i = 0; i < attrs.length; i++) {
    if (v.t === 'unknown') return v;
    if (v.t !== 'attrs') return mkBool(false, loc);
    const name = attrName(ctx, attrs[i], scope, src);
    if (name.t === 'unknown') return name;
    if (name.t !== 'string') throw typeError('a string', name, locOf(src, attrs[i]));
    const hit = v.attrs.get(name.v);
    if (!hit) return v.open ? unknown('open set', loc) : mkBool(false, loc);
    if (i === attrs.length - 1) return mkBool(true, loc);
    v = hit.force(ctx, loc);
  }
  return mkBool(false, loc);
}
