// The cold scan of a workspace folder: every .nix file read, its facts made without a parse when
// its text has none of the words the extraction looks for (facts/file.ts unparsedFacts), else taken
// from the facts cache when its path, role and text are those cached, else parsed (in worker threads
// for a large folder, else here for a moment and then in a worker of its own: scanParse.ts), within
// the scan's time for slow parses (scanBudget.ts); a text that ran out of time before is not parsed
// again (scanVerdicts.ts). Files are indexed in the order they were found, whoever parsed them, so
// the result is that of one thread; the server's scan may go on without the files still in the slow
// lane at its end (ScanOptions.late), indexing each when its parse ends. The registry and the matrix
// are read last and parsed on this thread, once for both their facts and the evaluation that
// follows (syntaxOf).
import type { Confinement } from '../../base/confinement';
import { textDigest } from '../../base/textDigest';
import { unparsedFacts, type FileRoles } from '../../facts/file';
import type { FileFacts } from '../../facts/types';
import type { NixParser, Tree } from '../../syntax/nixParser';
import { discoverNixFiles, type FoundLinks } from '../../base/discover';
import { FactsCache } from './factsCache';
import { readNixFileSync, type ReadResult } from '../../base/readNixFile';
import { parseAllowanceMs, ScanBudget } from './scanBudget';
import { extracted, type ScanJob, type ScanResult } from './scanJob';
import { sharedTrees } from '../../syntax/sharedTrees';
import { parseInSteps, ScanParsing } from './scanParse';
import { ScanPool } from './scanPool';
import { knownTooSlow, rememberedReason } from './scanVerdicts';

/**
 * Below this many files a scan does not start worker threads: starting one costs about what parsing
 * some 300 files does. With one (2 cores, the pool started early), the checker's wall time on the
 * public clans of 180-264 files was 1.00-1.05 of a scan without, of 309-377 files 0.89-0.96.
 */
const MIN_FILES_FOR_WORKERS = 300;
/**
 * A scan whose facts cache is warm starts its workers once it has met this many files to parse,
 * if they are at least as many as the files found in the cache (a checkout of another branch: the
 * scan is about as cold as one without a cache); with one file edited, never. Started with the
 * cache warm anyway, the worker cost the checker of Mic92+dotfiles (319 files, one edited) 1.06 of
 * the wall time and 1.15 of the CPU.
 */
const LATE_WORKERS_AFTER = 32;

/** Whether a scan of `files` .nix files, with this facts cache, starts its worker threads before it reads them (else later, if at all). */
export function workersAtStart(files: number, cache: FactsCache | null): boolean {
  return files >= MIN_FILES_FOR_WORKERS && !cache?.warm;
}
/** Files per message to a worker. */
const WORKER_BATCH = 32;
/** The scan lets other work in when it has been busy this long. */
const PAUSE_EVERY_MS = 20;
/**
 * How long the server's scan (the one with ScanOptions.late, which answers requests meanwhile)
 * parses a file of a batch it took from the workers before the slow lane takes it over; the
 * checker's gives it the usual first try (scanParse.ts).
 */
const TAKEN_TRY_MS = PAUSE_EVERY_MS;

export interface ScanOptions {
  /** An LSP CancellationToken fits: checked between files. */
  cancel?: { readonly isCancellationRequested: boolean };
  /** Called as files are read. */
  progress?: (done: number, total: number) => void;
  /**
   * The server's: once every file is read, the files still in the slow lane (parsed off this thread
   * after their first try ran out, scanParse.ts) are waited for as long as their allowances together
   * (scanBudget.ts), at most `maxWaitMs`; the scan returns without those still being parsed then.
   * Each is indexed when its parse ends, if its text on disk is still the one read and `current()`
   * holds (no newer scan began), and then `indexed` is called. Without it, the scan waits for every
   * parse (the checker).
   */
  late?: { maxWaitMs: number; current(): boolean; indexed(file: string): void };
  /**
   * The folder's .nix files and the links met, found already (discoverNixFiles; the checker chooses
   * how V8 compiles the parser by their number): the scan lists nothing, and its target's links are these.
   */
  found?: { files: string[]; links: FoundLinks };
  /** The folder's facts cache, opened already (null: none); the checker decides from it whether to start workers early (workersAtStart). */
  cache?: FactsCache | null;
}

