// The cold scan with its worker threads, from the sources (model/scan/scanFolder.ts, scanPool.ts):
// workers load scanWorker.ts through tsx (CLAN_VARS_TEST_SCAN_WORKERS_FROM_SOURCES), so that how the
// scan hands files to them, takes batches back and indexes in the order it found the files is
// tested, and mutation-tested, here and not only through the built checker
// (test/cli/scan-workers.test.ts, workers-warm-cache.test.ts).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { Confinement } from '../../server/src/base/confinement';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { FactPool, packFacts } from '../../server/src/model/scan/factPool';
import { FactsCache } from '../../server/src/model/scan/factsCache';
import { scanFolder, type ScanTarget } from '../../server/src/model/scan/scanFolder';
import { ScanPool } from '../../server/src/model/scan/scanPool';
import { ScanBudget } from '../../server/src/model/scan/scanBudget';
import { scanInOneGo, type ScanJob, type ScanResult } from '../../server/src/model/scan/scanJob';
import { generatorChainFiles, tempCacheDir, writeTree } from '../helpers/tempClan';
import { slowText } from '../helpers/slowText';
import { textDigest } from '../../server/src/base/textDigest';
import { forgetVerdicts, knownTooSlow, rememberedReason, rememberTooSlow } from '../../server/src/model/scan/scanVerdicts';
import { AstCache } from '../../server/src/facts/eval/context';
import { unparsedFacts } from '../../server/src/facts/file';
import { factsCacheAt } from '../helpers/factsCache';
import { chainClan, recordedScan, scanTestSetup, type Scanned, workersOf } from '../helpers/scanRuns';

const setup = scanTestSetup();
const { roots, skip } = setup;

/** Enough files for a worker (scanFolder.ts MIN_FILES_FOR_WORKERS is 300). */
const MACHINES = 420;

/** What a scan of `root` reads and logs into, with workers; `indexing` says what it does with each file. */
function targetOf(root: string, logs: string[], indexing: Pick<ScanTarget, 'index' | 'skip' | 'fail' | 'update'>, roles: ScanTarget['roles'] = () => ({ registry: false, matrix: false })): ScanTarget {
  return { folder: root, reads: Confinement.within(root), maxFileSize: DEFAULT_SETTINGS.maxFileSize, parser: setup.parser, log: (l) => logs.push(l), useDiskCache: false, useWorkers: true, roles, onText: () => {}, ...indexing };
}

/** A scan of `root`, with workers or not, its facts cache, roles and options. */
function scan(root: string, useWorkers: boolean, cache: FactsCache | null = null, roles?: ScanTarget['roles'], options: Parameters<typeof scanFolder>[1] = {}): Promise<Scanned> {
  return recordedScan(root, setup.parser, { useWorkers, useDiskCache: cache !== null, ...(roles ? { roles } : {}) }, { cache, ...options });
}

test('with a worker the scan indexes the same facts, in the order it found the files, as on its own thread', { skip }, async () => {
  const root = writeTree(chainClan(MACHINES), 'clan-vars-scan-workers-');
  roots.push(root);
  const here = await scan(root, false);
  const there = await scan(root, true);
  assert.deepEqual(here.logs, []);
  assert.deepEqual(there.logs, []);
  assert.equal(here.stats.workers, 0);
  assert.equal(there.stats.workers, 1);
  assert.equal(there.stats.indexed, MACHINES + 1);
  // the scan's thread takes back the batches no worker began once it has read every file; the
  // worker began some (about a quarter here, under load too)
  assert.ok(there.stats.taken < MACHINES, `the worker parsed none: ${JSON.stringify(there.stats)}`);
  assert.deepEqual(there.order, here.order, 'the order found, whoever parsed the file');
  assert.deepEqual([...there.facts], [...here.facts]);
  assert.equal(here.order.length, MACHINES + 1);
});

