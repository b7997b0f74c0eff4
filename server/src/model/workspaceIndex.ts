// The cross-file index of one workspace folder: the facts of every .nix file and which clan each
// file belongs to. Files are parsed once, summarised, and their trees deleted; after that, only
// changed files are re-read. It keeps facts and versions only: the model (model/clanModels.ts) and
// the rules (rules/engine.ts) are built above it.
import * as path from 'node:path';
import { Confinement } from '../base/confinement';
import { extractFile, noFacts, type FileRoles } from '../facts/file';
import { ExternalModuleReader } from './inputs/externalModules';
import { forgetRegistryCache } from '../facts/registry';
import { forgetMatrixCache } from '../facts/matrix';
import type { FileFacts, Generator } from '../facts/types';
import { ParseTimeout, type NixParser, type Tree } from '../syntax/nixParser';
import type { RuleInput } from '../facts/types';
import type { ClanEvaluation } from './clanEvaluation';
import { ClanEvaluations } from './clanEvaluations';
import { mergeMatrix, mergeRegistry } from './evaluatedFacts';
import { addedInScanOrder, inFolderNotWalked, inScanOrder, isSkippedPath, noLinks, pathsThroughLinks, type FoundLinks } from '../base/discover';
import { checkEditorText, readNixFile, readNixFileSync } from '../base/readNixFile';
import { scanFolder, type ScanOptions } from './scan/scanFolder';
import { knownTooSlow, rememberedReason, rememberTooSlow } from './scan/scanVerdicts';
import { FactPool } from './scan/factPool';
import { rootAt, type AnalysisSettings } from '../base/settings';
import { partFiles } from './clanParts';
import { INPUTS, newVersions, sameDiscoverDirs, sameInput } from './ruleInputs';
import { QueryDb, type Input } from '../base/query';
import { invalidateVarsOnDisk, isVarsPath } from './varsOnDisk';
import { detached } from '../base/detached';

export type Log = (line: string) => void;

export type { ScanOptions };

export class WorkspaceIndex {
  readonly facts = new Map<string, FileFacts>();
  /** The files whose analysis threw (FileFacts.internalError). */
  readonly failedFiles = new Set<string>();
  /** Per file with syntax errors now: its generators when it last had none (lastGoodGenerators). */
  private lastGood = new Map<string, Generator[]>();
  /**
   * The files others import as a part of a clan's configuration (and such a folder's default.nix):
   * they are read as those parts too (FileRoles.clanPart), found as the files that import them are
   * indexed (noteClanParts).
   */
  private clanParts = new Set<string>();
  /** One object per position and range value, one copy per short string, across the facts a scan read (workspace/factPool.ts). */
  private readonly factPool = new FactPool();
  /** Generator declarations in all files, kept as files change. */
  private generators = 0;
  private flakeDirs = new Set<string>();
  /** The inputs the models are derived from (ClanModels): the cells below, and the versions. */
  readonly db = new QueryDb();
  /** Per clan root: bumped on every change; with `epoch` (bumped when the set of clans changes) it is the clan's generation. */
  private generations = new Map<string, Input<number>>();
  private epoch = this.db.input(0);
  /** The facts grouped by clan root, kept up to date file by file; null when the set of clans changed. */
  private byRoot: Map<string, Map<string, FileFacts>> | null = null;
  /** The last file of each clan's files in byRoot (or one after it, once that file is gone): a file after it is appended. */
  private readonly lastOfRoot = new Map<string, string>();
  /** Per clan root: a version of each rule input, bumped when a file's fingerprint changes. */
  private versions = new Map<string, Record<RuleInput, number>>();
  /** Per clan root: the files whose generators changed, by the `generators` version they made (null: not told by a file). */
  private generatorChanges = new Map<string, { version: number; file: string | null; names: (string | null)[]; renamed: boolean }[]>();
  private roots = new Map<string, string>();
  /** Evaluations of each clan's registry pipeline (see ClanEvaluations). */
  readonly evaluations: ClanEvaluations;
  /** Modules of flake inputs found on this machine (the Nix store, a clan-core checkout). */
  readonly external: ExternalModuleReader;
  /** Whether a scan reads and writes the on-disk facts cache (workspace/factsCache.ts): the server and the checker do. */
  useDiskCache = false;
  /** Whether a scan of many files parses them in worker threads (workspace/scanPool.ts): the server and the checker do. */
  useWorkers = false;
  /** How many files the last scan took from that cache. */
  cachedFiles = 0;
  /** How many worker threads the last scan parsed in (0: none, it parsed here). */
  scanWorkers = 0;
  /** How many of the files given to those workers the last scan's own thread took and parsed once it had read every file. */
  scanTaken = 0;
  /**
   * The server's: a scan goes on without the files still in its slow lane when the others are done,
   * waiting for them at most this long (ScanOptions.late); null: it waits for every parse.
   */
  slowLaneWaitMs: number | null = null;
  /** Called for each file the scan went on without, once it is indexed; `laterFiles`: how many the last scan left. */
  onIndexedLater: (file: string) => void = () => {};
  laterFiles = 0;
  /** Bumped by each scan: a file parsed after its scan is indexed only while no newer scan began. */
  private scanSerial = 0;
  /**
   * Whether `file` is open in the editor (the server tells): its facts are then those of the
   * editor's text, and what a scan or a read finds on disk for it is not indexed. Reads take a
   * while, and a file may be opened and its text indexed before the read of it ends.
   */
  openInEditor: (file: string) => boolean = () => false;
  /** Called with each text a scan read and analyses (`--fix` keeps a digest, to see a file change before it writes). */
  onScanText: ((file: string, text: string, digest: string) => void) | null = null;
  /** What the scan and every read of a file of the folder may read: the folder, links resolved (resolved again at each scan). */
  reads: Confinement;
  /** Where the last scan, or the last discovery after a link changed, went through links (base/discover.ts). */
  protected links: FoundLinks = noLinks();