/** What the scan reads for and indexes into (a WorkspaceIndex). */
export interface ScanTarget {
  folder: string;
  /** What the scan may read: the folder, links resolved (Confinement.within(folder)). */
  reads: Confinement;
  /** Filled with where the scan went through links (base/discover.ts FoundLinks). */
  links?: FoundLinks;
  maxFileSize: number;
  parser: NixParser;
  log: (line: string) => void;
  /** Whether the on-disk facts cache is read and written (workspace/factsCache.ts). */
  useDiskCache: boolean;
  /** Whether a folder of many files is parsed in worker threads (workspace/scanPool.ts). */
  useWorkers: boolean;
  roles(file: string): FileRoles;
  /** Each text read that is analysed, with its digest (base/textDigest.ts). */
  onText(file: string, text: string, digest: string): void;
  /**
   * The evaluation's syntax of a registry or matrix the scan parses (ClanEvaluations.prepareSyntax),
   * in steps, its parse within `budgetMs` (ParseTimeout past it); it leaves the tree on the shelf
   * (syntax/sharedTrees.ts), and the scan extracts the file's facts from a copy of it instead of
   * parsing the file again.
   */
  syntaxOf?(file: string, text: string, budgetMs: number): Generator<void, void>;
  /**
   * Work that needs the registries and matrices the scan parsed with the evaluation's syntax
   * (`parsed`: their facts, indexed last) and no other file's facts: done once every file is read,
   * while the scan waits for its workers' last answers (ClanEvaluations.ahead).
   */
  whileWaiting?(parsed: FileFacts[]): void;
  /** Indexes a file's facts (the same object is then shared and cached); `packed` when they are packed (model/scan/factPool.ts). */
  index(file: string, text: string, facts: FileFacts, packed: boolean): void;
  /** A file not analysed, for a reason the user can act on (its size, its content, its parse time). */
  skip(file: string, reason: string): void;
  /** A file whose analysis threw (a bug): the error's message. */
  fail(file: string, message: string): void;
  /** Indexes a text the scan has no result for, as an edit would. */
  update(file: string, text: string): void;
}

/** A file the scan read: its facts from the cache, a verdict remembered about its text, or its parse under way. */
interface ScanEntry {
  file: string;
  read: ReadResult;
  key: string | null;
  roles?: FileRoles;
  cached?: FileFacts;
  /** Why its text is not parsed again (it ran out of time before). */
  known?: string;
  /** Its parse: the result, or a promise of it while a worker has it. */
  parsed?: ScanResult | Promise<ScanResult>;
  /** Its parse went to the slow lane. */
  slow?: boolean;
}

/**
 * Reads and indexes every .nix file of the folder: how many were read, how many of them the cache
 * had, in how many worker threads the others were parsed (0: here), how many of those this thread
 * took from the workers once it had read every file, and how many are indexed later (`late`).
 * Stops early (keeping what it has indexed) when `cancel` is set; reports progress as files are read.
 */
