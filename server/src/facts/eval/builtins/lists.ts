// List built-ins: map, filter, foldl', elem, length, head, tail, elemAt, concatLists, concatMap,
// genList, all, any, sort (stableSort.ts), partition, groupBy, and integer arithmetic helpers.
import { callFunction, callN } from '../evalFunction';
import { arith } from '../evalOps';
import { equalCells, lessThan } from '../equality';
import { Thunk } from '../thunk';
import { mkAttrs, mkBool, mkInt, mkList, NixError, typeError, unknown, type Value } from '../values';
import { known, needBool, needFunction, needInt, needList, step, UnknownArg, type PrimopDef } from './args';
import type { Context } from '../context';
import { stableSort } from './stableSort';
import type { Loc } from '../values';

function call2(ctx: Context, f: Value, a: Thunk, b: Thunk, loc: Loc | null): Value {
  return callN(ctx, f, [a, b], loc);
}

function predicate(ctx: Context, f: Value, x: Thunk, loc: Loc | null): boolean {
  return needBool(ctx, callFunction(ctx, f, x, loc), loc);
}

export const listBuiltins: Record<string, PrimopDef> = {
  map: {
    arity: 2,
    fn: (ctx, [f, l], loc) => {
      const list = needList(ctx, l, loc);
      step(ctx, loc, list.items.length);
      return mkList(
        list.items.map((x) => new Thunk(() => callFunction(ctx, f.force(ctx, loc), x, loc))),
        loc,
      );
    },
  },
  filter: {
    arity: 2,
    fn: (ctx, [f, l], loc) => {
      const fn = needFunction(ctx, f, loc);
      const list = needList(ctx, l, loc);
      const out: Thunk[] = [];
      for (const x of list.items) {
        step(ctx, loc);
        if (predicate(ctx, fn, x, loc)) out.push(x);
      }
      return mkList(out, loc);
    },
  },
  "foldl'": {
    arity: 3,
    fn: (ctx, [f, nul, l], loc) => {
      const fn = needFunction(ctx, f, loc);
      const list = needList(ctx, l, loc);
      if (list.items.length === 0) return nul.force(ctx, loc);
      let acc: Thunk = nul;
      let v: Value = unknown('empty', loc);
      for (const x of list.items) {
        step(ctx, loc);
        v = call2(ctx, fn, acc, x, loc);
        acc = Thunk.of(v);
      }
      return v;
    },
  },
  elem: {
    arity: 2,
    fn: (ctx, [x, l], loc) => {
      const list = needList(ctx, l, loc);
      for (const item of list.items) {
        step(ctx, loc);
        const eq = equalCells(ctx, x, item, loc);
        if (eq === null) return unknown('elem of unknown', loc);
        if (eq) return mkBool(true, loc);
      }
      return mkBool(false, loc);
    },
  },
  length: { arity: 1, fn: (ctx, [l], loc) => mkInt(BigInt(needList(ctx, l, loc).items.length), loc) },
  head: {
    arity: 1,
    fn: (ctx, [l], loc) => {
      const list = needList(ctx, l, loc);
      if (!list.items.length) throw new NixError('error', "list index 0 is out of bounds", loc);
      return list.items[0].force(ctx, loc);
    },
  },
  tail: {
    arity: 1,
    fn: (ctx, [l], loc) => {
      const list = needList(ctx, l, loc);
      if (!list.items.length) throw new NixError('error', "'tail' called on an empty list", loc);
      return mkList(list.items.slice(1), loc);
    },
  },
  elemAt: {
    arity: 2,
    fn: (ctx, [l, n], loc) => {
      const i = needInt(ctx, n, loc); // Nix forces the index first
      const list = needList(ctx, l, loc);
      if (i < 0n || i >= BigInt(list.items.length)) throw new NixError('error', `list index ${i} is out of bounds`, loc);
      return list.items[Number(i)].force(ctx, loc);
    },
  },
  concatLists: {
    arity: 1,
    fn: (ctx, [l], loc) => {
      const out: Thunk[] = [];
      for (const x of needList(ctx, l, loc).items) {
        const inner = needList(ctx, x, loc);
        step(ctx, loc, 1 + inner.items.length);
        out.push(...inner.items);
      }
      return mkList(out, loc);
    },
  },
  concatMap: {
    arity: 2,
    fn: (ctx, [f, l], loc) => {
      const fn = needFunction(ctx, f, loc);
      const out: Thunk[] = [];
      for (const x of needList(ctx, l, loc).items) {
        const inner = needList(ctx, Thunk.of(callFunction(ctx, fn, x, loc)), loc); // an unknown result is the answer
        step(ctx, loc, 1 + inner.items.length);
        out.push(...inner.items);
      }
      return mkList(out, loc);
    },
  },
  genList: {
    arity: 2,
    fn: (ctx, [f, n], loc) => {
      const count = needInt(ctx, n, loc);
      if (count < 0n) throw new NixError('error', `cannot create list of size ${count}`, loc);
      step(ctx, loc, Number(count > 10_000_000n ? 10_000_000n : count));
      const items: Thunk[] = [];
      for (let i = 0; i < Number(count); i++) {
        const idx = Thunk.of(mkInt(BigInt(i), loc));
        items.push(new Thunk(() => callFunction(ctx, f.force(ctx, loc), idx, loc)));
      }
      return mkList(items, loc);
    },
  },
  all: {
    arity: 2,
    fn: (ctx, [f, l], loc) => {
      const fn = needFunction(ctx, f, loc);
      for (const x of needList(ctx, l, loc).items) {
        step(ctx, loc);
        if (!predicate(ctx, fn, x, loc)) return mkBool(false, loc);
      }
      return mkBool(true, loc);
    },
  },
  any: {
    arity: 2,
    fn: (ctx, [f, l], loc) => {
      const fn = needFunction(ctx, f, loc);
      for (const x of needList(ctx, l, loc).items) {
        step(ctx, loc);
        if (predicate(ctx, fn, x, loc)) return mkBool(true, loc);
      }
      return mkBool(false, loc);
    },
  },
  sort: {
    arity: 2,
    fn: (ctx, [f, l], loc) => {
      const fn = needFunction(ctx, f, loc);
      const items = needList(ctx, l, loc).items;
      for (const x of items) known(ctx, x, loc); // Nix forces every element before sorting
      const less = (a: Thunk, b: Thunk) => {
        step(ctx, loc);
        return needBool(ctx, call2(ctx, fn, a, b, loc), loc);
      };
      return mkList(stableSort(items, less), loc);
    },
  },
  partition: {
    arity: 2,
    fn: (ctx, [f, l], loc) => {
      const fn = needFunction(ctx, f, loc);
      const right: Thunk[] = [];
      const wrong: Thunk[] = [];
      for (const x of needList(ctx, l, loc).items) {
        step(ctx, loc);
        known(ctx, x, loc); // Nix forces each element before calling the predicate
        (predicate(ctx, fn, x, loc) ? right : wrong).push(x);
      }
      return mkAttrs(new Map([['right', Thunk.of(mkList(right, loc))], ['wrong', Thunk.of(mkList(wrong, loc))]]), loc);
    },
  },
  groupBy: {
    arity: 2,
    fn: (ctx, [f, l], loc) => {
      const fn = needFunction(ctx, f, loc);
      const groups = new Map<string, Thunk[]>();
      for (const x of needList(ctx, l, loc).items) {
        step(ctx, loc);
        const k = known(ctx, Thunk.of(callFunction(ctx, fn, x, loc)), loc);
        if (k.t !== 'string') throw typeError('a string', k, loc);
        const g = groups.get(k.v);
        if (g) g.push(x);
        else groups.set(k.v, [x]);
      }
      return mkAttrs(new Map([...groups].map(([k, v]) => [k, Thunk.of(mkList(v, loc))])), loc);
    },
  },
  add: { arity: 2, fn: (ctx, [a, b], loc) => arith('+', known(ctx, a, loc), known(ctx, b, loc), loc) },
  sub: { arity: 2, fn: (ctx, [a, b], loc) => arith('-', known(ctx, a, loc), known(ctx, b, loc), loc) },
  mul: { arity: 2, fn: (ctx, [a, b], loc) => arith('*', known(ctx, a, loc), known(ctx, b, loc), loc) },
  div: { arity: 2, fn: (ctx, [a, b], loc) => arith('/', known(ctx, a, loc), known(ctx, b, loc), loc) },
  lessThan: {
    arity: 2,
    fn: (ctx, [a, b], loc) => {
      const r = lessThan(ctx, known(ctx, a, loc), known(ctx, b, loc), loc);
      return r === null ? unknown('comparison with unknown', loc) : mkBool(r, loc);
    },
  },
  bitAnd: { arity: 2, fn: (ctx, [a, b], loc) => mkInt(needInt(ctx, a, loc) & needInt(ctx, b, loc), loc) },
  bitOr: { arity: 2, fn: (ctx, [a, b], loc) => mkInt(needInt(ctx, a, loc) | needInt(ctx, b, loc), loc) },
  bitXor: { arity: 2, fn: (ctx, [a, b], loc) => mkInt(needInt(ctx, a, loc) ^ needInt(ctx, b, loc), loc) },
};

export { UnknownArg };