  constructor(
    readonly folder: string,
    private settings: AnalysisSettings,
    readonly parser: NixParser,
    protected readonly log: Log = () => {},
  ) {
    this.reads = Confinement.within(folder);
    this.external = new ExternalModuleReader(parser);
    this.evaluations = new ClanEvaluations(parser, log, () => this.settings, {
      bump: (root, input, change) => {
        if (process.env.CLAN_VARS_DEBUG_RULES) this.log(`bump ${input} by evaluation`);
        const v = this.versions.get(root);
        if (v) v[input]++;
        if (v && input === 'generators') this.noteGeneratorChange(root, v.generators, change?.file ?? null, change?.names ?? [], change?.renamed ?? true);
      },
      // an evaluation that landed is a change: the writer applies it (applyDue), not the reader that notices it
      due: (root) => this.landed.add(root),
      // the merges of evaluated and literal facts the model makes (memoized by their inputs)
      prepare: (root, evaluation) => this.mergeSteps(root, evaluation),
    });
  }

  /** The merges of an evaluation with the literal registry and matrix the model makes (memoized by their inputs), one a step. */
  private *mergeSteps(root: string, evaluation: ClanEvaluation): IterableIterator<void> {
    mergeRegistry(this.filesOf(root).get(path.resolve(root, this.settings.registryPath))?.registry, evaluation.registry);
    yield;
    mergeMatrix(this.filesOf(root).get(path.resolve(root, this.settings.matrixPath))?.matrix, evaluation.matrix);
  }

  getSettings(): AnalysisSettings {
    return this.settings;
  }

  contains(file: string): boolean {
    return !isSkippedPath(this.folder, file);
  }

