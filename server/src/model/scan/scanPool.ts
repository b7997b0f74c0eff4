// Worker threads for the cold scan: batches of files go to the least busy worker, whose answers
// come back in the order it was given them. The bundled server and checker use it (dist/ holds
// scanWorker.js next to them); tests that run the sources parse on their own thread, unless they
// set CLAN_VARS_TEST_SCAN_WORKERS_FROM_SOURCES=1 (workers then load scanWorker.ts through tsx, so
// that the scan's handling of its workers is tested, and mutation-tested, from the sources). A scan
// without a pool of its own starts one worker for the files too slow to parse in a moment (scanParse.ts).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import type { ScanBudget } from './scanBudget';
import { CLAIMED_HERE, type ScanJob, type ScanMessage, type ScanResult, type WorkerResult } from './scanJob';

/** A batch posted to a worker and not answered yet. */
interface Pending {
  resolve: (results: ScanResult[] | PromiseLike<ScanResult[]>) => void;
  size: number;
  jobs: ScanJob[];
  /** Shared with the worker: 0 until a thread takes the batch (scanJob.ts). */
  claim: Int32Array;
}

/** What a worker runs: a file, or code to evaluate with its options. */
interface WorkerScript {
  code: string;
  options?: WorkerOptions;
}

/**
 * The scan worker's script: scanWorker.js beside the bundle; from the sources, scanWorker.ts through
 * tsx when CLAN_VARS_TEST_SCAN_WORKERS_FROM_SOURCES is 1 (tests); else null (no worker).
 */
function workerScript(): WorkerScript | null {
  if (__filename.endsWith('.js')) {
    const file = path.join(path.dirname(__filename), 'scanWorker.js');
    return fs.existsSync(file) ? { code: file } : null;
  }
  if (process.env.CLAN_VARS_TEST_SCAN_WORKERS_FROM_SOURCES !== '1') return null;
  const source = path.join(path.dirname(__filename), 'scanWorker.ts');
  return { code: `require('tsx/cjs'); require(${JSON.stringify(source)});`, options: { eval: true } };
}

/** A pool started before the scan that will use it knows its files (ScanPool.startEarly), until that scan takes it. */
let early: ScanPool | null = null;

export class ScanPool {
  private readonly queues = new Map<Worker, Pending[]>();
  /** How many workers it started with. */
  readonly size: number;

  private constructor(
    script: WorkerScript,
    count: number,
    private log: (line: string) => void,
  ) {
    this.size = count;
    for (let i = 0; i < count; i++) {
      const worker = new Worker(script.code, script.options);
      this.queues.set(worker, []);
      // a batch taken here (take) was answered when it was taken; the worker answers it with null
      worker.on('message', (results: WorkerResult[] | null) => {
        const pending = this.queues.get(worker)?.shift();
        if (results) pending?.resolve(results);
      });
      const fail = (why: string) => {
        const pending = this.queues.get(worker) ?? [];
        this.queues.delete(worker);
        if (!pending.length) return;
        this.log(`a scan worker stopped (${why}); its files are read on the main thread`);
        // a batch taken here (take) has its answer already: resolving it again changes nothing
        for (const p of pending) p.resolve(new Array(p.size).fill({ error: 'the scan worker stopped' }));
      };
      worker.on('error', (e) => fail(e.message));
      worker.on('exit', (code) => fail(`exit code ${code}`));
    }
  }

