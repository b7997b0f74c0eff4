// The server's scan going on without the files still in the slow lane (scanFolder.ts ScanOptions.late):
// how long it waits for them once every file is read, what it indexes before it returns and what as
// their parses end (only while the scan is current and not cancelled, the text unchanged), when it
// saves the facts cache. The test holds the slow lane's parses (ScanParsing.parse) and lets each go.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { Confinement } from '../../server/src/base/confinement';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { textDigest } from '../../server/src/base/textDigest';
import { FactsCache } from '../../server/src/model/scan/factsCache';
import { scanFolder, type ScanOptions, type ScanTarget } from '../../server/src/model/scan/scanFolder';
import { ScanParsing } from '../../server/src/model/scan/scanParse';
import { forgetVerdicts } from '../../server/src/model/scan/scanVerdicts';
import { NixParser } from '../../server/src/syntax/nixParser';
import { factsCacheAt } from '../helpers/factsCache';
import { slowText } from '../helpers/slowText';
import { removeTree, tempCacheDir, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));
let parser: NixParser;
before(async () => {
  parser = await NixParser.load();
});
beforeEach(() => forgetVerdicts());

/** Files the scan parses on its thread at once (they name words the extraction looks for). */
const QUICK = { 'a.nix': '{ clan.core.vars.generators.a.files.key = { }; }\n', 'd.nix': '{ imports = [ ]; }\n' };

/** A parse the test holds: the slow lane's answer comes once `release` is called. */
interface Hold {
  gate: Promise<void>;
  release: () => void;
}
function hold(): Hold {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  return { gate, release };
}

interface LateRun {
  stats: Awaited<ReturnType<typeof scanFolder>>;
  /** What the scan did, by file name, in order; `returned` when scanFolder returned. */
  events: string[];
  logs: string[];
  /** Active timers (process.getActiveResourcesInfo) after the scan returned, less those before it. */
  timersLeft: number;
  /** Resolves when the scan has ended its parsing (after the files indexed later, the cache saved). */
  ended: Promise<void>;
}

/** The scan under way: the parses it holds, and what to call when its parsing ends. */
let run: { held: Record<string, Hold>; ended: () => void } = { held: {}, ended: () => {} };
/** The run each scan's parsing belongs to (noted at its first parse, while that scan reads its files). */
const runOf = new WeakMap<ScanParsing, typeof run>();
const parse = ScanParsing.prototype.parse;
const close = ScanParsing.prototype.close;
before(() => {
  ScanParsing.prototype.parse = function (this: ScanParsing, job, firstTryMs) {
    if (!runOf.has(this)) runOf.set(this, run);
    const h = runOf.get(this)!.held[path.basename(job.file)];
    if (!h) return parse.call(this, job, firstTryMs);
    return h.gate.then(() => parse.call(this, { ...job, text: '{ imports = [ ]; }\n' }));
  };
  ScanParsing.prototype.close = async function (this: ScanParsing) {
    await close.call(this);
    runOf.get(this)?.ended();
  };
});
after(() => {
  ScanParsing.prototype.parse = parse;
  ScanParsing.prototype.close = close;
});

/**
 * Scans `files` (written to a new folder) in the server's late mode: the files named in `held` go to
 * the slow lane (their first try ran out, ScanParsing.parse gives a promise) and their parse ends when
 * their hold is released, with the facts of a small text; the others are parsed as usual.
 * `onLastRead` is called when the scan has read its last file.
 */
async function lateScan(
  files: Record<string, string>,
  held: Record<string, Hold>,
  late: Partial<NonNullable<ScanOptions['late']>>,
  options: { cache?: FactsCache | null; cancel?: ScanOptions['cancel']; onLastRead?: () => void } = {},
): Promise<LateRun & { root: string }> {
  const root = writeTree(files, 'clan-vars-scan-late-');
  roots.push(root);
  const events: string[] = [];
  const logs: string[] = [];
  const name = (file: string) => path.basename(file);
  const target: ScanTarget = {
    folder: root,
    reads: Confinement.within(root),
    maxFileSize: DEFAULT_SETTINGS.maxFileSize,
    parser,
    log: (l) => logs.push(l),
    useDiskCache: false,
    useWorkers: false,
    roles: () => ({ registry: false, matrix: false }),
    onText: () => {},
    index: (file) => events.push(`index ${name(file)}`),
    skip: (file, reason) => events.push(`skip ${name(file)}: ${reason}`),
    fail: (file, message) => events.push(`fail ${name(file)}: ${message}`),
    update: (file) => events.push(`update ${name(file)}`),
  };
  let ended!: () => void;
  const endedP = new Promise<void>((r) => (ended = r));
  run = { held, ended };
  const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
  const timersBefore = timers();
  const stats = await scanFolder(target, {
    cache: options.cache ?? null,
    cancel: options.cancel,
    progress: (done, total) => done === total && options.onLastRead?.(),
    late: { maxWaitMs: 60_000, current: () => true, indexed: (file) => events.push(`later ${name(file)}`), ...late },
  });
  const timersLeft = timers() - timersBefore;
  events.push('returned');
  return { root, stats, events, logs, timersLeft, ended: endedP };
}

