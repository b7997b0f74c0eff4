// builtins.toJSON with Nix's exact output: keys sorted, compact, strings escaped as Nix escapes
// them (control characters as \u00XX, everything else raw UTF-8), floats as C++ streams print
// them with the default precision of 6 significant digits (Nix 2.8; `%g`).
import type { Context } from './context';
import { coerceToString } from './evalStrings';
import { formatF, formatG } from './floatFormat';
import { NixError, unknown, type Loc, type UnknownValue, type Value } from './values';

export function jsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i];
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 32) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + '"';
}

/** C's `%g` with precision 6, as `std::ostream << double` prints. */
export const formatFloatG = (x: number): string => formatG(x);

/** C's `%f` (std::to_string), used by toString on floats. */
export const formatFloatFixed = (x: number): string => formatF(x);

class NotKnown {
  constructor(readonly value: UnknownValue) {}
}

/**
 * The JSON text of a value, forcing it completely; unknown when any part is unknown. Throws
 * NixError as Nix does (functions, and whatever forcing throws).
 */
export function toJSON(ctx: Context, v: Value, loc: Loc | null): string | UnknownValue {
  try {
    return write(ctx, v, loc);
  } catch (e) {
    if (e instanceof NotKnown) return e.value;
    throw e;
  }
}

function write(ctx: Context, v: Value, loc: Loc | null): string {
  let out = '';
  const r = ctx.enter(loc, () => {
    out = writeInner(ctx, v, loc);
    return { t: 'null', loc: null };
  });
  if (r.t === 'unknown') throw new NotKnown(r);
  return out;
}

function writeInner(ctx: Context, v: Value, loc: Loc | null): string {
  switch (v.t) {
    case 'unknown':
      throw new NotKnown(v);
    case 'null':
      return 'null';
    case 'bool':
      return v.v ? 'true' : 'false';
    case 'int':
      return v.v.toString();
    case 'float':
      return formatFloatG(v.v);
    case 'string':
      return jsonString(v.v);
    case 'path':
      throw new NotKnown(unknown('path copied to the store', loc));
    case 'list': {
      const parts: string[] = [];
      for (const item of v.items) parts.push(write(ctx, item.force(ctx, loc), loc));
      return '[' + parts.join(',') + ']';
    }
    case 'attrs': {
      if (v.attrs.has('__toString')) {
        const s = coerceToString(ctx, v, false, loc, true);
        if (s.t !== 'string') throw new NotKnown(s.t === 'unknown' ? s : unknown('__toString', loc));
        return jsonString(s.v);
      }
      const outPath = v.attrs.get('outPath');
      if (outPath) return write(ctx, outPath.force(ctx, loc), loc);
      if (v.open) throw new NotKnown(unknown('open set', loc));
      const keys = [...v.attrs.keys()].sort(byBytes);
      const parts: string[] = [];
      for (const k of keys) parts.push(jsonString(k) + ':' + write(ctx, v.attrs.get(k)!.force(ctx, loc), loc));
      return '{' + parts.join(',') + '}';
    }
    case 'lambda':
    case 'primop':
      throw new NixError('error', 'cannot convert a function to JSON', loc);
  }
}

export function byBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
