// Runs a parsed regular expression over bytes with the semantics of libstdc++'s std::regex in its
// POSIX mode, which Nix 2.8 uses. This is a backtracking search with three POSIX twists, and the
// submatches Nix returns depend on all of them:
// - at `|` both branches are tried, and a solution replaces an earlier one only when it ends
//   further to the right (ties keep the first found: left branch, greedy choices first);
// - after a quantifier has led to a solution, the shorter choices of that quantifier are not tried;
// - a quantified part may match empty at most twice at one position, and a group keeps the text of
//   the last iteration that set it, even when a later iteration does not go through it.
// The expression is compiled to an automaton shaped as libstdc++ builds it (`+` loops over its
// atom, `{n,m}` repeats copies of it), and the search keeps its own stack, so long input cannot
// overflow the JS stack. Every step is counted against the caller's budget.
import type { ByteSet, ParsedRegex, ReNode } from './ereParse';

const enum Op {
  Bytes,
  Repeat, // alt: one more iteration, next: leave
  Alt, // alt: left branch, next: right branch
  Open,
  Close,
  Bol,
  Eol,
  Nop,
  Accept,
}

interface State {
  op: Op;
  next: number;
  alt: number;
  set: ByteSet | null;
  group: number;
}

export interface Automaton {
  states: State[];
  start: number;
  groups: number;
}

/** More states than this and we stay unknown (libstdc++ itself fails at 100,000). */
const MAX_STATES = 20_000;

/** Thrown when the automaton would be too big or the search runs out of budget. */
export class RegexGaveUp extends Error {}

export function compile(re: ParsedRegex): Automaton {
  const states: State[] = [];
  const add = (op: Op, extra: Partial<State> = {}): number => {
    if (states.length >= MAX_STATES) throw new RegexGaveUp();
    states.push({ op, next: -1, alt: -1, set: null, group: -1, ...extra });
    return states.length - 1;
  };
  type Frag = { start: number; end: number };
  const single = (s: number): Frag => ({ start: s, end: s });
  const append = (a: Frag, b: Frag): Frag => {
    states[a.end].next = b.start;
    return { start: a.start, end: b.end };
  };
  const build = (n: ReNode): Frag => {
    switch (n.k) {
      case 'bytes':
        return single(add(Op.Bytes, { set: n.set }));
      case 'bol':
        return single(add(Op.Bol));
      case 'eol':
        return single(add(Op.Eol));
      case 'empty':
        return single(add(Op.Nop));
      case 'group':
        return append(append(single(add(Op.Open, { group: n.index })), build(n.body)), single(add(Op.Close, { group: n.index })));
      case 'seq':
        return append(build(n.first), build(n.rest));
      case 'alt': {
        const left = build(n.left);
        const right = build(n.right);
        const end = add(Op.Nop);
        states[left.end].next = end;
        states[right.end].next = end;
        return { start: add(Op.Alt, { alt: left.start, next: right.start }), end };
      }
      case 'star': {
        const body = build(n.body);
        const r = add(Op.Repeat, { alt: body.start });
        states[body.end].next = r;
        return single(r);
      }
      case 'plus': {
        const body = build(n.body);
        const r = add(Op.Repeat, { alt: body.start });
        states[body.end].next = r;
        return { start: body.start, end: r };
      }
      case 'opt': {
        const body = build(n.body);
        const end = add(Op.Nop);
        states[body.end].next = end;
        return { start: add(Op.Repeat, { alt: body.start, next: end }), end };
      }
      case 'count': {
        let out = single(add(Op.Nop));
        for (let i = 0; i < n.min; i++) out = append(out, build(n.body));
        if (n.max === null) {
          const copy = build(n.body);
          const r = add(Op.Repeat, { alt: copy.start });
          states[copy.end].next = r;
          return append(out, single(r));
        }
        const end = add(Op.Nop);
        for (let i = n.min; i < n.max; i++) {
          const copy = build(n.body);
          const r = add(Op.Repeat, { alt: copy.start, next: end });
          states[out.end].next = r;
          out = { start: out.start, end: copy.end };
        }
        return append(out, single(end));
      }
    }
  };
  // the whole match is group 0
  const whole = append(append(single(add(Op.Open, { group: 0 })), build(re.root)), single(add(Op.Close, { group: 0 })));
  const accept = add(Op.Accept);
  states[whole.end].next = accept;
  return { states, start: whole.start, groups: re.groups };
}

export interface SearchFlags {
  /** The whole input must match (regex_match), else a match starting at `from` or later (regex_search). */
  exact: boolean;
  /** Only a match starting exactly at `from`. */
  continuous?: boolean;
  /** An empty match does not count. */
  notNull?: boolean;
  /** `from` is not the start of the input: `^` cannot match there. */
  prevAvail?: boolean;
}

