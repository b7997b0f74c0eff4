// builtins.fromJSON: a small strict JSON parser that gives what Nix 2.8 (nlohmann::json) gives.
// Integers up to 2^64 - 1 are integers (from 2^63 on they wrap to negative 64-bit values, as Nix
// stores the unsigned number in its signed integer); larger ones, and numbers with a fraction or
// an exponent, are floats; a float that overflows is an error. Strings must escape control
// characters and pair their surrogates; a NUL ends a string value (Nix keeps C strings). Deeper
// nesting than we follow, and names containing NUL, are unknown.
import { Thunk } from '../thunk';
import { mkAttrs, mkBool, mkFloat, mkInt, mkList, mkNull, mkString, NixError, unknown, type Loc, type Value } from '../values';
import { needString, UnknownArg, type PrimopDef } from './args';

const MAX_NESTING = 500;
const NUMBER = /-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

function number(text: string, loc: Loc | null): Value {
  if (text.length > 21) return float(text, loc); // over 20 digits: beyond 64 bits either way
  const n = BigInt(text);
  if (n >= -(2n ** 63n) && n < 2n ** 64n) return mkInt(n, loc); // mkInt wraps to 64 bits
  return float(text, loc);
}

function float(text: string, loc: Loc | null): Value {
  const x = Number(text);
  if (!Number.isFinite(x)) throw new NixError('error', `number overflow parsing '${text}'`, loc);
  return mkFloat(x, loc);
}

export function parseJson(text: string, loc: Loc | null): Value {
  let i = 0;
  const fail = (): never => {
    throw new NixError('error', `JSON parse error at offset ${i}`, loc);
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const value = (depth: number): Value => {
    if (depth > MAX_NESTING) throw new UnknownArg(unknown('JSON nested too deeply', loc));
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
        if (k.includes('\0')) throw new UnknownArg(unknown('JSON name with NUL', loc));
        ws();
        if (text[i] !== ':') fail();
        i++;
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
    if (c === '"') {
      const str = string();
      const nul = str.indexOf('\0');
      return mkString(nul === -1 ? str : str.slice(0, nul), loc);
    }
    for (const [word, v] of [['true', mkBool(true, loc)], ['false', mkBool(false, loc)], ['null', mkNull(loc)]] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (!m) return fail();
    i += m[0].length;
    return m[2] || m[3] ? float(m[0], loc) : number(m[0], loc);
  };
  const hex4 = (): number => {
    if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i, i + 4))) fail();
    i += 4;
    return parseInt(text.slice(i - 4, i), 16);
  };
  const string = (): string => {
    i++;
    let out = '';
    for (;;) {
      if (i >= text.length) fail();
      const c = text[i++];
      if (c === '"') return out;
      if (c < ' ') fail(); // control characters must be escaped
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = text[i++];
      if (e in ESCAPES) out += ESCAPES[e];
      else if (e !== 'u') fail();
      else {
        const u = hex4();
        if (u >= 0xdc00 && u <= 0xdfff) fail(); // a low surrogate must follow a high one
        if (u >= 0xd800 && u <= 0xdbff) {
          if (text[i] !== '\\' || text[i + 1] !== 'u') fail();
          i += 2;
          const low = hex4();
          if (low < 0xdc00 || low > 0xdfff) fail();
          out += String.fromCharCode(u, low);
        } else out += String.fromCharCode(u);
      }
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