test('with the facts cache warm a worker starts only for many files to parse: none for one edited, one for every file changed', { skip }, async () => {
  const root = writeTree(generatorChainFiles(MACHINES), 'clan-vars-scan-workers-cache-');
  const dir = tempCacheDir('clan-vars-scan-workers-facts-');
  roots.push(root, dir);
  const file = path.join(dir, 'clan.facts');
  const reference = await scan(root, false);
  const cold = await scan(root, true, factsCacheAt(file));
  assert.equal(cold.stats.workers, 1, 'from scratch');
  assert.equal(cold.stats.cached, 0);
  assert.ok(fs.existsSync(file), 'the scan saved its cache');
  const edit = (i: number) => fs.appendFileSync(path.join(root, `machines/m${i}.nix`), '# edited\n');
  // the first file the scan reads that has facts to parse
  edit(0);
  const one = await scan(root, true, factsCacheAt(file));
  assert.equal(one.stats.workers, 0, 'one file edited');
  assert.equal(one.stats.cached, MACHINES - 1, 'the flake has no facts to cache, m0 changed');
  for (let i = 5; i < MACHINES; i += 10) edit(i);
  const tenth = await scan(root, true, factsCacheAt(file));
  assert.equal(tenth.stats.workers, 0, 'one file in ten edited: fewer to parse than cached');
  for (let i = 0; i < MACHINES; i++) edit(i);
  const all = await scan(root, true, factsCacheAt(file));
  assert.equal(all.stats.workers, 1, 'every file changed: started once enough were met');
  assert.equal(all.stats.cached, 0);
  // the facts are the same each time: a comment changes none of them
  for (const s of [cold, one, tenth, all]) {
    assert.deepEqual(s.logs, []);
    assert.deepEqual(s.order, reference.order);
    assert.deepEqual([...s.facts], [...reference.facts]);
  }
});

test('the pool answers each batch in its order, a batch taken before a worker began it by the taker, and later batches their own', { skip }, async () => {
  const logs: string[] = [];
  const pool = ScanPool.start((l) => logs.push(l), { workers: 1 });
  assert.ok(pool, 'a worker from the sources');
  const budget = ScanBudget.create(10_000);
  const job = (i: number): ScanJob => ({ file: `/clan/m${i}.nix`, text: `{ clan.core.vars.generators.g${i}.files.key = { }; }\n`, roles: { registry: false, matrix: false } });
  const packed = (i: number) => {
    const r = scanInOneGo(setup.parser, job(i), budget);
    assert.ok('facts' in r);
    return { json: packFacts(r.facts) };
  };
  try {
    // the worker is still loading (from the sources, some 100 ms): none of these is begun yet
    const a = pool.scan([job(1), job(2)], budget);
    const b = pool.scan([{ ...job(3), text: { length: 10 } as unknown as string }], budget);
    const c = pool.scan([job(4), job(5)], budget);
    const ran: string[][] = [];
    const mine: ScanResult[] = [{ facts: { file: 'taken' } as never }, { facts: { file: 'here' } as never }];
    const took = pool.take(async (jobs) => (ran.push(jobs.map((j) => j.file)), mine));
    assert.ok(took, 'the batch posted last, begun by no worker');
    assert.deepEqual(ran, [['/clan/m4.nix', '/clan/m5.nix']]);
    const d = pool.scan([job(6)], budget);
    assert.deepEqual(await a, [packed(1), packed(2)], "the worker's answer, packed");
    const [bad] = await b;
    assert.ok('error' in bad && bad.error.length > 0, JSON.stringify(bad));
    assert.equal(await c, mine, 'the taker\'s answer');
    assert.deepEqual(await d, [packed(6)], 'a batch after the taken one gets its own answer, not the null the worker gave the taken one');
    assert.equal(pool.take(async () => []), null, 'nothing left to take');
  } finally {
    await pool.close();
  }
  assert.deepEqual(await pool.scan([job(7)], budget), [{ error: 'no scan worker' }], 'closed');
  assert.deepEqual(logs, []);
});

