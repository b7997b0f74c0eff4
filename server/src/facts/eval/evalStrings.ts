// Strings, indented strings (with Nix's exact indentation stripping), paths and coercion to
// strings. Interpolated values keep their origin so diagnostics can point at them.
import * as path from 'node:path';
import type { SNode } from './ast';
import type { Context } from './context';
import { callFunction } from './evalFunction';
import { evalNode, locOf, type Src } from './evalNode';
import { canonPath, originsOf } from './evalOps';
import { formatFloatFixed } from './toJson';
import { Thunk, type Scope } from './thunk';
import { describe, mkString, NixError, unknown, type Loc, type Value } from './values';

type Token = { k: 'str'; s: string; indent: boolean } | { k: 'interp'; node: SNode };

export function evalString(ctx: Context, node: SNode, scope: Scope, src: Src): Value {
  const loc = locOf(src, node);
  const tokens = node.type === 'indented_string_expression' ? indentedTokens(node) : plainTokens(node);
  let out = '';
  const origins: Loc[] = [];
  for (const t of tokens) {
    if (t.k === 'str') {
      out += t.s;
      continue;
    }
    const v = evalNode(ctx, t.node.fields.expression ?? t.node.children[0], scope, src);
    const s = coerceToString(ctx, v, false, locOf(src, t.node));
    if (s.t !== 'string') return s;
    out += s.v;
    if (origins.length < 16) origins.push(...originsOf(s));
  }
  return mkString(out, loc, origins);
}

function unescapeChar(c: string): string {
  return c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : c;
}

function plainTokens(node: SNode): Token[] {
  const out: Token[] = [];
  for (const c of node.children) {
    if (c.type === 'string_fragment') out.push({ k: 'str', s: c.text, indent: false });
    else if (c.type === 'escape_sequence') out.push({ k: 'str', s: unescapeChar(c.text.slice(1)), indent: false });
    else if (c.type === 'interpolation') out.push({ k: 'interp', node: c });
  }
  return out;
}

/** Re-lexes the parts of an indented string the way Nix's lexer does, then strips indentation. */
function indentedTokens(node: SNode): Token[] {
  const raw: Token[] = [];
  let text = '';
  const flush = () => {
    // Nix's text token: ([^$']|\$[^{']|'[^'$])+ ; a lone `$` or `'` is its own token without indentation.
    let i = 0;
    let cur = '';
    while (i < text.length) {
      const ch = text[i];
      const next = text[i + 1];
      if (ch === '$' && (next === undefined || next === '{' || next === "'")) {
        if (cur) raw.push({ k: 'str', s: cur, indent: true });
        cur = '';
        raw.push({ k: 'str', s: '$', indent: false });
        i++;
      } else if (ch === "'" && (next === undefined || next === "'" || next === '$')) {
        if (cur) raw.push({ k: 'str', s: cur, indent: true });
        cur = '';
        raw.push({ k: 'str', s: "'", indent: false });
        i++;
      } else {
        cur += ch;
        if (ch === '$' || ch === "'") cur += next;
        i += ch === '$' || ch === "'" ? 2 : 1;
      }
    }
    if (cur) raw.push({ k: 'str', s: cur, indent: true });
    text = '';
  };
  let first = true;
  let escapedDollar = false;
  for (const c of node.children) {
    if (c.type === 'string_fragment') {
      let s = c.text;
      if (first) s = s.replace(/^ *\n/, ''); // the lexer swallows a first line of only spaces
      if (escapedDollar && s.startsWith('$')) {
        flush();
        raw.push({ k: 'str', s: '$', indent: false });
        s = s.slice(1);
      }
      text += s;
    } else if (c.type === 'escape_sequence') {
      flush();
      const e = c.text;
      raw.push({ k: 'str', s: e === "'''" ? "''" : e.startsWith("''\\") ? unescapeChar(e.slice(3)) : e.slice(2), indent: false });
    } else if (c.type === 'interpolation') {
      flush();
      raw.push({ k: 'interp', node: c });
    } else if (c.type !== 'dollar_escape') continue;
    escapedDollar = c.type === 'dollar_escape';
    first = false;
  }
  flush();
  return stripIndentation(raw.filter((t) => t.k === 'interp' || t.s !== ''));
}

