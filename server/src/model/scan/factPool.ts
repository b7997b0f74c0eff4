// Positions and ranges are most of what a clan's facts hold: in the 8,000-file bench clan, 847,000
// `{ line, character }` objects in 386,000 ranges. Few of them differ: the same line and column,
// and the same range, recur from file to file. So do short strings (node kinds such as
// "string_expression", option names, file paths), which JSON.parse makes a copy of each time. A
// scan gives every position and range of the facts it reads one frozen object per value, and every
// short string one copy per value. An edit's facts are left as they are: the open documents are
// few, and walking a large registry's facts again would cost each keystroke.
// Empty lists become one frozen empty array, and short lists of short strings (an option's path
// such as ["files", "key", "mode"], 60,000 of them at 1x) one frozen array per value.
// Nothing changes a position, a range or a list once made (ranges are moved by making new ones);
// frozen, a change would fail, not corrupt another file's facts. Facts are a graph, not always a
// tree: a list or an object may be reached twice (the generators `map` or `genAttrs` makes from one
// body share its parts), and a list is walked only until the pool has frozen it. The pools only grow, but by values: the
// lines and columns of the files, and their names, bound them (for the bench clan 16,000
// positions, 8,000 ranges and 64,000 strings), not the number of edits.
// Facts cross from a scan worker, and to and from the facts cache, as packed JSON (packFacts): each
// range is the string "\u0001l,c,l,c" and each position "\u0001l,c" (a string of the facts that
// starts with \u0001 gets one more in front). The 8,000-file bench clan's facts are 29.6 MB of it
// instead of 46.4 MB of plain JSON, and JSON.parse makes 1.2 million fewer objects, to be dropped
// again for the pool's: read into the pool in 262-265 ms instead of 365-381, packed in as long as
// JSON.stringify takes (bench/probe.ts transfer). A packed string is read straight into the pool's
// positions and ranges: a map of them by their strings held 2.3 MB more at 2x.
// A long string that one file's facts hold twice (a script's text is its option's source text and
// the script's) crosses once: again, it is "\u0001#n", the n-th long string of those facts (from 0,
// in the order JSON.stringify writes them and the pool walks them), and is read back as that one
// string. In the shared clan (../shared/perf, 8,003 files) the packed facts are 30.7 MB instead of
// 33.0 MB, and 15,000 copies of scripts (2.3 MB) are not made.
import type { Position, Range } from '../../base/types';
import type { FileFacts } from '../../facts/types';

/** Keys line * 2^22 + character stay exact doubles for any line a file can have. */
const COLUMNS = 4_194_304;
/** Range keys start * 2^26 + end stay exact doubles; beyond 2^26 positions, ranges are not shared. */
const RANGE_KEY = 67_108_864;
/** Strings up to this length are shared; longer ones (script texts, values) rarely repeat. */
const SHORT = 48;
/** Lists of up to this many short strings are shared. */
const SHORT_LIST = 8;
const NONE: unknown[] = Object.freeze([]) as unknown as unknown[];
/** The first character of a packed range or position, and of an escaped string. */
const PACKED = '\u0001';
/** After PACKED: the number of a long string met before in the same facts. */
const AGAIN = '#';

/** `facts` as packed JSON (see above); FactPool.share with `packed` reads it back. `facts` is left as it is. */
export function packFacts(facts: FileFacts): string {
  return JSON.stringify(pack(facts, new Map()));
}

/**
 * A copy of `x` with its ranges and positions as strings, its strings that start with PACKED
 * escaped, and each long string met before (in `longs`, numbered in the order first met) as its number.
 */