test("the server's scan goes on without the files still in the slow lane, and indexes each when its parse ends if its text is unchanged", { skip, timeout: 30_000 }, async () => {
  const saved = process.env.CLAN_VARS_SLOW_PARSE_MS;
  process.env.CLAN_VARS_SLOW_PARSE_MS = '300';
  forgetVerdicts();
  try {
    const root = writeTree({ 'flake.nix': '{ }\n', 'a.nix': '{ clan.core.vars.generators.a.files.key = { }; }\n', 'slow.nix': slowText(11), 'changed.nix': slowText(12), 'z.nix': '{ imports = [ ]; }\n' }, 'clan-vars-scan-late-');
    roots.push(root);
    const events: string[] = [];
    let resolveDone: () => void;
    const done = new Promise<void>((r) => (resolveDone = r));
    const logs: string[] = [];
    const target = targetOf(root, logs, {
      index: (file) => events.push(`index ${path.basename(file)}`),
      // which of the two slow files spends the scan's total first varies: the reason's end with it
      skip: (file, reason) => events.push(`skip ${path.basename(file)}: ${reason.replace(/\d+ ms \(.*$/, 'N ms')}`),
      fail: (file, message) => events.push(`fail ${path.basename(file)}: ${message}`),
      update: (file) => events.push(`update ${path.basename(file)}`),
    });
    const late = {
      maxWaitMs: 50,
      current: () => true,
      indexed: (file: string) => {
        events.push(`later ${path.basename(file)}`);
        resolveDone();
      },
    };
    const stats = await scanFolder(target, { late });
    assert.equal(stats.later, 2, JSON.stringify(stats));
    assert.deepEqual(events, ['index a.nix', 'index flake.nix', 'index z.nix'], 'the slow files not yet');
    // changed on disk while in the slow lane: not indexed from the text read (the watcher's change indexes it)
    fs.appendFileSync(path.join(root, 'changed.nix'), '# edited\n');
    await done;
    assert.deepEqual(events.slice(3), ['skip slow.nix: could not be parsed: parsing took longer than N ms', 'later slow.nix']);
    assert.match(knownTooSlow(slowText(11), null) ?? '', /^parsing took longer than \d+ ms/, 'its verdict remembered');
    assert.equal(knownTooSlow(slowText(12) + '# edited\n', null), undefined);
    assert.deepEqual(logs, []);
  } finally {
    if (saved === undefined) delete process.env.CLAN_VARS_SLOW_PARSE_MS;
    else process.env.CLAN_VARS_SLOW_PARSE_MS = saved;
    forgetVerdicts();
  }
});

test('how many workers a pool starts: one per core but one, at most 4; CLAN_VARS_SCAN_WORKERS 0 for none, 1-4 for that many', async () => {
  const saved = process.env.CLAN_VARS_SCAN_WORKERS;
  const sizes: Record<string, number | null> = {};
  try {
    for (const [env, cores] of [[undefined, 1], [undefined, 3], [undefined, 9], ['0', 8], ['2', 1], ['7', 3], ['12', 3], ['x', 3]] as const) {
      if (env === undefined) delete process.env.CLAN_VARS_SCAN_WORKERS;
      else process.env.CLAN_VARS_SCAN_WORKERS = env;
      const pool = ScanPool.start(() => {}, { cores });
      sizes[`${env ?? '-'} on ${cores}`] = pool?.size ?? null;
      await pool?.close();
    }
  } finally {
    if (saved === undefined) delete process.env.CLAN_VARS_SCAN_WORKERS;
    else process.env.CLAN_VARS_SCAN_WORKERS = saved;
  }
  assert.deepEqual(sizes, { '- on 1': null, '- on 3': 2, '- on 9': 4, '0 on 8': null, '2 on 1': 2, '7 on 3': 2, '12 on 3': 2, 'x on 3': 2 });
});

