// The word level of the shell scanner: quoting, `$` expansions and the literal path after
// `$out`, `$in` and `$prompts`, heredoc bodies, and bracket matching.
import { NIX_INTERPOLATION } from './nixString';
import { scanCommands, type ShellFacts, type VarMention } from './shellScan';

const SPECIAL = new Set(['out', 'in', 'prompts']);
const ETC_ALLOWED = new Set(['/etc/passwd', '/etc/group', '/etc/hosts']);

// character codes, for the loops that look at every character
const TAB = 9;
export const NEWLINE = 10;
const CR = 13;
const SPACE = 32;
const DQ = 34;
const DOLLAR = 36;
const SQ = 39;
const STAR = 42;
const DOT = 46;
const SLASH = 47;
const QUESTION = 63;
const OPEN_BRACKET = 91;
export const BACKSLASH = 92;
const BACKQUOTE = 96;
const OPEN_BRACE = 123;
const TILDE = 126;
const INTERPOLATION = NIX_INTERPOLATION.charCodeAt(0);

export const isSpaceCode = (c: number) => c === SPACE || c === TAB || c === CR;

/** Whether the character code is one of the shell's operator characters, `;&|<>()`. */
export function isOperatorCode(c: number): boolean {
  return c === 59 || c === 38 || c === 124 || c === 60 || c === 62 || c === 40 || c === 41;
}

/** A letter, a digit or `_` (`digits`: also a digit). */
function isNameCode(c: number, digits: boolean): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || (digits && c >= 48 && c <= 57);
}

export interface Word {
  /** The word with quotes removed; null when it contains an expansion. */
  literal: string | null;
  raw: string;
  start: number;
  end: number;
}


/** Reads one shell word from `i`, recording variable mentions and scanning substitutions inside it. */
export function readWord(text: string, i: number, to: number, facts: ShellFacts, depth: number, isFileName: boolean): Word {
  const start = i;
  let literal: string | null = '';
  let inDq = false;
  /** Where the characters that stand for themselves, not yet added to `literal`, start (-1: none). */
  let plain = -1;
  while (i < to) {
    const code = text.charCodeAt(i);
    if (!inDq && (isSpaceCode(code) || code === NEWLINE || isOperatorCode(code))) break;
    if (!(code === DQ || (code === SQ && !inDq) || code === BACKSLASH || code === BACKQUOTE || code === DOLLAR || code === INTERPOLATION)) {
      if (code === TILDE && i === start && !inDq && (text[i + 1] === '/' || i + 1 >= to || isSpaceCode(text.charCodeAt(i + 1)))) facts.homeReads.push({ start: i, end: i + 1, text: '~' });
      if (plain < 0) plain = i;
      i++;
      continue;
    }
    if (plain >= 0) {
      if (literal !== null) literal += text.slice(plain, i);
      plain = -1;
    }
    const c = text[i];
    if (c === '"') {
      inDq = !inDq;
      i++;
    } else if (c === "'") {
      const close = text.indexOf("'", i + 1);
      const stop = close < 0 || close >= to ? to : close;
      if (literal !== null) literal += text.slice(i + 1, stop);
      i = stop + 1;
    } else if (c === '\\') {
      if (literal !== null) literal += text[i + 1] ?? '';
      i += 2;
    } else if (c === '`') {
      const close = text.indexOf('`', i + 1);
      const stop = close < 0 || close >= to ? to : close;
      scanCommands(text, i + 1, stop, facts, depth + 1);
      literal = null;
      i = stop + 1;
    } else if (c === '$') {
      const r = readDollar(text, i, to, facts, depth, inDq, false);
      literal = null;
      i = r.end;
      inDq = r.inDq;
    } else {
      literal = null; // a Nix interpolation
      i++;
    }
  }
  if (plain >= 0 && literal !== null) literal += text.slice(plain, i);
  const end = Math.min(i, to);
  const raw = text.slice(start, end);
  if (literal !== null && literal.startsWith('/etc/') && !ETC_ALLOWED.has(literal)) facts.etcReads.push({ start, end, text: literal });
  void isFileName;
  return { literal, raw, start, end };
}

