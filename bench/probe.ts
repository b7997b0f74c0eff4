// In-process probes of the analysis core on the bench's synthetic clan, for finding where time and
// memory go (the figures to report come from `npm run bench`, through the real server):
//
//   node --expose-gc --import tsx bench/probe.ts heap [scale|folder]
//       live heap after each phase: facts, model (with the registry evaluation), machine model, rules
//   node --import tsx bench/probe.ts floor [scale]
//       what a cold check cannot do without, on one thread: reading every file, tree-sitter's parse
//       of each (no extraction), and the registry pipeline's evaluation; the floor of reading and
//       parsing on as many threads as the checker (bench/floor.ts, what `npm run bench` compares the
//       cold check with); beside nix-instantiate --parse
//   node --import tsx bench/probe.ts walk [scale]
//       the extraction of every file's facts beside other ways through the same trees, on one
//       thread: a cursor over every node (no Node objects) and a query for every binding
//   node --import tsx bench/probe.ts threads [scale]
//       how two threads scale on this machine against one: the parser floor (bench/floor.ts), and
//       the checker's scan workers (dist/scanWorker.js: parse, extract, pack) given every file in
//       batches, their answers dropped, so that no other thread works beside them; then the same
//       workers given every file again (their code and heap warm); then where one fresh worker
//       loses its time against the same worker warm: its start, its first batch, the first tenth
//       of its batches and the rest
//   node --import tsx bench/probe.ts bound [scale]
//       what the cold check would take if parsing and extracting every file cost nothing: the
//       checker (dist/cli.js) with every file's facts in its facts cache but no stored result, beside
//       the checker from scratch (--no-cache) and the parser floor on the checker's threads, taken in
//       turn five times in one run; medians, and the checker's own split into its scan and the rest
//   node --expose-gc --import tsx bench/probe.ts transfer [scale|folder]
//       the facts of every file from a scan worker to the index: JSON.stringify, JSON.parse and the
//       pool's walk, beside packFacts and the pool's walk of packed facts (model/scan/factPool.ts)
//   node --import tsx bench/probe.ts keystroke [scale] [gen|matrix|registry] [edits] [profile.cpuprofile]
//       per edit of one character: re-index the file (parsed incrementally, as the server parses an
//       open document), model, machine model, rules; medians per phase and p50/p95 of the whole;
//       with a file name, a CPU profile of the edits. The registry pipeline is evaluated before the
//       edits; during them its evaluation waits for a pause, as in the server. With a folder for
//       the scale (`keystroke /work/perf1x matrix 60`), on the clan there (the shared clan's shape:
//       ../shared/perf/gen-synthetic-clan.py), its first matrix key toggled as lsp-latency.mjs does
//       (registry: a character of the generator name of the registry's fourth entry).
//       With CLAN_VARS_PROBE_ALLOC=1 the file is a sampled allocation profile of the edits instead
//       (.heapprofile: what they allocate, collected or not); CLAN_VARS_PROBE_SPLIT=1 adds the
//       medians of the edits away from the text and back; CLAN_VARS_PROBE_LOG=1 prints the index's
//       log (with CLAN_VARS_DEBUG_RULES=1: each rule's time).
//   node --import tsx bench/probe.ts budget [scale|folder]
//       where the cold check's CPU goes (bench/budget.ts): the parser floor and the checker from
//       scratch (--no-cache) taken in turn three times (medians: wall, CPU, the part after the scan),
//       then one checker run under the profiler, its CPU by part and thread; and what the CPU
//       allows: the least wall time on this machine's cores, with the part after the scan on one
//       thread as it runs, and the CPU a check of 3× the floor could spend; then one run with
//       --trace-opt: the CPU of each kind of thread as the checker says it, V8's own included
//       (which a CPU profile does not sample), and the optimizing compiles' count and time
//   node --import tsx bench/probe.ts evaluate [scale|folder] [runs]
//       the registry pipeline's evaluation (model/clanEvaluation.ts evaluateClan) of the clan, `runs`
//       times (6) in one process with one syntax cache: the first parses its files, the others
//       evaluate only; the times, and a digest of the result's signatures (the same for every run)
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import { Worker } from 'node:worker_threads';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { extractFile } from '../server/src/facts/file';
import type { FileFacts } from '../server/src/facts/types';
import { FactPool, packFacts } from '../server/src/model/scan/factPool';
import { ScanBudget } from '../server/src/model/scan/scanBudget';
import type { ScanMessage } from '../server/src/model/scan/scanJob';
import { Query } from 'web-tree-sitter';
import { NixParser } from '../server/src/syntax/nixParser';
import { OpenDocuments } from '../server/src/lsp/documents';
import { LineIndex } from '../server/src/base/lineIndex';
import { DEFAULT_SETTINGS } from '../server/src/base/settings';
import { WorkspaceAnalysis } from '../server/src/rules/workspaceAnalysis';
import { Confinement } from '../server/src/base/confinement';
import { textDigest } from '../server/src/base/textDigest';
import { readsWithin } from '../server/src/facts/eval/context';
import { AstCache } from '../server/src/facts/eval/index';
import { evaluateClan } from '../server/src/model/clanEvaluation';
import { signaturesOf } from '../server/src/model/evaluationChanges';
import { CHECKER_THREADS, parserFloor } from './floor';
import { budgetTable, profiledCheck, threadsAndCompiles } from './budget';
import { checkerTime } from './scale.bench';
import { percentile } from './stats';
import { listNixFiles, shapeAt, writeSyntheticClan, type SyntheticClan } from './synthetic';