/** Start and end of each group (0 = the whole match), -1 when it did not take part. */
export type Groups = Int32Array;

const enum F {
  Next,
  FallbackNext,
  RepOnceMore,
  PosixAlt,
  MergeSol,
  RestoreStart,
  RestoreEnd,
  RestoreRep,
  DecRep,
}

/** Searches `input` (bytes) from `from`; null when nothing matches. `tick` counts steps and says false when out of budget. */
export function search(a: Automaton, input: Uint8Array, from: number, flags: SearchFlags, tick: (n: number) => boolean): Groups | null {
  let prevAvail = !!flags.prevAvail;
  for (let begin = from; begin <= input.length; begin++) {
    const r = attempt(a, input, begin, flags, prevAvail, tick);
    if (r) return r;
    if (flags.exact || flags.continuous) return null;
    prevAvail = true;
  }
  return null;
}

function attempt(a: Automaton, input: Uint8Array, begin: number, flags: SearchFlags, prevAvail: boolean, tick: (n: number) => boolean): Groups | null {
  const n = a.groups + 1;
  const cur = new Int32Array(2 * n).fill(-1); // start, end per group; an end >= 0 means the group matched
  let best: Int32Array | null = null;
  let bestEnd = -1;
  let hasSol = false;
  let pos = begin;
  const repPos = new Int32Array(a.states.length).fill(-1);
  const repCount = new Uint8Array(a.states.length);
  // frames: [op, state, value, extra]
  const frames: number[] = [F.Next, a.start, 0, 0];
  let steps = 0;
  while (frames.length) {
    const extra = frames.pop()!;
    const value = frames.pop()!;
    const id = frames.pop()!;
    const op = frames.pop()! as F;
    if (++steps === 1024) {
      steps = 0;
      if (!tick(1024)) throw new RegexGaveUp();
    }
    switch (op) {
      case F.FallbackNext:
        if (hasSol) break;
        pos = value;
      // falls through
      case F.Next: {
        const s = a.states[id];
        switch (s.op) {
          case Op.Bytes:
            if (pos < input.length && s.set![input[pos]]) {
              pos++;
              frames.push(F.Next, s.next, 0, 0);
            }
            break;
          case Op.Repeat:
            frames.push(F.FallbackNext, s.next, pos, 0, F.RepOnceMore, id, 0, 0);
            break;
          case Op.Alt:
            frames.push(F.PosixAlt, s.next, pos, 0, F.Next, s.alt, 0, 0);
            break;
          case Op.Open:
            frames.push(F.RestoreStart, s.group, cur[2 * s.group], 0, F.Next, s.next, 0, 0);
            cur[2 * s.group] = pos;
            break;
          case Op.Close:
            frames.push(F.RestoreEnd, s.group, cur[2 * s.group + 1], 0, F.Next, s.next, 0, 0);
            cur[2 * s.group + 1] = pos;
            break;
          case Op.Bol:
            if (pos === begin && !prevAvail) frames.push(F.Next, s.next, 0, 0);
            break;
          case Op.Eol:
            if (pos === input.length) frames.push(F.Next, s.next, 0, 0);
            break;
          case Op.Nop:
            frames.push(F.Next, s.next, 0, 0);
            break;
          case Op.Accept:
            hasSol = flags.exact ? pos === input.length : true;
            if (pos === begin && flags.notNull) hasSol = false;
            if (hasSol && (best === null || bestEnd < pos)) {
              bestEnd = pos;
              best = cur.slice();
            }
            break;
        }
        break;
      }
      case F.RepOnceMore: {
        const s = a.states[id];
        if (repCount[id] === 0 || repPos[id] !== pos) {
          frames.push(F.RestoreRep, id, repPos[id], repCount[id], F.Next, s.alt, 0, 0);
          repPos[id] = pos;
          repCount[id] = 1;
        } else if (repCount[id] < 2) {
          repCount[id]++;
          frames.push(F.DecRep, id, 0, 0, F.Next, s.alt, 0, 0);
        }
        break;
      }
      case F.PosixAlt:
        frames.push(F.MergeSol, 0, hasSol ? 1 : 0, 0, F.Next, id, 0, 0);
        pos = value;
        hasSol = false;
        break;
      case F.MergeSol:
        if (value) hasSol = true;
        break;
      case F.RestoreStart:
        cur[2 * id] = value;
        break;
      case F.RestoreEnd:
        cur[2 * id + 1] = value;
        break;
      case F.RestoreRep:
        repPos[id] = value;
        repCount[id] = extra;
        break;
      case F.DecRep:
        repCount[id]--;
        break;
    }
  }
  return hasSol ? best : null;
}
