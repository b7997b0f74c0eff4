// Parses the regular expressions of `builtins.match` and `builtins.split` the way Nix reads them:
// POSIX extended syntax as implemented by libstdc++'s std::regex (Nix 2.8), over bytes. What it
// accepts and rejects follows that implementation, which is stricter than POSIX in places:
// - only `^ $ \ . * + ? ( ) [ { |` may be escaped (`\d`, `\]` and `\}` are errors);
// - `]` and `}` alone are ordinary; `{` starts an interval `{n}`, `{n,}` or `{n,m}`, nothing else;
// - a quantifier needs an atom before it (not after `(`, `|`, `^` or `$`); several may follow
//   one atom (`a+?` is `(a+)?`: there are no lazy quantifiers);
// - in brackets a backslash is itself; `]` first and `-` first or last are literal; a `-` right
//   after a range or a class is an error; classes are those of the C locale.
// Input that Nix would reject throws RegexSyntaxError. Constructs whose meaning we do not
// reproduce (equivalence classes, collating names other than a letter or digit, ranges with
// non-ASCII bytes, very deep nesting) throw RegexUnsupported: the caller gives unknown.

export class RegexSyntaxError extends Error {}
export class RegexUnsupported extends Error {}

/** A set of bytes: 256 flags. */
export type ByteSet = Uint8Array;

export type ReNode =
  | { k: 'bytes'; set: ByteSet }
  | { k: 'group'; index: number; body: ReNode }
  | { k: 'bol' }
  | { k: 'eol' }
  | { k: 'empty' }
  | { k: 'seq'; first: ReNode; rest: ReNode }
  | { k: 'alt'; left: ReNode; right: ReNode }
  | { k: 'star'; body: ReNode }
  | { k: 'plus'; body: ReNode }
  | { k: 'opt'; body: ReNode }
  | { k: 'count'; body: ReNode; min: number; max: number | null };

export interface ParsedRegex {
  root: ReNode;
  /** Number of groups, without the whole match. */
  groups: number;
}

const SPECIAL = '^$\\.*+?()[]{}|';
const ESCAPABLE = '^$\\.*+?()[{|';
const MAX_NESTING = 200;
const MAX_COUNT = 1000;

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const codes = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));
const DIGIT = range(48, 57);
const UPPER = range(65, 90);
const LOWER = range(97, 122);
const PUNCT = [...range(33, 47), ...range(58, 64), ...range(91, 96), ...range(123, 126)];
const SPACE = codes(' \t\n\v\f\r');
const CLASSES: Record<string, number[]> = {
  alpha: [...UPPER, ...LOWER],
  digit: DIGIT,
  d: DIGIT,
  alnum: [...UPPER, ...LOWER, ...DIGIT],
  upper: UPPER,
  lower: LOWER,
  space: SPACE,
  s: SPACE,
  blank: codes(' \t'),
  punct: PUNCT,
  print: range(32, 126),
  graph: range(33, 126),
  cntrl: [...range(0, 31), 127],
  xdigit: [...DIGIT, ...range(65, 70), ...range(97, 102)],
  w: [...UPPER, ...LOWER, ...DIGIT, 95],
};

/** Parses a pattern given as a string of bytes (each char code 0-255). */
export function parseEre(pattern: string): ParsedRegex {
  return new EreParser(pattern).parse();
}

function single(b: number): ReNode {
  const set = new Uint8Array(256);
  set[b] = 1;
  return { k: 'bytes', set };
}

/** A recursive-descent parser over one pattern: `i` is where it reads. */
class EreParser {
  private i = 0;
  private groups = 0;

  constructor(private readonly pattern: string) {}

  parse(): ParsedRegex {
    const root = this.disjunction(0);
    if (this.i !== this.pattern.length) this.fail();
    return { root, groups: this.groups };
  }

  private peek(): string | undefined {
    return this.pattern[this.i];
  }

  private fail(): never {
    throw new RegexSyntaxError(this.pattern);
  }

  private disjunction(depth: number): ReNode {
    if (depth > MAX_NESTING) throw new RegexUnsupported('nesting');
    let node = this.alternative(depth);
    while (this.peek() === '|') {
      this.i++;
      node = { k: 'alt', left: node, right: this.alternative(depth) };
    }
    return node;
  }

  private alternative(depth: number): ReNode {
    const terms: ReNode[] = [];
    for (;;) {
      const t = this.term(depth);
      if (!t) break;
      terms.push(t);
    }
    if (!terms.length) return { k: 'empty' };
    return terms.reduceRight((rest, first) => ({ k: 'seq', first, rest }));
  }

  private term(depth: number): ReNode | null {
    const c = this.peek();
    if (c === '^' || c === '$') {
      this.i++;
      return { k: c === '^' ? 'bol' : 'eol' };
    }
    let node = this.atom(depth);
    if (!node) return null;
    for (let q = this.quantified(node); q; q = this.quantified(node)) node = q;
    return node;
  }

