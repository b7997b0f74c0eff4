// builtins.floor and builtins.ceil: an integer or a float, rounded as a double, to a 64-bit
// integer. Outside the 64-bit range (and for NaN) C++ leaves the conversion undefined and the
// result depends on the processor: unknown.
import { mkInt, typeError, unknown, type Loc, type Value } from '../values';
import { known, type PrimopDef } from './args';
import type { Context } from '../context';
import type { Thunk } from '../thunk';

const LIMIT = 2 ** 63;

function rounded(ctx: Context, t: Thunk, loc: Loc | null, round: (x: number) => number): Value {
  const v = known(ctx, t, loc);
  if (v.t !== 'int' && v.t !== 'float') throw typeError('a float', v, loc);
  const x = round(Number(v.v));
  if (!(x >= -LIMIT && x < LIMIT)) return unknown('float outside the integer range', loc);
  return mkInt(BigInt(x), loc);
}

export const numberBuiltins: Record<string, PrimopDef> = {
  floor: { arity: 1, fn: (ctx, [x], loc) => rounded(ctx, x, loc, Math.floor) },
  ceil: { arity: 1, fn: (ctx, [x], loc) => rounded(ctx, x, loc, Math.ceil) },
};
