// The Clan Vars language server on one connection: its state and its handlers. The process around
// it (command line, heap, stdout) is main.ts; tests start it in their own process (test/helpers/inProcess.ts).
import * as path from 'node:path';
import {
  DidChangeWatchedFilesNotification,
  type Connection,
  FileChangeType,
  TextDocumentSyncKind,
  type InitializeParams,
} from 'vscode-languageserver/node';
import { fileToUri, toDiagnostic, uriToFile } from './convert';
import { OpenDocuments } from './documents';
import type { ServerContext } from './features/context';
import { FEATURES, featureCapabilities } from './features';
import { testHooks } from './features/testHooks';
import { NixParser } from '../syntax/nixParser';
import { STATUS_NOTIFICATION, VIEWS_CHANGED_NOTIFICATION, type Notification, type StatusParams } from './protocol';
import { withDefaults, type AnalysisSettings } from '../inputs/settings';
import { WorkspaceAnalysis } from '../rules/workspaceAnalysis';
import { stampChanged, type ViewStamp } from '../model/clanModels';
import type { Problem } from '../base/types';
import { slowWatch } from './serverProcess';
import { VERSION } from '../base/version';
import { Attached } from '../base/attached';
import { printableLines } from '../base/printable';
import { slowParseTotalMs } from '../inputs/scanBudget';
import { Scans } from './scans';
/** Evaluating the registry pipeline waits for a pause in typing this long (see WorkspaceAnalysis). */
const EVALUATION_DELAY_MS = 300;
/** Changes here can change the secret diagnostics (links, key.json, re-encrypted secrets). */
const VARS_WATCH_GLOBS = [{ globPattern: '**/vars/**' }, { globPattern: '**/sops/**' }, { globPattern: '**/secrets/**' }, { globPattern: '**/inventory.json' }, { globPattern: '**/flake.lock' }];

/** One language server on a connection: its open documents, workspace indexes and what it last published. Several may run in one process (tests). */
export interface LanguageServer {
  readonly context: ServerContext;
}