test('a pool takes back the only batch posted when no worker began it', { skip }, async () => {
  const pool = ScanPool.start(() => {}, { workers: 1 })!;
  try {
    const budget = ScanBudget.create(10_000);
    const job: ScanJob = { file: '/clan/a.nix', text: '{ }\n', roles: { registry: false, matrix: false } };
    const posted = pool.scan([job], budget);
    const mine: ScanResult[] = [{ error: 'taken here' }];
    assert.ok(pool.take(async () => mine));
    assert.equal(await posted, mine);
  } finally {
    await pool.close();
  }
});

test('facts cached for a file in one role are not taken for it in another (the cache key holds the role)', { skip }, async () => {
  const root = writeTree(generatorChainFiles(MACHINES), 'clan-vars-scan-roles-');
  const dir = tempCacheDir('clan-vars-scan-roles-facts-');
  roots.push(root, dir);
  const file = path.join(dir, 'clan.facts');
  await scan(root, true, factsCacheAt(file));
  const registry = path.join(root, 'machines/m1.nix');
  const again = await scan(root, true, factsCacheAt(file), (f) => ({ registry: f === registry, matrix: false }));
  assert.equal(again.stats.cached, MACHINES - 1, 'all but the file now read as a registry');
});

test('with the facts cache warm a worker starts once 32 files to parse are met, if no fewer than those found cached', { skip }, async () => {
  const root = writeTree(generatorChainFiles(MACHINES), 'clan-vars-scan-threshold-');
  const dir = tempCacheDir('clan-vars-scan-threshold-facts-');
  roots.push(root, dir);
  const file = path.join(dir, 'clan.facts');
  await scan(root, false, factsCacheAt(file));
  const read = (await scan(root, false)).order.filter((f) => f.includes('/machines/'));
  const edit = (files: string[]) => files.forEach((f) => fs.appendFileSync(f, '# edited\n'));
  // the first 32 machine files the scan reads: 32 to parse, none cached before them
  edit(read.slice(0, 32));
  assert.equal((await scan(root, true, factsCacheAt(file))).stats.workers, 1, '32 to parse met before any cached');
  // 31: never 32 to parse
  edit(read.slice(0, 31));
  assert.equal((await scan(root, true, factsCacheAt(file))).stats.workers, 0, '31 to parse');
  // 32 after 32 cached: met as many as cached; after 33 cached: fewer
  edit(read.slice(32, 64));
  assert.equal((await scan(root, true, factsCacheAt(file))).stats.workers, 1, '32 to parse after 32 cached');
  edit(read.slice(33, 65));
  assert.equal((await scan(root, true, factsCacheAt(file))).stats.workers, 0, '32 to parse after 33 cached');
});

test('a scan from scratch starts a worker from 300 files on, not below', { skip }, async () => {
  // generatorChainFiles(n): n machine files and the flake
  for (const [machines, workers] of [[299, 1], [298, 0]] as const) {
    const root = writeTree(generatorChainFiles(machines), 'clan-vars-scan-300-');
    roots.push(root);
    const { stats } = await scan(root, true);
    assert.deepEqual([stats.indexed, stats.workers], [machines + 1, workers], `${machines + 1} files`);
  }
});

test('cached facts the pool cannot read are dropped, said in the log, and the file parsed again', { skip }, async () => {
  const root = writeTree(generatorChainFiles(MACHINES), 'clan-vars-scan-damaged-');
  const dir = tempCacheDir('clan-vars-scan-damaged-facts-');
  roots.push(root, dir);
  const file = path.join(dir, 'clan.facts');
  const reference = await scan(root, false, factsCacheAt(file));
  const damaged = path.join(root, 'machines/m7.nix');
  const cache = factsCacheAt(file);
  // what a cache written by another build's pool could hold: JSON, but not facts the pool reads
  const key = FactsCache.key(damaged, '000', textDigest(fs.readFileSync(damaged, 'utf8')));
  (cache as unknown as { loaded: Map<string, string> }).loaded.set(key, JSON.stringify({ file: damaged, r: '\u0001not packed' }));
  const again = await scan(root, true, cache);
  assert.deepEqual(again.logs, [`${damaged}: its cached facts could not be read (not a packed range or position: "\\u0001not packed"); parsing it again`]);
  assert.equal(again.stats.cached, MACHINES, 'read from the cache: all, the damaged one too');
  assert.deepEqual([...again.facts], [...reference.facts], 'and its facts parsed again');
});

