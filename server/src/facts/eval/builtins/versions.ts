// Version strings as Nix reads them: compareVersions, splitVersion, parseDrvName. A version is
// split into components at `.` and `-`; a component is a run of digits or a run of other
// characters. Components compare as numbers when both are numbers that fit a C int, else by these
// rules: an empty one is older than a number, `pre` is older than anything else, a string is older
// than a number, and two strings compare by bytes.
import { compareBytes } from '../equality';
import { mkAttrs, mkInt, mkList, mkString } from '../values';
import { Thunk } from '../thunk';
import { needString, type PrimopDef } from './args';

const INT_MAX = 2147483647n;

/** The components of a version, from position `at`; returns the component and the position after it. */
function nextComponent(v: string, at: number): [string, number] {
  while (at < v.length && (v[at] === '.' || v[at] === '-')) at++;
  const start = at;
  if (at < v.length && isDigit(v[at])) while (at < v.length && isDigit(v[at])) at++;
  else while (at < v.length && !isDigit(v[at]) && v[at] !== '.' && v[at] !== '-') at++;
  return [v.slice(start, at), at];
}

const isDigit = (c: string) => c >= '0' && c <= '9';

function asNumber(c: string): bigint | null {
  if (!/^[0-9]+$/.test(c)) return null;
  const n = BigInt(c);
  return n > INT_MAX ? null : n;
}

function componentLess(a: string, b: string): boolean {
  const x = asNumber(a);
  const y = asNumber(b);
  if (x !== null && y !== null) return x < y;
  if (a === 'pre' && b !== 'pre') return true;
  if (b === 'pre') return false;
  if (y !== null) return true;
  if (x !== null) return false;
  return compareBytes(a, b) < 0;
}

export function compareVersions(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let x: string;
    let y: string;
    [x, i] = nextComponent(a, i);
    [y, j] = nextComponent(b, j);
    if (componentLess(x, y)) return -1;
    if (componentLess(y, x)) return 1;
  }
  return 0;
}

export const versionBuiltins: Record<string, PrimopDef> = {
  compareVersions: {
    arity: 2,
    fn: (ctx, [a, b], loc) => {
      const x = needString(ctx, a, loc).v;
      return mkInt(BigInt(compareVersions(x, needString(ctx, b, loc).v)), loc);
    },
  },
  splitVersion: {
    arity: 1,
    fn: (ctx, [v], loc) => {
      const s = needString(ctx, v, loc).v;
      const parts: Thunk[] = [];
      for (let at = 0; at < s.length; ) {
        const [c, next] = nextComponent(s, at);
        if (c === '') break;
        parts.push(Thunk.of(mkString(c, loc)));
        at = next;
      }
      return mkList(parts, loc);
    },
  },
  parseDrvName: {
    arity: 1,
    fn: (ctx, [v], loc) => {
      const s = needString(ctx, v, loc).v;
      // the name ends at the first `-` followed by something other than a letter
      const dash = /-[^A-Za-z]/.exec(s);
      const name = dash ? s.slice(0, dash.index) : s;
      const version = dash ? s.slice(dash.index + 1) : '';
      return mkAttrs(new Map([['name', Thunk.of(mkString(name, loc))], ['version', Thunk.of(mkString(version, loc))]]), loc);
    },
  },
};
