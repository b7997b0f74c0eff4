// The scan's time for slow parses. tree-sitter's error recovery is far worse than linear on some
// broken text, and a file's own budget (parse/nixParser.ts: 1 s + 10 µs a character) lets one 2 MB
// file take 21 s: five of them held the server's start for 95 s. So a scan gives each parse an
// allowance that normal Nix does not come near (it needs about 0.3 µs a character), charges what a
// parse takes beyond its allowance to one total for the whole scan, and once that total is spent
// gives each file its allowance only. The total is shared with the scan's worker threads (a
// SharedArrayBuffer), so parses running side by side spend it together.
import { defaultParseBudgetMs } from '../../syntax/nixParser';

/** The scan's total for time beyond the allowances: CLAN_VARS_SLOW_PARSE_MS, else 10 s. */
export function slowParseTotalMs(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.CLAN_VARS_SLOW_PARSE_MS ?? '');
  return env.CLAN_VARS_SLOW_PARSE_MS && Number.isFinite(n) && n >= 0 ? Math.min(Math.round(n), 3_600_000) : 10_000;
}

/** What a parse of `length` characters may take without being charged: about 3 times what normal Nix takes, at least 250 ms. */
export function parseAllowanceMs(length: number): number {
  return 250 + length / 1000;
}

export class ScanBudget {
  /** [the total, what was charged so far], in ms. */
  private readonly cells: Int32Array;

  /** `shared`: the buffer of a budget made with `create` (another thread's). */
  constructor(readonly shared: SharedArrayBuffer) {
    this.cells = new Int32Array(shared);
  }

  static create(totalMs = slowParseTotalMs()): ScanBudget {
    const budget = new ScanBudget(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
    Atomics.store(budget.cells, 0, totalMs);
    return budget;
  }

  get totalMs(): number {
    return Atomics.load(this.cells, 0);
  }

  /** What parses took beyond their allowances so far. */
  get chargedMs(): number {
    return Atomics.load(this.cells, 1);
  }

  /**
   * The time a parse of `length` characters gets now: its own budget, cut to its allowance and
   * what is left of the total; and why the file is skipped when its parse runs out of it.
   */
  grant(length: number): { ms: number; reason: string } {
    const own = defaultParseBudgetMs(length);
    const allowance = parseAllowanceMs(length);
    const left = Math.max(0, this.totalMs - this.chargedMs);
    const took = (ms: number) => `parsing took longer than ${Math.round(ms)} ms`;
    if (own <= allowance + left) return { ms: own, reason: took(own) };
    const ms = allowance + left;
    const total = seconds(this.totalMs);
    if (left === 0) return { ms, reason: `${took(ms)} (its allowance only: the scan's ${total} for slow parses was spent)` };
    if (left === this.totalMs) return { ms, reason: `${took(ms)} (its allowance and the scan's ${total} for slow parses)` };
    return { ms, reason: `${took(ms)} (its allowance and the ${seconds(left)} left of the scan's ${total} for slow parses)` };
  }

  /** Charges the time a parse of `length` characters took (`ms`) beyond its allowance. */
  charge(length: number, ms: number): void {
    const over = ms - parseAllowanceMs(length);
    if (over > 0) Atomics.add(this.cells, 1, Math.ceil(over));
  }
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}