test('a file of the slow lane whose parse ended while the scan waited for one before it is indexed before the scan returns; the one still parsing after, when its parse ends', { timeout: 60_000 }, async () => {
  const stuck = hold();
  const done = hold();
  done.release();
  const run = await lateScan({ ...QUICK, 'b-stuck.nix': slowText(1), 'c-done.nix': slowText(2) }, { 'b-stuck.nix': stuck, 'c-done.nix': done }, { maxWaitMs: 300 });
  assert.deepEqual(run.events, ['index a.nix', 'index c-done.nix', 'index d.nix', 'returned'], 'b-stuck held past maxWaitMs; c-done and d.nix after it indexed in their turn');
  assert.equal(run.stats.later, 1, JSON.stringify(run.stats));
  assert.equal(run.stats.indexed, 3, 'a.nix, c-done.nix, d.nix');
  stuck.release();
  await run.ended;
  assert.deepEqual(run.events.slice(4), ['index b-stuck.nix', 'later b-stuck.nix']);
  assert.deepEqual(run.logs, []);
});

test('the scan waits for the files in the slow lane up to their parse allowances (under maxWaitMs), indexing each as its parse ends, and leaves no timer behind', { timeout: 60_000 }, async () => {
  // a file's allowance is 250 ms + 1 ms per 1,000 characters: about 0.3 s for b-slow.nix, 2.15 s for
  // c-slow.nix (100 lines of 19,000 characters)
  const texts = { 'b-slow.nix': slowText(3), 'c-slow.nix': slowText(4, 100) };
  assert.ok(250 + texts['c-slow.nix'].length / 1000 > 2_000);
  const holds = { 'b-slow.nix': hold(), 'c-slow.nix': hold() };
  // c-slow.nix ends well within its own allowance, and past the 250 ms a file's allowance is at least
  const letGo = () => {
    setTimeout(holds['b-slow.nix'].release, 100);
    setTimeout(holds['c-slow.nix'].release, 1_200);
  };
  const run = await lateScan({ ...QUICK, ...texts }, holds, { maxWaitMs: 60_000 }, { onLastRead: letGo });
  assert.deepEqual(run.events, ['index a.nix', 'index b-slow.nix', 'index c-slow.nix', 'index d.nix', 'returned'], 'waited for both');
  assert.deepEqual([run.stats.later, run.stats.indexed], [0, 4]);
  assert.equal(run.timersLeft, 0, "the wait's timers cleared as the parses ended");
  await run.ended;
  assert.deepEqual(run.logs, []);
});

test('past maxWaitMs the scan returns without the file still parsing; it is indexed when its parse ends, and the facts cache saved with its facts then', { timeout: 60_000 }, async () => {
  const dir = tempCacheDir('clan-vars-scan-late-facts-');
  roots.push(dir);
  const file = path.join(dir, 'clan.facts');
  // an allowance of about 2.15 s; the wait is 100 ms, its parse ends after 1.5 s (well past the
  // wait, should the scan stall, and still within the allowance)
  const text = slowText(5, 100);
  const slow = hold();
  const run = await lateScan({ ...QUICK, 'b-slow.nix': text }, { 'b-slow.nix': slow }, { maxWaitMs: 100 }, { cache: factsCacheAt(file), onLastRead: () => setTimeout(slow.release, 1_500) });
  assert.deepEqual(run.events, ['index a.nix', 'index d.nix', 'returned']);
  assert.deepEqual([run.stats.later, run.stats.indexed], [1, 2]);
  assert.equal(fs.existsSync(file), false, 'not saved before the file parsed later is indexed');
  await run.ended;
  assert.deepEqual(run.events.slice(3), ['index b-slow.nix', 'later b-slow.nix']);
  assert.ok(fs.existsSync(file), 'saved once it was');
  const key = FactsCache.key(path.join(run.root, 'b-slow.nix'), '000', textDigest(text));
  assert.ok(factsCacheAt(file).get(key), 'with the facts of the file indexed later');
  assert.deepEqual(run.logs, []);
});