function stripIndentation(tokens: Token[]): Token[] {
  let atStart = true;
  let minIndent = Infinity;
  let cur = 0;
  for (const t of tokens) {
    if (t.k !== 'str' || !t.indent) {
      if (atStart) {
        atStart = false;
        minIndent = Math.min(minIndent, cur);
      }
      continue;
    }
    for (const ch of t.s) {
      if (atStart) {
        if (ch === ' ') cur++;
        else if (ch === '\n') cur = 0;
        else {
          atStart = false;
          minIndent = Math.min(minIndent, cur);
        }
      } else if (ch === '\n') {
        atStart = true;
        cur = 0;
      }
    }
  }
  const out: Token[] = [];
  atStart = true;
  let dropped = 0;
  tokens.forEach((t, i) => {
    if (t.k !== 'str') {
      atStart = false;
      dropped = 0;
      out.push(t);
      return;
    }
    let s = '';
    for (const ch of t.s) {
      if (atStart) {
        if (ch === ' ') {
          if (dropped++ >= minIndent) s += ch;
        } else if (ch === '\n') {
          dropped = 0;
          s += ch;
        } else {
          atStart = false;
          dropped = 0;
          s += ch;
        }
      } else {
        s += ch;
        if (ch === '\n') atStart = true;
      }
    }
    if (i === tokens.length - 1) {
      const p = s.lastIndexOf('\n');
      if (p !== -1 && /^ *$/.test(s.slice(p + 1))) s = s.slice(0, p + 1);
    }
    out.push({ k: 'str', s, indent: false });
  });
  return out;
}

export function evalPath(ctx: Context, node: SNode, scope: Scope, src: Src): Value {
  const loc = locOf(src, node);
  let text = '';
  for (const c of node.children) {
    if (c.type === 'path_fragment') text += c.text;
    else if (c.type === 'interpolation') {
      const v = evalNode(ctx, c.fields.expression ?? c.children[0], scope, src);
      const s = coerceToString(ctx, v, false, locOf(src, c));
      if (s.t !== 'string') return s;
      text += s.v;
    }
  }
  if (!node.children.length) text = node.text;
  const abs = text.startsWith('/') ? text : path.posix.join(src.dir, text);
  return { t: 'path', v: canonPath(abs), loc };
}

/**
 * Coerces a value to a string as interpolation does, or with `more` as `toString` does (also
 * numbers, Booleans, null and lists). A path is copied to the store: the copy's store path where the
 * evaluation may read folders (EvalReads.storePath), else unknown; `toString` keeps the path.
 */
export function coerceToString(ctx: Context, v: Value, more: boolean, loc: Loc | null, copyToStore = true): Value {
  switch (v.t) {
    case 'unknown':
    case 'string':
      return v;
    case 'path': {
      if (!copyToStore || more) return mkString(v.v, v.loc);
      // Nix copies it to the store and names the copy: that name, where the files can be read to compute it
      const stored = ctx.reads.storePath?.(v.v);
      if (!stored) return unknown('path copied to the store', loc);
      ctx.storeCopies.set(stored, v.v);
      return mkString(stored, v.loc);
    }
    case 'attrs': {
      const f = v.attrs.get('__toString');
      if (f) {
        const r = callFunction(ctx, f.force(ctx, loc), Thunk.of(v), loc);
        return coerceToString(ctx, r, more, loc, copyToStore);
      }
      const out = v.attrs.get('outPath');
      if (out) return coerceToString(ctx, out.force(ctx, loc), more, loc, copyToStore);
      if (v.open) return unknown('open set', loc);
      break;
    }
  }
  if (more) {
    switch (v.t) {
      case 'null':
        return mkString('', v.loc);
      case 'bool':
        return mkString(v.v ? '1' : '', v.loc);
      case 'int':
        return mkString(v.v.toString(), v.loc);
      case 'float':
        return mkString(formatFloatFixed(v.v), v.loc);
      case 'list': {
        const parts: string[] = [];
        const origins: Loc[] = [];
        for (let i = 0; i < v.items.length; i++) {
          const item = v.items[i].force(ctx, loc);
          const s = ctx.enter(loc, () => coerceToString(ctx, item, true, loc, copyToStore));
          if (s.t !== 'string') return s;
          // Nix puts a space after every element but the last, except after an empty list.
          parts.push(s.v + (i < v.items.length - 1 && !(item.t === 'list' && item.items.length === 0) ? ' ' : ''));
          if (origins.length < 16) origins.push(...originsOf(s));
        }
        return mkString(parts.join(''), v.loc, origins);
      }
    }
  }
  throw new NixError('error', `cannot coerce ${describe(v)} to a string`, loc);
}