/** Reads an expansion starting with `$`; returns where it ends and whether a double quote is still open. */
function readDollar(text: string, i: number, to: number, facts: ShellFacts, depth: number, inDq: boolean, inHeredoc: boolean): { end: number; inDq: boolean } {
  const next = text[i + 1];
  if (next === '(') {
    if (text[i + 2] === '(') {
      const close = text.indexOf('))', i);
      return { end: close < 0 || close > to ? to : close + 2, inDq };
    }
    const close = matching(text, i + 1, to);
    scanCommands(text, i + 2, close, facts, depth + 1);
    return { end: close + 1, inDq };
  }
  let name: string;
  let defaulted = false;
  let end: number;
  if (next === '{') {
    const close = matchingBrace(text, i + 1, to);
    const inner = text.slice(i + 2, close);
    const m = /^[#!]?([A-Za-z_][A-Za-z0-9_]*)(.*)$/s.exec(inner);
    name = m ? m[1] : '';
    defaulted = !!m && /^:?[-=+?]/.test(m[2]);
    if (m && inner.startsWith('#')) defaulted = true; // ${#var}: still unbound under set -u, but not a path
    end = close + 1;
  } else {
    // a name of at most 63 characters
    const limit = Math.min(text.length, i + 64);
    let stop = i + 1;
    if (stop < limit && isNameCode(text.charCodeAt(stop), false)) while (++stop < limit && isNameCode(text.charCodeAt(stop), true));
    if (stop === i + 1) return { end: i + (next === undefined ? 1 : 2), inDq };
    name = text.slice(i + 1, stop);
    end = stop;
  }
  if (name === 'HOME') facts.homeReads.push({ start: i, end, text: text.slice(i, end) });
  if (!SPECIAL.has(name)) return { end, inDq };
  // in a heredoc body quotes are text: the path ends at them as at a space
  const rest = readPathRest(text, end, to, inDq && !inHeredoc, inHeredoc);
  facts.mentions.push({ variable: name as VarMention['variable'], path: rest.path, defaulted, inHeredoc, start: i, end: rest.end });
  return { end: rest.end, inDq: rest.inDq };
}

/** The literal path after `$out`: `/key` in `$out/key`, `"$out"/key`, `"$out/key"`; null when computed. */
function readPathRest(text: string, i: number, to: number, inDq: boolean, heredoc: boolean): { path: string | null; end: number; inDq: boolean } {
  let value = '';
  let dynamic = false;
  /** Where the characters that stand for themselves, not yet added to `value`, start. */
  let run = i;
  while (i < to) {
    const c = text.charCodeAt(i);
    if (inDq) {
      if (c === DQ) {
        value += text.slice(run, i);
        inDq = false;
        run = ++i;
      } else if (c === DOLLAR || c === BACKQUOTE || c === INTERPOLATION) {
        dynamic = true;
        break;
      } else if (c === BACKSLASH) {
        value += text.slice(run, i) + (text[i + 1] ?? '');
        run = i += 2;
      } else i++;
      continue;
    }
    if (isSpaceCode(c) || c === NEWLINE || isOperatorCode(c) || (heredoc && (c === DQ || c === SQ))) break;
    if (c === DQ) {
      value += text.slice(run, i);
      inDq = true;
      run = ++i;
    } else if (c === SQ) {
      const close = text.indexOf("'", i + 1);
      const stop = close < 0 || close >= to ? to : close;
      value += text.slice(run, i) + text.slice(i + 1, stop);
      run = i = stop + 1;
    } else if (c === DOLLAR || c === BACKQUOTE || c === INTERPOLATION || c === STAR || c === QUESTION || c === OPEN_BRACKET || c === OPEN_BRACE) {
      dynamic = true;
      break;
    } else if (c === BACKSLASH) {
      value += text.slice(run, i) + (text[i + 1] ?? '');
      run = i += 2;
    } else i++;
  }
  if (run < i) value += text.slice(run, i);
  if (!value.startsWith('/')) return { path: dynamic ? null : '', end: i, inDq };
  // a quote or bracket inside the word ends the name (`"{\"key\": \"$out/x\"}"`)
  const stop = value.search(/["'{}(),;]/);
  if (stop > 0) {
    value = value.slice(0, stop);
    dynamic = false;
  }
  return { path: dynamic ? null : pathSegments(value), end: i, inDq };
}

/** `value`'s parts between slashes but the empty ones and `.`, joined by slashes (`//a/./b/` is `a/b`). */
function pathSegments(value: string): string {
  let path = '';
  let from = 0;
  for (let k = 0; k <= value.length; k++) {
    if (k < value.length && value.charCodeAt(k) !== SLASH) continue;
    if (k > from && !(k === from + 1 && value.charCodeAt(from) === DOT)) path += path === '' ? value.slice(from, k) : `/${value.slice(from, k)}`;
    from = k + 1;
  }
  return path;
}

export function skipHeredoc(text: string, i: number, to: number, h: { delimiter: string; quoted: boolean }, facts: ShellFacts, depth: number): number {
  while (i < to) {
    let lineEnd = text.indexOf('\n', i);
    if (lineEnd < 0 || lineEnd > to) lineEnd = to;
    const line = text.slice(i, lineEnd);
    if (line.trim() === h.delimiter) return Math.min(lineEnd + 1, to);
    // an unquoted body expands like a double-quoted string: `$in/x` is a mention (marked as in the
    // heredoc: it is text, not an operand), and `$(cat $in/x)` or `cat $in/x` in backquotes runs
    if (!h.quoted) {
      for (let k = i; k < lineEnd; k++) {
        if (text[k] === '\\') k++;
        else if (text[k] === '$') k = readDollar(text, k, lineEnd, facts, depth, true, true).end - 1;
        else if (text[k] === '`') {
          const close = text.indexOf('`', k + 1);
          const stop = close < 0 || close >= lineEnd ? lineEnd : close;
          scanCommands(text, k + 1, stop, facts, depth + 1);
          k = stop;
        }
      }
    }
    i = lineEnd + 1;
  }
  return to;
}

/** The `)` closing the `(` at `open`, quote-aware; `to - 1` when missing. */
export function matching(text: string, open: number, to: number): number {
  let depth = 0;
  for (let i = open; i < to; i++) {
    const c = text[i];
    if (c === "'") {
      const close = text.indexOf("'", i + 1);
      i = close < 0 ? to : close;
    } else if (c === '"') {
      for (i++; i < to && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '\\') i++;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return Math.max(open, to - 1);
}

function matchingBrace(text: string, open: number, to: number): number {
  let depth = 0;
  for (let i = open; i < to; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i;
  }
  return Math.max(open, to - 1);
}
