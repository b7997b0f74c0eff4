// How the cold scan parses a file it has no facts for, within the scan's budget (scanBudget.ts) and
// never for long on the thread that answers requests: a scan worker parses it in one go; without
// workers, this thread tries it for a moment, then hands it to a worker of its own (the slow lane)
// and waits for it. A parse in one go gives a broken text the same tree every time (tree-sitter's
// error recovery may build another when a halted parse resumes), so slices that yield between
// them are the last resort, where no worker can be started (running from sources).
import { ParseTimeout, type NixParser, type Tree } from '../../syntax/nixParser';
import type { FactsCache } from './factsCache';
import type { ScanBudget } from './scanBudget';
import { ScanPool } from './scanPool';
import { extracted, scanInOneGo, type ScanJob, type ScanResult } from './scanJob';
import { rememberTooSlow } from './scanVerdicts';

/** The longest this thread parses a file in one go during a scan before the slow lane takes it over. */
const FIRST_TRY_MS = 200;
/** Slices of the last resort. */
const SLICE_MS = 10;

/**
 * A parse in steps within the scan's budget: the steps run one after the other, `between` them
 * (a yield to other work; false: stop), and only the steps' time counts, from `usedMs` already
 * spent. What it took is charged to `budget`. Gives the steps' result, `tooSlow` (`reason`) when
 * the parse ran out of its time (ParseTimeout), or null when `between` stopped it; another error
 * is thrown.
 */
export async function parseInSteps<T>(steps: Generator<void, T>, budget: ScanBudget, length: number, reason: string, usedMs: number, between: () => Promise<boolean>): Promise<{ value: T } | { tooSlow: string } | null> {
  let spent = usedMs;
  try {
    for (;;) {
      const started = performance.now();
      let step: IteratorResult<void, T>;
      try {
        step = steps.next();
      } finally {
        spent += performance.now() - started;
      }
      if (step.done) {
        budget.charge(length, spent);
        return { value: step.value };
      }
      if (!(await between())) return null;
    }
  } catch (e) {
    if (!(e instanceof ParseTimeout)) throw e;
    budget.charge(length, spent);
    return { tooSlow: reason };
  } finally {
    steps.return(undefined as T);
  }
}

/** The last resort: `job` parsed in slices that yield to other work in between (only the slices' time counts). */
async function scanInSlices(parser: NixParser, job: ScanJob, budget: ScanBudget): Promise<ScanResult> {
  const length = job.text.length;
  const used = job.usedMs ?? 0;
  const grant = budget.grant(length);
  const steps = parser.parseSteps(job.text, SLICE_MS, Math.max(1, grant.ms - used));
  let parsed: Awaited<ReturnType<typeof parseInSteps<Tree>>>;
  try {
    parsed = await parseInSteps(steps, budget, length, grant.reason, used, () => new Promise((resolve) => setImmediate(() => resolve(true))));
  } catch (e) {
    return { error: (e as Error).message };
  }
  if (!parsed) return { error: 'stopped' }; // not reached: these steps are never stopped
  return 'tooSlow' in parsed ? parsed : extracted(parser, job, parsed.value);
}

/** The parsing of one scan on this thread: its budget, its slow lane, the verdicts it remembers. */
export class ScanParsing {
  /** undefined: not started yet; null: none can be started here. */
  private lane: ScanPool | null | undefined;
  /** Parses in slices run one after the other (each halted parse holds its stack in wasm memory). */
  private sliced: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly parser: NixParser,
    readonly budget: ScanBudget,
    private readonly cache: FactsCache | null,
    private readonly log: (line: string) => void,
  ) {}

  /** Parses `job` here for a moment (`firstTryMs`; the result at once), else in the slow lane, else in slices (a promise of it). */
  parse(job: ScanJob, firstTryMs = FIRST_TRY_MS): ScanResult | Promise<ScanResult> {
    const first = scanInOneGo(this.parser, job, this.budget, firstTryMs);
    return 'stopped' in first ? this.parseRest({ ...job, usedMs: first.stopped }) : first;
  }

  private async parseRest(rest: ScanJob): Promise<ScanResult> {
    if (this.lane === undefined) this.lane = ScanPool.start(this.log, { workers: 1 });
    const [inLane] = this.lane ? await this.lane.scan([rest], this.budget) : [undefined];
    if (inLane && !('error' in inLane)) return inLane;
    const mine = this.sliced.then(() => scanInSlices(this.parser, rest, this.budget));
    this.sliced = mine.catch(() => undefined);
    return mine;
  }

  /** Remembers a text whose parse (here or in a worker) ran out of time: no later scan parses it. */
  noteResult(text: string, result: ScanResult): void {
    if ('tooSlow' in result) rememberTooSlow(text, result.tooSlow, this.cache);
  }

  /** Ends the slow lane's worker. */
  async close(): Promise<void> {
    await this.lane?.close();
    this.lane = undefined;
  }
}