  /**
   * Reads and indexes every .nix file of the folder (workspace/scanFolder.ts); returns how many
   * were indexed. Stops early (keeping what it has indexed) when `cancel` is set; reports progress
   * as files are read.
   */
  async scan(options: ScanOptions = {}): Promise<number> {
    invalidateVarsOnDisk();
    this.reads = Confinement.within(this.folder);
    const serial = ++this.scanSerial;
    const links = options.found?.links ?? noLinks();
    const late = this.slowLaneWaitMs === null ? undefined : { maxWaitMs: this.slowLaneWaitMs, current: () => serial === this.scanSerial, indexed: (file: string) => this.onIndexedLater(file) };
    const { indexed, cached, workers, taken, later } = await scanFolder(
      {
        folder: this.folder,
        reads: this.reads,
        links,
        maxFileSize: this.settings.maxFileSize,
        parser: this.parser,
        log: this.log,
        useDiskCache: this.useDiskCache,
        useWorkers: this.useWorkers,
        roles: (file) => this.roles(file),
        onText: (file, text, digest) => this.onScanText?.(file, text, digest),
        syntaxOf: (file, text, budgetMs) => this.evaluations.prepareSyntax(file, text, budgetMs),
        whileWaiting: (parsed) => this.evaluations.ahead(parsed),
        index: (file, text, facts, packed) => {
          if (this.openInEditor(file)) return;
          // the scan's facts share positions, ranges and short strings; an edit's are left as they are
          // (walking a large registry's facts again would cost a keystroke 10-20 ms at 16,000 files)
          this.factPool.share(facts, packed);
          this.evaluations.noteText(file, text);
          this.set(file, facts, text);
        },
        skip: (file, reason) => {
          if (!this.openInEditor(file)) this.skip(file, reason);
        },
        fail: (file, message) => {
          if (!this.openInEditor(file)) this.fail(file, message);
        },
        update: (file, text) => {
          if (!this.openInEditor(file)) this.updateFromText(file, text);
        },
      },
      { ...options, late },
    );
    this.links = links;
    this.cachedFiles = cached;
    this.scanWorkers = workers;
    this.scanTaken = taken;
    this.laterFiles = later;
    this.bump(this.epoch);
    return indexed;
  }

  /** Settings changed: roles of files may change, so everything is read again. */
  async reconfigure(settings: AnalysisSettings): Promise<void> {
    this.settings = settings;
    this.facts.clear();
    this.clanParts.clear();
    this.failedFiles.clear();
    this.generators = 0;
    this.byRoot = null;
    this.versions.clear();
    this.generatorChanges.clear();
    this.settled.clear();
    this.evaluations.clear();
    this.flakeDirs.clear();
    this.rootsChanged();
    await this.scan();
  }

  /** Indexes `text` as the content of `file`. With `tree` (an open document's), that tree is used and kept. */
  updateFromText(file: string, text: string, tree?: Tree): void {
    const tooBig = checkEditorText(text, this.settings.maxFileSize);
    if (tooBig) return this.skip(file, tooBig);
    // a text that ran out of time is not parsed again (an open document's tree is its own)
    const known = tree ? undefined : knownTooSlow(text, null);
    if (known !== undefined) return this.skip(file, `could not be parsed: ${rememberedReason(known)}`);
    this.evaluations.noteText(file, text);
    let own: Tree | undefined;
    try {
      const t = tree ?? (own = this.parser.parse(text));
      this.set(file, extractFile(file, t, this.roles(file), text, this.parser), text);
    } catch (e) {
      if (!(e instanceof ParseTimeout)) this.fail(file, (e as Error).message);
      else {
        if (!tree) rememberTooSlow(text, e.message, null);
        this.skip(file, `could not be parsed: ${e.message}`);
      }
    } finally {
      own?.delete();
    }
  }

  /**
   * Indexes an open document; its tree is read (and parsed) only when the text is within the limits.
   * Its text is that of every path the scan found its file under (documentPaths), as a scan would
   * find it once saved.
   */
  updateFromDocument(doc: { file: string; text: string; readonly tree: Tree | null; parseError: string | null }): void {
    const tooBig = checkEditorText(doc.text, this.settings.maxFileSize);
    const tree = doc.tree;
    for (const file of this.documentPaths(doc.file)) {
      if (tooBig) this.skip(file, tooBig);
      else if (!tree) this.skip(file, `could not be parsed: ${doc.parseError ?? 'no parser'}`);
      else this.updateFromText(file, doc.text, tree);
    }
  }

  /** An open document closed without saving: its file is read from disk again, under every path the scan found it under. */
  async documentClosed(file: string): Promise<void> {
    for (const at of this.documentPaths(file)) await this.updateFromDisk(at);
  }

