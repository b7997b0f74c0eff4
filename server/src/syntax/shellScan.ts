// A small scanner for the bash a generator script runs as: quoting, comments, heredocs, command
// and process substitution, `case` patterns, `[[ ]]`, arrays and function definitions. It does not
// build a syntax tree; it collects what the rules need: the commands run, and the mentions of
// `$out`, `$in` and `$prompts` with the literal path after them. Anything computed is marked dynamic.
import { BACKSLASH, isOperatorCode, isSpaceCode, matching, NEWLINE, readWord, skipHeredoc } from './shellWords';

const HASH = 35;

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
  /** A command whose failure a `||` list handles (`grep ... || true`): the script goes on without what it does. */
  orElse?: boolean;
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


/** Scans the commands of `text` from `from` to `to` into `facts`; `depth`: how deep in substitutions (30 at most). */
export function scanCommands(text: string, from: number, to: number, facts: ShellFacts, depth: number): void {
  if (depth > 30) return;
  new CommandScanner(text, from, to, facts, depth).run();
}

type Word = ReturnType<typeof readWord>;

/** One pass over a stretch of script: where it is, and what the words seen so far make of the next one. */
class CommandScanner {
  private commandPosition = true;
  private prefixNext = false;
  private inFor = false;
  private inTest = false;
  private readonly caseStack: ('subject' | 'pattern' | 'body')[] = [];
  private readonly heredocs: { delimiter: string; quoted: boolean }[] = [];
  private afterRedirect = false;
  private redirectOut = false;
  /** The command the words are operands of. */
  private command: string | undefined;
  /** The command word of the simple command being read (for `||` after it). */
  private commandFound: Found | undefined;

  constructor(
    private readonly text: string,
    private i: number,
    private readonly to: number,
    private readonly facts: ShellFacts,
    private readonly depth: number,
  ) {}

  run(): void {
    const { text, to } = this;
    while (this.i < to) {
      const code = text.charCodeAt(this.i);
      if (isSpaceCode(code) || (code === BACKSLASH && text[this.i + 1] === '\n')) {
        this.i += code === BACKSLASH ? 2 : 1;
      } else if (code === NEWLINE) {
        this.newline();
      } else if (code === HASH) {
        const eol = text.indexOf('\n', this.i);
        this.i = eol < 0 || eol > to ? to : eol;
      } else if (isOperatorCode(code)) {
        const c = text[this.i];
        if (!this.redirection(c)) this.operator(c);
      } else {
        this.word();
      }
    }
  }

  /** The end of a line: the heredocs begun on it, then a new command. */
  private newline(): void {
    this.i++;
    for (const h of this.heredocs.splice(0)) this.i = skipHeredoc(this.text, this.i, this.to, h, this.facts, this.depth);
    if (!this.inTest) this.commandPosition = true;
    this.command = undefined;
    this.commandFound = undefined;
  }

  /** A process substitution, an arithmetic command or a redirection at `c`; false for other operators. */
  private redirection(c: string): boolean {
    const { text, i, to } = this;
    const two = text.slice(i, i + 2);
    if ((c === '<' || c === '>') && text[i + 1] === '(') {
      const close = matching(text, i + 1, to);
      this.facts.processSubstitutions.push({ start: i, end: Math.min(close + 1, to), text: text.slice(i, close + 1) });
      scanCommands(text, i + 2, close, this.facts, this.depth + 1);
      this.i = close + 1;
    } else if (two === '((' && this.commandPosition) {
      const close = text.indexOf('))', i);
      this.i = close < 0 || close > to ? to : close + 2;
      this.commandPosition = false;
    } else if (two === '&>') {
      this.i += text[i + 2] === '>' ? 3 : 2;
      this.redirect(true);
    } else if (text.slice(i, i + 3) === '<<<') {
      this.i += 3;
      this.redirect(false);
    } else if (two === '<<') {
      this.heredoc();
    } else if (c === '<' || c === '>') {
      this.i += two === '>>' || two === '>&' || two === '<&' || two === '<>' || two === '>|' ? 2 : 1;
      this.redirect(c === '>' || two === '<>');
    } else {
      return false;
    }
    return true;
  }

  /** The next word is a redirection's target: written to (`out`) or read. */
  private redirect(out: boolean): void {
    this.afterRedirect = true;
    this.redirectOut = out;
  }

