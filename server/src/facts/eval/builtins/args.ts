// Argument helpers for built-in functions. A primop whose strict argument is unknown gives unknown:
// the helpers throw `UnknownArg`, which the primop wrapper turns into that unknown value.
import type { Context } from '../context';
import type { Thunk } from '../thunk';
import { typeError, unknown, type AttrsValue, type ListValue, type Loc, type PrimopValue, type StringValue, type Value } from '../values';

export class UnknownArg {
  constructor(readonly value: Value) {}
}

export type PrimopFn = (ctx: Context, args: Thunk[], loc: Loc | null) => Value;

export interface PrimopDef {
  arity: number;
  fn: PrimopFn;
}

export function primop(ctx: Context, name: string, def: PrimopDef): PrimopValue {
  return {
    t: 'primop',
    name,
    arity: def.arity,
    args: [],
    loc: null,
    fn: (args, loc) => {
      try {
        return def.fn(ctx, args, loc);
      } catch (e) {
        if (e instanceof UnknownArg) return e.value;
        throw e;
      }
    },
  };
}

export function known(ctx: Context, t: Thunk, loc: Loc | null): Value {
  const v = t.force(ctx, loc);
  if (v.t === 'unknown') throw new UnknownArg(v);
  return v;
}

export function needAttrs(ctx: Context, t: Thunk, loc: Loc | null): AttrsValue {
  const v = known(ctx, t, loc);
  if (v.t !== 'attrs') throw typeError('a set', v, loc);
  return v;
}

/** An attrset whose attribute names are all known. */
export function needClosedAttrs(ctx: Context, t: Thunk, loc: Loc | null): AttrsValue {
  const v = needAttrs(ctx, t, loc);
  if (v.open) throw new UnknownArg(unknown('set with unknown names', loc));
  return v;
}

export function needList(ctx: Context, t: Thunk, loc: Loc | null): ListValue {
  const v = known(ctx, t, loc);
  if (v.t !== 'list') throw typeError('a list', v, loc);
  return v;
}

export function needString(ctx: Context, t: Thunk, loc: Loc | null): StringValue {
  const v = known(ctx, t, loc);
  if (v.t !== 'string') throw typeError('a string', v, loc);
  return v;
}

export function needInt(ctx: Context, t: Thunk, loc: Loc | null): bigint {
  const v = known(ctx, t, loc);
  if (v.t !== 'int') throw typeError('an integer', v, loc);
  return v.v;
}

export function needBool(ctx: Context, v: Value, loc: Loc | null): boolean {
  if (v.t === 'unknown') throw new UnknownArg(v);
  if (v.t !== 'bool') throw typeError('a Boolean', v, loc);
  return v.v;
}

export function needFunction(ctx: Context, t: Thunk, loc: Loc | null): Value {
  const v = known(ctx, t, loc);
  if (v.t !== 'lambda' && v.t !== 'primop' && !(v.t === 'attrs' && v.attrs.has('__functor'))) throw typeError('a function', v, loc);
  return v;
}

/** Stops a loop over many elements when the budget is gone. */
export function step(ctx: Context, loc: Loc | null, n = 1): void {
  if (!ctx.tick(n)) throw new UnknownArg(unknown('budget', loc));
}
