// One file of the cold scan parsed and its facts extracted in one go, within the time the scan's
// budget gives it (scanBudget.ts): what the scan's thread (scanParse.ts) and its workers
// (scanWorker.ts) both run, and the messages between them.
import { extractFile, type FileRoles } from '../../facts/file';
import type { FileFacts } from '../../facts/types';
import { ParseTimeout, type NixParser, type Tree } from '../../syntax/nixParser';
import type { ScanBudget } from './scanBudget';

export interface ScanJob {
  file: string;
  text: string;
  roles: FileRoles;
  /** Time already spent parsing this text in this scan (a first try that stopped), in ms. */
  usedMs?: number;
}

/**
 * What became of a job: its facts (as packed JSON from a worker, model/scan/factPool.ts: a structured
 * clone makes every object with room to grow and every string a copy of its own, which took the
 * 8,000-file bench clan's facts from 81 to 123 MB), `tooSlow` when its parse ran out of its time
 * (why), or `error` when it could not be done there (the worker stopped, the parser failed): then
 * it is done on this thread.
 */
export type ScanResult = { json: string } | { facts: FileFacts } | { tooSlow: string } | { error: string };

/** A batch's claim once its worker began it, or once the scan's thread took it (ScanPool.take). */
export const CLAIMED_BY_WORKER = 1;
export const CLAIMED_HERE = 2;

/** A batch of jobs, the scan's budget (its shared buffer), and the batch's claim (ScanPool.take: 0 until a thread takes it). */
export interface ScanMessage {
  jobs: ScanJob[];
  budget: SharedArrayBuffer;
  claim: Int32Array;
}

/** A job's result as the worker sends it: facts as packed JSON (see ScanResult). */
export type WorkerResult = Exclude<ScanResult, { facts: unknown }>;

/**
 * Parses and extracts `job` in one go, within what the scan gives it and at most `capMs` on the
 * clock. `stopped` (with the time it took) when the cap ended the parse before the scan's budget did.
 * The budget is the thread's time (a busy machine does not cut a parse short, syntax/nixParser.ts);
 * the cap is the clock's, since it bounds how long the thread that answers requests is held.
 */
export function scanInOneGo(parser: NixParser, job: ScanJob, budget: ScanBudget, capMs = Infinity): ScanResult | { stopped: number } {
  const length = job.text.length;
  const used = job.usedMs ?? 0;
  const grant = budget.grant(length);
  const allowed = grant.ms - used;
  const ms = Math.max(1, Math.min(allowed, capMs));
  const started = performance.now();
  let tree: Tree;
  try {
    tree = parser.parse(job.text, undefined, ms, capMs < allowed);
  } catch (e) {
    const spent = used + performance.now() - started;
    if (!(e instanceof ParseTimeout)) return { error: (e as Error).message };
    if (ms < allowed) return { stopped: spent };
    budget.charge(length, spent);
    return { tooSlow: grant.reason };
  }
  budget.charge(length, used + performance.now() - started);
  return extracted(parser, job, tree);
}

export function extracted(parser: NixParser, job: ScanJob, tree: Tree): ScanResult {
  try {
    return { facts: extractFile(job.file, tree, job.roles, job.text, parser) };
  } catch (e) {
    return { error: (e as Error).message };
  } finally {
    tree.delete();
  }
}