export async function scanFolder(target: ScanTarget, { cancel, progress, late, found: given, cache: opened }: ScanOptions = {}): Promise<{ indexed: number; cached: number; workers: number; taken: number; later: number }> {
  const found = given?.files ?? (await discoverNixFiles(target.folder, target.reads, target.log, cancel, target.links));
  // The registry and the matrix are read last when this thread parses them with the evaluation's
  // syntax (syntaxOf): the workers have the files before them to parse meanwhile, and no results
  // wait to be indexed after theirs. (Read where discovery puts them, among the first, the results
  // waiting behind theirs held the checker's peak 13 MB higher on the shared clan; parsed once a
  // quarter of the files was read, they made the scan 0.2 s longer.)
  const hasRole = (file: string) => {
    const roles = target.roles(file);
    return roles.registry || roles.matrix;
  };
  const last = target.syntaxOf ? found.filter(hasRole) : [];
  const files = last.length ? [...found.filter((f) => !last.includes(f)), ...last] : found;
  const cache = opened !== undefined ? opened : target.useDiskCache ? FactsCache.open(target.folder, target.log) : null;
  let pool = ScanPool.forScan(target.useWorkers && workersAtStart(files.length, cache), target.log);
  /** Files read so far that must be parsed, and that the cache had, while the workers wait (LATE_WORKERS_AFTER). */
  let toParse = 0;
  let fromCache = 0;
  let workersLater = target.useWorkers && !pool && files.length >= MIN_FILES_FOR_WORKERS;
  const parsing = new ScanParsing(target.parser, ScanBudget.create(), cache, target.log);
  // Every file is read here (the cache is looked up by its text); those the cache does not have
  // are parsed by the workers, in batches, while the next files are read. Read files wait in
  // `entries` until those before them are indexed.
  const entries: (ScanEntry | null)[] = [];
  let next = 0;
  let indexed = 0;
  let paused = performance.now();
  // lets a cancellation, requests and the workers' answers in
  const pause = async () => {
    if (performance.now() - paused < PAUSE_EVERY_MS) return;
    await new Promise((r) => setImmediate(r));
    paused = performance.now();
  };
  /** Files of batches posted to the workers that this thread took and parsed (ScanPool.take). */
  let taken = 0;
  const parseHere = async (jobs: ScanJob[]) => {
    taken += jobs.length;
    const results: ScanResult[] = [];
    // one file at a time, letting requests in between; a file not parsed in a moment goes to the slow lane
    for (const job of jobs) {
      results.push(await parsing.parse(job, late ? TAKEN_TRY_MS : undefined));
      await pause();
    }
    return results;
  };
  let batch: { entry: ScanEntry; job: ScanJob }[] = [];
  const flush = () => {
    if (!pool || !batch.length) return;
    const sent = batch;
    batch = [];
    const results = pool.scan(sent.map((b) => b.job), parsing.budget);
    sent.forEach((b, i) => settle(b.entry, results.then((r) => r[i])));
  };
  /** Notes `entry`'s parse, and its result when it comes. */
  const settle = (entry: ScanEntry, parsed: ScanResult | Promise<ScanResult>) => {
    entry.parsed = parsed;
    if (parsed instanceof Promise) void parsed.then((r) => (entry.parsed = r));
  };
  /**
   * Indexes the entries in order, up to the first whose parse is under way; with `until`, waits for
   * such a parse until the time it gives the entry (performance.now() time; Infinity: its end).
   */
  const drain = async (until: (entry: ScanEntry) => number = () => 0) => {
    for (let entry = entries[next]; entry && !cancel?.isCancellationRequested; entry = entries[next]) {
      if (underWay(entry)) {
        // rather than wait for the workers, this thread parses the batch posted last that none began
        const took = until(entry) > performance.now() ? pool?.take(parseHere) : null;
        if (took) {
          await took;
          continue;
        }
        if (!(await endsBy(entry.parsed as Promise<ScanResult>, until(entry)))) return;
      }
      indexed += await indexEntry(target, entry, cache, parsing);
      entries[next++] = null; // its text and facts are the index's now
      await pause();
    }
  };
  /** The facts of the registries and matrices parsed here with the evaluation's syntax (for whileWaiting). */
  const withSyntax: FileFacts[] = [];
  /** Files still in the slow lane when the scan returned: indexed as their parses end. */
  const later: ScanEntry[] = [];
  let handedOver = false;
  try {
    for (let i = 0; i < files.length && !cancel?.isCancellationRequested; i++) {
      const { entry, job } = readEntry(target, files[i], cache);
      entries.push(entry);
      if (entry.cached) fromCache++;
      if (job && workersLater && ++toParse >= LATE_WORKERS_AFTER && toParse >= fromCache) {
        pool = ScanPool.forScan(true, target.log);
        workersLater = false;
      }
      if (job) {
        let syntax: Awaited<ReturnType<typeof syntaxAndTree>> = null;
        if (target.syntaxOf && (job.roles.registry || job.roles.matrix)) {
          flush(); // the files before it, to the workers first
          syntax = await syntaxAndTree(target, job, parsing.budget, pause, cancel);
        }
        if (syntax) {
          const result = 'tooSlow' in syntax ? syntax : extracted(target.parser, job, syntax.tree);
          if ('facts' in result) withSyntax.push(result.facts);
          settle(entry, result);
        } else if (!pool) {
          settle(entry, parsing.parse(job));
          entry.slow = entry.parsed instanceof Promise;
        } else {
          batch.push({ entry, job });
          if (batch.length >= WORKER_BATCH) flush();
        }
      }
      progress?.(i + 1, files.length);
      await pause();
      await drain();
    }
    flush();
    if (withSyntax.length && !cancel?.isCancellationRequested) target.whileWaiting?.(withSyntax);
    if (late) {
      const slow = entries.filter((e): e is ScanEntry => !!e?.slow && underWay(e));
      const until = performance.now() + Math.min(late.maxWaitMs, slow.reduce((ms, e) => ms + parseAllowanceMs('text' in e.read ? e.read.text.length : 0), 0));
      await drain((e) => (e.slow ? until : Infinity));
      // past that, the files still in the slow lane are indexed when their parses end, the others now
      for (; next < entries.length && !cancel?.isCancellationRequested; next++) {
        const entry = entries[next]!;
        if (entry.slow && underWay(entry)) later.push(entry);
        else indexed += await indexEntry(target, entry, cache, parsing);
        entries[next] = null;
      }
    } else await drain(() => Infinity);
    handedOver = later.length > 0;
  } finally {
    if (!handedOver) await Promise.all([pool?.close(), parsing.close()]);
  }
  const save = () => cache && !cancel?.isCancellationRequested && cache.save();
  if (!handedOver) save();
  else {
    // the verdicts on the files parsed after the scan are saved with the rest once the last is indexed
    void indexLater(target, later, late!, cancel, cache, parsing)
      .then(() => late!.current() && save())
      .catch((e) => target.log(`indexing the files parsed after the scan failed: ${(e as Error).stack ?? e}`))
      .then(() => Promise.all([pool?.close(), parsing.close()]));
  }
  return { indexed, cached: cache?.hits ?? 0, workers: pool?.size ?? 0, taken, later: later.length };
}