const [mode = 'keystroke', scaleArg = '1', which = 'gen', editsArg = '200', profileFile] = process.argv.slice(2);
const scale = Number(scaleArg);
/** A clan folder given for the scale: the keystroke probe edits that clan (the shared clan's shape). */
const clanFolder = fs.existsSync(scaleArg) ? fs.realpathSync(scaleArg) : null;

/** The synthetic clan's .nix files, absolute. */
const nixFiles = (root: string) => listNixFiles(root).map((f) => path.join(root, f));

/** A synthetic clan file's roles, as the scan gives them (its registry and matrix at their default paths). */
const rolesOf = (file: string) => ({ registry: file.endsWith('secret-registry.nix'), matrix: file.endsWith('machine-env-matrix.nix') });

async function indexed(root: string, deferMs: number): Promise<WorkspaceAnalysis> {
  const a = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load(), process.env.CLAN_VARS_PROBE_LOG ? (l) => console.error(l) : undefined);
  a.evaluations.deferMs = deferMs;
  await a.scan();
  return a;
}

function liveMb(): string {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  gc();
  gc();
  return `${(v8.getHeapStatistics().used_heap_size / 1e6).toFixed(0)} MB`;
}

async function heap(root: string): Promise<void> {
  console.log(`start: ${liveMb()}`);
  const a = await indexed(root, 0);
  console.log(`facts of ${a.facts.size} files: ${liveMb()}`);
  const model = a.clan(root);
  console.log(`model, with the registry evaluation: ${liveMb()}`);
  model.machineModel();
  console.log(`machine model: ${liveMb()}`);
  a.allProblems();
  console.log(`rules: ${liveMb()}`);
}

