// How the cold scan starts, takes and ends its pool of worker threads (model/scan/scanPool.ts start,
// startingEarly, forScan, close; scanFolder.ts workersAtStart and the facts cache it opens), and how
// it indexes results that are not a worker's packed facts (a parse that failed, facts made on its
// own thread). Workers load scanWorker.ts from the sources.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { setEnvironmentData } from 'node:worker_threads';
import { FactsCache } from '../../server/src/model/scan/factsCache';
import { scanFolder, workersAtStart, type ScanTarget } from '../../server/src/model/scan/scanFolder';
import { ScanPool } from '../../server/src/model/scan/scanPool';
import { ScanBudget } from '../../server/src/model/scan/scanBudget';
import { CLAIMED_BY_WORKER, scanInOneGo, type ScanJob, type ScanMessage } from '../../server/src/model/scan/scanJob';
import type { NixParser } from '../../server/src/syntax/nixParser';
import { generatorChainFiles, tempCacheDir, writeTree } from '../helpers/tempClan';
import { chainClan, NO_ROLES, recordedScan as scanWith, scanTestSetup, type Scanned, workersOf } from '../helpers/scanRuns';
import { factsCacheAt } from '../helpers/factsCache';

const setup = scanTestSetup();
const { roots, skip } = setup;

/** A scan of `root` with workers (`changes` to its target) and `options`. */
const scan = (root: string, changes: Partial<ScanTarget> = {}, options: Parameters<typeof scanFolder>[1] = {}) => scanWith(root, setup.parser, changes, options);

/**
 * Watches the pools started (ScanPool.start) and ended (close), noting each in `events`, until
 * `restore`, which puts both back and ends every pool started meanwhile (and one started early
 * that no scan took), whatever the code under test did with them.
 */
function watchPools(events: string[] = []) {
  const start = ScanPool.start;
  const close = ScanPool.prototype.close;
  const started: (ScanPool | null)[] = [];
  const closed: ScanPool[] = [];
  ScanPool.start = (...args) => {
    const pool = start.apply(ScanPool, args);
    started.push(pool);
    events.push('start');
    return pool;
  };
  ScanPool.prototype.close = function (this: ScanPool) {
    closed.push(this);
    events.push('close');
    return close.call(this);
  };
  return {
    events,
    started,
    closed,
    async restore() {
      ScanPool.start = start;
      ScanPool.prototype.close = close;
      ScanPool.forScan(false, () => {});
      await Promise.all(started.map((p) => p?.close()));
    },
  };
}

/** The workers a pool started (private: a test reaches them as the pool's own listeners do). */

/** Blocks this thread for `ms` (no event is handled meanwhile). */
const block = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

test('startingEarly starts the pool before `work` runs; the scan inside takes that one (no second start) and ends it', { skip }, async () => {
  // generatorChainFiles(299): 300 files, enough for a worker from the start
  const root = writeTree(generatorChainFiles(299), 'clan-vars-pool-early-');
  roots.push(root);
  const watch = watchPools();
  let scanned: Scanned;
  try {
    scanned = await ScanPool.startingEarly(
      () => {},
      async () => {
        watch.events.push('work');
        return scan(root, { onText: () => void (watch.events.at(-1) !== 'text' && watch.events.push('text')) });
      },
    );
  } finally {
    await watch.restore();
  }
  assert.deepEqual(watch.events.slice(0, 3), ['start', 'work', 'text'], 'started before `work`, which read the files');
  assert.equal(watch.started.length, 1, 'the scan took the pool started early');
  assert.ok(watch.started[0], 'a worker from the sources');
  assert.deepEqual(watch.closed, [watch.started[0]], 'ended once, by the scan that took it');
  assert.equal(scanned.stats.workers, 1);
  assert.equal(scanned.stats.indexed, 300);
  assert.deepEqual(scanned.logs, []);
});