/** What the pool logs when a worker with batches waiting stops (terminate() ends one with a code of its own). */
const STOPPED = /^a scan worker stopped \(exit code \d+\); its files are read on the main thread$/;

test('a worker that stops answers its batches not begun or not answered with an error each, says so once, and the pool has no worker left', { skip }, async () => {
  const logs: string[] = [];
  const pool = ScanPool.start((l) => logs.push(l), { workers: 1 });
  assert.ok(pool, 'a worker from the sources');
  const budget = ScanBudget.create(10_000);
  const job = (i: number): ScanJob => ({ file: `/clan/m${i}.nix`, text: `{ clan.core.vars.generators.g${i}.files.key = { }; }\n`, roles: { registry: false, matrix: false } });
  try {
    const a = pool.scan([job(1), job(2)], budget);
    const b = pool.scan([job(3)], budget);
    const [worker] = workersOf(pool);
    await worker.terminate();
    const stopped = { error: 'the scan worker stopped' };
    assert.deepEqual(await a, [stopped, stopped]);
    assert.deepEqual(await b, [stopped]);
    assert.equal(logs.length, 1, logs.join('\n'));
    assert.match(logs[0], STOPPED);
    assert.deepEqual(await pool.scan([job(4)], budget), [{ error: 'no scan worker' }], 'no worker to give a batch to');
    assert.equal(pool.take(async () => []), null, 'nothing posted to take back');
    assert.equal(pool.size, 1, 'the workers it started with');
  } finally {
    await pool.close();
  }
});

test('a worker that stops when nothing is posted to it says nothing', { skip }, async () => {
  const logs: string[] = [];
  const pool = ScanPool.start((l) => logs.push(l), { workers: 1 });
  assert.ok(pool);
  const budget = ScanBudget.create(10_000);
  const answered = await pool.scan([{ file: '/clan/a.nix', text: '{ clan.core.vars.generators.a = { }; }\n', roles: { registry: false, matrix: false } }], budget);
  assert.ok('json' in answered[0], JSON.stringify(answered));
  await workersOf(pool)[0].terminate();
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(logs, [], 'no batch of its was waiting');
  assert.deepEqual(await pool.scan([{ file: '/clan/b.nix', text: '{ }\n', roles: { registry: false, matrix: false } }], budget), [{ error: 'no scan worker' }]);
  await pool.close();
});

test('when its worker stops in the middle of a scan, the scan parses the files it had on its own thread: the same facts, in the order found', { skip }, async () => {
  const root = writeTree(chainClan(MACHINES), 'clan-vars-scan-worker-stops-');
  roots.push(root);
  const here = await scan(root, false);
  const scanBatch = ScanPool.prototype.scan;
  let posted = 0;
  ScanPool.prototype.scan = function (this: ScanPool, jobs, budget) {
    const answer = scanBatch.call(this, jobs, budget);
    // after the third batch, the worker ends as a crash would end it, with batches waiting
    if (++posted === 3) for (const w of workersOf(this)) void w.terminate();
    return answer;
  };
  let there: Scanned;
  try {
    there = await scan(root, true);
  } finally {
    ScanPool.prototype.scan = scanBatch;
  }
  assert.ok(posted > 3, `batches posted after the worker stopped: ${posted}`);
  assert.equal(there.logs.length, 1, there.logs.join('\n'));
  assert.match(there.logs[0], STOPPED);
  assert.equal(there.stats.workers, 1);
  assert.equal(there.stats.indexed, MACHINES + 1);
  assert.deepEqual(there.order, here.order, 'the order found');
  assert.deepEqual([...there.facts], [...here.facts], 'every file indexed with its facts, none failed');
});

