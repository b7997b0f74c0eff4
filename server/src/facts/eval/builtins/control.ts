// Control and type built-ins: throw, abort, tryEval, seq, deepSeq, trace, typeOf, is*, toJSON.
import { NixError, mkAttrs, mkBool, mkString, typeOf, unknown, type Value } from '../values';
import type { Context } from '../context';
import { coerceToString } from '../evalStrings';
import { originsOf } from '../evalOps';
import { Thunk } from '../thunk';
import { toJSON } from '../toJson';
import { known, type PrimopDef } from './args';
import type { Loc } from '../values';

function message(ctx: Context, t: Thunk, loc: Loc | null): Value {
  return coerceToString(ctx, known(ctx, t, loc), false, loc);
}

/**
 * Forces a value completely; unknown when any part is unknown. List elements go in order; Nix
 * goes through a set's attributes in its symbol table's order, which we do not know, so when one
 * attribute fails, the error is Nix's only if every other attribute succeeds or fails the same way.
 */
export function deepForce(ctx: Context, v: Value, loc: Loc | null): Value {
  const one = (t: Thunk) => ctx.enter(loc, () => deepForce(ctx, t.force(ctx, loc), loc));
  if (v.t === 'list') {
    for (const t of v.items) {
      const inner = one(t);
      if (inner.t === 'unknown') return inner;
    }
  }
  if (v.t === 'attrs') {
    for (const t of v.attrs.values()) {
      let inner: Value;
      try {
        inner = one(t);
      } catch (e) {
        if (!(e instanceof NixError)) throw e;
        for (const other of v.attrs.values()) if (other !== t && !failsTheSame(ctx, () => one(other), e)) return unknown('errors in an order we do not know', loc);
        throw e;
      }
      if (inner.t === 'unknown') return inner;
    }
  }
  return v;
}

/** Whether `fn` succeeds or throws an error like `e`. */
function failsTheSame(ctx: Context, fn: () => Value, e: NixError): boolean {
  try {
    return fn().t !== 'unknown';
  } catch (other) {
    if (!(other instanceof NixError)) throw other;
    return other.kind === e.kind && other.nixMessage === e.nixMessage;
  }
}

const is = (kind: string) => ({ arity: 1, fn: (ctx: Context, [x]: Thunk[], loc: Loc | null) => mkBool(typeOf(known(ctx, x, loc)) === kind, loc) });

export const controlBuiltins: Record<string, PrimopDef> = {
  throw: {
    arity: 1,
    fn: (ctx, [m], loc) => {
      const s = message(ctx, m, loc);
      if (s.t !== 'string') return s;
      throw new NixError('throw', s.v, loc, originsOf(s).filter((o) => o !== s.loc || !!s.origins));
    },
  },
  abort: {
    arity: 1,
    fn: (ctx, [m], loc) => {
      const s = message(ctx, m, loc);
      if (s.t !== 'string') return s;
      throw new NixError('abort', `evaluation aborted with the following error message: '${s.v}'`, loc, s.origins ?? []);
    },
  },
  tryEval: {
    arity: 1,
    fn: (ctx, [x], loc) => {
      let v: Value;
      try {
        v = x.force(ctx, loc);
      } catch (e) {
        if (e instanceof NixError && (e.kind === 'throw' || e.kind === 'assert')) {
          return mkAttrs(new Map([['success', Thunk.of(mkBool(false, loc))], ['value', Thunk.of(mkBool(false, loc))]]), loc);
        }
        throw e;
      }
      if (v.t === 'unknown') return v;
      // the value is the argument's own cell, as in Nix
      return mkAttrs(new Map([['success', Thunk.of(mkBool(true, loc))], ['value', x]]), loc);
    },
  },
  seq: {
    arity: 2,
    fn: (ctx, [a, b], loc) => {
      known(ctx, a, loc);
      return b.force(ctx, loc);
    },
  },
  deepSeq: {
    arity: 2,
    fn: (ctx, [a, b], loc) => {
      const v = deepForce(ctx, known(ctx, a, loc), loc);
      if (v.t === 'unknown') return v;
      return b.force(ctx, loc);
    },
  },
  // the message is forced (and printed by Nix) before the value
  trace: {
    arity: 2,
    fn: (ctx, [a, b], loc) => {
      known(ctx, a, loc);
      return b.force(ctx, loc);
    },
  },
  // the context is only made into a string when the value fails, and an error doing so wins
  addErrorContext: {
    arity: 2,
    fn: (ctx, [a, b], loc) => {
      try {
        return b.force(ctx, loc);
      } catch (e) {
        if (!(e instanceof NixError)) throw e;
        const context = coerceToString(ctx, known(ctx, a, loc), false, loc);
        if (context.t === 'unknown') return context; // it might have failed instead
        throw e;
      }
    },
  },
  unsafeDiscardStringContext: { arity: 1, fn: (ctx, [s], loc) => known(ctx, s, loc) },
  typeOf: { arity: 1, fn: (ctx, [x], loc) => mkString(typeOf(known(ctx, x, loc)), loc) },
  isNull: is('null'),
  isAttrs: is('set'),
  isList: is('list'),
  isString: is('string'),
  isInt: is('int'),
  isFloat: is('float'),
  isBool: is('bool'),
  isFunction: is('lambda'),
  isPath: is('path'),
  toJSON: {
    arity: 1,
    fn: (ctx, [x], loc) => {
      const s = toJSON(ctx, x.force(ctx, loc), loc);
      return typeof s === 'string' ? mkString(s, loc) : s;
    },
  },
};

export const IMPURE = [
  'currentSystem', 'currentTime', 'nixPath', 'nixVersion', 'langVersion', 'storeDir',
];
export const IMPURE_FUNCTIONS = [
  'getEnv', 'readFile', 'fetchurl', 'fetchTarball', 'fetchGit', 'fetchTree', 'fetchMercurial',
  'derivation', 'derivationStrict', 'path', 'filterSource', 'toFile', 'storePath', 'findFile', 'getFlake', 'placeholder',
  'unsafeGetAttrPos', 'fromTOML', 'scopedImport', 'hashFile', 'toXML', 'getContext', 'hasContext', 'appendContext', 'unsafeDiscardOutputDependency',
];
