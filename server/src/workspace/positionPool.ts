// Positions are most of what a clan's facts hold: in the 8,000-file bench clan, 847,000
// `{ line, character }` objects (35 MB of a 145 MB heap), two in every range. Few of them differ:
// the same line and column recur from file to file. A scan gives every position of the facts it
// reads one frozen object per value, so equal positions are one object (an edit's facts are left
// as they are: the open documents are few, and walking a large registry's facts again would cost
// each keystroke). Nothing changes a
// position once made (ranges are moved by making new ones); frozen, a change would fail, not
// corrupt another file's ranges. The pool only grows, but by values: the lines and columns of the
// files bound it (16,000 positions for the bench clan), not the number of edits.
import type { FileFacts, Position } from '../model/types';

/** Keys line * 2^22 + character stay exact doubles for any line a file can have. */
const COLUMNS = 4_194_304;

export class PositionPool {
  private readonly pool = new Map<number, Position>();

  get size(): number {
    return this.pool.size;
  }

  /** Replaces, in place, every position in `facts` with the pool's object of the same value. */
  share(facts: FileFacts): FileFacts {
    this.walk(facts);
    return facts;
  }

  private walk(o: object): void {
    if (Array.isArray(o)) {
      for (let i = 0; i < o.length; i++) {
        const x: unknown = o[i];
        if (typeof x === 'object' && x !== null) o[i] = this.position(x) ?? (this.walk(x), x);
      }
      return;
    }
    const r = o as Record<string, unknown>;
    for (const k in r) {
      const x = r[k];
      if (typeof x === 'object' && x !== null) r[k] = this.position(x) ?? (this.walk(x), x);
    }
  }

  /** The pooled position equal to `x` when `x` is a position (`line` and `character`, nothing else), else null. */
  private position(x: object): Position | null {
    const line = (x as Partial<Position>).line;
    if (line === undefined) return null;
    const character = (x as Partial<Position>).character;
    if (!Number.isInteger(line) || !Number.isInteger(character) || character! < 0 || character! >= COLUMNS || line! < 0) return null;
    let keys = 0;
    for (const _ in x) if (++keys > 2) return null;
    const key = line! * COLUMNS + character!;
    let p = this.pool.get(key);
    if (!p) this.pool.set(key, (p = Object.freeze({ line: line!, character: character! })));
    return p;
  }
}