test('a scan cancelled part way keeps what it indexed, in the order found, ends its worker and saves no facts cache; its progress counts every file read', { skip }, async () => {
  const root = writeTree(chainClan(MACHINES), 'clan-vars-scan-cancel-');
  const dir = tempCacheDir('clan-vars-scan-cancel-facts-');
  roots.push(root, dir);
  const whole = await scan(root, false);
  for (const useWorkers of [false, true]) {
    const file = path.join(dir, `facts-${useWorkers}`);
    const cancel = { isCancellationRequested: false };
    const seen: [number, number][] = [];
    const close = ScanPool.prototype.close;
    let closed = 0;
    ScanPool.prototype.close = function (this: ScanPool) {
      closed++;
      return close.call(this);
    };
    let part: Scanned;
    try {
      part = await scan(root, useWorkers, factsCacheAt(file), undefined, {
        cancel,
        progress: (done, total) => {
          seen.push([done, total]);
          if (done === 100) cancel.isCancellationRequested = true;
        },
      });
    } finally {
      ScanPool.prototype.close = close;
    }
    const label = useWorkers ? 'with a worker' : 'on its own thread';
    assert.deepEqual(seen, Array.from({ length: 100 }, (_, i) => [i + 1, MACHINES + 1]), `${label}: progress per file read, none after the cancellation`);
    assert.deepEqual(part.logs, [], label);
    assert.ok(part.stats.indexed <= 100, `${label}: ${JSON.stringify(part.stats)}`);
    assert.deepEqual(part.order, whole.order.slice(0, part.order.length), `${label}: a prefix of the order found`);
    for (const f of part.order) assert.equal(part.facts.get(f), whole.facts.get(f), `${label}: ${f}`);
    assert.equal(part.stats.workers, useWorkers ? 1 : 0, label);
    assert.equal(closed, useWorkers ? 1 : 0, `${label}: its pool ended`);
    assert.equal(fs.existsSync(file), false, `${label}: a cancelled scan saves no facts cache`);
  }
});

test("with the evaluation's syntax the registry and the matrix are read last, parsed once on the scan's thread for both, and handed over once every file is read", { skip }, async () => {
  const files = chainClan(MACHINES);
  files['lib/secret-registry.nix'] = '{ pkgs ? null }: {\n  wifi = { generator = "wifi-psk"; files.value = { }; script = "touch $out/value"; };\n}\n';
  files['lib/machine-env-matrix.nix'] = '{ m0 = [ "wifi" ]; }\n';
  const root = writeTree(files, 'clan-vars-scan-syntax-');
  roots.push(root);
  const registry = path.join(root, 'lib/secret-registry.nix');
  const matrix = path.join(root, 'lib/machine-env-matrix.nix');
  const roles: ScanTarget['roles'] = (file) => ({ registry: file === registry, matrix: file === matrix });
  const plain = await scan(root, true, null, roles);
  const astCache = new AstCache(10);
  const asked: string[] = [];
  const handed: { files: string[]; read: number }[] = [];
  let read = 0;
  const logs: string[] = [];
  const order: string[] = [];
  const facts = new Map<string, string>();
  const pool = new FactPool();
  const scanBatch = ScanPool.prototype.scan;
  let batches = 0;
  ScanPool.prototype.scan = function (this: ScanPool, jobs, budget) {
    batches++;
    return scanBatch.call(this, jobs, budget);
  };
  let stats: Awaited<ReturnType<typeof scanFolder>>;
  try {
    const base = targetOf(root, logs, {
      index: (file, _text, f, packed) => {
        order.push(file);
        facts.set(file, JSON.stringify(pool.share(f, packed)));
      },
      skip: (file, reason) => logs.push(`skip ${file}: ${reason}`),
      fail: (file, message) => logs.push(`fail ${file}: ${message}`),
      update: (file) => logs.push(`update ${file}`),
    }, roles);
    stats = await scanFolder({
      ...base,
      onText: () => read++,
      syntaxOf: (file, text, budgetMs) => (asked.push(file), astCache.prepare(setup.parser, file, text, budgetMs)),
      whileWaiting: (parsed) => handed.push({ files: parsed.map((f) => f.file), read }),
    });
  } finally {
    ScanPool.prototype.scan = scanBatch;
    astCache.clear();
  }
  const total = MACHINES + 3;
  assert.deepEqual(logs, []);
  assert.deepEqual([stats.indexed, stats.workers], [total, 1]);
  assert.ok(batches > 0, 'the other files went to the worker in batches');
  assert.ok(stats.taken >= 0 && stats.taken <= MACHINES + 1, `taken: ${stats.taken}`);
  assert.deepEqual(asked.sort(), [matrix, registry], 'the syntax of the registry and the matrix only, each once');
  const others = plain.order.filter((f) => f !== registry && f !== matrix);
  assert.deepEqual(order, [...others, ...plain.order.filter((f) => f === registry || f === matrix)], 'every other file in the order found, then those two');
  assert.deepEqual([...facts].sort(), [...plain.facts].sort(), 'the same facts as parsed without the syntax');
  assert.equal(handed.length, 1);
  assert.deepEqual(handed[0].files.sort(), [matrix, registry]);
  assert.equal(handed[0].read, total, 'handed over once every file was read');
});

