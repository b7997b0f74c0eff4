// String built-ins: toString, stringLength, substring, concatStringsSep, replaceStrings,
// hashString, baseNameOf, dirOf. Nix strings are bytes: lengths and offsets count UTF-8 bytes.
import { createHash } from 'node:crypto';
import type { Context } from '../context';
import { originsOf } from '../evalOps';
import type { Thunk } from '../thunk';
import { coerceToString } from '../evalStrings';
import { mkInt, mkString, NixError, unknown, type Loc, type Value } from '../values';
import { known, needInt, needList, needString, step, UnknownArg, type PrimopDef } from './args';

const HASHES: Record<string, string> = { md5: 'md5', sha1: 'sha1', sha256: 'sha256', sha512: 'sha512' };

function str(v: Value): string {
  if (v.t === 'unknown') throw new UnknownArg(v);
  return (v as { v: string }).v;
}

/** Nix's baseNameOf: the part after the last slash, ignoring one trailing slash. */
export function baseName(p: string): string {
  let last = p.length - 1;
  if (p[last] === '/' && last > 0) last--;
  const pos = p.lastIndexOf('/', last);
  return p.slice(pos === -1 ? 0 : pos + 1, last + 1);
}

export function dirName(p: string): string {
  const pos = p.lastIndexOf('/');
  if (pos === -1) return '.';
  if (pos === 0) return '/';
  return p.slice(0, pos);
}

/** A string's UTF-8 bytes, one char each. */
const bytes = (s: string): string => Buffer.from(s, 'utf8').toString('latin1');
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Back from bytes; unknown when they are not UTF-8 (Nix would keep the bytes). */
function fromBytes(b: string, loc: Loc | null): string {
  try {
    return utf8.decode(Buffer.from(b, 'latin1'));
  } catch {
    throw new UnknownArg(unknown('a string that is not UTF-8', loc));
  }
}

export const stringBuiltins: Record<string, PrimopDef> = {
  toString: { arity: 1, fn: (ctx: Context, [x]: Thunk[], loc: Loc | null) => coerceToString(ctx, x.force(ctx, loc), true, loc) },
  stringLength: {
    arity: 1,
    fn: (ctx, [s], loc) => mkInt(BigInt(Buffer.byteLength(str(coerceToString(ctx, known(ctx, s, loc), false, loc)), 'utf8')), loc),
  },
  substring: {
    arity: 3,
    fn: (ctx, [start, len, s], loc) => {
      const from = needInt(ctx, start, loc);
      const n = needInt(ctx, len, loc);
      const whole = coerceToString(ctx, known(ctx, s, loc), false, loc);
      if (from < 0n) throw new NixError('error', "negative start position in 'substring'", loc);
      const text = str(whole);
      if (/^[\x00-\x7f]*$/.test(text)) {
        const end = n < 0n ? text.length : Number(from + n > BigInt(text.length) ? BigInt(text.length) : from + n);
        return mkString(text.slice(Math.min(Number(from), text.length), end), loc);
      }
      const bytes = Buffer.from(text, 'utf8');
      const a = Math.min(Number(from), bytes.length);
      const b = n < 0n ? bytes.length : Math.min(bytes.length, a + Number(n > BigInt(bytes.length) ? BigInt(bytes.length) : n));
      const part = bytes.subarray(a, b);
      const out = part.toString('utf8');
      if (!Buffer.from(out, 'utf8').equals(part)) return unknown('substring splits a UTF-8 character', loc);
      return mkString(out, loc);
    },
  },
  concatStringsSep: {
    arity: 2,
    fn: (ctx, [sep, l], loc) => {
      const s = needString(ctx, sep, loc);
      const parts: string[] = [];
      const origins: Loc[] = [];
      for (const item of needList(ctx, l, loc).items) {
        step(ctx, loc);
        const c = coerceToString(ctx, item.force(ctx, loc), false, loc);
        parts.push(str(c));
        if (c.t === 'string' && origins.length < 16) origins.push(...originsOf(c));
      }
      return mkString(parts.join(s.v), loc, origins);
    },
  },
  replaceStrings: {
    arity: 3,
    fn: (ctx, [f, t, s], loc) => {
      const from = needList(ctx, f, loc).items.map((x) => bytes(needString(ctx, x, loc).v));
      const toList = needList(ctx, t, loc).items;
      if (from.length !== toList.length) throw new NixError('error', "'from' and 'to' arguments to 'replaceStrings' have different lengths", loc);
      const to = toList.map((x) => bytes(needString(ctx, x, loc).v));
      // Nix works on bytes: an empty pattern matches between the bytes of a character too
      const input = bytes(needString(ctx, s, loc).v);
      let out = '';
      for (let p = 0; p <= input.length; ) {
        step(ctx, loc);
        let found = false;
        for (let i = 0; i < from.length; i++) {
          if (input.startsWith(from[i], p)) {
            found = true;
            out += to[i];
            if (from[i] === '') {
              if (p < input.length) out += input[p];
              p++;
            } else p += from[i].length;
            break;
          }
        }
        if (!found) {
          if (p < input.length) out += input[p];
          p++;
        }
      }
      return mkString(fromBytes(out, loc), loc);
    },
  },
  hashString: {
    arity: 2,
    fn: (ctx, [algo, s], loc) => {
      const a = needString(ctx, algo, loc).v;
      const text = needString(ctx, s, loc).v;
      const h = HASHES[a];
      if (!h) throw new NixError('error', `unknown hash algorithm '${a}'`, loc);
      return mkString(createHash(h).update(text, 'utf8').digest('hex'), loc);
    },
  },
  baseNameOf: {
    arity: 1,
    fn: (ctx, [p], loc) => mkString(baseName(str(coerceToString(ctx, known(ctx, p, loc), false, loc, false))), loc),
  },
  dirOf: {
    arity: 1,
    fn: (ctx, [p], loc) => {
      const v = known(ctx, p, loc);
      if (v.t === 'path') return { t: 'path', v: dirName(v.v), loc };
      return mkString(dirName(str(coerceToString(ctx, v, false, loc, false))), loc);
    },
  },
};