/**
 * Reads `file` for the scan: its entry, with its facts when they need no parse (a text without any
 * word the extraction looks for: not the cache's either) or are cached, or a verdict remembered
 * about its text; and the job of its parse when it needs one.
 */
function readEntry(target: ScanTarget, file: string, cache: FactsCache | null): { entry: ScanEntry; job: ScanJob | null } {
  const read = readNixFileSync(target.reads, file, target.maxFileSize);
  const entry: ScanEntry = { file, read, key: null };
  if (!('text' in read)) return { entry, job: null };
  const digest = textDigest(read.text);
  target.onText(file, read.text, digest);
  const roles = (entry.roles = target.roles(file));
  const unparsed = unparsedFacts(file, read.text, roles);
  if (unparsed) {
    entry.parsed = { facts: unparsed };
    return { entry, job: null };
  }
  entry.key = cache ? FactsCache.key(file, `${+roles.registry}${+roles.matrix}${+!!roles.clanPart}`, digest) : null;
  entry.cached = entry.key ? cache!.get(entry.key) : undefined;
  if (!entry.cached) entry.known = knownTooSlow(read.text, cache, digest);
  return { entry, job: entry.cached || entry.known !== undefined ? null : { file, text: read.text, roles } };
}

/**
 * Makes the evaluation's syntax of `job`'s file, pausing between its steps, its parse within what
 * the scan's budget gives it (scanParse.ts parseInSteps): a copy of the tree it kept (the caller's
 * to delete), `tooSlow` when the parse ran out of time, or null when it kept no tree (a syntax
 * error, the scan was cancelled): then the file is parsed as any other.
 */