/** The file to edit and the two texts to toggle between. */
function edit(clan: SyntheticClan): { file: string; text: string; edited: string } {
  const [file, from, to] =
    clanFolder && which === 'matrix'
      ? [clan.matrixFile, /sharedCore \+\+ \[\s+("[^"]+)"/.exec(fs.readFileSync(clan.matrixFile, 'utf8'))![1], (k: string) => `${k.slice(0, -1)}X`]
      : clanFolder && which === 'registry'
      ? [clan.registryFile, 'generator = "svc00003-token"', 'generator = "svc00003-tokeX"']
      : which === 'matrix'
      ? [clan.matrixFile, '"key-0003"', '"kex-0003"']
      : which === 'registry'
        ? [clan.registryFile, 'key-0003 = ', 'kex-0003 = ']
        : [path.join(clan.root, `modules/gen-${clan.machines + 7}.nix`), '"gen-7"', '"gen-x"'];
  const text = fs.readFileSync(file, 'utf8');
  const edited = text.replace(from, typeof to === 'string' ? to : to(from));
  if (edited === text) throw new Error(`nothing to edit in ${file}`);
  return { file, text, edited };
}

async function keystroke(clan: SyntheticClan): Promise<void> {
  // evaluated once, as the server does after its scan; then each evaluation waits for a pause
  const a = await indexed(clan.root, 0);
  a.allProblems();
  a.evaluations.deferMs = 300;
  const { file, text, edited } = edit(clan);
  const edits = Number(editsArg);
  const phases: number[][] = [];
  const totals: number[] = [];
  const session = profileFile ? new Session() : null;
  if (session) {
    session.connect();
    if (process.env.CLAN_VARS_PROBE_ALLOC) await session.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMinorGC: true, includeObjectsCollectedByMajorGC: true });
    else {
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
    }
  }
  // the file open in an editor: each edit changes the differing characters, reparsed incrementally
  const docs = new OpenDocuments(() => a.parser);
  docs.open('file://probe', file, 0, text);
  let at = 0;
  while (text[at] === edited[at]) at++;
  if (text.slice(at + 1) !== edited.slice(at + 1)) throw new Error('the probe edits one character');
  const range = (t: string) => ({ start: new LineIndex(t).positionAt(at), end: new LineIndex(t).positionAt(at + 1) });
  for (let i = 0; i < edits; i++) {
    const t0 = performance.now();
    const [from, to] = i % 2 === 0 ? [text, edited] : [edited, text];
    a.updateFromDocument(docs.change('file://probe', i + 1, [{ range: range(from), text: to[at] }])!);
    const t1 = performance.now();
    const model = a.clan(a.clanRootOf(file));
    const t2 = performance.now();
    model.machineModel();
    const t3 = performance.now();
    a.allProblems();
    const t4 = performance.now();
    phases.push([t1 - t0, t2 - t1, t3 - t2, t4 - t3]);
    totals.push(t4 - t0);
  }
  if (session) {
    const { profile } = (await session.post((process.env.CLAN_VARS_PROBE_ALLOC ? 'HeapProfiler.stopSampling' : 'Profiler.stop') as 'Profiler.stop')) as { profile: unknown };
    fs.writeFileSync(profileFile!, JSON.stringify(profile));
    session.disconnect();
  }
  const median = (k: number) => percentile(phases.map((p) => p[k]), 50).toFixed(2);
  console.log(`${clanFolder ?? `${scale}×`} ${which}, ${edits} edits: index ${median(0)} ms, model ${median(1)} ms, machine model ${median(2)} ms, rules ${median(3)} ms (medians)`);
  console.log(`whole edit: p50 ${percentile(totals, 50).toFixed(2)} ms, p95 ${percentile(totals, 95).toFixed(2)} ms`);
  if (process.env.CLAN_VARS_PROBE_SPLIT) for (const k of [0, 1]) console.log(`edits ${k ? 'back to the text before' : 'away from it'}: ${[0, 1, 2, 3].map((p) => percentile(phases.filter((_, i) => i % 2 === k).map((x) => x[p]), 50).toFixed(2)).join(' / ')} ms (index / model / machine model / rules, medians)`);
}

/** The parts of a cold check that no other design of ours would skip, each timed on one thread. */
async function floor(root: string): Promise<void> {
  const files = nixFiles(root);
  let t = performance.now();
  const texts = files.map((f) => fs.readFileSync(f, 'utf8'));
  const read = performance.now() - t;
  const parser = await NixParser.load();
  t = performance.now();
  for (const text of texts) parser.parse(text).delete();
  const parse = performance.now() - t;
  t = performance.now();
  texts.forEach((text, i) => {
    const tree = parser.parse(text);
    extractFile(files[i], tree, { registry: false, matrix: false }, text, parser);
    tree.delete();
  });
  const extract = performance.now() - t - parse;
  const a = await indexed(root, 0);
  t = performance.now();
  a.clan(root); // the model, with the registry pipeline's evaluation
  const evaluation = performance.now() - t;
  const threaded = await parserFloor(files);
  const half = Math.ceil(files.length / 2);
  t = performance.now();
  for (const batch of [files.slice(0, half), files.slice(half)]) execFileSync('nix-instantiate', ['--parse', ...batch], { stdio: 'ignore' });
  const nix = performance.now() - t;
  console.log(`${files.length} files: read ${read.toFixed(0)} ms, tree-sitter parse only ${parse.toFixed(0)} ms, extraction of the facts ${extract.toFixed(0)} ms, model with the registry evaluation ${evaluation.toFixed(0)} ms (one thread each)`);
  console.log(`the parser floor on ${CHECKER_THREADS} threads, as the checker's scan (read and parse, each thread taking the next file): ${threaded.toFixed(0)} ms`);
  console.log(`nix-instantiate --parse of the same files, one process after the other: ${nix.toFixed(0)} ms (the bench runs two at once)`);
}

