// Where a cold check's CPU goes, part by part and thread by thread, and what that CPU allows: the
// checker (dist/cli.js --no-cache) run once under V8's sampling profiler (one .cpuprofile per
// thread), each sample given to the part of the work its stack is in, beside the parser floor.
// Used by `bench/probe.ts budget`. The profiler slows the check by about a tenth; the shares are
// what to read, and the bounds below are computed from the unprofiled runs' CPU.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/**
 * The parts, in the order a stack is searched from its innermost frame outwards: the first frame a
 * part names decides (`functions`: the checker's own functions, by name in the built bundles;
 * `leaf`: only when the frame is the innermost). A builtin (JSON.parse, a Map lookup) has no frame
 * of its own: its time is its caller's, so the index's own time (`indexEntry`: JSON.parse of a
 * worker's facts) counts as moving facts.
 */
export const PARTS: { part: string; functions?: string[]; leaf?: string[]; v8?: string; wasm?: true; node?: string[] }[] = [
  { part: 'garbage collection', v8: '(garbage collector)' },
  { part: 'idle', v8: '(idle)' },
  { part: "tree-sitter's wasm (parse, tree reads)", wasm: true },
  { part: 'moving facts between threads (pack, JSON.parse, pool)', functions: ['packFacts', 'pack', 'share'], leaf: ['indexEntry'] },
  { part: 'extraction of facts', functions: ['extractFile'] },
  { part: 'confined reads and digests', functions: ['readNixFileSync', 'textDigest'] },
  { part: 'registry pipeline evaluation', functions: ['evaluateClanSteps'] },
  { part: 'model (clan and machine models)', functions: ['commit'] },
  { part: 'rules', functions: ['allProblemsSteps'] },
  { part: 'indexing facts', functions: ['indexEntry'] },
  { part: 'loading code', node: ['wrapSafe', 'compileForInternalLoader', 'compileFunction'] },
];

function matches(p: (typeof PARTS)[number], fn: string, url: string, leaf: boolean): boolean {
  if (p.v8 !== undefined) return fn === p.v8;
  if (p.wasm) return url.endsWith('.wasm') || url.includes('.wasm-') || fn.startsWith('wasm-function');
  return !!(p.functions?.includes(fn) || p.node?.includes(fn) || (leaf && p.leaf?.includes(fn)));
}
const OTHER = 'the rest (startup, scan bookkeeping, output)';

/** ms of CPU per part in one thread's profile (idle included, as a part). */
export function partsOf(profile: Profile): Map<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const partOfNode = new Map<number, string>();
  const partOf = (id: number): string => {
    const known = partOfNode.get(id);
    if (known) return known;
    let found = OTHER;
    search: for (let at: number | undefined = id, leaf = true; at !== undefined; at = parent.get(at), leaf = false) {
      const { functionName, url } = byId.get(at)!.callFrame;
      for (const p of PARTS) {
        if (matches(p, functionName, url, leaf)) {
          found = p.part;
          break search;
        }
      }
    }
    partOfNode.set(id, found);
    return found;
  };
  const out = new Map<string, number>();
  // a sample's time is the delta to the next one
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const part = partOf(profile.samples[i]);
    out.set(part, (out.get(part) ?? 0) + dt);
  }
  return out;
}

/** Runs the checker once with the profiler on every thread; the profiles, the main thread's first. */
export function profiledCheck(cli: string, root: string): { profiles: Profile[]; times: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clan-vars-budget-'));
  try {
    const r = spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, cli, '--no-cache', root], { encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, CLAN_VARS_DEBUG_TIMES: '1' } });
    if (r.status === null || r.status > 1) throw new Error(`the checker failed (exit ${r.status}): ${(r.stderr ?? '').trim().split('\n').pop()}`);
    // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile: thread 0 is the main one
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort((a, b) => Number(a.split('.')[4]) - Number(b.split('.')[4]));
    return { profiles: files.map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as Profile), times: /times: (.*)/.exec(r.stderr)?.[1] ?? '' };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The table of parts by thread, largest first, and the total CPU (idle left out). */
