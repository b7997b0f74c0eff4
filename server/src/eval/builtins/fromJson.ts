// builtins.fromJSON: a small strict JSON parser. Integers stay 64-bit integers, numbers with a
// fraction or exponent become floats, as in Nix. Nesting is bounded.
import { Thunk } from '../thunk';
import { mkAttrs, mkBool, mkFloat, mkInt, mkList, mkNull, mkString, NixError, type Loc, type Value } from '../values';
import { needString, type PrimopDef } from './args';

const MAX_NESTING = 500;

export function parseJson(text: string, loc: Loc | null): Value {
  let i = 0;
  const fail = (): never => {
    throw new NixError('error', `JSON parse error at offset ${i}`, loc);
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const value = (depth: number): Value => {
    if (depth > MAX_NESTING) fail();
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const attrs = new Map<string, Thunk>();
      ws();
      if (text[i] === '}') {
        i++;
        return mkAttrs(attrs, loc);
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        const k = string();
        ws();
        if (text[i++] !== ':') fail();
        attrs.set(k, Thunk.of(value(depth + 1)));
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          return mkAttrs(attrs, loc);
        } else fail();
      }
    }
    if (c === '[') {
      i++;
      const items: Thunk[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return mkList(items, loc);
      }
      for (;;) {
        items.push(Thunk.of(value(depth + 1)));
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') {
          i++;
          return mkList(items, loc);
        } else fail();
      }
    }
    if (c === '"') return mkString(string(), loc);
    for (const [word, v] of [['true', mkBool(true, loc)], ['false', mkBool(false, loc)], ['null', mkNull(loc)]] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i, i + 400));
    if (!m) return fail();
    i += m[0].length;
    if (m[2] || m[3]) return mkFloat(Number(m[0]), loc);
    const n = BigInt(m[0]);
    return n > 0x7fffffffffffffffn || n < -0x8000000000000000n ? mkFloat(Number(m[0]), loc) : mkInt(n, loc);
  };
  const string = (): string => {
    i++;
    let out = '';
    for (;;) {
      if (i >= text.length) fail();
      const c = text[i++];
      if (c === '"') return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = text[i++];
      const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (e in simple) out += simple[e];
      else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i, i + 4))) {
        out += String.fromCharCode(parseInt(text.slice(i, i + 4), 16));
        i += 4;
      } else fail();
    }
  };
  const v = value(0);
  ws();
  if (i !== text.length) fail();
  return v;
}

export const jsonBuiltins: Record<string, PrimopDef> = {
  fromJSON: { arity: 1, fn: (ctx, [s], loc) => parseJson(needString(ctx, s, loc).v, loc) },
};