/** Ways through web-tree-sitter's trees, each over every file's tree (parsed before), best of three. */
async function walk(root: string): Promise<void> {
  const files = nixFiles(root);
  const parser = await NixParser.load();
  const texts = files.map((f) => fs.readFileSync(f, 'utf8'));
  const trees = texts.map((t) => parser.parse(t));
  const best = (label: string, each: (i: number) => number) => {
    let ms = Infinity;
    let count = 0;
    for (let k = 0; k < 3; k++) {
      const t = performance.now();
      count = 0;
      for (let i = 0; i < files.length; i++) count += each(i);
      ms = Math.min(ms, performance.now() - t);
    }
    console.log(`${label}: ${ms.toFixed(0)} ms${count ? ` (${count} ${label.startsWith('a query') ? 'captures' : 'nodes'})` : ''}`);
  };
  best(`${files.length} files: the facts extracted (extractFile)`, (i) => (extractFile(files[i], trees[i], { registry: false, matrix: false }, texts[i], parser), 0));
  best('a cursor over every node, reading its type, field and offsets', (i) => {
    const c = trees[i].walk();
    let n = 0;
    try {
      for (;;) {
        if (c.nodeTypeId + c.currentFieldId + c.startIndex + c.endIndex >= 0) n++;
        if (c.gotoFirstChild()) continue;
        while (!c.gotoNextSibling()) if (!c.gotoParent()) return n;
      }
    } finally {
      c.delete();
    }
  });
  const query = new Query(trees[0].language, '(binding attrpath: (attrpath) @path expression: (_) @value)');
  best("a query for every binding's attrpath and value", (i) => query.captures(trees[i].rootNode).length);
  query.delete();
  for (const t of trees) t.delete();
}

async function threads(root: string): Promise<void> {
  const files = nixFiles(root);
  const workerFile = path.join(__dirname, '..', 'dist', 'scanWorker.js');
  if (!fs.existsSync(workerFile)) throw new Error(`no ${workerFile}: run npm run build`);
  const jobs = files.map((file) => ({ file, text: fs.readFileSync(file, 'utf8'), roles: rolesOf(file) }));
  /**
   * Wall-clock ms from starting `count` scan workers to the last batch answered (batches of 32
   * dealt in turn), and of a second pass over every file by the same workers.
   */
  const scanWorkers = async (count: number): Promise<[number, number]> => {
    const budget = ScanBudget.create(); // the scan's own
    const workers = Array.from({ length: count }, () => new Worker(workerFile));
    const pass = () =>
      Promise.all(
        workers.map((w, k) => {
          const mine: ScanMessage[] = [];
          for (let i = k * 32; i < jobs.length; i += count * 32) mine.push({ jobs: jobs.slice(i, i + 32), budget: budget.shared, claim: new Int32Array(new SharedArrayBuffer(4)) });
          return new Promise<void>((resolve, reject) => {
            let left = mine.length;
            const answered = () => {
              if (--left > 0) return;
              w.off('message', answered);
              resolve();
            };
            w.on('message', answered);
            w.once('error', reject);
            for (const m of mine) w.postMessage(m);
          });
        }),
      );
    try {
      const t = performance.now();
      await pass();
      const t1 = performance.now();
      await pass();
      return [t1 - t, performance.now() - t1];
    } finally {
      await Promise.all(workers.map((w) => w.terminate()));
    }
  };
  const line = (label: string, one: number, two: number) => console.log(`${label}: 1 thread ${one.toFixed(0)} ms, 2 threads ${two.toFixed(0)} ms: ${(one / two).toFixed(2)}× (best of 3)`);
  const threeRuns = async <T>(run: () => Promise<T>): Promise<T[]> => [await run(), await run(), await run()];
  line(`the parser floor (read and parse), ${files.length} files`, Math.min(...(await threeRuns(() => parserFloor(files, 1)))), Math.min(...(await threeRuns(() => parserFloor(files, 2)))));
  const one = await threeRuns(() => scanWorkers(1));
  const two = await threeRuns(() => scanWorkers(2));
  const min = (runs: [number, number][], i: 0 | 1) => Math.min(...runs.map((r) => r[i]));
  line('the scan workers (parse, extract, pack), workers started and given every file', min(one, 0), min(two, 0));
  line('the same workers given every file again (warm)', min(one, 1), min(two, 1));
  const curves = await threeRuns(() => warmUp(workerFile, jobs));
  const best = (k: keyof WarmUp, pass: 0 | 1) => Math.min(...curves.map((c) => c[pass][k])).toFixed(0);
  console.log(
    `where a fresh worker loses its time (one worker, batches of ${WARM_BATCH} given one at a time, best of 3, fresh / the same worker again): ` +
      `started and an empty batch answered ${best('ready', 0)} ms; the first batch ${best('first', 0)} / ${best('first', 1)} ms; ` +
      `the first 10% of batches ${best('tenth', 0)} / ${best('tenth', 1)} ms; the other 90% ${best('rest', 0)} / ${best('rest', 1)} ms`,
  );
}

