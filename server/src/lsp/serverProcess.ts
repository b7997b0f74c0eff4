// What the language server's process does around the protocol: its command line, how far V8's heap
// may grow, and noticing messages and slow garbage collections (server.ts).
import { constants, PerformanceObserver } from 'node:perf_hooks';
import * as v8 from 'node:v8';
import { threadCpuMs } from '../syntax/nixParser';
import { VERSION } from '../base/version';
import { SLOW_MS } from '../base/settings';

const USAGE = `usage: clan-vars-language-server --stdio

The Clan Vars language server: speaks the Language Server Protocol over stdin and stdout. Start it
from an editor's LSP client, not by hand (VS Code's extension starts it with --node-ipc).

options:
  --stdio        talk LSP over stdin/stdout (also: --node-ipc, --socket=PORT, --pipe=NAME)
  --version      print the version
  -h, --help     show this help`;

/**
 * Answers --help and --version, and exits with usage when no transport is named (vscode-languageserver
 * would throw a stack trace instead).
 */
export function checkCommandLine(args: string[]): void {
  if (args.includes('-h') || args.includes('--help')) {
    process.stdout.write(USAGE + '\n');
    process.exit(0);
  }
  if (args.includes('--version')) {
    process.stdout.write(`clan-vars-language-server ${VERSION}\n`);
    process.exit(0);
  }
  if (!args.some((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket=') || a.startsWith('--pipe='))) {
    process.stderr.write(`clan-vars-language-server: no transport given: add --stdio\n\n${USAGE}\n`);
    process.exit(2);
  }
}

/**
 * V8 lets the heap grow to several times what is live before its next full collection: for a
 * server that holds a large clan's facts for hours, most of that is garbage, and the registry
 * pipeline's evaluations make it fast. On the 8,000-file bench clan (about 145 MB live), V8's
 * default gave an 866 MB peak; growing by at most 100% about 500 MB, 50% 435-445 MB with
 * keystrokes, requests and evaluations as quick as at 100%; 25% was a third slower. Since then the
 * live heap shrank to about 100 MB and evaluations got faster (sixth session): 40% (chosen) gives
 * a 287-297 MB peak instead of 298-313 MB at 50%, evaluations as quick (scratch runs of the bench's
 * phases); 35% 285-295 MB, but the 2x clan's evaluations a fifth slower. With the scan's malloc
 * memory given back (SERVER_ENV, fifteenth session) the 2x clan's peak was still 462-488 MB at 40%;
 * 30% (chosen) gave 423-435 MB with evaluations as quick (median 842 against 821 ms, 869 against
 * 921 ms, runs alternated) and 267 MB at 1x (277 at 40%).
 * CLAN_VARS_HEAP_GROWING_PERCENT=0 leaves V8's default.
 */
export function limitHeapGrowth(env: NodeJS.ProcessEnv = process.env): void {
  const growing = Number(env.CLAN_VARS_HEAP_GROWING_PERCENT ?? 30);
  if (Number.isInteger(growing) && growing > 0) v8.setFlagsFromString(`--heap-growing-percent=${growing}`);
}

/** Calls `onMessage` as a message arrives over the stdio or node-ipc transport (over a socket or pipe, never). */
export function onClientMessage(args: string[], onMessage: () => void): void {
  if (args.includes('--stdio')) process.stdin.on('data', onMessage);
  else if (args.includes('--node-ipc')) process.on('message', onMessage);
}

const GC_KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak callbacks',
};

/** Logs every garbage collection that takes longer than `ms`, with its kind and the heap after it. */
export function logSlowCollections(ms: number, log: (line: string) => void): void {
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.duration <= ms) continue;
      const kind = GC_KINDS[(e as unknown as { detail?: { kind?: number } }).detail?.kind ?? 0] ?? 'other';
      log(`slow: a garbage collection (${kind}) took ${Math.round(e.duration)} ms, heap now ${Math.round(v8.getHeapStatistics().used_heap_size / 2 ** 20)} MB`);
    }
  }).observe({ entryTypes: ['gc'] });
}

/**
 * Logs every time the event loop was held longer than `ms` (whatever held it: a handler, a parse, a
 * collection), measured as the lateness of a timer that should fire every `ms / 4`, with the CPU
 * time the process used meanwhile: far less CPU than wall time means the machine did not run the
 * process (other load), not that the server was busy.
 */
export function logHeldLoop(ms: number, log: (line: string) => void): void {
  const every = Math.max(10, Math.floor(ms / 4));
  let last = performance.now();
  let cpu = process.cpuUsage();
  setInterval(() => {
    const now = performance.now();
    const held = now - last - every;
    const used = process.cpuUsage(cpu);
    last = now;
    cpu = process.cpuUsage();
    if (held > ms) log(`slow: the event loop was held ${Math.round(held)} ms (CPU used meanwhile: ${Math.round((used.user + used.system) / 1000)} ms)`);
  }, every).unref();
}

/**
 * A stopwatch for the slow log (CLAN_VARS_DEBUG_SLOW_MS), null while the log is off: `stop` logs
 * "slow: <what> took N ms (CPU: M ms<more>)" when it ran past the threshold, with the calling
 * thread's CPU time beside the wall time (far less CPU: the machine did not run the thread).
 */
export function slowWatch(): { stop(log: (line: string) => void, what: string, more?: () => string): void } | null {
  if (!SLOW_MS) return null;
  const [t0, cpu0] = [performance.now(), threadCpuMs()];
  return {
    stop(log, what, more) {
      const took = performance.now() - t0;
      if (took > SLOW_MS) log(`slow: ${what} took ${Math.round(took)} ms (CPU: ${Math.round(threadCpuMs() - cpu0)} ms${more ? `; ${more()}` : ''})`);
    },
  };
}