  /**
   * The paths an open document's text is indexed under: its own, unless it lies in a folder the
   * scan walked under another path (then its facts there are forgotten), and those the scan found it
   * under through links that are not open documents themselves (base/discover.ts).
   */
  private documentPaths(file: string): string[] {
    const through = pathsThroughLinks(this.links, file).filter((at) => at.endsWith('.nix') && !this.openInEditor(at));
    if (!inFolderNotWalked(this.links, file)) return [file, ...through];
    this.remove(file);
    return through;
  }

  /** Indexes `file` as it is on disk, unless the editor opened it while it was read. */
  async updateFromDisk(file: string): Promise<void> {
    const r = await readNixFile(this.reads, file, this.settings.maxFileSize);
    if (this.openInEditor(file)) return;
    if ('text' in r) this.updateFromText(file, r.text);
    else if (r.skipped.startsWith('cannot be read: ENOENT')) this.remove(file);
    else this.skip(file, r.skipped);
  }

  remove(file: string): void {
    if (!this.facts.has(file)) return;
    this.markDirty(file);
    this.bumpChanged(this.facts.get(file)!, undefined);
    this.generators -= this.facts.get(file)!.generators.length;
    this.facts.delete(file);
    this.failedFiles.delete(file);
    this.lastGood.delete(file);
    this.byRoot?.get(this.clanRootOf(file))?.delete(file);
    this.evaluations.forget(file);
    forgetRegistryCache(file);
    forgetMatrixCache(file);
    if (path.basename(file) === 'flake.nix') {
      this.flakeDirs.delete(path.dirname(file));
      this.rootsChanged();
    }
  }

  /**
   * A clan's `inventory.json` or `flake.lock` changed on disk, or a folder that names a machine
   * (`machines/<m>/`, or a folder above it) came or went: its machines, classes, tags, service
   * instances and flake inputs are read again. A machine folder holding only open documents changes
   * no file's facts, so nothing else would tell.
   */
  structureFileChanged(file: string): boolean {
    const roots = new Set<string>();
    const root = this.clanRootOf(file);
    if (file === path.join(root, 'inventory.json') || file === path.join(root, 'flake.lock')) roots.add(root);
    for (const r of this.versions.keys()) {
      const machines = path.join(r, 'machines');
      if (path.dirname(file) === machines || (machines + path.sep).startsWith(file + path.sep)) roots.add(r);
    }
    for (const r of roots) this.structureChanged(r);
    return roots.size > 0;
  }

  /** Something the clan's machines, modules, tags or service instances are read from changed: they are read again. */
  structureChanged(root: string): void {
    this.touch(root);
    const v = this.versions.get(root);
    if (v) v.modules++;
  }

  /** A file changed on disk: when it is under a clan's vars/, sops/ or secrets/, that clan's on-disk view is read again. */
  varsChanged(file: string): boolean {
    const root = this.clanRootOf(file);
    if (!isVarsPath(root, file)) return false;
    invalidateVarsOnDisk(root);
    this.touch(root);
    const v = this.versions.get(root);
    if (v) v.vars++;
    return true;
  }

  /**
   * The generators a file with syntax errors had when it last parsed without any (while it is typed,
   * a half-written string swallows the code after it); undefined when it has none now, or had errors
   * since it was read.
   */
  lastGoodGenerators(file: string): Generator[] | undefined {
    return this.lastGood.get(file);
  }

  /** `file` is not analysed: for a reason the user can act on (its size, its content, its parse time), or because its analysis threw (fail). */
  private skip(file: string, reason: string, internalError?: string): void {
    // once per file and reason: an open document stays skipped for many keystrokes
    if (this.facts.get(file)?.skipped !== reason) this.log(internalError === undefined ? `skipping ${file}: ${reason}` : `internal error: ${file} ${reason}`);
    // what is not analysed is not evaluated either (not even an older text of it)
    this.evaluations.noteText(file, null);
    this.set(file, { ...noFacts(file), skipped: reason, ...(internalError !== undefined ? { internalError } : {}) });
  }

  /**
   * The analysis of `file` threw: a bug, not a property of the file. It is not analysed, and the
   * rule engine reports it on the file (rules/internalError.ts): the checker exits 2.
   */
  private fail(file: string, message: string): void {
    this.skip(file, `could not be analysed: ${message}`, message);
  }