const WARM_BATCH = 32;

interface WarmUp {
  ready: number;
  first: number;
  tenth: number;
  rest: number;
}

/**
 * One fresh scan worker given every file in batches, one batch at a time (each posted when the last
 * is answered, so that a batch's time is its own), twice: ms to start it and answer an empty batch,
 * then per pass the first batch, the first tenth of the batches and the rest.
 */
async function warmUp(workerFile: string, jobs: ScanMessage['jobs']): Promise<[WarmUp, WarmUp]> {
  const budget = ScanBudget.create();
  const t0 = performance.now();
  const worker = new Worker(workerFile);
  const message = (batch: ScanMessage['jobs']) => ({ jobs: batch, budget: budget.shared, claim: new Int32Array(new SharedArrayBuffer(4)) });
  let waiting: { resolve: () => void; reject: (e: Error) => void } | null = null;
  worker.on('message', () => waiting?.resolve());
  worker.once('error', (e) => waiting?.reject(e));
  const answer = (batch: ScanMessage['jobs']) =>
    new Promise<void>((resolve, reject) => {
      waiting = { resolve, reject };
      worker.postMessage(message(batch));
    });
  try {
    await answer([]);
    const ready = performance.now() - t0;
    const pass = async (): Promise<WarmUp> => {
      const marks: number[] = [];
      const start = performance.now();
      for (let i = 0; i < jobs.length; i += WARM_BATCH) {
        await answer(jobs.slice(i, i + WARM_BATCH));
        marks.push(performance.now() - start);
      }
      const tenth = marks[Math.ceil(marks.length / 10) - 1];
      return { ready, first: marks[0], tenth, rest: marks[marks.length - 1] - tenth };
    };
    return [await pass(), await pass()];
  } finally {
    await worker.terminate();
  }
}

