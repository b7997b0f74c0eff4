// Attribute-set built-ins: attrNames, attrValues, hasAttr, getAttr, mapAttrs, removeAttrs,
// intersectAttrs, listToAttrs, catAttrs, zipAttrsWith, functionArgs.
import { callN } from '../evalFunction';
import { compareBytes } from '../equality';
import { Thunk } from '../thunk';
import { mkAttrs, mkBool, mkList, mkString, NixError, typeError, unknown, type AttrsValue } from '../values';
import { known, needAttrs, needClosedAttrs, needFunction, needList, needString, step, UnknownArg, type PrimopDef } from './args';

export function sortedNames(set: AttrsValue): string[] {
  return [...set.attrs.keys()].sort(compareBytes);
}

function withLocs(out: AttrsValue, from: AttrsValue, names?: Iterable<string>): AttrsValue {
  if (!from.nameLocs) return out;
  out.nameLocs = new Map();
  for (const n of names ?? out.attrs.keys()) {
    const l = from.nameLocs.get(n);
    if (l) out.nameLocs.set(n, l);
  }
  return out;
}

export const attrBuiltins: Record<string, PrimopDef> = {
  attrNames: {
    arity: 1,
    fn: (ctx, [s], loc) => {
      const set = needClosedAttrs(ctx, s, loc);
      return mkList(
        sortedNames(set).map((n) => Thunk.of(mkString(n, set.nameLocs?.get(n) ?? loc))),
        loc,
      );
    },
  },
  attrValues: {
    arity: 1,
    fn: (ctx, [s], loc) => {
      const set = needClosedAttrs(ctx, s, loc);
      return mkList(
        sortedNames(set).map((n) => set.attrs.get(n)!),
        loc,
      );
    },
  },
  hasAttr: {
    arity: 2,
    fn: (ctx, [n, s], loc) => {
      const name = needString(ctx, n, loc).v;
      const set = needAttrs(ctx, s, loc);
      if (set.attrs.has(name)) return mkBool(true, loc);
      return set.open ? unknown('open set', loc) : mkBool(false, loc);
    },
  },
  getAttr: {
    arity: 2,
    fn: (ctx, [n, s], loc) => {
      const name = needString(ctx, n, loc).v;
      const set = needAttrs(ctx, s, loc);
      const hit = set.attrs.get(name);
      if (hit) return hit.force(ctx, loc);
      if (set.open) return unknown('open set', loc);
      throw new NixError('error', `attribute '${name}' missing`, loc);
    },
  },
  mapAttrs: {
    arity: 2,
    fn: (ctx, [f, s], loc) => {
      const set = needAttrs(ctx, s, loc);
      step(ctx, loc, set.attrs.size);
      const attrs = new Map<string, Thunk>();
      for (const [name, value] of set.attrs) {
        const nameThunk = Thunk.of(mkString(name, set.nameLocs?.get(name) ?? loc));
        attrs.set(name, new Thunk(() => callN(ctx, f.force(ctx, loc), [nameThunk, value], loc)));
      }
      const out = withLocs(mkAttrs(attrs, loc), set);
      if (set.open) out.open = true;
      return out;
    },
  },
  removeAttrs: {
    arity: 2,
    fn: (ctx, [s, l], loc) => {
      const set = needAttrs(ctx, s, loc);
      const attrs = new Map(set.attrs);
      for (const n of needList(ctx, l, loc).items) attrs.delete(needString(ctx, n, loc).v);
      const out = withLocs(mkAttrs(attrs, loc), set);
      if (set.open) out.open = true;
      return out;
    },
  },
  intersectAttrs: {
    arity: 2,
    fn: (ctx, [a, b], loc) => {
      const left = needClosedAttrs(ctx, a, loc);
      const right = needAttrs(ctx, b, loc);
      if (right.open) throw new UnknownArg(unknown('open set', loc));
      const attrs = new Map<string, Thunk>();
      for (const [k, v] of right.attrs) if (left.attrs.has(k)) attrs.set(k, v);
      return withLocs(mkAttrs(attrs, loc), right);
    },
  },
  listToAttrs: {
    arity: 1,
    fn: (ctx, [l], loc) => {
      const attrs = new Map<string, Thunk>();
      const out = mkAttrs(attrs, loc);
      out.nameLocs = new Map();
      for (const item of needList(ctx, l, loc).items) {
        step(ctx, loc);
        const entry = needAttrs(ctx, item, loc);
        const nameThunk = entry.attrs.get('name');
        if (!nameThunk) {
          if (entry.open) throw new UnknownArg(unknown('open set', loc));
          throw new NixError('error', "attribute 'name' missing", loc);
        }
        const name = known(ctx, nameThunk, loc);
        if (name.t !== 'string') throw typeError('a string', name, loc);
        if (attrs.has(name.v)) continue; // the first definition wins
        const value = entry.attrs.get('value');
        if (!value) {
          if (entry.open) throw new UnknownArg(unknown('open set', loc));
          throw new NixError('error', "attribute 'value' missing", loc);
        }
        attrs.set(name.v, value);
        if (name.loc) out.nameLocs.set(name.v, name.loc);
      }
      return out;
    },
  },
  catAttrs: {
    arity: 2,
    fn: (ctx, [n, l], loc) => {
      const name = needString(ctx, n, loc).v;
      const out: Thunk[] = [];
      for (const item of needList(ctx, l, loc).items) {
        const set = needAttrs(ctx, item, loc);
        const hit = set.attrs.get(name);
        if (hit) out.push(hit);
        else if (set.open) throw new UnknownArg(unknown('open set', loc));
      }
      return mkList(out, loc);
    },
  },
  zipAttrsWith: {
    arity: 2,
    fn: (ctx, [f, l], loc) => {
      const fn = needFunction(ctx, f, loc);
      const groups = new Map<string, Thunk[]>();
      for (const item of needList(ctx, l, loc).items) {
        const set = needClosedAttrs(ctx, item, loc);
        step(ctx, loc, set.attrs.size);
        for (const [k, v] of set.attrs) {
          const g = groups.get(k);
          if (g) g.push(v);
          else groups.set(k, [v]);
        }
      }
      const attrs = new Map<string, Thunk>();
      for (const [k, vs] of groups) {
        attrs.set(k, new Thunk(() => callN(ctx, fn, [Thunk.of(mkString(k, loc)), Thunk.of(mkList(vs, loc))], loc)));
      }
      return mkAttrs(attrs, loc);
    },
  },
  functionArgs: {
    arity: 1,
    fn: (ctx, [f], loc) => {
      const fn = known(ctx, f, loc);
      if (fn.t === 'primop') return mkAttrs(new Map(), loc);
      if (fn.t !== 'lambda') throw new NixError('error', "'functionArgs' requires a function", loc);
      const attrs = new Map<string, Thunk>();
      for (const [name, hasDefault] of fn.formals ?? []) attrs.set(name, Thunk.of(mkBool(hasDefault, loc)));
      return mkAttrs(attrs, loc);
    },
  },
};