test('startingEarly: not wanted, no pool is started; a pool started early that no scan took is ended when `work` ends, or throws', { skip }, async () => {
  const watch = watchPools();
  try {
    const none = await ScanPool.startingEarly(() => {}, async () => watch.started.length, false);
    assert.equal(none, 0, 'none started before `work`');
    assert.equal(watch.started.length, 0, 'nor after');
    const seen = await ScanPool.startingEarly(() => {}, async () => [...watch.events]);
    assert.deepEqual(seen, ['start'], 'wanted by default: started before `work`');
    assert.ok(watch.started[0]);
    assert.deepEqual(watch.closed, [watch.started[0]], 'no scan took it: ended when `work` ended');
    await assert.rejects(
      ScanPool.startingEarly(() => {}, async () => {
        throw new Error('work failed');
      }),
      /work failed/,
    );
    assert.equal(watch.started.length, 2);
    assert.deepEqual(watch.closed, watch.started, 'ended when `work` threw');
  } finally {
    await watch.restore();
  }
});

test('forScan(false), a scan of too few files, ends the pool started early before it reads them; the next scan that wants one starts its own', { skip }, async () => {
  const root = writeTree(generatorChainFiles(5), 'clan-vars-pool-few-');
  roots.push(root);
  const watch = watchPools();
  try {
    await ScanPool.startingEarly(
      () => {},
      async () => {
        const early = watch.started[0];
        assert.ok(early);
        const few = await scan(root, { onText: () => void (watch.events.at(-1) !== 'text' && watch.events.push('text')) });
        assert.equal(few.stats.workers, 0);
        assert.deepEqual(watch.events, ['start', 'close', 'text'], 'ended before the files were read');
        assert.deepEqual(watch.closed, [early]);
        const fresh = ScanPool.forScan(true, () => {});
        assert.equal(watch.started.length, 2, 'a new pool: the early one is gone');
        assert.ok(fresh && fresh !== early);
      },
    );
  } finally {
    await watch.restore();
  }
});

test('workersAtStart: from 300 files on, unless the facts cache is warm', () => {
  const dir = tempCacheDir('clan-vars-pool-at-start-');
  roots.push(dir);
  const cold = factsCacheAt(path.join(dir, 'none'));
  assert.equal(cold.warm, false);
  const warm = factsCacheAt(path.join(dir, 'none'));
  (warm as unknown as { loaded: Map<string, string> }).loaded.set('k', '{}');
  assert.equal(warm.warm, true);
  assert.deepEqual(
    [workersAtStart(300, null), workersAtStart(299, null), workersAtStart(300, cold), workersAtStart(301, cold), workersAtStart(300, warm), workersAtStart(5000, warm), workersAtStart(0, null)],
    [true, false, true, true, false, false, false],
  );
});

test('a scan of exactly 300 files starts its worker before it reads one from scratch; with its facts cache warm and every file changed, once 32 to parse are read', { skip }, async () => {
  const root = writeTree(generatorChainFiles(299), 'clan-vars-pool-300-');
  const dir = tempCacheDir('clan-vars-pool-300-facts-');
  roots.push(root, dir);
  const file = path.join(dir, 'clan.facts');
  /** The scan's events: `start` of a pool, and each file read (its path). */
  const run = async (cache: FactsCache | null) => {
    const watch = watchPools();
    try {
      const s = await scan(root, { onText: (f) => void watch.events.push(f), useDiskCache: cache !== null }, { cache });
      return { ...s, events: watch.events.filter((e) => e !== 'close'), started: watch.started.length };
    } finally {
      await watch.restore();
    }
  };
  for (const cache of [null, factsCacheAt(file)]) {
    const cold = await run(cache);
    const label = cache ? 'an empty facts cache' : 'no facts cache';
    assert.equal(cold.events[0], 'start', `${label}: started before the first file was read`);
    assert.equal(cold.started, 1, label);
    assert.equal(cold.events.length, 301, `${label}: and 300 files read`);
    assert.deepEqual([cold.stats.workers, cold.stats.indexed, cold.stats.cached], [1, 300, 0], label);
    assert.deepEqual(cold.logs, [], label);
  }
  assert.ok(fs.existsSync(file), 'the cache saved');
  for (let i = 0; i < 299; i++) fs.appendFileSync(path.join(root, `machines/m${i}.nix`), '# edited\n');
  const warm = await run(factsCacheAt(file));
  assert.equal(warm.started, 1, 'every file changed: a worker is started');
  const before = warm.events.slice(0, warm.events.indexOf('start'));
  // the flake has no facts to parse: only the machine files count
  assert.equal(before.filter((f) => f.includes('/machines/')).length, 32, `started once the 32nd file to parse was read: ${before.length} read before`);
  assert.deepEqual([warm.stats.workers, warm.stats.indexed, warm.stats.cached], [1, 300, 0]);
  assert.deepEqual(warm.logs, []);
});

