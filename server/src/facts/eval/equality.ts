// Nix's `==` and its ordering of lists, as Nix 2.8 computes them. Two details matter beyond
// comparing structure:
// - Inside lists and sets (and in `elem`), Nix first compares the *value cells* of the elements:
//   the same cell is equal even when it holds a function (`let f = x: x; in [ f ] == [ f ]`),
//   while two cells holding a function are never equal. A cell is shared where Nix refers to an
//   existing binding instead of making a thunk: a variable (not one found through `with`) as a
//   list element, attribute value, argument or `inherit`. Our thunks follow the same rule, so a
//   thunk is a cell, but for the results of calls kept by their arguments (evalFunction.ts): once
//   one is given again, a thunk may be a cell of each call. A binding that is just a sibling's
//   name (`let g = f;`) shares the cell or not depending on the order Nix fills the bindings in;
//   there the answer can be unknown.
// - Nix walks the attributes of two sets in its symbol table's order, which we cannot know, and
//   stops at the first difference or error. Where that order would decide between `false` and an
//   error, or between two errors, the answer is unknown.
import type { Context } from './context';
import type { Thunk } from './thunk';
import { describe, NixError, type AttrsValue, type Loc, type Value } from './values';

/**
 * Whether two thunks are the same value cell in Nix: true, false, or null when it depends on Nix's
 * binding order, or when the evaluation gave a kept call's result again (evalFunction.ts): then one
 * thunk may stand for two cells, one per call.
 */
export function sameCell(ctx: Context, a: Thunk, b: Thunk): boolean | null {
  if (a === b) return ctx.keptResultsShared ? null : true;
  return cellOf(a) === cellOf(b) ? null : false;
}

function cellOf(t: Thunk): Thunk {
  for (let i = 0; i < 64 && t.alias; i++) t = t.alias() ?? t;
  return t;
}

/** `==` of two values (Nix compares fresh copies at the top, so cells do not matter here); null when unknown. */
export function equals(ctx: Context, a: Value, b: Value, loc: Loc | null): boolean | null {
  if (a.t === 'unknown' || b.t === 'unknown') return null;
  if ((a.t === 'int' || a.t === 'float') && (b.t === 'int' || b.t === 'float')) {
    return a.t === 'int' && b.t === 'int' ? a.v === b.v : Number(a.v) === Number(b.v);
  }
  if (a.t !== b.t) return false;
  switch (a.t) {
    case 'null':
      return true;
    case 'bool':
    case 'string':
    case 'path':
      return a.v === (b as { v: unknown }).v;
    case 'list': {
      const bl = (b as typeof a).items;
      if (a.items.length !== bl.length) return false;
      for (let i = 0; i < bl.length; i++) {
        const r = deeper(ctx, loc, () => equalCells(ctx, a.items[i], bl[i], loc));
        if (r !== true) return r;
      }
      return true;
    }
    case 'attrs':
      return equalSets(ctx, a, b as AttrsValue, loc);
    default:
      return false; // functions
  }
}

/** Nix's comparison of two elements: both forced (first `a`), then the same cell is equal, else `equals`. */
export function equalCells(ctx: Context, a: Thunk, b: Thunk, loc: Loc | null): boolean | null {
  const x = a.force(ctx, loc);
  if (x.t === 'unknown') return null;
  const y = b.force(ctx, loc);
  if (y.t === 'unknown') return null;
  const same = sameCell(ctx, a, b);
  if (same) return true;
  if (same === false) return equals(ctx, x, y, loc);
  // Maybe the same cell: what structure says holds either way only when it says equal.
  try {
    return equals(ctx, x, y, loc) === true ? true : null;
  } catch (e) {
    if (e instanceof NixError) return null;
    throw e;
  }
}

function equalSets(ctx: Context, a: AttrsValue, b: AttrsValue, loc: Loc | null): boolean | null {
  if (a.open || b.open) return null;
  const da = isDerivation(ctx, a, loc);
  if (da === null) return null;
  if (da) {
    const db = isDerivation(ctx, b, loc);
    if (db === null) return null;
    const pa = a.attrs.get('outPath');
    const pb = b.attrs.get('outPath');
    if (db && pa && pb) return deeper(ctx, loc, () => equalCells(ctx, pa, pb, loc));
  }
  if (a.attrs.size !== b.attrs.size) return false;
  let differs = false;
  let unknownSeen = false;
  const errors: NixError[] = [];
  for (const [name, t] of a.attrs) {
    const u = b.attrs.get(name);
    if (!u) {
      differs = true;
      continue;
    }
    try {
      const r = deeper(ctx, loc, () => equalCells(ctx, t, u, loc));
      if (r === null) unknownSeen = true;
      else if (!r) differs = true;
    } catch (e) {
      if (!(e instanceof NixError)) throw e;
      errors.push(e);
    }
  }
  if (unknownSeen) return null;
  if (!errors.length) return !differs;
  // An error: Nix reaches it unless it stops at a difference first, in an order we do not know.
  if (!differs && errors.every((e) => e.kind === errors[0].kind && e.nixMessage === errors[0].nixMessage)) throw errors[0];
  return null;
}

function isDerivation(ctx: Context, v: AttrsValue, loc: Loc | null): boolean | null {
  const type = v.attrs.get('type');
  if (!type) return false;
  const t = type.force(ctx, loc);
  if (t.t === 'unknown') return null;
  return t.t === 'string' && t.v === 'derivation';
}

function deeper(ctx: Context, loc: Loc | null, fn: () => boolean | null): boolean | null {
  let r: boolean | null = null;
  const v = ctx.enter(loc, () => {
    r = fn();
    return { t: 'null', loc: null };
  });
  return v.t === 'unknown' ? null : r;
}

/** Nix's `<`: numbers, strings, paths and lists (lexicographically); null when unknown. */
export function lessThan(ctx: Context, a: Value, b: Value, loc: Loc | null): boolean | null {
  if (a.t === 'unknown' || b.t === 'unknown') return null;
  if ((a.t === 'int' || a.t === 'float') && (b.t === 'int' || b.t === 'float')) {
    return a.t === 'int' && b.t === 'int' ? a.v < b.v : Number(a.v) < Number(b.v);
  }
  if (a.t === 'string' && b.t === 'string') return compareBytes(a.v, b.v) < 0;
  if (a.t === 'path' && b.t === 'path') return compareBytes(a.v, b.v) < 0;
  if (a.t === 'list' && b.t === 'list') {
    for (let i = 0; ; i++) {
      if (i === b.items.length) return false;
      if (i === a.items.length) return true;
      const eq = deeper(ctx, loc, () => equalCells(ctx, a.items[i], b.items[i], loc));
      if (eq === null) return null;
      if (!eq) return deeper(ctx, loc, () => lessThan(ctx, a.items[i].force(ctx, loc), b.items[i].force(ctx, loc), loc));
    }
  }
  throw new NixError('error', `cannot compare ${describe(a)} with ${describe(b)}`, loc);
}

/** Compares strings by their UTF-8 bytes, as Nix does. */
export function compareBytes(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length - b.length;
}