  /** `<<EOF`, `<<-'EOF'`: the heredoc's body begins on the next line. */
  private heredoc(): void {
    const { text, to } = this;
    this.i += text[this.i + 2] === '-' ? 3 : 2;
    while (this.i < to && isSpaceCode(text.charCodeAt(this.i))) this.i++;
    const w = readWord(text, this.i, to, this.facts, this.depth, false);
    const quoted = /['"\\]/.test(w.raw);
    this.heredocs.push({ delimiter: w.raw.replace(/['"\\]/g, ''), quoted });
    this.i = w.end;
  }

  /** `;`, `&&`, `|`, `(`, `)`, `;;` and a `case` pattern's `)`. */
  private operator(c: string): void {
    const { text, caseStack } = this;
    const two = text.slice(this.i, this.i + 2);
    if (c === ')' && caseStack[caseStack.length - 1] === 'pattern') {
      caseStack[caseStack.length - 1] = 'body';
      this.commandPosition = true;
      this.i++;
      return;
    }
    if (c === ';' && text[this.i + 1] === ';') {
      if (caseStack.length) caseStack[caseStack.length - 1] = 'pattern';
      this.i += text[this.i + 2] === '&' ? 3 : 2;
      return;
    }
    if (c === '(' && caseStack[caseStack.length - 1] === 'pattern') {
      this.i++;
      return;
    }
    if (c === ';' && this.inFor) this.inFor = false;
    // the status of the command just run goes to the right of `||`
    if (two === '||' && this.commandFound !== undefined) this.commandFound.orElse = true;
    this.commandFound = undefined;
    this.commandPosition = c !== ')';
    this.command = undefined;
    this.i += two === '&&' || two === '||' || two === ';&' || two === '|&' ? 2 : 1;
  }

  /** A word: a redirection's target, an operand, or a command. */
  private word(): void {
    const { text, facts } = this;
    const digits = digitsAt(text, this.i);
    if (digits > 0 && digits < 4 && (text[this.i + digits] === '<' || text[this.i + digits] === '>')) {
      this.i += digits; // a redirection of a numbered descriptor (`2>`)
      return;
    }
    const firstMention = facts.mentions.length;
    const word = readWord(text, this.i, this.to, facts, this.depth, this.afterRedirect);
    this.i = word.end;
    const wasRedirect = this.afterRedirect;
    this.afterRedirect = false;
    for (let k = firstMention; k < facts.mentions.length; k++) {
      const m = facts.mentions[k];
      if (m.redirect || m.command) continue; // set by a nested command substitution
      if (wasRedirect) m.redirect = this.redirectOut ? 'out' : 'in';
      else m.command = this.command;
    }
    if (!wasRedirect && !this.inCompound(word.literal)) this.commandWord(word);
  }

  /** Whether a word belongs to a `[[ ]]` test, a `case` subject or pattern, or a `for` header (and what it ends of them). */
  private inCompound(lit: string | null): boolean {
    const { caseStack } = this;
    const state = caseStack[caseStack.length - 1];
    if (this.inTest) {
      if (lit === ']]') this.inTest = false;
      return true;
    }
    if (state === 'subject') {
      if (lit === 'in') caseStack[caseStack.length - 1] = 'pattern';
      return true;
    }
    if (state === 'pattern') {
      if (lit === 'esac') caseStack.pop();
      return true;
    }
    if (lit === 'esac' && state === 'body' && this.commandPosition) {
      caseStack.pop();
      this.commandPosition = false;
      return true;
    }
    if (this.inFor) {
      if (lit === 'do') {
        this.inFor = false;
        this.commandPosition = true;
      }
      return true;
    }
    return false;
  }

  /** A word outside tests, `case` headers and `for` headers: an operand, an assignment, a keyword, or the command run. */
  private commandWord(word: Word): void {
    const { text, to, facts } = this;
    const lit = word.literal;
    if (!this.commandPosition) {
      if (this.command !== undefined && DECLARING.has(this.command)) addPathSet(facts, word);
      return;
    }
    if (/^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/.test(word.raw)) {
      addPathSet(facts, word);
      if (text[this.i] === '(') this.i = matching(text, this.i, to) + 1; // an array: its words are not commands
      return;
    }
    if (lit === null) {
      this.commandPosition = false;
      return;
    }
    if (KEEP_COMMAND.has(lit)) return;
    if (END_WORDS.has(lit)) {
      this.commandPosition = false;
      return;
    }
    if (lit === '[[') {
      this.inTest = true;
      return;
    }
    if (lit === 'for' || lit === 'select') {
      this.inFor = true;
      facts.opaqueOutputs ||= /\$\{?out\b/.test(text.slice(this.i, text.indexOf('\n', this.i) < 0 ? to : text.indexOf('\n', this.i)));
      return;
    }
    if (lit === 'case') {
      this.caseStack.push('subject');
      return;
    }
    if (this.functionDefinition(lit)) return;
    if (lit === 'cd') {
      const target = readWord(text, skipSpaces(text, this.i, to), to, facts, this.depth, true);
      if (/\$\{?out\b/.test(target.raw)) facts.opaqueOutputs = true;
    }
    if (!this.prefixNext || !lit.startsWith('-')) {
      const found: Found = { start: word.start, end: word.end, text: lit };
      facts.commands.push(found);
      this.commandFound = found;
      if (!PREFIX_COMMANDS.has(lit)) this.command = lit;
      this.prefixNext = PREFIX_COMMANDS.has(lit);
      this.commandPosition = this.prefixNext;
    }
  }

  /** `function name`, `name()`: a function the script defines. */
  private functionDefinition(lit: string): boolean {
    const { text, to, facts } = this;
    if (lit === 'function') {
      const name = readWord(text, skipSpaces(text, this.i, to), to, facts, this.depth, false);
      if (name.literal) facts.functions.add(name.literal);
      this.i = name.end;
      return true;
    }
    const after = skipSpaces(text, this.i, to);
    if (!text.startsWith('()', after)) return false;
    facts.functions.add(lit);
    this.i = after + 2;
    return true;
  }
}

/** How many ASCII digits start at `i`. */
function digitsAt(text: string, i: number): number {
  let n = 0;
  for (let c = text.charCodeAt(i); c >= 48 && c <= 57; c = text.charCodeAt(i + n)) n++;
  return n;
}

function skipSpaces(text: string, i: number, to: number): number {
  while (i < to && isSpaceCode(text.charCodeAt(i))) i++;
  return i;
}