async function bound(root: string): Promise<void> {
  const files = nixFiles(root);
  const cli = path.join(__dirname, '..', 'dist', 'cli.js');
  if (!fs.existsSync(cli)) throw new Error(`no ${cli}: run npm run build`);
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clan-vars-probe-cache-'));
  /** Wall ms of one checker run, and its scan and rest (CLAN_VARS_DEBUG_TIMES). */
  const check = (args: string[]): [number, number, number] => {
    const { ms, times } = checkerTime(root, { CLAN_VARS_CACHE_DIR: cacheDir }, args);
    const m = /scan (\d+) ms, model, evaluation and rules (\d+) ms/.exec(times);
    if (!m) throw new Error(`the checker printed no times: ${times}`);
    return [ms, Number(m[1]), Number(m[2])];
  };
  /** The stored results dropped, the facts kept: the next run parses nothing. */
  const dropResults = () => fs.readdirSync(cacheDir).filter((f) => f.endsWith('.result')).forEach((f) => fs.rmSync(path.join(cacheDir, f)));
  try {
    check([]); // fills the facts cache
    const floors: number[] = [];
    const cold: [number, number, number][] = [];
    const ready: [number, number, number][] = [];
    for (let k = 0; k < 5; k++) {
      floors.push(await parserFloor(files));
      cold.push(check(['--no-cache']));
      dropResults();
      ready.push(check([]));
    }
    const floor = percentile(floors, 50);
    const line = (label: string, runs: [number, number, number][]) => {
      const [wall, scan, rest] = [0, 1, 2].map((i) => percentile(runs.map((r) => r[i]), 50));
      console.log(`${label}: ${wall.toFixed(0)} ms = ${(wall / floor).toFixed(1)}× the floor (its scan ${scan.toFixed(0)} ms, model, evaluation and rules ${rest.toFixed(0)} ms = ${(rest / floor).toFixed(1)}×)`);
    };
    console.log(`${files.length} files, medians of 5 runs taken in turn; the parser floor on ${CHECKER_THREADS} threads: ${floor.toFixed(0)} ms`);
    line('the checker from scratch (--no-cache)', cold);
    line("the checker with every file's facts cached, no stored result (nothing parsed)", ready);
  } finally {
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
}

async function budget(root: string): Promise<void> {
  const files = nixFiles(root);
  const cli = path.join(__dirname, '..', 'dist', 'cli.js');
  if (!fs.existsSync(cli)) throw new Error(`no ${cli}: run npm run build`);
  const cores = os.availableParallelism();
  const floors: number[] = [];
  const runs: { wall: number; cpu: number; rest: number }[] = [];
  for (let k = 0; k < 3; k++) {
    floors.push(await parserFloor(files));
    const { ms: wall, times } = checkerTime(root, {}, ['--no-cache'], true);
    const m = /rules (\d+) ms; CPU (\d+) ms/.exec(times);
    if (!m) throw new Error(`the checker printed no times: ${times}`);
    runs.push({ wall, cpu: Number(m[2]), rest: Number(m[1]) });
  }
  const floor = percentile(floors, 50);
  const [wall, cpu, rest] = (['wall', 'cpu', 'rest'] as const).map((k) => percentile(runs.map((r) => r[k]), 50));
  const x = (v: number) => `${v.toFixed(0)} ms = ${(v / floor).toFixed(1)}×`;
  console.log(`${files.length} files, ${cores} cores; medians of 3 runs taken in turn: the parser floor on ${CHECKER_THREADS} threads ${floor.toFixed(0)} ms; the checker from scratch ${x(wall)} the floor, its CPU ${cpu.toFixed(0)} ms, the part after the scan (model, evaluation and rules, one thread) ${rest.toFixed(0)} ms`);
  console.log(`the least wall time that CPU allows: spread over every core ${x(cpu / cores)}; with the part after the scan on one thread ${x((cpu - rest) / cores + rest)}`);
  console.log(`a check of 3× the floor (${(3 * floor).toFixed(0)} ms) could spend at most ${(3 * floor * cores).toFixed(0)} ms of CPU spread perfectly, ${((3 * floor - rest) * cores + rest).toFixed(0)} ms with the part after the scan as it is`);
  const { profiles, times } = profiledCheck(cli, root);
  const { lines, cpuMs } = budgetTable(profiles);
  console.log(`\none run under the profiler (${times}): ${cpuMs.toFixed(0)} ms of CPU sampled, by part, ms:`);
  for (const l of lines) console.log(`  ${l}`);
  // what the profiler cannot show: the CPU of V8's own threads, most of it optimizing compiles
  const t = threadsAndCompiles(cli, root);
  if (!t) return console.log('\nthe CPU by thread needs /proc (Linux): not measured here');
  const c = t.compiles;
  const of = (v: number) => `${v.toFixed(0)} ms (${((100 * v) / t.all).toFixed(0)}%)`;
  console.log(`\none run with --trace-opt, its CPU by thread (/proc): the main thread ${of(t.main)}, the scan's workers ${of(t.workers)}, V8's and libuv's own threads ${of(t.v8)}; all ${t.all} ms`);
  console.log(`  optimizing compiles (TurboFan, every thread): ${c.count}, ${c.ms.toFixed(0)} ms, of which on-stack replacements ${c.osrMs.toFixed(0)} ms and compiles of a function already compiled once ${c.againMs.toFixed(0)} ms`);
}

async function evaluate(root: string, runs: number): Promise<void> {
  const parser = await NixParser.load();
  const astCache = new AstCache(100);
  const lib = (f: string) => path.join(root, 'lib', f);
  const files = { registryFile: lib('secret-registry.nix'), matrixFile: lib('machine-env-matrix.nix'), generatorsFile: lib('vars-generators.nix') };
  const times: string[] = [];
  const digests = new Set<string>();
  let machines = 0;
  for (let k = 0; k < runs; k++) {
    const t = performance.now();
    const e = evaluateClan(parser, files, { machines: null }, { reads: readsWithin(Confinement.within(root)), astCache });
    times.push((performance.now() - t).toFixed(0));
    digests.add(textDigest(JSON.stringify(signaturesOf(e))).slice(0, 12));
    machines = e.machines.size;
  }
  console.log(`the registry pipeline of ${root} (${machines} machines) evaluated ${runs} times: ${times.join(', ')} ms; signatures ${[...digests].join(', ')}`);
}

async function transfer(root: string): Promise<void> {
  const files = nixFiles(root);
  const parser = await NixParser.load();
  const extract = () =>
    files.map((f) => {
      const text = fs.readFileSync(f, 'utf8');
      const tree = parser.parse(text);
      try {
        return extractFile(f, tree, rolesOf(f), text, parser);
      } finally {
        tree.delete();
      }
    });
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  const timed = <T>(fn: () => T): [T, number] => {
    gc();
    const t = performance.now();
    return [fn(), performance.now() - t];
  };
  for (const [label, encode, packed] of [
    ['JSON', (f: FileFacts) => JSON.stringify(f), false],
    ['packed', packFacts, true],
  ] as const) {
    const runs: number[][] = [];
    let mb = 0;
    for (let k = 0; k < 3; k++) {
      const facts = extract();
      const [texts, encodeMs] = timed(() => facts.map(encode));
      mb = texts.reduce((n, t) => n + t.length, 0) / 1e6;
      const pool = new FactPool();
      const [, readMs] = timed(() => texts.map((t) => pool.share(JSON.parse(t) as FileFacts, packed)));
      runs.push([encodeMs, readMs]);
    }
    const best = (i: number) => Math.min(...runs.map((r) => r[i])).toFixed(0);
    console.log(`${label}: ${mb.toFixed(1)} MB for ${files.length} files; encoded in ${best(0)} ms (in the workers), read into the pool in ${best(1)} ms (the index's thread); best of 3`);
  }
}

(async () => {
  if (clanFolder) {
    const lib = (f: string) => path.join(clanFolder, 'lib', f);
    if (mode === 'heap') await heap(clanFolder);
    else if (mode === 'transfer') await transfer(clanFolder);
    else if (mode === 'threads') await threads(clanFolder);
    else if (mode === 'bound') await bound(clanFolder);
    else if (mode === 'budget') await budget(clanFolder);
    else if (mode === 'evaluate') await evaluate(clanFolder, Number(which) || 6);
    else if (mode !== 'keystroke') throw new Error('a clan folder is for the heap, keystroke, transfer, threads, bound, budget and evaluate probes');
    else await keystroke({ root: clanFolder, registryFile: lib('secret-registry.nix'), matrixFile: lib('machine-env-matrix.nix'), files: 0, bytes: 0, generators: 0, registryLines: 0, machines: 0 });
    process.exit(0);
  }
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `clan-vars-probe-${scale}x-`)));
  try {
    const clan = writeSyntheticClan(root, shapeAt(scale));
    if (mode === 'heap') await heap(root);
    else if (mode === 'floor') await floor(root);
    else if (mode === 'walk') await walk(root);
    else if (mode === 'transfer') await transfer(root);
    else if (mode === 'threads') await threads(root);
    else if (mode === 'bound') await bound(root);
    else if (mode === 'budget') await budget(root);
    else if (mode === 'evaluate') await evaluate(root, Number(which) || 6);
    else if (mode === 'keystroke') await keystroke(clan);
    else throw new Error(`unknown probe '${mode}': heap, floor, walk, threads, bound, budget, transfer, evaluate or keystroke`);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
  process.exit(0);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
