// A small query database in the spirit of salsa (rust-analyzer, nil): inputs are set from outside,
// derived values are memoised together with the cells they read, and a derived value is computed
// again only when one of those cells changed since it was last checked. A value computed again that
// equals the old one keeps its old change (early cut-off), so what reads it is not computed again.
// A derived value may be built from its previous one (an index updated file by file). Reading never
// writes: setting an input while a query computes throws.

/** One cell of a database: an input or a derived value. */
interface Cell {
  /** The revision at which the value last changed. */
  readonly changedAt: number;
  /** Brings the value up to date (nothing for an input). */
  refresh(): void;
}

export class QueryDb {
  /** Bumped by every input whose value changes. */
  revision = 0;
  /** The cells read by the query computing now (null outside one). */
  private reading: Cell[] | null = null;
  /** How many queries are computing now, one inside another. */
  private depth = 0;

  input<T>(value: T, equals: (a: T, b: T) => boolean = Object.is): Input<T> {
    return new Input(this, value, equals);
  }

  /** A value computed from other cells; `compute` is given the value it computed last (undefined the first time). */
  derived<T>(compute: (previous: T | undefined) => T, equals: (a: T, b: T) => boolean = Object.is): Derived<T> {
    return new Derived(this, compute, equals);
  }

  /**
   * Runs `read` without noting what it reads: for a query that reads a larger value for a part of it
   * and reads the cells that part depends on itself (the part is named where this is used).
   */
  untracked<T>(read: () => T): T {
    const outer = this.reading;
    this.reading = null;
    try {
      return read();
    } finally {
      this.reading = outer;
    }
  }

  /** Notes that the running query read `cell`. */
  read(cell: Cell): void {
    this.reading?.push(cell);
  }

  /** Runs `compute`, returning its value and the cells it read. */
  track<T>(compute: () => T): { value: T; reads: Cell[] } {
    const outer = this.reading;
    const reads: Cell[] = [];
    this.reading = reads;
    this.depth++;
    try {
      return { value: compute(), reads };
    } finally {
      this.reading = outer;
      this.depth--;
    }
  }

  /** Whether a query is computing now (an untracked read inside one too). */
  get computing(): boolean {
    return this.depth > 0;
  }
}

/** A value set from outside the database: a file's facts, a setting, a listing of the disk. */
export class Input<T> implements Cell {
  changedAt: number;

  constructor(
    private readonly db: QueryDb,
    private value: T,
    private readonly equals: (a: T, b: T) => boolean,
  ) {
    this.changedAt = db.revision;
  }

  get(): T {
    this.db.read(this);
    return this.value;
  }

  /** The value, not noted as read: for the writer, which sets what it read. */
  peek(): T {
    return this.value;
  }

  /** Sets the value; an equal value changes nothing, so nothing that read it is computed again. */
  set(value: T): void {
    if (this.db.computing) throw new Error('an input was set while a query was computing (reading never writes)');
    if (this.equals(this.value, value)) return;
    this.value = value;
    this.changedAt = ++this.db.revision;
  }

  refresh(): void {}
}

/** A value computed from other cells, memoised with the cells it read. */
export class Derived<T> implements Cell {
  changedAt = 0;
  private value: T | undefined;
  private computed = false;
  /** The revision at which the value was last known to be up to date. */
  private verifiedAt = -1;
  private reads: Cell[] = [];

  constructor(
    private readonly db: QueryDb,
    private readonly compute: (previous: T | undefined) => T,
    private readonly equals: (a: T, b: T) => boolean,
  ) {}

  get(): T {
    this.refresh();
    this.db.read(this);
    return this.value as T;
  }

  /** The value computed last, not brought up to date nor noted as read (undefined before the first). */
  peek(): T | undefined {
    return this.computed ? this.value : undefined;
  }

  refresh(): void {
    const now = this.db.revision;
    if (this.computed && this.verifiedAt === now) return;
    if (this.computed && this.reads.every((c) => (c.refresh(), c.changedAt <= this.verifiedAt))) {
      this.verifiedAt = now;
      return;
    }
    const { value, reads } = this.db.track(() => this.compute(this.computed ? this.value : undefined));
    this.reads = reads;
    if (!this.computed || !this.equals(this.value as T, value)) {
      this.value = value;
      this.changedAt = now;
    }
    this.computed = true;
    this.verifiedAt = now;
  }
}
