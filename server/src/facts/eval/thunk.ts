// Lazy values and scopes. A thunk computes its value once, on first use; forcing a thunk that is
// being computed is Nix's "infinite recursion encountered". A scope maps names to thunks; `with`
// scopes hold an attrset thunk searched only when no lexical binding has the name.
import { stackExhausted, type Context } from './context';
import { NixError, unknown, type Loc, type Value } from './values';
import { Attached } from '../../base/attached';

export class Thunk {
  private value: Value | undefined;
  private compute: (() => Value) | undefined;
  private busy = false;
  /**
   * Set on a binding that is only a sibling binding's name (`let g = f;`, `{ a, b ? a }:`): Nix
   * gives it the sibling's value cell or a cell of its own depending on the order it fills the
   * bindings in, which we cannot know (see equality.ts).
   */
  alias?: () => Thunk | undefined;

  constructor(compute: (() => Value) | undefined, value?: Value) {
    this.compute = compute;
    this.value = value;
  }

  static of(value: Value): Thunk {
    return new Thunk(undefined, value);
  }

  /** The value if it is already known, without computing it. */
  peek(): Value | undefined {
    return this.value;
  }

  force(ctx: Context, loc: Loc | null = null): Value {
    if (this.value !== undefined) return this.value;
    if (this.busy) throw new NixError('error', 'infinite recursion encountered', loc);
    // ctx.enter, written out: forcing chains of thunks is where evaluation goes deepest
    if (!ctx.countStep()) return unknown('budget');
    if (ctx.depth >= ctx.maxDepth) return unknown('depth');
    ctx.depth++;
    this.busy = true;
    let v: Value;
    try {
      v = this.compute!();
    } catch (e) {
      v = stackExhausted(e);
    } finally {
      this.busy = false;
      ctx.depth--;
    }
    // Budget, depth or stack exhaustion gives a local unknown that must not be cached as the real value.
    if (cutShort(v)) return v;
    this.value = v;
    this.compute = undefined;
    return v;
  }
}

/** A value cut short by the budget, the depth or the JS stack: local to where it was computed, never kept as the real value. */
export function cutShort(v: Value): boolean {
  return v.t === 'unknown' && (v.reason === 'depth' || v.reason === 'budget' || v.reason === 'stack');
}

const IDS = new Attached<Thunk, number>('thunkId');
let nextId = 0;

/** A number for a thunk, the same each time it is asked (its identity, for keys). */
export function thunkId(t: Thunk): number {
  return IDS.get(t) ?? IDS.set(t, nextId++);
}

export class Scope {
  constructor(
    readonly parent: Scope | null,
    readonly vars: Map<string, Thunk> | null,
    /** For a `with` scope: the attrset whose attributes become visible. */
    readonly withValue: Thunk | null = null,
    /** On the outermost scope of a text whose free variables stand for what we were not given. */
    readonly freeVariablesUnknown = false,
  ) {}

  root(): Scope {
    let s: Scope = this;
    while (s.parent) s = s.parent;
    return s;
  }

  /** Lexical lookup only. */
  lexical(name: string): Thunk | undefined {
    for (let s: Scope | null = this; s; s = s.parent) {
      const t = s.vars?.get(name);
      if (t) return t;
    }
    return undefined;
  }

  /** The `with` attrsets in scope, innermost first. */
  withs(): Thunk[] {
    const out: Thunk[] = [];
    for (let s: Scope | null = this; s; s = s.parent) if (s.withValue) out.push(s.withValue);
    return out;
  }
}