  /** Indexes `facts` of `file`; with its `text`, a file found meanwhile to be a part of a clan (a scan reads files in parallel) is read as one again. */
  private set(file: string, facts: FileFacts, text?: string): void {
    const before = this.facts.get(file);
    if (!facts.hasSyntaxErrors) this.lastGood.delete(file);
    else if (before && !before.hasSyntaxErrors) this.lastGood.set(file, before.generators);
    this.bumpChanged(before, facts);
    this.generators += facts.generators.length - (before?.generators.length ?? 0);
    this.facts.set(file, facts);
    if (facts.internalError !== undefined) this.failedFiles.add(file);
    else this.failedFiles.delete(file);
    if (this.byRoot) {
      const root = this.clanRootOf(file);
      const files = this.byRoot.get(root) ?? this.byRoot.set(root, new Map()).get(root)!;
      const had = files.has(file);
      files.set(file, facts);
      // a new file: the clan's files stay in the order a scan finds them
      if (!had) this.lastOfRoot.set(root, addedInScanOrder(files, file, this.lastOfRoot.get(root)).last);
    }
    if (path.basename(file) === 'flake.nix' && !this.flakeDirs.has(path.dirname(file))) {
      this.flakeDirs.add(path.dirname(file));
      this.rootsChanged();
    }
    this.markDirty(file);
    this.noteClanParts(file, facts);
    // read again with the roles it has now (which set readAsPart: once)
    if (text !== undefined && !facts.readAsPart && this.roles(file).clanPart) this.updateFromText(file, text);
  }