  /**
   * A pool of one worker per core but the one the scan's own thread keeps busy (at most 4), or of
   * `workers` (else CLAN_VARS_SCAN_WORKERS) whatever the cores; null where there is no worker
   * bundle, CLAN_VARS_SCAN_WORKERS is 0, or there is one core and no count is given. The scan's
   * thread is busy all through the scan (reading every file, indexing the facts the workers hand
   * over, parsing the registry and the matrix), and V8's collections and compiles of every thread
   * need a core too: on 2 cores, one worker checks the shared clan (../shared/perf, 8,003 files) in
   * 0.94-0.96 of the wall time and 0.92-0.93 of the CPU two workers take, and its 1/8 (1,003
   * files) in 0.93 and 0.87 (runs alternated, medians of 10-12).
   */
  static start(log: (line: string) => void, { cores = os.availableParallelism?.() ?? os.cpus().length, workers }: { cores?: number; workers?: number } = {}): ScanPool | null {
    // CLAN_VARS_SCAN_WORKERS: 0 for none (the scan parses on its own thread), 1-4 for that many
    const env = process.env.CLAN_VARS_SCAN_WORKERS;
    if (env === '0') return null;
    const count = workers ?? (env && /^[1-4]$/.test(env) ? Number(env) : Math.min(4, cores - 1));
    const script = count < 1 ? null : workerScript();
    if (!script) return null;
    try {
      return new ScanPool(script, count, log);
    } catch (e) {
      log(`no scan workers: ${(e as Error).message}`);
      return null;
    }
  }

  /**
   * Runs `work`, which scans, with the scan's pool started first, so that its workers load their
   * code and the parser while the scan's thread loads its own (the server's also lists the files;
   * the checker lists them before, their number choosing how V8 compiles the parser:
   * base/v8Tiering.ts wasmTierFor): about 130 ms of each worker's start, in which the scan would
   * otherwise wait for it. A pool no scan took is ended when `work` ends, so an idle worker never
   * keeps the process alive. Not `wanted` (the checker's scan will not start with workers:
   * scanFolder.ts workersAtStart), none is started.
   */
  static async startingEarly<T>(log: (line: string) => void, work: () => Promise<T>, wanted = true): Promise<T> {
    if (wanted) early ??= ScanPool.start(log);
    try {
      return await work();
    } finally {
      ScanPool.endEarly();
    }
  }

  /**
   * The scan's pool when it has enough files for workers (`wanted`): the one started early, else a
   * new one (start). A pool started early that the scan does not want is ended.
   */
  static forScan(wanted: boolean, log: (line: string) => void): ScanPool | null {
    if (!wanted) {
      ScanPool.endEarly();
      return null;
    }
    const had = early;
    early = null;
    if (!had) return ScanPool.start(log);
    had.log = log;
    return had;
  }

  /** Ends the pool started early, if no scan took it. */
  private static endEarly(): void {
    void early?.close();
    early = null;
  }

  /**
   * The facts of a batch of files, in its order, each parsed within what `budget` gives it (by a
   * worker, or here when `take` took the batch before a worker began it); a result with `error`
   * where a worker could not give them.
   */
  scan(jobs: ScanJob[], budget: ScanBudget): Promise<ScanResult[]> {
    let best: Worker | null = null;
    for (const [worker, queue] of this.queues) {
      const load = queue.reduce((n, p) => n + p.size, 0);
      if (!best || load < this.queues.get(best)!.reduce((n, p) => n + p.size, 0)) best = worker;
    }
    if (!best) return Promise.resolve(jobs.map(() => ({ error: 'no scan worker' })));
    const worker = best;
    const claim = new Int32Array(new SharedArrayBuffer(4));
    return new Promise((resolve) => {
      this.queues.get(worker)!.push({ resolve, size: jobs.length, jobs, claim });
      worker.postMessage({ jobs, budget: budget.shared, claim } satisfies ScanMessage);
    });
  }

  /**
   * Takes the batch posted last that no worker has begun, and answers it with what `run` gives for
   * its jobs: what a thread that would otherwise wait for the workers does (the scan's, once every
   * file is read). That answer, or null when every batch posted is begun or answered.
   */
  take(run: (jobs: ScanJob[]) => Promise<ScanResult[]>): Promise<ScanResult[]> | null {
    for (const queue of this.queues.values())
      for (let i = queue.length - 1; i >= 0; i--) {
        const pending = queue[i];
        if (Atomics.compareExchange(pending.claim, 0, 0, CLAIMED_HERE) !== 0) continue;
        const answer = run(pending.jobs);
        pending.resolve(answer);
        return answer;
      }
    return null;
  }

  /** Ends the workers (their memory goes with them). */
  async close(): Promise<void> {
    const workers = [...this.queues.keys()];
    this.queues.clear();
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