function pack(x: unknown, longs: Map<string, number>): unknown {
  if (typeof x === 'string') {
    if (x.length > SHORT) {
      const at = longs.get(x);
      if (at !== undefined) return `${PACKED}${AGAIN}${at}`;
      longs.set(x, longs.size);
    }
    return x.startsWith(PACKED) ? PACKED + x : x;
  }
  if (typeof x !== 'object' || x === null) return x;
  if (Array.isArray(x)) {
    const out = new Array<unknown>(x.length);
    for (let i = 0; i < x.length; i++) out[i] = pack(x[i], longs);
    return out;
  }
  if (isRange(x)) return `${PACKED}${x.start.line},${x.start.character},${x.end.line},${x.end.character}`;
  if (isPosition(x)) return `${PACKED}${x.line},${x.character}`;
  const out: Record<string, unknown> = {};
  for (const k in x) out[k] = pack((x as Record<string, unknown>)[k], longs);
  return out;
}

/** A range the pool keeps: `start` and `end`, positions it keeps, nothing else. */
function isRange(x: object): x is Range {
  const { start, end } = x as Partial<Range>;
  return start !== undefined && end !== undefined && isPosition(start) && isPosition(end) && onlyKeys(x, 2);
}

/** A position the pool keeps: `line` and `character`, whole numbers in range, nothing else. */
function isPosition(x: unknown): x is Position {
  if (typeof x !== 'object' || x === null) return false;
  const { line, character } = x as Partial<Position>;
  return Number.isInteger(line) && Number.isInteger(character) && character! >= 0 && character! < COLUMNS && line! >= 0 && onlyKeys(x, 2);
}

export class FactPool {
  /** Index in `positionList` by line * COLUMNS + character. */
  private readonly positions = new Map<number, number>();
  private readonly positionList: Position[] = [];
  /** By start index * RANGE_KEY + end index. */
  private readonly ranges = new Map<number, Range>();
  private readonly strings = new Map<string, string>();
  /** Lists of short strings by their elements joined with NUL. */
  private readonly lists = new Map<string, unknown[]>();

  /** How many distinct values each pool holds. */
  get size(): { positions: number; ranges: number; strings: number } {
    return { positions: this.positions.size, ranges: this.ranges.size, strings: this.strings.size };
  }

  /**
   * Replaces, in place, every position, range and short string in `facts` with the pool's of the
   * same value; with `packed` (facts from JSON.parse of packFacts), the strings that stand for
   * ranges and positions by those, and escaped strings by themselves.
   */
  share(facts: FileFacts, packed = false): FileFacts {
    this.packed = packed;
    try {
      this.walk(facts);
    } finally {
      this.longs = [];
    }
    return facts;
  }

  /** Whether the facts being walked are packed. */
  private packed = false;
  /** The long strings of the packed facts being walked, in the order met: what a later "\u0001#n" stands for. */
  private longs: string[] = [];

  private walk(o: object): void {
    if (Array.isArray(o)) {
      for (let i = 0; i < o.length; i++) o[i] = this.value(o[i]);
      return;
    }
    const r = o as Record<string, unknown>;
    for (const k in r) r[k] = this.value(r[k]);
  }

  /** The pool's value equal to `x`; `x` itself (walked, when an object) when the pool does not keep such values. */
  private value(x: unknown): unknown {
    if (typeof x === 'string') {
      if (!this.packed) return x.length <= SHORT ? this.string(x) : x;
      if (!x.startsWith(PACKED)) return this.long(x);
      if (x.startsWith(AGAIN, 1)) return this.again(x);
      if (!x.startsWith(PACKED, 1)) return this.unpack(x);
      return this.long(x.slice(1));
    }
    return typeof x === 'object' && x !== null ? this.shared(x) : x;
  }

  private shared(x: object): object {
    if (Array.isArray(x)) {
      // facts may reach one list twice (the generators a function builds from one body share its
      // option paths): the list the pool froze the first time holds shared values already
      if (!Object.isFrozen(x)) this.walk(x);
      return this.array(x);
    }
    const range = this.range(x);
    if (range) return range;
    const at = this.position(x);
    if (at >= 0) return this.positionList[at];
    this.walk(x);
    return x;
  }

