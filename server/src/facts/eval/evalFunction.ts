// Functions: `x: body`, `{ a, b ? default, ... }: body`, `args@{ ... }: body`, application of
// lambdas, built-ins (curried by arity) and attrsets with `__functor`.
import type { SNode } from './ast';
import { stackExhausted, type Context } from './context';
import { directVariable, evalNode, lazy, locOf, siblingAlias, type Src } from './evalNode';
import { cutShort, Scope, Thunk, thunkId } from './thunk';
import { describe, NixError, typeError, unknown, type LambdaValue, type Loc, type Value } from './values';

export function makeLambda(ctx: Context, node: SNode, scope: Scope, src: Src): LambdaValue {
  const loc = locOf(src, node);
  const f = node.fields;
  const universal = f.universal?.text ?? null;
  const formalsNode = f.formals;
  const formalNodes = formalsNode?.lists.formal ?? [];
  const ellipsis = !!formalsNode?.fields.ellipses;
  const formals = formalsNode ? new Map(formalNodes.map((fm) => [fm.fields.name?.text ?? '', !!fm.fields.default])) : null;
  const bind = (arg: Thunk, callLoc: Loc | null): { node: SNode | undefined; scope: Scope; src: Src } => {
    const vars = new Map<string, Thunk>();
    const inner = new Scope(scope, vars);
    if (universal) vars.set(universal, arg);
    if (formalsNode) {
      const a = arg.force(ctx, callLoc);
      if (a.t === 'unknown') {
        // Unknown argument: every formal is unknown, defaults included (the caller may pass them).
        for (const fm of formalNodes) vars.set(fm.fields.name?.text ?? '', Thunk.of(unknown('argument of unknown set', callLoc)));
      } else {
        if (a.t !== 'attrs') throw typeError('a set', a, callLoc);
        for (const fm of formalNodes) {
          const name = fm.fields.name?.text ?? '';
          const given = a.attrs.get(name);
          if (given) vars.set(name, given);
          else if (fm.fields.default) vars.set(name, defaultThunk(ctx, fm.fields.default, formals!, vars, inner, src));
          else if (a.open) vars.set(name, Thunk.of(unknown(`argument '${name}' may be given`, callLoc)));
          else throw new NixError('error', `function 'anonymous lambda' called without required argument '${name}'`, callLoc);
        }
        if (!ellipsis) {
          for (const name of a.attrs.keys()) {
            if (!formals!.has(name)) throw new NixError('error', `function 'anonymous lambda' called with unexpected argument '${name}'`, callLoc);
          }
        }
      }
    }
    return { node: f.body, scope: inner, src };
  };
  // A call with a set of a few attributes has its result kept, by the thunks it is given: Nix is
  // pure, so the same thunks give the same value. A registry file's function called per machine
  // with `{ inherit pkgs; }` is then evaluated once, not once per machine (model/clanEvaluation.ts).
  // A function whose first MEMO_TRIAL results were never asked for again keeps no more: each kept
  // result would stay alive as long as the function.
  let memo: Map<string, Value> | undefined;
  let given = 0;
  let keeping = true;
  /** A kept result given again: its cells now stand for those of two calls (equality.ts). */
  const again = (kept: Value): Value => {
    given++;
    ctx.keptResultsShared = true;
    return kept;
  };
  /** The key of a call whose result is kept; null for one that is not (the argument is forced: binding forces it anyway). */
  const memoKey = (arg: Thunk, callLoc: Loc | null): string | null => {
    if (!keeping) return null;
    const a = arg.force(ctx, callLoc);
    if (a.t !== 'attrs' || a.open || a.attrs.size > MEMO_MAX_ARGS) return null;
    let key = '';
    for (const [name, t] of a.attrs) key += `${name}=${thunkId(t)};`;
    return key;
  };
  const call = (arg: Thunk, callLoc: Loc | null): Value => {
    const key = formalsNode ? memoKey(arg, callLoc) : null;
    const kept = key === null ? undefined : memo?.get(key);
    if (kept) return again(kept);
    const body = bind(arg, callLoc);
    const v = evalNode(ctx, body.node, body.scope, body.src);
    // as a thunk does, a result cut short by the budget, the depth or the stack is not kept
    if (key !== null && keeping && !cutShort(v)) {
      (memo ??= new Map()).set(key, v);
      if (given === 0 && memo.size >= MEMO_TRIAL) {
        keeping = false;
        memo = undefined;
      }
    }
    return v;
  };
  const recall = formalsNode
    ? (arg: Thunk, callLoc: Loc | null): Value | null | undefined => {
        const key = memoKey(arg, callLoc);
        const kept = key === null ? null : memo?.get(key);
        return kept ? again(kept) : kept;
      }
    : undefined;
  return { t: 'lambda', call, bind, formals, loc, recall };
}

/** Calls with a set of at most this many attributes have their results kept (see makeLambda). */
const MEMO_MAX_ARGS = 8;
/** A function keeps no more results once this many were kept and none was asked for again. */
const MEMO_TRIAL = 32;

/** A formal's default; one that is only another formal's name forwards to it (see Thunk.alias). */
function defaultThunk(ctx: Context, node: SNode, formals: Map<string, boolean>, vars: Map<string, Thunk>, inner: Scope, src: Src): Thunk {
  const sibling = directVariable(node);
  if (sibling !== null && formals.has(sibling)) return siblingAlias(ctx, sibling, vars, inner, locOf(src, node));
  return lazy(ctx, node, inner, src);
}

/** Applies a function value to an argument, one level deeper (as ctx.enter, written out to save JS stack). */
export function callFunction(ctx: Context, fn: Value, arg: Thunk, loc: Loc | null): Value {
  if (!ctx.countStep()) return unknown('budget');
  if (ctx.depth >= ctx.maxDepth) return unknown('depth');
  ctx.depth++;
  try {
    return apply(ctx, fn, arg, loc);
  } catch (e) {
    return stackExhausted(e);
  } finally {
    ctx.depth--;
  }
}

function apply(ctx: Context, fn: Value, arg: Thunk, loc: Loc | null): Value {
  switch (fn.t) {
    case 'unknown':
      return unknown(`call of ${fn.reason}`, loc);
    case 'lambda':
      return fn.call(arg, loc);
    case 'primop': {
      const args = [...fn.args, arg];
      if (args.length < fn.arity) return { ...fn, args };
      return fn.fn(args, loc);
    }
    case 'attrs': {
      const functor = fn.attrs.get('__functor');
      if (functor) {
        const inner = callFunction(ctx, functor.force(ctx, loc), Thunk.of(fn), loc);
        return callFunction(ctx, inner, arg, loc);
      }
      if (fn.open) return unknown('call of an open set', loc);
      break;
    }
  }
  throw new NixError('error', `attempt to call something which is not a function but ${describe(fn)}`, loc);
}

/** Applies a function to several already-built arguments. */
export function callN(ctx: Context, fn: Value, args: Thunk[], loc: Loc | null): Value {
  let v = fn;
  for (const a of args) v = callFunction(ctx, v, a, loc);
  return v;
}
