// Values cached per object, kept on the object itself (a symbol-keyed property) rather than in a
// WeakMap. A WeakMap entry is an ephemeron: V8 marks its value only once its key is known to be
// alive, and the values it has not reached by then are marked in the final, stop-the-world pause
// of a full collection. With a machine model's state, an evaluated set's members or a registry's
// generators behind WeakMaps, that pause took 20-180 ms in the 1x bench clan (mark.ephemeron in
// node --trace-gc-nvp), longer than a keystroke's whole work. A property is an ordinary edge,
// marked alongside the program like any other; the value still goes when its key goes.
// The property is not enumerable, so spreads, Object.entries and JSON leave it out.

export class Attached<K extends object, V> {
  private readonly key: symbol;

  constructor(name: string) {
    this.key = Symbol(name);
  }

  get(k: K): V | undefined {
    return (k as unknown as Record<symbol, V | undefined>)[this.key];
  }

  /** Keeps `v` on `k` (a frozen or sealed `k` keeps nothing) and returns it. */
  set(k: K, v: V): V {
    if (Object.isExtensible(k)) Object.defineProperty(k, this.key, { value: v, writable: true, configurable: true, enumerable: false });
    return v;
  }
}
