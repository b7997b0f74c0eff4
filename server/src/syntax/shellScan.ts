// A small scanner for the bash a generator script runs as: quoting, comments, heredocs, command
// and process substitution, `case` patterns, `[[ ]]`, arrays and function definitions. It does not
// build a syntax tree; it collects what the rules need: the commands run, and the mentions of
// `$out`, `$in` and `$prompts` with the literal path after them. Anything computed is marked dynamic.
import { isSpace, matching, OPERATOR_CHARS, readWord, skipHeredoc } from './shellWords';

export interface VarMention {
  variable: 'out' | 'in' | 'prompts';
  /** The literal path after `$var/` (`key`, `dep/file`); '' for a bare `$var`; null when computed. */
  path: string | null;
  /** `${prompts-}` and similar: a default makes an unset variable harmless. */
  defaulted: boolean;
  inHeredoc: boolean;
  start: number;
  end: number;
  /** A redirection target: 'out' after `>`, `>>`, `>|`, `&>`; 'in' after `<`, `<<<`. */
  redirect?: 'out' | 'in';
  /** The command this word is an operand of (`rm` in `rm -f "$out/x"`); absent in heredocs and command words. */
  command?: string;
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
  /**
   * Where the script sets PATH itself (`PATH=...`, `export PATH=...`, `PATH+=...`, also before one
   * command): the value as written (quotes kept), and its place after the `=`.
   */
  pathSets: (Found & { append: boolean })[];
}

const KEEP_COMMAND = new Set(['then', 'do', 'else', 'elif', 'if', 'while', 'until', '!', '{', 'time']);
const END_WORDS = new Set(['fi', 'done', '}', 'esac']);
const PREFIX_COMMANDS = new Set(['exec', 'command', 'builtin', 'nohup']);
/** Builtins whose operands may assign variables (`export PATH=...`). */
const DECLARING = new Set(['export', 'declare', 'typeset', 'local', 'readonly']);
const PATH_SET = /^PATH(\+?)=/;

function addPathSet(facts: ShellFacts, word: { raw: string; start: number; end: number }): void {
  const m = PATH_SET.exec(word.raw);
  if (m) facts.pathSets.push({ start: word.start + m[0].length, end: word.end, text: word.raw.slice(m[0].length), append: m[1] === '+' });
}

export function scanShell(text: string): ShellFacts {
  const facts: ShellFacts = { mentions: [], commands: [], functions: new Set(), processSubstitutions: [], homeReads: [], etcReads: [], opaqueOutputs: false, pathSets: [] };
  scanCommands(text, 0, text.length, facts, 0);
  return facts;
}



export function scanCommands(text: string, from: number, to: number, facts: ShellFacts, depth: number): void {
  if (depth > 30) return;
  let i = from;
  let commandPosition = true;
  let prefixNext = false;
  let inFor = false;
  let inTest = false;
  const caseStack: ('subject' | 'pattern' | 'body')[] = [];
  const heredocs: { delimiter: string; quoted: boolean }[] = [];
  let afterRedirect = false;
  let redirectOut = false;
  let command: string | undefined;
  while (i < to) {
    const c = text[i];
    if (isSpace(c) || (c === '\\' && text[i + 1] === '\n')) {
      i += c === '\\' ? 2 : 1;
      continue;
    }
    if (c === '\n') {
      i++;
      for (const h of heredocs.splice(0)) i = skipHeredoc(text, i, to, h, facts, depth);
      if (!inTest) commandPosition = true;
      command = undefined;
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
        redirectOut = true;
        continue;
      }
      if (three === '<<<') {
        i += 3;
        afterRedirect = true;
        redirectOut = false;
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
        redirectOut = c === '>' || two === '<>';
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
      command = undefined;
      i += two === '&&' || two === '||' || two === ';&' || two === '|&' ? 2 : 1;
      continue;
    }
    // a word
    const digits = digitsAt(text, i);
    if (digits > 0 && digits < 4 && (text[i + digits] === '<' || text[i + digits] === '>')) {
      i += digits; // a redirection of a numbered descriptor (`2>`)
      continue;
    }
    const firstMention = facts.mentions.length;
    const word = readWord(text, i, to, facts, depth, afterRedirect);
    i = word.end;
    const wasRedirect = afterRedirect;
    afterRedirect = false;
    for (let k = firstMention; k < facts.mentions.length; k++) {
      const m = facts.mentions[k];
      if (m.redirect || m.command) continue; // set by a nested command substitution
      if (wasRedirect) m.redirect = redirectOut ? 'out' : 'in';
      else m.command = command;
    }
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
    if (!commandPosition) {
      if (command !== undefined && DECLARING.has(command)) addPathSet(facts, word);
      continue;
    }
    if (/^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/.test(word.raw)) {
      addPathSet(facts, word);
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
      if (!PREFIX_COMMANDS.has(lit)) command = lit;
      prefixNext = PREFIX_COMMANDS.has(lit);
      commandPosition = prefixNext;
    }
  }
}

/** How many ASCII digits start at `i`. */
function digitsAt(text: string, i: number): number {
  let n = 0;
  for (let c = text.charCodeAt(i); c >= 48 && c <= 57; c = text.charCodeAt(i + n)) n++;
  return n;
}

function skipSpaces(text: string, i: number, to: number): number {
  while (i < to && isSpace(text[i])) i++;
  return i;
}