test("a scan given no facts cache opens the folder's own when it uses the disk cache, none when it does not or is given none", async () => {
  const root = writeTree(generatorChainFiles(3), 'clan-vars-pool-open-');
  const dir = tempCacheDir('clan-vars-pool-open-facts-');
  roots.push(root, dir);
  const file = path.join(dir, 'clan.facts');
  const open = FactsCache.open;
  const opened: string[] = [];
  // from the sources open gives none (no build to key the file by): here, the cache at `file`
  FactsCache.open = (folder) => {
    opened.push(folder);
    return factsCacheAt(file);
  };
  try {
    const first = await scan(root, { useDiskCache: true, useWorkers: false });
    assert.deepEqual(opened, [root]);
    assert.equal(first.stats.cached, 0);
    assert.ok(fs.existsSync(file), 'the cache it opened is saved');
    const second = await scan(root, { useDiskCache: true, useWorkers: false });
    assert.deepEqual(opened, [root, root]);
    // the three machine files have facts to parse, the flake none
    assert.equal(second.stats.cached, 3, 'read from the cache it opened');
    assert.deepEqual([...second.facts], [...first.facts]);
    const off = await scan(root, { useDiskCache: false, useWorkers: false });
    const given = await scan(root, { useDiskCache: true, useWorkers: false }, { cache: null });
    assert.deepEqual(opened, [root, root], 'none opened without the disk cache, or given none');
    assert.deepEqual([off.stats.cached, given.stats.cached], [0, 0]);
  } finally {
    FactsCache.open = open;
  }
});

test("the scan's `taken` counts the files of the batches its thread took back from the worker and parsed", { skip }, async () => {
  const root = writeTree(chainClan(420), 'clan-vars-pool-taken-');
  roots.push(root);
  const take = ScanPool.prototype.take;
  let files = 0;
  ScanPool.prototype.take = function (this: ScanPool, run) {
    return take.call(this, (jobs) => {
      files += jobs.length;
      return run(jobs);
    });
  };
  let scanned: Scanned;
  try {
    scanned = await scan(root);
  } finally {
    ScanPool.prototype.take = take;
  }
  assert.equal(scanned.stats.workers, 1);
  assert.equal(scanned.stats.indexed, 421);
  assert.deepEqual(scanned.logs, []);
  // the worker loads from the sources while the scan's thread reads: the last batches wait for it
  assert.ok(files > 0, 'the scan took back a batch');
  assert.equal(scanned.stats.taken, files);
  assert.ok(scanned.stats.taken <= 420, 'no more than the files parsed');
});

test("a file whose parse fails on the scan's thread, again when redone there, is failed with the parser's message and not indexed", async () => {
  const root = writeTree({ 'a.nix': '{ clan.core.vars.generators.a.files.key = { }; }\n', 'broken.nix': '{ clan.core.vars.generators.b.files.key = { }; }\n' }, 'clan-vars-pool-fails-');
  roots.push(root);
  let tries = 0;
  // a parser that fails on one text (the error a worker or this thread gives back for it)
  const failing = Object.create(setup.parser) as NixParser;
  failing.parse = (text, ...rest) => {
    if (text.includes('generators.b')) {
      tries++;
      throw new Error('the parser broke');
    }
    return setup.parser.parse(text, ...rest);
  };
  const scanned = await scan(root, { parser: failing, useWorkers: false });
  assert.deepEqual(scanned.logs, [`fail ${path.join(root, 'broken.nix')}: the parser broke`]);
  assert.equal(tries, 2, 'tried, then redone here');
  assert.deepEqual(scanned.order, [path.join(root, 'a.nix')]);
  assert.equal(scanned.stats.indexed, 2);
});

