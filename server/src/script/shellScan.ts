// A small scanner for the bash a generator script runs as: quoting, comments, heredocs, command
// and process substitution, `case` patterns, `[[ ]]`, arrays and function definitions. It does not
// build a syntax tree; it collects what the rules need: the commands run, and the mentions of
// `$out`, `$in` and `$prompts` with the literal path after them. Anything computed is marked dynamic.
import { NIX_INTERPOLATION } from './nixString';

export interface VarMention {
  variable: 'out' | 'in' | 'prompts';
  /** The literal path after `$var/` (`key`, `dep/file`); '' for a bare `$var`; null when computed. */
  path: string | null;
  /** `${prompts-}` and similar: a default makes an unset variable harmless. */
  defaulted: boolean;
  inHeredoc: boolean;
  start: number;
  end: number;
}

export interface Found {
  start: number;
  end: number;
  text: string;
}

export interface ShellFacts {
  mentions: VarMention[];
  commands: Found[];
  functions: Set<string>;
  processSubstitutions: Found[];
  homeReads: Found[];
  etcReads: Found[];
  /** `cd "$out"` or a loop over output names: output names cannot be known. */
  opaqueOutputs: boolean;
}

const OPERATOR_CHARS = ';&|<>()';
const KEEP_COMMAND = new Set(['then', 'do', 'else', 'elif', 'if', 'while', 'until', '!', '{', 'time']);
const END_WORDS = new Set(['fi', 'done', '}', 'esac']);
const PREFIX_COMMANDS = new Set(['exec', 'command', 'builtin', 'nohup']);
const SPECIAL = new Set(['out', 'in', 'prompts']);
const ETC_ALLOWED = new Set(['/etc/passwd', '/etc/group', '/etc/hosts']);

export function scanShell(text: string): ShellFacts {
  const facts: ShellFacts = { mentions: [], commands: [], functions: new Set(), processSubstitutions: [], homeReads: [], etcReads: [], opaqueOutputs: false };
  scanCommands(text, 0, text.length, facts, 0);
  return facts;
}

const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\r';

interface Word {
  /** The word with quotes removed; null when it contains an expansion. */
  literal: string | null;
  raw: string;
  start: number;
  end: number;
}

