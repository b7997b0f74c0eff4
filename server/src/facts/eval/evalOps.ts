// Operators: arithmetic on 64-bit integers (wrapping, as Nix 2.8 does) and floats, string and path
// concatenation, comparisons (equality.ts), boolean operators (short-circuit), `//` and `++`.
import * as path from 'node:path';
import type { SNode } from './ast';
import type { Context } from './context';
import { evalNode, type Src } from './evalNode';
import { equals, lessThan } from './equality';
import type { Scope } from './thunk';
import { describe, mkAttrs, mkBool, mkFloat, mkInt, mkList, mkString, NixError, typeError, unknown, type Loc, type StringValue, type Value } from './values';

export function evalBinary(ctx: Context, node: SNode, scope: Scope, src: Src, loc: Loc): Value {
  const op = node.fields.operator?.text ?? '';
  switch (op) {
    case '&&':
    case '||':
    case '->': {
      const a = evalNode(ctx, node.fields.left, scope, src);
      if (a.t === 'unknown') return a;
      if (a.t !== 'bool') throw typeError('a Boolean', a, loc);
      if (op === '&&' && !a.v) return mkBool(false, loc);
      if (op === '||' && a.v) return mkBool(true, loc);
      if (op === '->' && !a.v) return mkBool(true, loc);
      const b = evalNode(ctx, node.fields.right, scope, src);
      if (b.t === 'unknown') return b;
      if (b.t !== 'bool') throw typeError('a Boolean', b, loc);
      return mkBool(b.v, loc);
    }
  }
  // no closures here: a recursion through an operator should use as little JS stack as it can
  const a = evalNode(ctx, node.fields.left, scope, src);
  const b = evalNode(ctx, node.fields.right, scope, src);
  switch (op) {
    case '==':
    case '!=': {
      const eq = equals(ctx, a, b, loc);
      return eq === null ? unknown('comparison with unknown', loc) : mkBool(op === '==' ? eq : !eq, loc);
    }
    case '<':
    case '>':
    case '<=':
    case '>=': {
      const lt = op === '<' || op === '>=' ? lessThan(ctx, a, b, loc) : lessThan(ctx, b, a, loc);
      if (lt === null) return unknown('comparison with unknown', loc);
      return mkBool(op === '<' || op === '>' ? lt : !lt, loc);
    }
    case '//':
      if (a.t === 'unknown') return a;
      if (b.t === 'unknown') return b;
      if (a.t !== 'attrs') throw typeError('a set', a, loc);
      if (b.t !== 'attrs') throw typeError('a set', b, loc);
      if (b.attrs.size === 0 && !b.open) return a;
      if (a.attrs.size === 0 && !a.open) return b;
      return mergeAttrs(a, b, loc);
    case '++':
      if (a.t === 'unknown') return a;
      if (b.t === 'unknown') return b;
      if (a.t !== 'list') throw typeError('a list', a, loc);
      if (b.t !== 'list') throw typeError('a list', b, loc);
      if (!ctx.tick(a.items.length + b.items.length)) return unknown('budget', loc);
      return mkList([...a.items, ...b.items], loc);
    case '+':
      return add(ctx, a, b, loc);
    case '-':
    case '*':
    case '/':
      return arith(op, a, b, loc);
  }
  return unknown(`operator ${op}`, loc);
}

function mergeAttrs(a: Value & { t: 'attrs' }, b: Value & { t: 'attrs' }, loc: Loc): Value {
  const attrs = new Map(a.attrs);
  for (const [k, v] of b.attrs) attrs.set(k, v);
  const out = mkAttrs(attrs, loc);
  if (a.nameLocs || b.nameLocs) out.nameLocs = new Map([...(a.nameLocs ?? []), ...(b.nameLocs ?? [])]);
  if (a.open || b.open) out.open = true;
  return out;
}

export function evalUnary(ctx: Context, node: SNode, scope: Scope, src: Src, loc: Loc): Value {
  const op = node.fields.operator?.text ?? '';
  const v = evalNode(ctx, node.fields.argument, scope, src);
  if (v.t === 'unknown') return v;
  if (op === '!') {
    if (v.t !== 'bool') throw typeError('a Boolean', v, loc);
    return mkBool(!v.v, loc);
  }
  return arith('-', mkInt(0n), v, loc);
}

export function originsOf(s: StringValue): Loc[] {
  return s.origins ?? (s.loc ? [s.loc] : []);
}

const MAX_STRING = 64 * 1024 * 1024;

export function add(ctx: Context, a: Value, b: Value, loc: Loc | null): Value {
  if (a.t === 'unknown') return a;
  if (b.t === 'unknown') return b;
  if (a.t === 'string' && b.t === 'string') {
    if (a.v.length + b.v.length > MAX_STRING) return unknown('string too long', loc);
    ctx.tick(1 + ((a.v.length + b.v.length) >> 10));
    return mkString(a.v + b.v, loc, [...originsOf(a), ...originsOf(b)].slice(0, 16));
  }
  if (a.t === 'path' && (b.t === 'string' || b.t === 'path')) return { t: 'path', v: canonPath(a.v + b.v), loc };
  if (a.t === 'string' && b.t === 'path') return unknown('path copied to the store', loc);
  if ((a.t === 'int' || a.t === 'float') && (b.t === 'int' || b.t === 'float')) return arith('+', a, b, loc);
  if (a.t === 'string' || a.t === 'path') throw new NixError('error', `cannot coerce ${describe(b)} to a string`, loc);
  throw new NixError('error', `cannot add ${describe(b)} to ${describe(a)}`, loc);
}

export function arith(op: string, a: Value, b: Value, loc: Loc | null): Value {
  if (a.t === 'unknown') return a;
  if (b.t === 'unknown') return b;
  if (a.t !== 'int' && a.t !== 'float') throw typeError('an integer', a, loc);
  if (b.t !== 'int' && b.t !== 'float') throw typeError('an integer', b, loc);
  if (a.t === 'int' && b.t === 'int') {
    switch (op) {
      case '+':
        return mkInt(a.v + b.v, loc);
      case '-':
        return mkInt(a.v - b.v, loc);
      case '*':
        return mkInt(a.v * b.v, loc);
      default:
        if (b.v === 0n) throw new NixError('error', 'division by zero', loc);
        return mkInt(a.v / b.v, loc);
    }
  }
  const x = Number(a.v);
  const y = Number(b.v);
  switch (op) {
    case '+':
      return mkFloat(x + y, loc);
    case '-':
      return mkFloat(x - y, loc);
    case '*':
      return mkFloat(x * y, loc);
    default:
      if (y === 0) throw new NixError('error', 'division by zero', loc);
      return mkFloat(x / y, loc);
  }
}

/** Nix's canonPath: absolute, no `.`/`..`/duplicate slashes, no trailing slash. */
export function canonPath(p: string): string {
  const out = path.posix.normalize(p);
  return out.length > 1 && out.endsWith('/') ? out.slice(0, -1) : out;
}