test("facts made on the scan's own thread are indexed as not packed: a name that starts with U+0001 is kept as it is", async () => {
  const text = '{ clan.core.vars.generators."\u0001x".files."\u0001key" = { }; }\n';
  const root = writeTree({ 'a.nix': text }, 'clan-vars-pool-unpacked-');
  roots.push(root);
  const file = path.join(root, 'a.nix');
  const scanned = await scan(root, { useWorkers: false });
  assert.deepEqual(scanned.logs, []);
  assert.deepEqual(scanned.order, [file]);
  const made = scanInOneGo(setup.parser, { file, text, roles: NO_ROLES }, ScanBudget.create(10_000));
  assert.ok('facts' in made);
  assert.equal(made.facts.generators[0].name.name, '\u0001x');
  assert.equal(scanned.facts.get(file), JSON.stringify(made.facts));
  const indexed = JSON.parse(scanned.facts.get(file)!);
  assert.equal(indexed.generators[0].name.name, '\u0001x');
  assert.equal(indexed.generators[0].files[0].name, '\u0001key');
});

test('when a worker cannot be made, start says why in the log and gives no pool', () => {
  // a value no worker can be given: the Worker constructor throws (worker_threads environment data)
  const fn = () => {};
  let why = '';
  try {
    structuredClone(fn);
  } catch (e) {
    why = (e as Error).message;
  }
  assert.ok(why);
  const logs: string[] = [];
  setEnvironmentData('clan-vars-test-uncloneable', fn as never);
  let pool: ScanPool | null;
  try {
    pool = ScanPool.start((l) => logs.push(l), { workers: 1 });
  } finally {
    setEnvironmentData('clan-vars-test-uncloneable', undefined as never);
  }
  assert.equal(pool, null);
  assert.deepEqual(logs, [`no scan workers: ${why}`]);
});

test('the default count follows the cores available to the process (availableParallelism), not all the machine has', async () => {
  const saved = process.env.CLAN_VARS_SCAN_WORKERS;
  delete process.env.CLAN_VARS_SCAN_WORKERS;
  // the os module the sources use (its import reads through to this object)
  const real = require('node:os') as typeof os;
  const { availableParallelism, cpus } = real;
  const sizes: (number | null)[] = [];
  try {
    // one core of three for this process (an affinity mask, a container's quota)
    real.cpus = () => [cpus()[0], cpus()[0], cpus()[0]];
    for (const available of [1, 2]) {
      real.availableParallelism = () => available;
      const pool = ScanPool.start(() => {});
      sizes.push(pool?.size ?? null);
      await pool?.close();
    }
  } finally {
    real.availableParallelism = availableParallelism;
    real.cpus = cpus;
    if (saved !== undefined) process.env.CLAN_VARS_SCAN_WORKERS = saved;
  }
  assert.deepEqual(sizes, [null, 1]);
});

test("an answer that comes after the pool was closed is dropped: no error, and the closed pool has no worker", { skip, timeout: 60_000 }, async () => {
  const logs: string[] = [];
  const pool = ScanPool.start((l) => logs.push(l), { workers: 1 });
  assert.ok(pool);
  const [worker] = workersOf(pool);
  let claim: Int32Array | undefined;
  const post = worker.postMessage.bind(worker);
  worker.postMessage = (message: ScanMessage) => {
    claim = message.claim;
    post(message);
  };
  const messages: string[] = [];
  let closed = false;
  worker.on('message', (m) => messages.push(`${closed ? 'after' : 'before'} close: ${Array.isArray(m) ? m.length : m}`));
  const budget = ScanBudget.create(10_000);
  const job: ScanJob = { file: '/clan/a.nix', text: '{ clan.core.vars.generators.a.files.key = { }; }\n', roles: NO_ROLES };
  void pool.scan([job], budget);
  assert.ok(claim);
  // this thread waits, handling nothing, until the worker has begun the batch and had time to answer
  const deadline = performance.now() + 40_000;
  while (Atomics.load(claim, 0) !== CLAIMED_BY_WORKER && performance.now() < deadline) block(5);
  assert.equal(Atomics.load(claim, 0), CLAIMED_BY_WORKER, 'the worker began the batch');
  block(2_000);
  const closing = pool.close();
  closed = true;
  await closing;
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(messages, ['after close: 1'], 'its answer came once the pool was closed');
  assert.deepEqual(logs, []);
  assert.deepEqual(await pool.scan([job], budget), [{ error: 'no scan worker' }]);
});