function scanCommands(text: string, from: number, to: number, facts: ShellFacts, depth: number): void {
  if (depth > 30) return;
  let i = from;
  let commandPosition = true;
  let prefixNext = false;
  let inFor = false;
  let inTest = false;
  const caseStack: ('subject' | 'pattern' | 'body')[] = [];
  const heredocs: { delimiter: string; quoted: boolean }[] = [];
  let afterRedirect = false;
  while (i < to) {
    const c = text[i];
    if (isSpace(c) || (c === '\\' && text[i + 1] === '\n')) {
      i += c === '\\' ? 2 : 1;
      continue;
    }
    if (c === '\n') {
      i++;
      for (const h of heredocs.splice(0)) i = skipHeredoc(text, i, to, h, facts);
      if (!inTest) commandPosition = true;
      continue;
    }
    if (c === '#') {
      while (i < to && text[i] !== '\n') i++;
      continue;
    }
    if (OPERATOR_CHARS.includes(c)) {
      const two = text.slice(i, i + 2);
      const three = text.slice(i, i + 3);
      if ((c === '<' || c === '>') && text[i + 1] === '(') {
        const close = matching(text, i + 1, to);
        facts.processSubstitutions.push({ start: i, end: Math.min(close + 1, to), text: text.slice(i, close + 1) });
        scanCommands(text, i + 2, close, facts, depth + 1);
        i = close + 1;
        continue;
      }
      if (two === '((' && commandPosition) {
        const close = text.indexOf('))', i);
        i = close < 0 || close > to ? to : close + 2;
        commandPosition = false;
        continue;
      }
      if (two === '&>') {
        i += text[i + 2] === '>' ? 3 : 2;
        afterRedirect = true;
        continue;
      }
      if (three === '<<<') {
        i += 3;
        afterRedirect = true;
        continue;
      }
      if (two === '<<') {
        i += text[i + 2] === '-' ? 3 : 2;
        while (i < to && isSpace(text[i])) i++;
        const w = readWord(text, i, to, facts, depth, false);
        const quoted = /['"\\]/.test(w.raw);
        heredocs.push({ delimiter: w.raw.replace(/['"\\]/g, ''), quoted });
        i = w.end;
        continue;
      }
      if (c === '<' || c === '>') {
        i += two === '>>' || two === '>&' || two === '<&' || two === '<>' || two === '>|' ? 2 : 1;
        afterRedirect = true;
        continue;
      }
      if (c === ')' && caseStack[caseStack.length - 1] === 'pattern') {
        caseStack[caseStack.length - 1] = 'body';
        commandPosition = true;
        i++;
        continue;
      }
      if (c === ';' && text[i + 1] === ';') {
        if (caseStack.length) caseStack[caseStack.length - 1] = 'pattern';
        i += text[i + 2] === '&' ? 3 : 2;
        continue;
      }
      if (c === '(' && caseStack[caseStack.length - 1] === 'pattern') {
        i++;
        continue;
      }
      if (c === ';' && inFor) inFor = false;
      commandPosition = c !== ')';
      i += two === '&&' || two === '||' || two === ';&' || two === '|&' ? 2 : 1;
      continue;
    }
    // a word
    const digitsRedirect = /^\d+[<>]/.test(text.slice(i, i + 4));
    if (digitsRedirect) {
      while (/\d/.test(text[i])) i++;
      continue;
    }
    const word = readWord(text, i, to, facts, depth, afterRedirect);
    i = word.end;
    const wasRedirect = afterRedirect;
    afterRedirect = false;
    if (wasRedirect) continue;
    const lit = word.literal;
    const state = caseStack[caseStack.length - 1];
    if (inTest) {
      if (lit === ']]') inTest = false;
      continue;
    }
    if (state === 'subject') {
      if (lit === 'in') caseStack[caseStack.length - 1] = 'pattern';
      continue;
    }
    if (state === 'pattern') {
      if (lit === 'esac') caseStack.pop();
      continue;
    }
    if (lit === 'esac' && state === 'body' && commandPosition) {
      caseStack.pop();
      commandPosition = false;
      continue;
    }
    if (inFor) {
      if (lit === 'do') {
        inFor = false;
        commandPosition = true;
      }
      continue;
    }
    if (!commandPosition) continue;
    if (/^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/.test(word.raw)) {
      if (text[i] === '(') i = matching(text, i, to) + 1; // an array: its words are not commands
      continue;
    }
    if (lit === null) {
      commandPosition = false;
      continue;
    }
    if (KEEP_COMMAND.has(lit)) continue;
    if (END_WORDS.has(lit)) {
      commandPosition = false;
      continue;
    }
    if (lit === '[[') {
      inTest = true;
      continue;
    }
    if (lit === 'for' || lit === 'select') {
      inFor = true;
      facts.opaqueOutputs ||= /\$\{?out\b/.test(text.slice(i, text.indexOf('\n', i) < 0 ? to : text.indexOf('\n', i)));
      continue;
    }
    if (lit === 'case') {
      caseStack.push('subject');
      continue;
    }
    if (lit === 'function') {
      const name = readWord(text, skipSpaces(text, i, to), to, facts, depth, false);
      if (name.literal) facts.functions.add(name.literal);
      i = name.end;
      continue;
    }
    const after = skipSpaces(text, i, to);
    if (text.startsWith('()', after)) {
      facts.functions.add(lit);
      i = after + 2;
      continue;
    }
    if (lit === 'cd') {
      const target = readWord(text, after, to, facts, depth, true);
      if (/\$\{?out\b/.test(target.raw)) facts.opaqueOutputs = true;
    }
    if (!prefixNext || !lit.startsWith('-')) {
      facts.commands.push({ start: word.start, end: word.end, text: lit });
      prefixNext = PREFIX_COMMANDS.has(lit);
      commandPosition = prefixNext;
    }
  }
}

function skipSpaces(text: string, i: number, to: number): number {
  while (i < to && isSpace(text[i])) i++;
  return i;
}

/** Reads one shell word from `i`, recording variable mentions and scanning substitutions inside it. */
function readWord(text: string, i: number, to: number, facts: ShellFacts, depth: number, isFileName: boolean): Word {
  const start = i;
  let literal: string | null = '';
  let inDq = false;
  const add = (s: string) => {
    if (literal !== null) literal += s;
  };
  while (i < to) {
    const c = text[i];
    if (!inDq && (isSpace(c) || c === '\n' || OPERATOR_CHARS.includes(c))) break;
    if (c === '"') {
      inDq = !inDq;
      i++;
    } else if (c === "'" && !inDq) {
      const close = text.indexOf("'", i + 1);
      const stop = close < 0 || close >= to ? to : close;
      add(text.slice(i + 1, stop));
      i = stop + 1;
    } else if (c === '\\') {
      add(text[i + 1] ?? '');
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
    } else if (c === NIX_INTERPOLATION) {
      literal = null;
      i++;
    } else if (c === '~' && i === start && !inDq && (text[i + 1] === '/' || i + 1 >= to || isSpace(text[i + 1]))) {
      facts.homeReads.push({ start: i, end: i + 1, text: '~' });
      add(c);
      i++;
    } else {
      add(c);
      i++;
    }
  }
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
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1, i + 64));
    if (!m) return { end: i + (next === undefined ? 1 : 2), inDq };
    name = m[0];
    end = i + 1 + name.length;
  }
  if (name === 'HOME') facts.homeReads.push({ start: i, end, text: text.slice(i, end) });
  if (!SPECIAL.has(name)) return { end, inDq };
  const rest = readPathRest(text, end, to, inDq);
  facts.mentions.push({ variable: name as VarMention['variable'], path: rest.path, defaulted, inHeredoc, start: i, end: rest.end });
  return { end: rest.end, inDq: rest.inDq };
}

/** The literal path after `$out`: `/key` in `$out/key`, `"$out"/key`, `"$out/key"`; null when computed. */
function readPathRest(text: string, i: number, to: number, inDq: boolean): { path: string | null; end: number; inDq: boolean } {
  let value = '';
  let dynamic = false;
  while (i < to) {
    const c = text[i];
    if (inDq) {
      if (c === '"') {
        inDq = false;
        i++;
        continue;
      }
      if (c === '$' || c === '`' || c === NIX_INTERPOLATION) {
        dynamic = true;
        break;
      }
      if (c === '\\') {
        value += text[i + 1] ?? '';
        i += 2;
        continue;
      }
      value += c;
      i++;
      continue;
    }
    if (isSpace(c) || c === '\n' || OPERATOR_CHARS.includes(c)) break;
    if (c === '"') {
      inDq = true;
      i++;
    } else if (c === "'") {
      const close = text.indexOf("'", i + 1);
      const stop = close < 0 || close >= to ? to : close;
      value += text.slice(i + 1, stop);
      i = stop + 1;
    } else if (c === '$' || c === '`' || c === NIX_INTERPOLATION || c === '*' || c === '?' || c === '[' || c === '{') {
      dynamic = true;
      break;
    } else if (c === '\\') {
      value += text[i + 1] ?? '';
      i += 2;
    } else {
      value += c;
      i++;
    }
  }
  if (!value.startsWith('/')) return { path: dynamic ? null : '', end: i, inDq };
  // a quote or bracket inside the word ends the name (`"{\"key\": \"$out/x\"}"`)
  const stop = value.search(/["'{}(),;]/);
  if (stop > 0) {
    value = value.slice(0, stop);
    dynamic = false;
  }
  const path = value
    .split('/')
    .filter((s) => s !== '' && s !== '.')
    .join('/');
  return { path: dynamic ? null : path, end: i, inDq };
}

function skipHeredoc(text: string, i: number, to: number, h: { delimiter: string; quoted: boolean }, facts: ShellFacts): number {
  while (i < to) {
    let lineEnd = text.indexOf('\n', i);
    if (lineEnd < 0 || lineEnd > to) lineEnd = to;
    const line = text.slice(i, lineEnd);
    if (line.trim() === h.delimiter) return Math.min(lineEnd + 1, to);
    if (!h.quoted) {
      for (let k = i; k < lineEnd; k++) {
        if (text[k] === '$' && text[k - 1] !== '\\') {
          const before = facts.mentions.length;
          k = readDollar(text, k, lineEnd, facts, 30, true, true).end - 1;
          for (let m = before; m < facts.mentions.length; m++) facts.mentions[m].inHeredoc = true;
        }
      }
    }
    i = lineEnd + 1;
  }
  return to;
}

/** The `)` closing the `(` at `open`, quote-aware; `to - 1` when missing. */
function matching(text: string, open: number, to: number): number {
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