test('a file whose parse ends once a newer scan began (the scan no longer current) is not indexed, and the facts cache is not saved', { timeout: 60_000 }, async () => {
  const dir = tempCacheDir('clan-vars-scan-late-stale-');
  roots.push(dir);
  const file = path.join(dir, 'clan.facts');
  let current = true;
  const slow = hold();
  const run = await lateScan({ ...QUICK, 'b-slow.nix': slowText(6) }, { 'b-slow.nix': slow }, { maxWaitMs: 50, current: () => current }, { cache: factsCacheAt(file) });
  assert.deepEqual(run.events, ['index a.nix', 'index d.nix', 'returned']);
  assert.equal(run.stats.later, 1);
  current = false;
  slow.release();
  await run.ended;
  assert.deepEqual(run.events.slice(3), [], 'neither indexed nor reported');
  assert.equal(fs.existsSync(file), false, 'no cache saved');
  assert.deepEqual(run.logs, []);
});

test('a file whose parse ends once the scan was cancelled is not indexed, and the facts cache is not saved', { timeout: 60_000 }, async () => {
  const dir = tempCacheDir('clan-vars-scan-late-cancel-');
  roots.push(dir);
  const file = path.join(dir, 'clan.facts');
  const cancel = { isCancellationRequested: false };
  const slow = hold();
  const run = await lateScan({ ...QUICK, 'b-slow.nix': slowText(7) }, { 'b-slow.nix': slow }, { maxWaitMs: 50 }, { cache: factsCacheAt(file), cancel });
  assert.deepEqual(run.events, ['index a.nix', 'index d.nix', 'returned']);
  cancel.isCancellationRequested = true;
  slow.release();
  await run.ended;
  assert.deepEqual(run.events.slice(3), []);
  assert.equal(fs.existsSync(file), false);
  assert.deepEqual(run.logs, []);
});

test('of the files parsed after the scan, one deleted or changed on disk meanwhile is not indexed; one unchanged is', { timeout: 60_000 }, async () => {
  const holds = { 'b-gone.nix': hold(), 'c-changed.nix': hold(), 'e-same.nix': hold() };
  const files = { ...QUICK, 'b-gone.nix': slowText(8), 'c-changed.nix': slowText(9), 'e-same.nix': slowText(10) };
  const run = await lateScan(files, holds, { maxWaitMs: 50 });
  assert.deepEqual(run.events, ['index a.nix', 'index d.nix', 'returned']);
  assert.equal(run.stats.later, 3);
  fs.rmSync(path.join(run.root, 'b-gone.nix'));
  fs.appendFileSync(path.join(run.root, 'c-changed.nix'), '# edited\n');
  Object.values(holds).forEach((h) => h.release());
  await run.ended;
  assert.deepEqual(run.events.slice(3), ['index e-same.nix', 'later e-same.nix'], 'the watcher indexes the others');
  assert.deepEqual(run.logs, []);
});

test('when indexing a file parsed after the scan throws, the error is logged with its stack and the slow lane still ends', { timeout: 60_000 }, async () => {
  const boom = new Error('boom');
  const slow = hold();
  const run = await lateScan(
    { ...QUICK, 'b-slow.nix': slowText(11) },
    { 'b-slow.nix': slow },
    {
      maxWaitMs: 50,
      indexed: () => {
        throw boom;
      },
    },
  );
  assert.deepEqual(run.events, ['index a.nix', 'index d.nix', 'returned']);
  slow.release();
  await run.ended;
  assert.deepEqual(run.events.slice(3), ['index b-slow.nix']);
  assert.ok(boom.stack?.includes('\n    at '), 'a stack');
  assert.deepEqual(run.logs, [`indexing the files parsed after the scan failed: ${boom.stack}`]);
});