async function syntaxAndTree(target: ScanTarget, job: ScanJob, budget: ScanBudget, pause: () => Promise<void>, cancel: ScanOptions['cancel']): Promise<{ tree: Tree } | { tooSlow: string } | null> {
  const length = job.text.length;
  const grant = budget.grant(length);
  const goOn = async () => {
    await pause();
    return !cancel?.isCancellationRequested;
  };
  let made: Awaited<ReturnType<typeof parseInSteps<void>>>;
  try {
    made = await parseInSteps(target.syntaxOf!(job.file, job.text, grant.ms), budget, length, grant.reason, 0, goOn);
  } catch {
    return null;
  }
  if (!made || 'tooSlow' in made) return made;
  const tree = sharedTrees.copyOf(job.file, job.text);
  return tree && { tree };
}

/** Whether `parse` ends by `until` (performance.now() time): true at once for Infinity once it does. */
async function endsBy(parse: Promise<unknown>, until: number): Promise<boolean> {
  if (until === Infinity) return parse.then(() => true);
  const left = until - performance.now();
  if (left <= 0) return false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), left)));
  try {
    return await Promise.race([parse.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Indexes the files the scan went on without, each as its parse ends, while the scan is current and the file's text unchanged. */
async function indexLater(target: ScanTarget, later: ScanEntry[], late: NonNullable<ScanOptions['late']>, cancel: ScanOptions['cancel'], cache: FactsCache | null, parsing: ScanParsing): Promise<void> {
  for (const entry of later) {
    await entry.parsed;
    if (cancel?.isCancellationRequested || !late.current()) return;
    const now = readNixFileSync(target.reads, entry.file, target.maxFileSize);
    if (!('text' in now) || !('text' in entry.read) || now.text !== entry.read.text) continue;
    await indexEntry(target, entry, cache, parsing);
    late.indexed(entry.file);
  }
}

/** Whether `entry` waits for a parse (in a batch not sent yet, or in a worker). */
function underWay(entry: ScanEntry): boolean {
  const parses = 'text' in entry.read && !entry.cached && entry.known === undefined;
  return parses && (entry.parsed === undefined || entry.parsed instanceof Promise);
}

/**
 * Indexes a file the scan read: its facts from the cache, else those a worker found, else from
 * parsing it here; skipped when its text ran out of parse time, now or before. 1 when it was read,
 * 0 when skipped unread.
 */
async function indexEntry(target: ScanTarget, entry: ScanEntry, cache: FactsCache | null, parsing: ScanParsing): Promise<number> {
  const { file, read, key, cached, known, roles } = entry;
  if (!('text' in read)) {
    target.skip(file, read.skipped);
    return 0;
  }
  if (known !== undefined) {
    target.skip(file, `could not be parsed: ${rememberedReason(known)}`);
    return 1;
  }
  let result = cached ? { facts: cached } : await entry.parsed;
  // what a worker could not do is done here
  if (result && 'error' in result && entry.parsed && roles) result = await parsing.parse({ file, text: read.text, roles });
  if (!result) {
    target.update(file, read.text);
    return 1;
  }
  parsing.noteResult(read.text, result);
  if ('tooSlow' in result) target.skip(file, `could not be parsed: ${result.tooSlow}`);
  else if ('error' in result) target.fail(file, result.error);
  else {
    // a worker's facts and the cache's are packed (model/scan/factPool.ts)
    const facts = 'json' in result ? (JSON.parse(result.json) as FileFacts) : result.facts;
    try {
      target.index(file, read.text, facts, 'json' in result || cached !== undefined);
    } catch (e) {
      // facts the pool could not read: a damaged cache entry is dropped and the file parsed again
      const why = (e as Error).message;
      if (!cached || !roles) target.fail(file, why);
      else {
        target.log(`${file}: its cached facts could not be read (${why}); parsing it again`);
        return indexEntry(target, { ...entry, cached: undefined, parsed: parsing.parse({ file, text: read.text, roles }) }, cache, parsing);
      }
      return 1;
    }
    if (!cached && cache && key) cache.put(key, facts, 'json' in result ? result.json : undefined);
  }
  return 1;
}