test('no registry or matrix parsed with the syntax, nothing is handed over; a target with the syntax but no whileWaiting scans all the same; a cancelled scan hands nothing over', { skip }, async () => {
  const root = writeTree({ 'flake.nix': '{ }\n', 'lib/machine-env-matrix.nix': '{ m0 = [ "wifi" ]; }\n', 'a.nix': '{ clan.core.vars.generators.a.files.k = { }; }\n' }, 'clan-vars-scan-syntax-none-');
  roots.push(root);
  const matrix = path.join(root, 'lib/machine-env-matrix.nix');
  const astCache = new AstCache(10);
  const noop = { index: () => {}, skip: () => {}, fail: () => {}, update: () => {} };
  try {
    const handed: string[][] = [];
    const logs: string[] = [];
    // the matrix is not one here: nothing is parsed with the syntax
    const none = await scanFolder({ ...targetOf(root, logs, noop), syntaxOf: (f, t, ms) => astCache.prepare(setup.parser, f, t, ms), whileWaiting: (p) => handed.push(p.map((f) => f.file)) });
    assert.deepEqual([none.indexed, handed], [3, []]);
    const roles: ScanTarget['roles'] = (file) => ({ registry: false, matrix: file === matrix });
    const without = await scanFolder({ ...targetOf(root, logs, noop, roles), syntaxOf: (f, t, ms) => astCache.prepare(setup.parser, f, t, ms) });
    assert.equal(without.indexed, 3, 'no whileWaiting: nothing to hand over to');
    const cancel = { isCancellationRequested: false };
    const cancelled = await scanFolder(
      { ...targetOf(root, logs, noop, roles), syntaxOf: (f, t, ms) => astCache.prepare(setup.parser, f, t, ms), whileWaiting: (p) => handed.push(p.map((f) => f.file)) },
      { cancel, progress: (done, total) => void (done === total && (cancel.isCancellationRequested = true)) },
    );
    assert.ok(cancelled.indexed <= 3);
    assert.deepEqual(handed, [], 'a cancelled scan hands nothing over');
    assert.deepEqual(logs, []);
  } finally {
    astCache.clear();
  }
});