  /**
   * The files `facts` import as parts of a clan's configuration (model/clanParts.ts clanPieces, which
   * reads them so) are clan parts from now on; one indexed already without its readings is read
   * again from disk (an open document has them: FileRoles.clanPart).
   */
  private noteClanParts(file: string, facts: FileFacts): void {
    const refs = [...(facts.modules?.clanRefs ?? []), ...Object.values(facts.clanReadings ?? {}).flatMap((r) => r.clanRefs ?? [])];
    for (const ref of refs) {
      // a path below the flake's own folder: the clan's root may not be known yet (its flake.nix is
      // indexed after the files beside it named before it), so every folder from the file's up is taken
      const ats: string[] = [];
      if (!ref.fromSelf) ats.push(ref.target);
      else for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
        ats.push(path.join(dir, ref.target));
        if (dir === this.folder || !dir.startsWith(this.folder) || dir === path.dirname(dir)) break;
      }
      for (const part of ats.flatMap(partFiles)) {
        if (this.clanParts.has(part)) continue;
        this.clanParts.add(part);
        const had = this.facts.get(part);
        if (!had || had.readAsPart || had.skipped !== undefined || this.openInEditor(part)) continue;
        const r = readNixFileSync(this.reads, part, this.settings.maxFileSize);
        if ('text' in r) this.updateFromText(part, r.text);
      }
    }
  }

  /** Bumps the version of every rule input that differs between a file's old and new facts. */
  private bumpChanged(old: FileFacts | undefined, next: FileFacts | undefined): void {
    const file = (old ?? next)!.file;
    const root = this.clanRootOf(file);
    let v = this.versions.get(root);
    if (!v) this.versions.set(root, (v = newVersions(this.db)));
    // a file appearing or going away can change where an import leads (so its modules are not
    // compared: at a cold start every file appears, and the comparison writes each one's out)
    const comes = !old || !next;
    if (comes) v.modules++;
    for (const input of INPUTS) if (!(comes && input === 'modules') && !sameInput(input, old, next)) {
      v[input]++;
      if (process.env.CLAN_VARS_DEBUG_RULES) this.log(`bump ${input} by ${file}`);
      if (input === 'generators') {
        const before = [...(old?.generators ?? []), ...(old?.setGenerators ?? [])].map((g) => g.name.name);
        const after = [...(next?.generators ?? []), ...(next?.setGenerators ?? [])].map((g) => g.name.name);
        const names = [...before, ...after];
        // a set that cannot be enumerated may hold any name
        if (old?.opaqueGeneratorSources.length || next?.opaqueGeneratorSources.length) names.push(null);
        const renamed = [...new Set(before)].sort().join('\0') !== [...new Set(after)].sort().join('\0');
        // a folder clan-vars-helper reads that came or went changes the generators of the files in it: not told by this file
        if (!sameDiscoverDirs(old, next)) this.noteGeneratorChange(root, v.generators, null, [], true);
        else this.noteGeneratorChange(root, v.generators, file, names, renamed);
      }
    }
  }

  private noteGeneratorChange(root: string, version: number, file: string | null, names: (string | null)[], renamed: boolean): void {
    let log = this.generatorChanges.get(root);
    if (!log) this.generatorChanges.set(root, (log = []));
    // kept for 64 changes: names of their own, not views into the versions of the file they came from
    log.push({ version, file, names: names.map((n) => (n === null ? n : detached(n))), renamed });
    if (log.length > 64) log.splice(0, log.length - 64);
  }

  /**
   * What changed the generators of a clan since `version`: the files, and the generator names they
   * declared before or after (null for a computed name), and whether a file's set of names changed.
   * null when it cannot be told (an evaluation changed them, or the record does not reach back that far).
   */
  generatorChangesSince(root: string, version: number): { files: Set<string>; names: Set<string | null>; renamed: boolean } | null {
    const v = this.versions.get(root);
    if (!v) return null;
    const log = (this.generatorChanges.get(root) ?? []).filter((c) => c.version > version);
    if (log.length !== v.generators - version) return null;
    const files = new Set<string>();
    const names = new Set<string | null>();
    let renamed = false;
    for (const c of log) {
      if (c.file === null) return null;
      files.add(c.file);
      c.names.forEach((n) => names.add(n));
      renamed ||= c.renamed;
    }
    return { files, names, renamed };
  }

  private rootsChanged(): void {
    this.bump(this.epoch);
    this.byRoot = null;
    this.roots.clear();
    // files may have moved from one clan to another: for every clan, every input changed
    for (const [root, v] of this.versions) {
      for (const input of INPUTS) v[input]++;
      this.noteGeneratorChange(root, v.generators, null, [], true);
    }
  }

  private markDirty(file: string): void {
    this.touch(this.clanRootOf(file));
  }

  private touch(root: string): void {
    this.bump(this.generationCell(root));
  }

  private bump(cell: Input<number>): void {
    cell.set(cell.peek() + 1);
  }

  private generationCell(root: string): Input<number> {
    let cell = this.generations.get(root);
    if (!cell) this.generations.set(root, (cell = this.db.input(0)));
    return cell;
  }

  private roles(file: string): FileRoles {
    const at = (rel: string) => rootAt(file, rel) !== null;
    return { registry: at(this.settings.registryPath), matrix: at(this.settings.matrixPath), clanPart: this.clanParts.has(file) || this.openInEditor(file) };
  }

  /** How many generator declarations the files have. */
  generatorCount(): number {
    return this.generators;
  }

  /** Clans whose deferred evaluation landed since the writer last applied changes (applyDue). */
  private landed = new Set<string>();

  /** Applies the evaluations that landed: each such clan changes (its generation moves on), so the next settle takes the result. */
  applyDue(): void {
    for (const root of this.landed) this.touch(root);
    this.landed.clear();
  }

  /** Per clan: the generation its registry pipeline's evaluation was settled at, and that evaluation (a cell: a query reading it is computed again only when another evaluation is settled). */
  private settled = new Map<string, { generation: string; evaluation: Input<ClanEvaluation | null> }>();

  /**
   * Brings a clan's inputs up to date before its model is read: a finished evaluation of its
   * registry pipeline is taken here (or, without a pause in typing, made), and the rule inputs its
   * result changed are bumped. Reading a model never does it (model/clanModels.ts).
   */
  settle(root: string): void {
    const generation = this.generation(root);
    const settled = this.settled.get(root);
    if (settled?.generation === generation) return;
    const evaluation = this.evaluations.evaluate(root, this.filesOf(root));
    if (!settled) this.settled.set(root, { generation, evaluation: this.db.input(evaluation) });
    else {
      settled.evaluation.set(evaluation);
      settled.generation = generation;
    }
  }

  /** The clan's evaluation as settled for the current generation; settle(root) must have run. */
  evaluationOf(root: string): ClanEvaluation | null {
    const settled = this.settled.get(root);
    // checked, not read: a query reading the evaluation depends on it alone
    if (settled?.generation !== this.generationText(root, (c) => c.peek())) throw new Error(`the model of ${root} was read before its inputs were settled (WorkspaceIndex.settle)`);
    return settled.evaluation.get();
  }

  /** The clan's evaluation as last settled, current or not (undefined before the first settle). */
  settledEvaluation(root: string): ClanEvaluation | null | undefined {
    return this.settled.get(root)?.evaluation.get();
  }

  /** Every clan root of the folder with its generator declarations, most first (ties by path); the folder itself when it has no file. */
  clanRoots(): { root: string; generators: number }[] {
    const roots: { root: string; generators: number }[] = [];
    for (const [root, files] of this.filesByRoot()) {
      if (files.size === 0) continue;
      let generators = 0;
      for (const facts of files.values()) generators += facts.generators.length;
      roots.push({ root, generators });
    }
    if (roots.length === 0) roots.push({ root: this.folder, generators: 0 });
    return roots.sort((a, b) => b.generators - a.generators || (a.root < b.root ? -1 : 1));
  }

  /** The clan a file belongs to: the nearest directory with a flake.nix, else the folder. */
  clanRootOf(file: string): string {
    const dirOfFile = path.dirname(file);
    const known = this.roots.get(dirOfFile);
    if (known) return known;
    let root = this.folder;
    for (let dir = dirOfFile; dir.startsWith(this.folder); dir = path.dirname(dir)) {
      if (this.flakeDirs.has(dir)) {
        root = dir;
        break;
      }
      if (dir === this.folder || dir === path.dirname(dir)) break;
    }
    this.roots.set(dirOfFile, root);
    return root;
  }

  /**
   * The facts of every file by clan root, each clan's files in the order a scan finds them
   * (base/discover.ts discoveryOrder; kept up to date as files change: do not modify). That order,
   * not the order files came in, is the clan's order of declarations: a session in which files were
   * deleted and made again, and a fresh scan, list them alike.
   */
  filesByRoot(): ReadonlyMap<string, Map<string, FileFacts>> {
    if (!this.byRoot) {
      this.byRoot = new Map();
      for (const [file, facts] of this.facts) {
        const root = this.clanRootOf(file);
        let m = this.byRoot.get(root);
        if (!m) this.byRoot.set(root, (m = new Map()));
        m.set(file, facts);
      }
      this.lastOfRoot.clear();
      for (const [root, files] of this.byRoot) {
        inScanOrder(files);
        this.lastOfRoot.set(root, [...files.keys()].at(-1)!);
      }
    }
    return this.byRoot;
  }

  /** The facts of one clan's files (kept up to date as files change: do not modify). */
  filesOf(root: string): Map<string, FileFacts> {
    return this.filesByRoot().get(root) ?? new Map();
  }

  /** Changes whenever something of the clan changed (a file, its vars, its evaluation becoming due, the set of clans). */
  generation(root: string): string {
    return this.generationText(root, (c) => c.get());
  }

  /** The generation's text from its two cells, each read with `read` (noted as read by a query, or only looked at). */
  private generationText(root: string, read: (cell: Input<number>) => number): string {
    return `${read(this.epoch)}:${read(this.generationCell(root))}`;
  }

  /**
   * Every version and revision this index keeps (the set of clans, each clan's generation and rule
   * input versions, the query database's revision), as text: what a read must never change.
   */
  revisions(): string {
    const byRoot = (m: Map<string, unknown>) => Object.fromEntries([...m].sort(([a], [b]) => (a < b ? -1 : 1)));
    const numbers = (m: Map<string, Input<number>>) => new Map([...m].map(([r, c]) => [r, c.peek()]));
    return JSON.stringify({ epoch: this.epoch.peek(), generations: byRoot(numbers(this.generations)), versions: byRoot(this.versions), db: this.db.revision, settled: byRoot(new Map([...this.settled].map(([r, s]) => [r, s.generation]))) });
  }

  /** The version of each rule input of a clan, bumped when a file's contribution to it changes. */
  versionsOf(root: string): Readonly<Record<RuleInput, number>> | undefined {
    return this.versions.get(root);
  }
}