  /** One frozen empty array for every empty one, one frozen copy per list of short strings (option paths such as `files.key.mode`); other arrays as they are. */
  private array(x: unknown[]): unknown[] {
    if (x.length === 0) return NONE;
    if (x.length > SHORT_LIST) return x;
    for (const e of x) if (typeof e !== 'string' || e.length > SHORT || e.includes('\u0000')) return x;
    const key = x.join('\u0000');
    // the elements have no NUL: equal keys are equal lists
    const had = this.lists.get(key);
    if (had) return had;
    this.lists.set(key, Object.freeze(x) as unknown[]);
    return x;
  }

  /** A string of packed facts, unescaped: the pool's when short; when long, noted for the "\u0001#n" that may repeat it. */
  private long(s: string): string {
    if (s.length <= SHORT) return this.string(s);
    this.longs.push(s);
    return s;
  }

  /** The long string "\u0001#n" repeats. */
  private again(x: string): string {
    const s = /^\d{1,9}$/.test(x.slice(2)) ? this.longs[Number(x.slice(2))] : undefined;
    if (s === undefined) throw new Error(`not a long string met before: ${JSON.stringify(x.slice(0, 40))}`);
    return s;
  }

  private string(s: string): string {
    const had = this.strings.get(s);
    if (had !== undefined) return had;
    this.strings.set(s, s);
    return s;
  }

  /** The range or position a packed string stands for ("\u0001l,c,l,c" or "\u0001l,c", from packFacts), read without making anything but the pool's. */
  private unpack(s: string): Range | Position {
    const n = [0, 0, 0, 0];
    let count = 0;
    let digits = 0;
    let i = 1;
    for (; i <= s.length && count < 4; i++) {
      const c = i < s.length ? s.charCodeAt(i) : 44; // a comma after the last number
      if (c >= 48 && c <= 57 && digits < 8) {
        n[count] = n[count] * 10 + c - 48;
        digits++;
      } else if (c === 44 && digits > 0) {
        count++;
        digits = 0;
      } else break;
    }
    const start = count === 2 || count === 4 ? this.positionAt(n[0], n[1]) : -1;
    const end = count === 4 ? this.positionAt(n[2], n[3]) : -1;
    if (start < 0 || (count === 4 && end < 0) || i <= s.length) throw new Error(`not a packed range or position: ${JSON.stringify(s.slice(0, 40))}`);
    return count === 2 ? this.positionList[start] : (this.rangeOf(start, end) ?? Object.freeze({ start: this.positionList[start], end: this.positionList[end] }));
  }

  /** The pooled range equal to `x` when `x` is a range (`start` and `end` positions, nothing else), else null. */
  private range(x: object): Range | null {
    return isRange(x) ? this.rangeOf(this.positionAt(x.start.line, x.start.character), this.positionAt(x.end.line, x.end.character)) : null;
  }

  /** The pooled range from the positions at `s` and `e` of positionList; null beyond RANGE_KEY positions. */
  private rangeOf(s: number, e: number): Range | null {
    if (s >= RANGE_KEY || e >= RANGE_KEY) return null;
    const key = s * RANGE_KEY + e;
    let r = this.ranges.get(key);
    if (!r) this.ranges.set(key, (r = Object.freeze({ start: this.positionList[s], end: this.positionList[e] })));
    return r;
  }

  /** The index of the pooled position equal to `x` when `x` is a position (`line` and `character`, nothing else), else -1. */
  private position(x: object): number {
    return isPosition(x) ? this.positionAt(x.line, x.character) : -1;
  }

  /** The index in positionList of the position `line`, `character`; -1 when the pool does not keep it. */
  private positionAt(line: number, character: number): number {
    if (character < 0 || character >= COLUMNS || line < 0) return -1;
    const key = line * COLUMNS + character;
    let at = this.positions.get(key);
    if (at === undefined) {
      at = this.positionList.push(Object.freeze({ line, character })) - 1;
      this.positions.set(key, at);
    }
    return at;
  }
}

function onlyKeys(x: object, n: number): boolean {
  let keys = 0;
  for (const _ in x) if (++keys > n) return false;
  return true;
}