test('a text that ran out of parse time before is skipped with its remembered reason and not parsed again; its file parsed again once its text changes', { skip }, async () => {
  const root = writeTree(generatorChainFiles(MACHINES), 'clan-vars-scan-remembered-');
  roots.push(root);
  const slow = path.join(root, 'machines/m5.nix');
  const text = fs.readFileSync(slow, 'utf8');
  const reason = 'parsing took longer than 123 ms';
  forgetVerdicts();
  rememberTooSlow(text, reason, null);
  const parsed: string[] = [];
  const scanBatch = ScanPool.prototype.scan;
  ScanPool.prototype.scan = function (this: ScanPool, jobs, budget) {
    parsed.push(...jobs.map((j) => j.file));
    return scanBatch.call(this, jobs, budget);
  };
  try {
    const first = await scan(root, true);
    assert.deepEqual(first.logs, [`skip ${slow}: could not be parsed: ${rememberedReason(reason)}`]);
    assert.equal(first.facts.has(slow), false, 'not indexed');
    assert.equal(first.stats.indexed, MACHINES + 1, 'read all the same');
    assert.equal(parsed.includes(slow), false, 'not handed to a worker');
    fs.appendFileSync(slow, '# edited\n');
    const again = await scan(root, true);
    assert.deepEqual(again.logs, []);
    assert.ok(again.facts.has(slow), 'another text: parsed');
  } finally {
    ScanPool.prototype.scan = scanBatch;
    forgetVerdicts();
  }
});

test('a scan that finds every file in its facts cache does not write the cache again', { skip }, async () => {
  const root = writeTree(generatorChainFiles(MACHINES), 'clan-vars-scan-cache-kept-');
  const dir = tempCacheDir('clan-vars-scan-cache-kept-facts-');
  roots.push(root, dir);
  const file = path.join(dir, 'clan.facts');
  const first = await scan(root, true, factsCacheAt(file));
  assert.equal(first.stats.cached, 0);
  const written = fs.statSync(file).ino;
  const again = await scan(root, true, factsCacheAt(file));
  const parsed = first.order.filter((f) => unparsedFacts(f, fs.readFileSync(f, 'utf8'), { registry: false, matrix: false }) === null);
  assert.equal(again.stats.cached, parsed.length, 'every file that needs a parse from the cache');
  assert.deepEqual([...again.facts], [...first.facts]);
  assert.equal(fs.statSync(file).ino, written, 'the cache file as it was: nothing new to keep');
});

test("a scan whose target throws ends its worker all the same; a syntax that cannot be made leaves the file to the usual parse", { skip }, async () => {
  const root = writeTree(chainClan(MACHINES), 'clan-vars-scan-throws-');
  roots.push(root);
  const close = ScanPool.prototype.close;
  let closed = 0;
  ScanPool.prototype.close = function (this: ScanPool) {
    closed++;
    return close.call(this);
  };
  try {
    await assert.rejects(
      scan(root, true, null, undefined, {
        progress: (done) => {
          if (done === 100) throw new Error('the target failed');
        },
      }),
      /the target failed/,
    );
    assert.equal(closed, 1, 'its pool ended');
  } finally {
    ScanPool.prototype.close = close;
  }
  const flake = path.join(root, 'flake.nix');
  const roles: ScanTarget['roles'] = (f) => ({ registry: f === flake, matrix: false });
  const plain = await scan(root, false, null, roles);
  const logs: string[] = [];
  const facts = new Map<string, string>();
  const pool = new FactPool();
  const stats = await scanFolder({
    ...targetOf(root, logs, { index: (f, _t, x, packed) => void facts.set(f, JSON.stringify(pool.share(x, packed))), skip: () => {}, fail: (f, m) => logs.push(`fail ${f}: ${m}`), update: (f) => logs.push(`update ${f}`) }, roles),
    // eslint-disable-next-line require-yield
    syntaxOf: function* () {
      throw new Error('no syntax');
    },
  });
  assert.deepEqual(logs, []);
  assert.equal(stats.indexed, MACHINES + 1);
  assert.equal(facts.get(flake), plain.facts.get(flake), 'parsed as any other file');
});
