// builtins.genericClosure: from `startSet`, apply `operator` to each set not seen before (by its
// `key`), breadth first, and return the sets in the order they were first seen. Nix keeps the keys
// in an ordered set, so keys are compared with `<` and must be comparable: numbers with numbers,
// strings with strings, paths with paths; any other pair is an error once a second key arrives.
// Unknown: list keys next to other keys (which pairs Nix compares depends on its tree), NaN, and
// integers beyond 2^53 next to floats (Nix compares those through doubles).
import { callFunction } from '../evalFunction';
import type { Thunk } from '../thunk';
import { describe, mkList, NixError, unknown, type AttrsValue, type Loc, type Value } from '../values';
import { known, needAttrs, needList, step, UnknownArg, type PrimopDef } from './args';
import type { Context } from '../context';

type KeyClass = 'number' | 'string' | 'path' | 'list' | 'incomparable';

function classOf(v: Value): KeyClass {
  switch (v.t) {
    case 'int':
    case 'float':
      return 'number';
    case 'string':
    case 'path':
    case 'list':
      return v.t;
    default:
      return 'incomparable';
  }
}

function attr(set: AttrsValue, name: string, missing: string, loc: Loc | null): Thunk {
  const t = set.attrs.get(name);
  if (t) return t;
  if (set.open) throw new UnknownArg(unknown('open set', loc));
  throw new NixError('error', missing, loc);
}

/** The keys seen so far, as Nix's ordered set decides equality. */
class Keys {
  private ids = new Set<string>();
  private cls: KeyClass | null = null;
  private first: Value | null = null;
  private bigInts = false;
  private floats = false;

  constructor(private readonly loc: Loc | null) {}

  /** Adds a key; false when an equal one was there. */
  add(key: Value): boolean {
    const cls = classOf(key);
    if (this.first && (cls === 'list' || this.cls === 'list')) throw new UnknownArg(unknown('list keys', this.loc));
    if (this.first && (cls !== this.cls || cls === 'incomparable')) {
      throw new NixError('error', `cannot compare ${describe(key)} with ${describe(this.first)}`, this.loc);
    }
    this.cls = cls;
    this.first ??= key;
    const id = this.idOf(key);
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    return true;
  }

  private idOf(key: Value): string {
    if (key.t === 'int') {
      if (key.v > 2n ** 53n || key.v < -(2n ** 53n)) this.bigInts = true;
    } else if (key.t === 'float') {
      if (Number.isNaN(key.v)) throw new UnknownArg(unknown('NaN key', this.loc));
      this.floats = true;
    }
    if (this.bigInts && this.floats) throw new UnknownArg(unknown('large integer and float keys', this.loc));
    // Numbers are equal when their text is: a float that is an integer prints as that integer (all
    // its digits below 1e21, and integers beyond 2^53 never get here next to floats). Strings and
    // paths are their text; a key of any other kind is only ever alone.
    return String((key as { v: unknown }).v);
  }
}

function closure(ctx: Context, [args]: Thunk[], loc: Loc | null): Value {
  const set = needAttrs(ctx, args, loc);
  const work = [...needList(ctx, attr(set, 'startSet', "attribute 'startSet' missing for call to 'genericClosure'", loc), loc).items];
  const op = known(ctx, attr(set, 'operator', "attribute 'operator' missing for call to 'genericClosure'", loc), loc);
  const keys = new Keys(loc);
  const out: Thunk[] = [];
  for (let i = 0; i < work.length; i++) {
    step(ctx, loc);
    const e = work[i];
    const key = known(ctx, attr(needAttrs(ctx, e, loc), 'key', "attribute 'key' required", loc), loc);
    if (!keys.add(key)) continue;
    out.push(e);
    const next = callFunction(ctx, op, e, loc);
    if (next.t === 'unknown') return next;
    if (next.t !== 'list') throw new NixError('error', `value is ${describe(next)} while a list was expected`, loc);
    for (const x of next.items) {
      known(ctx, x, loc);
      work.push(x);
    }
  }
  return mkList(out, loc);
}

export const closureBuiltins: Record<string, PrimopDef> = {
  genericClosure: { arity: 1, fn: closure },
};
