// The facts shipped for an input's files (knownInputs.ts), as stored and as read: paths below a root
// token (rebased to a virtual folder when read), and ranges written as [line, character, line,
// character] under the keys that hold ranges (`range`, `keyRange`, ...), a fifth of the size.
import type { Range } from '../../base/types';

/** Keys whose value is a Range in the facts. */
const RANGE_KEY = /^(range|[a-z]+Range)$/;

/** A deep copy with every string that is `from` or starts with `from/` moved to `to`. */
export function rebase(value: unknown, from: string, to: string): unknown {
  return copy(value, (s) => (s === from ? to : s.startsWith(from + '/') ? to + s.slice(from.length) : s), false);
}

/** Facts as stored: each Range under a range key as an array of four numbers. */
export function packRanges(value: unknown): unknown {
  return copy(value, (s) => s, true);
}

/** Stored facts as read: ranges unpacked, paths rebased from `from` to `to`. */
export function unpackFacts(value: unknown, from: string, to: string): unknown {
  const moved = (s: string) => (s === from ? to : s.startsWith(from + '/') ? to + s.slice(from.length) : s);
  const walk = (v: unknown, key: string | null): unknown => {
    if (key !== null && RANGE_KEY.test(key) && Array.isArray(v) && v.length === 4 && v.every((n) => typeof n === 'number')) {
      return { start: { line: v[0], character: v[1] }, end: { line: v[2], character: v[3] } } satisfies Range;
    }
    if (typeof v === 'string') return moved(v);
    if (Array.isArray(v)) return v.map((x) => walk(x, null));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
    return v;
  };
  return walk(value, null);
}

function copy(value: unknown, str: (s: string) => string, pack: boolean): unknown {
  const walk = (v: unknown, key: string | null): unknown => {
    if (pack && key !== null && RANGE_KEY.test(key) && isRange(v)) return [v.start.line, v.start.character, v.end.line, v.end.character];
    if (typeof v === 'string') return str(v);
    if (Array.isArray(v)) return v.map((x) => walk(x, null));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
    return v;
  };
  return walk(value, null);
}

function isRange(v: unknown): v is Range {
  const pos = (p: unknown) => !!p && typeof p === 'object' && Object.keys(p).length === 2 && typeof (p as { line?: unknown }).line === 'number' && typeof (p as { character?: unknown }).character === 'number';
  return !!v && typeof v === 'object' && Object.keys(v).length === 2 && pos((v as Range).start) && pos((v as Range).end);
}
