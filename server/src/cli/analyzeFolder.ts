// One-shot analysis of a directory, as the checker runs it: the same index and rules as the server.
import * as fs from 'node:fs';
import * as os from 'node:os';
import { openFolder } from './folder';
import type { Problem } from '../base/types';
import { NixParser, procStatCpuMs } from '../syntax/nixParser';
import type { AnalysisSettings } from '../base/settings';
import type { Log } from '../model/workspaceIndex';
import { recordInputs } from '../base/inputRecorder';
import { ResultCache } from '../model/resultCache';
import { INTERNAL_ERROR } from '../rules/internalError';

export interface FolderReport {
  problems: Problem[];
  files: number;
  /** Files not analysed for a reason the user can act on (a file whose analysis threw has an internal-error finding instead). */
  skipped: number;
  generators: number;
  /** Files the parser found syntax errors in (`--fix` leaves them alone). */
  syntaxErrors: Set<string>;
  /** For each file a safe fix edits: the digest (textDigest) of the text analysed. `--fix` writes a file only while it still has it. */
  digests: Map<string, string>;
}

/**
 * The analysis of a folder. With `reuse` (the checker), the result of the last analysis when
 * nothing it read has changed (workspace/resultCache.ts), else a new one, recorded for next time.
 */
export async function analyzeFolder(folder: string, settings: AnalysisSettings, log: Log, options: { reuse?: boolean } = {}): Promise<FolderReport> {
  const debug = process.env.CLAN_VARS_DEBUG_CACHE ? log : () => {};
  // CLAN_VARS_DEBUG_TIMES: where an analysis's time went (npm run bench prints it), on `log` itself,
  // so never among the lines stored with its result
  const times = process.env.CLAN_VARS_DEBUG_TIMES ? log : null;
  const cache = options.reuse ? ResultCache.open<FolderReport>(folder, settings, log) : null;
  if (!cache) {
    if (options.reuse) debug('result cache: off');
    return analyze(folder, settings, log, times);
  }
  const hit = cache.lookup();
  if ('result' in hit) {
    debug('result cache: the stored result');
    hit.logs.forEach(log);
    return hit.result;
  }
  debug(`result cache: checking again: ${hit.miss}`);
  const logs: string[] = [];
  const { result, recording } = await recordInputs(cache.ignored, () =>
    analyze(
      folder,
      settings,
      (line) => {
        logs.push(line);
        log(line);
      },
      times,
    ),
  );
  // a file whose analysis threw is analysed again next time, not taken from a stored result
  const failed = result.problems.some((p) => p.code === INTERNAL_ERROR);
  if (recording.spoiled || NixParser.aborted || failed) debug(`result cache: not stored: ${recording.spoiled ?? (failed ? 'the analysis of a file threw' : 'the parser failed')}`);
  else cache.store(result, recording.inputs, logs, log);
  return result;
}

/**
 * The process's CPU since it started by kind of thread (Linux: /proc), for CLAN_VARS_DEBUG_TIMES: a
 * CPU profile samples only the threads that run JavaScript, not V8's own (optimizing compiles, GC
 * helpers), which bench/probe.ts budget reads here. The scan's workers have ended by now: theirs is
 * what the process spent beyond the threads still alive.
 */
function byThread(): string {
  let tasks: string[];
  try {
    tasks = fs.readdirSync('/proc/self/task');
  } catch {
    return '';
  }
  const main = procStatCpuMs(`/proc/self/task/${process.pid}/stat`);
  if (main === null) return '';
  let others = 0;
  for (const t of tasks) if (t !== String(process.pid)) others += procStatCpuMs(`/proc/self/task/${t}/stat`) ?? 0;
  const u = process.cpuUsage();
  const all = Math.round((u.user + u.system) / 1000);
  return `; since the start: main thread ${main} ms, the scan's workers ${Math.max(0, all - main - others)} ms, V8's and libuv's own threads ${others} ms, all ${all} ms`;
}

async function analyze(folder: string, settings: AnalysisSettings, log: Log, times: Log | null): Promise<FolderReport> {
  const digests = new Map<string, string>();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const index = await openFolder(folder, settings, log, { onScanText: (file, _text, digest) => digests.set(file, digest) });
  const t1 = performance.now();
  const problems = [...index.allProblems().values()].flat();
  // the CPU of every thread (the scan's workers too): against the wall time, how far the work ran in parallel
  const cpu = process.cpuUsage(cpu0);
  const parsedBy = index.scanWorkers ? `; parsed in ${index.scanWorkers} worker threads, ${index.scanTaken} of their files taken by the main thread` : '';
  times?.(`times: scan ${Math.round(t1 - t0)} ms, model, evaluation and rules ${Math.round(performance.now() - t1)} ms; CPU ${Math.round((cpu.user + cpu.system) / 1000)} ms on all threads (${os.availableParallelism()} cores)${parsedBy}${byThread()}`);
  problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character));
  let generators = 0;
  let skipped = 0;
  const syntaxErrors = new Set<string>();
  for (const f of index.facts.values()) {
    generators += f.generators.length;
    if (f.skipped && f.internalError === undefined) skipped++;
    if (f.hasSyntaxErrors || f.skipped) syntaxErrors.add(f.file);
  }
  // kept (and stored with the result) for the files a safe fix would edit only
  const fixed = new Set(problems.flatMap((p) => p.fixes?.find((f) => f.safe)?.edits.map((e) => e.file) ?? []));
  for (const file of digests.keys()) if (!fixed.has(file)) digests.delete(file);
  return { problems, files: index.facts.size, skipped, generators, syntaxErrors, digests };
}
