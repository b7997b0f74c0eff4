// builtins.match and builtins.split: Nix's POSIX extended regular expressions (libstdc++'s
// std::regex), over the UTF-8 bytes of the string, with the regex engine of ../regex/. The
// regular expression is checked before the string is forced, as in Nix; an invalid one is Nix's
// error. Unknown: what we do not reproduce (see ereParse.ts), a search over budget, and a
// submatch that cuts a UTF-8 character in two (Nix would return those bytes).
import type { Context } from '../context';
import { parseEre, RegexSyntaxError, RegexUnsupported } from '../regex/ereParse';
import { compile, RegexGaveUp, search, type Automaton, type Groups, type SearchFlags } from '../regex/ereMatch';
import { Thunk } from '../thunk';
import { mkList, mkNull, mkString, NixError, unknown, type Loc, type Value } from '../values';
import { needString, UnknownArg, type PrimopDef } from './args';

const cache = new Map<string, Automaton | 'invalid' | 'unsupported'>();
const utf8 = new TextDecoder('utf-8', { fatal: true });

function automaton(ctx: Context, t: Thunk, loc: Loc | null): Automaton {
  const pattern = needString(ctx, t, loc).v;
  let a = cache.get(pattern);
  if (a === undefined) {
    try {
      a = compile(parseEre(Buffer.from(pattern, 'utf8').toString('latin1')));
    } catch (e) {
      if (e instanceof RegexSyntaxError) a = 'invalid';
      else if (e instanceof RegexUnsupported || e instanceof RegexGaveUp) a = 'unsupported';
      else throw e;
    }
    if (cache.size > 200) cache.delete(cache.keys().next().value!);
    cache.set(pattern, a);
  }
  if (a === 'invalid') throw new NixError('error', `invalid regular expression '${pattern}'`, loc);
  if (a === 'unsupported') throw new UnknownArg(unknown('regular expression we do not reproduce', loc));
  return a;
}

function run(ctx: Context, a: Automaton, input: Uint8Array, from: number, flags: SearchFlags, loc: Loc | null): Groups | null {
  try {
    return search(a, input, from, flags, (n) => ctx.tick(n));
  } catch (e) {
    if (e instanceof RegexGaveUp) throw new UnknownArg(unknown('budget', loc));
    throw e;
  }
}

function text(input: Uint8Array, from: number, to: number, loc: Loc | null): Value {
  try {
    return mkString(utf8.decode(input.subarray(from, to)), loc);
  } catch {
    throw new UnknownArg(unknown('a match that cuts a UTF-8 character', loc));
  }
}

/** The submatches 1..n: their text, or null for a group that took no part. */
function submatches(input: Uint8Array, g: Groups, loc: Loc | null): Value {
  const items: Thunk[] = [];
  for (let i = 1; 2 * i < g.length; i++) items.push(Thunk.of(g[2 * i + 1] < 0 ? mkNull(loc) : text(input, g[2 * i], g[2 * i + 1], loc)));
  return mkList(items, loc);
}

export const regexBuiltins: Record<string, PrimopDef> = {
  match: {
    arity: 2,
    fn: (ctx, [re, s], loc) => {
      const a = automaton(ctx, re, loc);
      const input = Buffer.from(needString(ctx, s, loc).v, 'utf8');
      const g = run(ctx, a, input, 0, { exact: true }, loc);
      return g ? submatches(input, g, loc) : mkNull(loc);
    },
  },
  split: {
    arity: 2,
    fn: (ctx, [re, s], loc) => {
      const a = automaton(ctx, re, loc);
      const input = Buffer.from(needString(ctx, s, loc).v, 'utf8');
      // The matches as std::sregex_iterator finds them: after an empty match, first a non-empty
      // match at the same place, else the search goes on one byte further.
      const parts: Thunk[] = [];
      let prevEnd = 0;
      let flags: SearchFlags = { exact: false };
      let g = run(ctx, a, input, 0, flags, loc);
      if (!g) return mkList([s], loc);
      while (g) {
        parts.push(Thunk.of(text(input, prevEnd, g[0], loc)), Thunk.of(submatches(input, g, loc)));
        prevEnd = g[1];
        let start = g[1];
        if (g[0] === g[1]) {
          if (start === input.length) break;
          const again = run(ctx, a, input, start, { ...flags, notNull: true, continuous: true }, loc);
          if (again) {
            g = again;
            continue;
          }
          start++;
        }
        flags = { exact: false, prevAvail: true };
        g = run(ctx, a, input, start, flags, loc);
      }
      parts.push(Thunk.of(text(input, prevEnd, input.length, loc)));
      return mkList(parts, loc);
    },
  },
};