export function createLanguageServer(connection: Connection, options: { testHooks?: boolean } = {}): LanguageServer {
  // log lines name files, folders and generators: printable, a stack trace still on its lines
  const log = (line: string) => connection.console.log(printableLines(line));
  let parser: NixParser | undefined;
  const docs = new OpenDocuments(() => parser);
  const indexes = new Map<string, WorkspaceAnalysis>();
  const looseIndexes = new Map<string, WorkspaceAnalysis>();
  /** Open documents edited since the index last saw them: re-indexed once per burst, before a publish or a request. */
  const dirtyDocs = new Set<string>();
  let initialFolders: string[] = [];
  const caps = { configuration: false, watchers: false, related: false, codeDescription: false, folders: false, progress: false, markdown: false, annotations: false, documentChanges: false, renameFiles: false, commands: [] as string[] };
  const scans = new Scans();
  /** The first scan is done: documents opened and edits made before it are analysed after it. */
  const ready = scans.firstDone;

  /** Handlers begun and not yet finished (a notification's work, a publish): the server is idle at none. */
  let running = 0;
  /** Who waits for the server to be idle (whenIdle, a test hook). */
  const idleWaiters: (() => void)[] = [];

  /** Runs a handler; an exception is logged once and never takes the server down. */
  function guard<A extends unknown[], R>(name: string, fn: (...args: A) => Promise<R> | R): (...args: A) => Promise<R | undefined> {
    return async (...args: A) => {
      running++;
      try {
        return await fn(...args);
      } catch (e) {
        connection.console.error(printableLines(`${name} failed: ${(e as Error).stack ?? e}`));
        return undefined;
      } finally {
        running--;
        if (idleWaiters.length && idle()) for (const resolve of idleWaiters.splice(0)) resolve();
      }
    };
  }

  /**
   * Whether the server has nothing left to do for what it was sent: no handler running, no publish
   * scheduled, no parse put off, no evaluation waiting for the pause in typing or running (each of
   * those ends in a publish).
   */
  function idle(): boolean {
    return running === 0 && !publishPending && !deferredTimer && ![...indexes.values(), ...looseIndexes.values()].some((i) => i.evaluations.pending());
  }

  connection.onInitialize((params: InitializeParams) => {
    const folders = params.workspaceFolders?.map((f) => uriToFile(f.uri)) ?? [params.rootUri ? uriToFile(params.rootUri) : params.rootPath ?? null];
    initialFolders = folders.filter((f): f is string => !!f);
    const c = params.capabilities;
    caps.configuration = !!c.workspace?.configuration;
    caps.watchers = !!c.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    caps.related = !!c.textDocument?.publishDiagnostics?.relatedInformation;
    caps.codeDescription = !!c.textDocument?.publishDiagnostics?.codeDescriptionSupport;
    caps.folders = !!c.workspace?.workspaceFolders;
    caps.progress = !!c.window?.workDoneProgress;
    caps.markdown = !!c.textDocument?.hover?.contentFormat?.includes('markdown');
    caps.annotations = !!c.workspace?.workspaceEdit?.changeAnnotationSupport && !!c.workspace?.workspaceEdit?.documentChanges;
    caps.documentChanges = !!c.workspace?.workspaceEdit?.documentChanges;
    caps.renameFiles = caps.documentChanges && !!c.workspace?.workspaceEdit?.resourceOperations?.includes('rename');
    const announced = (c.experimental as { clanVarsCommands?: unknown } | undefined)?.clanVarsCommands;
    caps.commands = Array.isArray(announced) ? announced.filter((x): x is string => typeof x === 'string') : [];
    return {
      capabilities: {
        ...featureCapabilities(),
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'clan-vars-language-server', version: VERSION },
    };
  });

  connection.onInitialized(
    guard('initialize', async () => {
      status({ state: 'starting' });
      try {
        parser = await NixParser.load();
      } catch (e) {
        status({ state: 'error', message: `cannot load the Nix grammar: ${(e as Error).message}` });
        throw e;
      }
      if (caps.watchers) {
        await connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.nix' }, { globPattern: '**/' }, ...VARS_WATCH_GLOBS] });
      }
      if (caps.folders) {
        connection.workspace.onDidChangeWorkspaceFolders(
          guard('workspace folders', async (e) => {
            for (const f of e.removed) {
              const folder = uriToFile(f.uri) ?? '';
              const scan = scanCancels.get(folder);
              if (scan) scan.isCancellationRequested = true;
              indexes.delete(folder);
            }
            for (const f of e.added) {
              const folder = uriToFile(f.uri);
              if (folder) await scans.track(scanFolderIndex(await addFolder(folder)));
            }
            if (e.added.length) editorTextsAgain();
            schedulePublish();
          }),
        );
      }
      status({ state: 'indexing' });
      const started = performance.now();
      const reporter = caps.progress ? await connection.window.createWorkDoneProgress().catch(() => undefined) : undefined;
      reporter?.begin('Clan Vars', 0, 'indexing .nix files', false);
      const counts = new Map<string, [number, number]>();
      let reported = 0;
      const progressOf = (folder: string) => (done: number, total: number) => {
        counts.set(folder, [done, total]);
        if (performance.now() - reported < 100 && done !== total) return;
        reported = performance.now();
        let [d, t] = [0, 0];
        for (const [a, b] of counts.values()) [d, t] = [d + a, t + b];
        reporter?.report(t ? Math.floor((100 * d) / t) : 0, `${d}/${t} files`);
        status({ state: 'indexing', progress: { done: d, total: t } });
      };
      try {
        const added = await Promise.all(initialFolders.map((f) => addFolder(f)));
        scans.markDocumentsReady();
        await Promise.all(added.map((index) => scanFolderIndex(index, progressOf(index.folder))));
      } finally {
        reporter?.done();
      }
      const files = [...indexes.values()].reduce((n, i) => n + i.facts.size, 0);
      const cached = [...indexes.values()].reduce((n, i) => n + i.cachedFiles, 0);
      const workers = Math.max(0, ...[...indexes.values()].map((i) => i.scanWorkers));
      const later = [...indexes.values()].reduce((n, i) => n + i.laterFiles, 0);
      log(
        `indexed ${files} .nix files in ${Math.round(performance.now() - started)} ms (${cached} from the facts cache${workers ? `, the others parsed in ${workers} worker threads` : ''})` +
          (later ? `; ${later} still being parsed, indexed when their parses end` : ''),
      );
      editorTextsAgain();
      scans.markFirstDone();
      schedulePublish();
    }),
  );

  async function settingsFor(folder: string): Promise<AnalysisSettings> {
    if (!caps.configuration) return withDefaults(null);
    try {
      return withDefaults(await connection.workspace.getConfiguration({ scopeUri: fileToUri(folder), section: 'clanVars' }));
    } catch {
      return withDefaults(null);
    }
  }

  /** Scans in progress, per folder: removing the folder stops its scan. */
  const scanCancels = new Map<string, { isCancellationRequested: boolean }>();

  /** The index of a workspace folder, not scanned yet. */
  async function addFolder(folder: string): Promise<WorkspaceAnalysis> {
    const index = new WorkspaceAnalysis(folder, await settingsFor(folder), parser!, log);
    index.openInEditor = isOpen;
    index.evaluations.deferMs = EVALUATION_DELAY_MS;
    index.useDiskCache = true;
    index.useWorkers = true;
    // files tree-sitter is slow on do not hold the first diagnostics past the scan's time for slow parses
    index.slowLaneWaitMs = slowParseTotalMs();
    index.onIndexedLater = schedulePublish;
    index.evaluations.onDeferredChange = schedulePublish;
    indexes.set(folder, index);
    return index;
  }

  async function scanFolderIndex(index: WorkspaceAnalysis, progress?: (done: number, total: number) => void): Promise<void> {
    const cancel = { isCancellationRequested: false };
    scanCancels.set(index.folder, cancel);
    try {
      await index.scan({ cancel, progress });
    } finally {
      if (scanCancels.get(index.folder) === cancel) scanCancels.delete(index.folder);
    }
  }

  /** The index of the workspace folder containing `file`, or one for the file's own directory. */
  function indexFor(file: string): WorkspaceAnalysis {
    let best: WorkspaceAnalysis | undefined;
    for (const index of indexes.values()) {
      if ((file.startsWith(index.folder + path.sep) || file === index.folder) && (!best || index.folder.length > best.folder.length)) best = index;
    }
    if (best) return best;
    const dir = path.dirname(file);
    let loose = looseIndexes.get(dir);
    if (!loose) {
      looseIndexes.set(dir, (loose = new WorkspaceAnalysis(dir, withDefaults(null), parser!, log)));
      loose.openInEditor = isOpen;
    }
    return loose;
  }

  /** The indexes take an open document's facts from the editor's text only (syncDocuments), never from disk. */
  function isOpen(file: string): boolean {
    return docs.getByFile(file) !== undefined;
  }

  connection.onDidOpenTextDocument(
    guard('didOpen', async ({ textDocument: t }) => {
      const file = uriToFile(t.uri);
      if (!file) return;
      docs.open(t.uri, file, t.version, t.text);
      docsEpoch++;
      dirtyDocs.add(t.uri);
      await ready;
      schedulePublish();
    }),
  );

  connection.onDidChangeTextDocument(
    guard('didChange', async ({ textDocument: t, contentChanges }) => {
      if (docs.change(t.uri, t.version, contentChanges)) dirtyDocs.add(t.uri);
      await ready;
      schedulePublish();
    }),
  );

  connection.onDidCloseTextDocument(
    guard('didClose', async ({ textDocument: t }) => {
      const doc = docs.close(t.uri);
      docsEpoch++;
      dirtyDocs.delete(t.uri);
      await ready;
      if (doc) await indexFor(doc.file).updateFromDisk(doc.file);
      schedulePublish();
    }),
  );

  connection.onDidChangeWatchedFiles(
    guard('watched files', async ({ changes }) => {
      await ready;
      for (const change of changes) {
        const file = uriToFile(change.uri);
        if (!file || docs.getByFile(file)) continue;
        const index = indexFor(file);
        index.varsChanged(file);
        index.structureFileChanged(file);
        // a deleted directory takes everything below it (its name may end in .nix too), except the
        // open documents: like an open file deleted on its own, they live on in the editor
        if (change.type === FileChangeType.Deleted) for (const f of [...index.facts.keys()]) if (f.startsWith(file + path.sep) && !docs.getByFile(f)) index.remove(f);
        if (!file.endsWith('.nix')) continue;
        if (!index.contains(file)) continue;
        if (change.type === FileChangeType.Deleted) index.remove(file);
        else await index.updateFromDisk(file);
      }
      schedulePublish();
    }),
  );

  connection.onDidChangeConfiguration(
    guard('configuration', async () => {
      await ready;
      for (const index of indexes.values()) {
        const next = await settingsFor(index.folder);
        if (JSON.stringify(next) === JSON.stringify(index.getSettings())) continue;
        // it forgets every file's facts, the open documents' too, and its scan reads only the others
        editorTextsAgain();
        await scans.track(index.reconfigure(next));
      }
      schedulePublish();
    }),
  );

  let publishPending = false;
  function schedulePublish(): void {
    if (publishPending) return;
    publishPending = true;
    setImmediate(
      guard('publish', () => {
        publishPending = false;
        publish();
      }),
    );
  }

  /**
   * The open documents are indexed again from the editor's text, which is what they are: after the
   * first scan and a folder added (an index that has not seen them), and as the settings change (the
   * index forgets every file's facts; its scan, like every read from disk, leaves open files alone).
   */
  function editorTextsAgain(): void {
    for (const doc of docs.all()) dirtyDocs.add(doc.uri);
  }

  /** Brings the index up to date with the open documents edited since it last looked (one parse per burst). */
  function syncDocuments(only?: string): void {
    if (!parser) return;
    let retryAt = Infinity;
    for (const uri of only === undefined ? [...dirtyDocs] : dirtyDocs.has(only) ? [only] : []) {
      const doc = docs.get(uri);
      if (doc?.parseDeferred) {
        retryAt = Math.min(retryAt, doc.deferredUntil); // a slow document: its facts stay as they were until then
        continue;
      }
      if (doc) {
        const watch = slowWatch();
        indexFor(doc.file).updateFromDocument(doc);
        watch?.stop(log, `indexing the open document ${uri} (${doc.text.length} characters)`);
      }
      dirtyDocs.delete(uri);
    }
    if (retryAt < Infinity && !deferredTimer) {
      deferredTimer = setTimeout(() => {
        deferredTimer = undefined;
        schedulePublish();
      }, Math.max(0, retryAt - performance.now()) + 1);
    }
  }
  let deferredTimer: NodeJS.Timeout | undefined;

  /** Whether an open document's parse is put off (its diagnostics will come later). */
  function parseDeferred(): boolean {
    for (const uri of dirtyDocs) if (docs.get(uri)?.parseDeferred) return true;
    return false;
  }

  /**
   * Each problem's diagnostic as JSON, kept while the problem object lives (rule results are reused
   * across keystrokes) and the open documents are the same (their URIs name related locations).
   */
  const diagnosticJson = new Attached<Problem, { docs: number; json: string }>('diagnosticJson');
  let docsEpoch = 0;

  function diagnosticOf(p: Problem): string {
    const hit = diagnosticJson.get(p);
    if (hit && hit.docs === docsEpoch) return hit.json;
    const json = JSON.stringify(toDiagnostic(p, (f) => docs.getByFile(f)?.uri ?? fileToUri(f), caps.related, caps.codeDescription));
    diagnosticJson.set(p, { docs: docsEpoch, json });
    return json;
  }

  /**
   * What was last published for each file: the engine keeps the list of a file whose problems did
   * not change, so a publish after a keystroke looks again only at the files whose lists are new.
   */
  interface Published {
    list: Problem[];
    docs: number;
    uri: string;
    json: string;
    errors: number;
    warnings: number;
    hints: number;
  }
  let published = new Map<string, Published>();

  function publish(): void {
    const watch = slowWatch();
    try {
      publishNow();
    } finally {
      watch?.stop(log, 'publish');
    }
  }

  function publishNow(): void {
    syncDocuments();
    const current = new Map<string, Published>();
    let errors = 0;
    let warnings = 0;
    let hints = 0;
    let files = 0;
    let generators = 0;
    for (const index of [...indexes.values(), ...looseIndexes.values()]) {
      files += index.facts.size;
      generators += index.generatorCount();
      for (const [file, problems] of index.allProblems()) {
        let entry = published.get(file);
        if (entry && docs.get(entry.uri)?.parseDeferred) {
          current.set(file, entry); // its parse is deferred: what the editor shows stays until it runs
          continue;
        }
        if (!entry || entry.list !== problems || entry.docs !== docsEpoch) {
          const uri = docs.getByFile(file)?.uri ?? fileToUri(file);
          const json = `[${problems.map(diagnosticOf).join(',')}]`;
          if (entry && entry.uri !== uri) void connection.sendDiagnostics({ uri: entry.uri, diagnostics: [] });
          if (entry?.json !== json || entry.uri !== uri) {
            const version = docs.get(uri)?.version;
            void connection.sendDiagnostics({ uri, version, diagnostics: JSON.parse(json) });
          }
          entry = {
            list: problems,
            docs: docsEpoch,
            uri,
            json,
            errors: problems.filter((p) => p.severity === 'error').length,
            warnings: problems.filter((p) => p.severity === 'warning').length,
            hints: problems.filter((p) => p.severity === 'hint').length,
          };
        }
        current.set(file, entry);
        errors += entry.errors;
        warnings += entry.warnings;
        hints += entry.hints;
      }
    }
    for (const [file, entry] of published) if (!current.has(file)) void connection.sendDiagnostics({ uri: entry.uri, diagnostics: [] });
    published = current;
    const evaluationPending = [...indexes.values()].some((i) => i.evaluations.pending()) || parseDeferred();
    status({ state: 'ready', files, generators, errors, warnings, hints, evaluationPending });
    noteChangedViews();
  }

  /** What each clan's generator views were last told from: a change is sent to the client (its vars view). */
  let viewStamps = new Map<string, ViewStamp>();

  function noteChangedViews(): void {
    const current = new Map<string, ViewStamp>();
    const roots: string[] = [];
    for (const index of indexes.values()) {
      for (const [root, stamp] of index.models.viewStamps()) {
        if (stampChanged(viewStamps.get(root), stamp)) roots.push(root);
        current.set(root, stamp);
      }
    }
    viewStamps = current;
    if (roots.length) notify(VIEWS_CHANGED_NOTIFICATION, { roots });
  }

  /** Sends a notification of the protocol with the params its declaration names. */
  function notify<P>(type: Notification<P>, params: P): void {
    void connection.sendNotification(type.method, params);
  }

  function status(s: Partial<StatusParams> & { state: StatusParams['state'] }): void {
    notify(STATUS_NOTIFICATION, { files: 0, generators: 0, errors: 0, warnings: 0, ...s });
  }

  const context: ServerContext = {
    connection,
    docs,
    indexFor,
    indexes: () => [...indexes.values(), ...looseIndexes.values()],
    scans,
    log,
    textOf: (file) => {
      const open = docs.getByFile(file);
      if (open) return open.text;
      try {
        return indexFor(file).reads.readText(file);
      } catch {
        return null;
      }
    },
    uriOf: (file) => docs.getByFile(file)?.uri ?? fileToUri(file),
    schedulePublish,
    syncDocuments,
    whenIdle: () => (idle() ? Promise.resolve() : new Promise((resolve) => idleWaiters.push(resolve))),
    get clientCapabilities() {
      return { relatedInformation: caps.related, workDoneProgress: caps.progress, markdown: caps.markdown, changeAnnotations: caps.annotations, documentChanges: caps.documentChanges, renameFiles: caps.renameFiles, commands: caps.commands };
    },
  };
  for (const feature of FEATURES) feature.register(context);
  if (options.testHooks) testHooks.register(context);

  connection.onShutdown(() => {
    for (const doc of [...docs.all()]) docs.close(doc.uri);
  });

  return { context };
}