  private quantified(body: ReNode): ReNode | null {
    const c = this.peek();
    if (c === '*' || c === '+' || c === '?') {
      this.i++;
      return { k: c === '*' ? 'star' : c === '+' ? 'plus' : 'opt', body };
    }
    if (c !== '{') return null;
    this.i++;
    const min = this.number();
    let max: number | null = min;
    if (this.peek() === ',') {
      this.i++;
      max = /[0-9]/.test(this.peek() ?? '') ? this.number() : null;
    }
    if (this.peek() !== '}') this.fail();
    this.i++;
    if (max !== null && max < min) this.fail();
    if ((max ?? min) > MAX_COUNT) throw new RegexUnsupported('count');
    return { k: 'count', body, min, max };
  }

  private number(): number {
    const m = /^[0-9]+/.exec(this.pattern.slice(this.i));
    if (!m) return this.fail();
    this.i += m[0].length;
    return Number(m[0].length > 9 ? Infinity : m[0]);
  }

  private atom(depth: number): ReNode | null {
    const c = this.peek();
    if (c === undefined) return null;
    if (c === '.') {
      this.i++;
      const set = new Uint8Array(256).fill(1);
      set[0] = 0;
      return { k: 'bytes', set };
    }
    if (c === '(') {
      this.i++;
      const index = ++this.groups;
      const body = this.disjunction(depth + 1);
      if (this.peek() !== ')') this.fail();
      this.i++;
      return { k: 'group', index, body };
    }
    if (c === '[') {
      this.i++;
      return { k: 'bytes', set: this.bracket() };
    }
    if (c === '\\') {
      const e = this.pattern[this.i + 1];
      if (e === undefined || !ESCAPABLE.includes(e)) this.fail();
      this.i += 2;
      return single(e.charCodeAt(0));
    }
    if (c === '{') this.fail();
    if (c === ']' || c === '}' || !SPECIAL.includes(c)) {
      this.i++;
      return single(c.charCodeAt(0));
    }
    return null; // `)`, `|` and quantifiers end the alternative
  }

  /** A bracket expression after `[`: items are single bytes, ranges and classes. */
  private bracket(): ByteSet {
    const set = new Uint8Array(256);
    let negate = false;
    if (this.peek() === '^') {
      negate = true;
      this.i++;
    }
    // The previous item, kept until we know whether a range starts with it.
    let last: number | 'class' | null = null;
    const add = (next: number | 'class') => {
      if (typeof last === 'number') set[last] = 1;
      last = next;
    };
    // `]` or `-` first is literal
    const first = this.pattern[this.i];
    if (first === ']' || first === '-') {
      this.i++;
      last = first.charCodeAt(0);
    }
    for (;;) {
      const t = this.bracketItem(set);
      if (t === 'end') break;
      if (t === 'class') add('class');
      else if (t === 'dash') {
        if (this.peek() === ']') {
          this.i++;
          add('-'.charCodeAt(0));
          break;
        }
        if (typeof last !== 'number') this.fail();
        this.bracketRange(set, last);
        last = null;
      } else add(t);
    }
    if (typeof last === 'number') set[last] = 1;
    if (negate) {
      for (let b = 0; b < 256; b++) set[b] = set[b] ? 0 : 1;
      set[0] = 0;
    }
    return set;
  }

  /** The end of a range `from-` in brackets, added to `set`. */
  private bracketRange(set: ByteSet, from: number): void {
    const to = this.bracketItem(set);
    const end = to === 'dash' ? '-'.charCodeAt(0) : to;
    if (typeof end !== 'number') return this.fail();
    if (from > 127 || end > 127) throw new RegexUnsupported('range with non-ASCII bytes');
    if (from > end) this.fail();
    for (let b = from; b <= end; b++) set[b] = 1;
  }

  /** One item in brackets: a byte, a class (added to `set` at once), a `-`, or the closing `]`. */
  private bracketItem(set: ByteSet): number | 'class' | 'dash' | 'end' {
    const { pattern } = this;
    const c = pattern[this.i++];
    if (c === undefined) this.fail();
    if (c === '[' && ':.='.includes(this.peek() ?? 'x')) {
      const kind = pattern[this.i++];
      const close = pattern.indexOf(kind + ']', this.i);
      if (close === -1) this.fail();
      const name = pattern.slice(this.i, close);
      this.i = close + 2;
      if (kind === ':') {
        const cls = CLASSES[name];
        if (!cls) this.fail();
        for (const b of cls) set[b] = 1;
        return 'class';
      }
      if (kind === '.' && /^[A-Za-z0-9]$/.test(name)) return name.charCodeAt(0);
      throw new RegexUnsupported('collating element or equivalence class');
    }
    if (c === '-') return 'dash';
    if (c === ']') return 'end';
    return c.charCodeAt(0);
  }
}