export function budgetTable(profiles: Profile[]): { lines: string[]; cpuMs: number } {
  const threads = profiles.map(partsOf);
  const parts = [...new Set(threads.flatMap((t) => [...t.keys()]))].filter((p) => p !== 'idle');
  const total = (p: string) => threads.reduce((s, t) => s + (t.get(p) ?? 0), 0);
  parts.sort((a, b) => total(b) - total(a));
  const cpuMs = parts.reduce((s, p) => s + total(p), 0);
  const cell = (v: number | undefined) => (v ? v.toFixed(0) : '0').padStart(7);
  const head = `${'part'.padEnd(58)}${'main'.padStart(7)}${threads.slice(1).map((_, i) => `worker${threads.length > 2 ? i + 1 : ''}`.padStart(8)).join('')}${'all'.padStart(7)}  share`;
  const lines = [head, ...parts.map((p) => `${p.padEnd(58)}${threads.map((t, i) => (i ? ' ' : '') + cell(t.get(p))).join('')}${cell(total(p))}  ${((100 * total(p)) / cpuMs).toFixed(0).padStart(4)}%`)];
  lines.push(`${'CPU in all (idle left out)'.padEnd(58)}${threads.map((t, i) => (i ? ' ' : '') + cell([...t].filter(([k]) => k !== 'idle').reduce((s, [, v]) => s + v, 0))).join('')}${cell(cpuMs)}`);
  return { lines, cpuMs };
}

/** What V8's optimizing compiler (TurboFan) did in one check, from `--trace-opt`: compiles and their time, ms. */
export interface Compiles {
  count: number;
  ms: number;
  /** Of `ms`: on-stack replacements (a loop optimized while it runs). */
  osrMs: number;
  /** Of `ms`: compiles of a function after its first (after a deoptimization, or a whole function after its loop's OSR). */
  againMs: number;
}

/** The compiles `--trace-opt` printed ("[completed compiling <JSFunction name (sfi = …)> … took a, b, c ms]"), all threads' together. */
export function compilesOf(trace: string): Compiles {
  const out: Compiles = { count: 0, ms: 0, osrMs: 0, againMs: 0 };
  const seen = new Set<string>();
  for (const line of trace.split('\n')) {
    const m = /^\[completed compiling .*?<JSFunction (.*?) \(sfi = (\w+)\)>.*took ([\d.]+), ([\d.]+), ([\d.]+) ms\]/.exec(line);
    if (!m) continue;
    const ms = Number(m[3]) + Number(m[4]) + Number(m[5]);
    out.count++;
    out.ms += ms;
    if (line.includes('OSR')) out.osrMs += ms;
    // a function is its sfi: one per function and thread (each thread compiles its own)
    if (seen.has(m[2])) out.againMs += ms;
    seen.add(m[2]);
  }
  return out;
}

/**
 * Runs the checker once with `--trace-opt` and CLAN_VARS_DEBUG_TIMES: its CPU by kind of thread as
 * it says it (cli/analyzeFolder.ts: the main one, the scan's workers, V8's and libuv's own) and its
 * optimizing compiles. The tracing costs the main thread a little; read the split, not the total.
 * Null where threads cannot be told apart (no /proc).
 */
export function threadsAndCompiles(cli: string, root: string): { main: number; v8: number; workers: number; all: number; compiles: Compiles } | null {
  const r = spawnSync(process.execPath, ['--trace-opt', cli, '--no-cache', '--format', 'compact', root], { encoding: 'utf8', maxBuffer: 256 << 20, env: { ...process.env, CLAN_VARS_DEBUG_TIMES: '1' } });
  if (r.status === null || r.status > 1) throw new Error(`the checker failed (exit ${r.status}): ${(r.stderr ?? '').trim().split('\n').pop()}`);
  const m = /main thread (\d+) ms, the scan's workers (\d+) ms, V8's and libuv's own threads (\d+) ms, all (\d+) ms/.exec(r.stderr ?? '');
  if (!m) return null;
  const [main, workers, v8, all] = m.slice(1).map(Number);
  return { main, v8, workers, all, compiles: compilesOf(r.stdout ?? '') };
}
