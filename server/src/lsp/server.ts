// The Clan Vars language server on one connection: an object with parts, and the handlers that
// wire the connection to them. The parts: the workspace folders and their indexes
// (workspaceFolders.ts), the documents open in the editor (editorDocuments.ts), the publisher of
// diagnostics, status and view changes (publisher.ts), and the handlers under way (handlerActivity.ts).
// The process around it (command line, heap, stdout) is main.ts; tests start it in their own
// process (test/helpers/lspClient.ts startInProcess).
import {
  DidChangeWatchedFilesNotification,
  type Connection,
  type DidChangeWatchedFilesParams,
  type DidChangeWorkspaceFoldersParams,
  FileChangeType,
  TextDocumentSyncKind,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { fileToUri, uriToFile } from './convert';
import type { ServerContext } from './features/context';
import { FEATURES, featureCapabilities } from './features';
import { testHooks } from './features/testHooks';
import { NixParser } from '../syntax/nixParser';
import { withDefaults, type AnalysisSettings } from '../base/settings';
import { VERSION } from '../base/version';
import { printableLines } from '../base/printable';
import { Scans } from './scans';
import { ClientCapabilities } from './clientCapabilities';
import { HandlerActivity } from './handlerActivity';
import { WorkspaceFolders } from './workspaceFolders';
import { EditorDocuments } from './editorDocuments';
import { Publisher } from './publisher';
import { ScanPool } from '../model/scan/scanPool';
import type { WorkspaceAnalysis } from '../rules/workspaceAnalysis';

/** Changes here can change the secret diagnostics (links, key.json, re-encrypted secrets). */
const VARS_WATCH_GLOBS = [{ globPattern: '**/vars/**' }, { globPattern: '**/sops/**' }, { globPattern: '**/secrets/**' }, { globPattern: '**/inventory.json' }, { globPattern: '**/flake.lock' }];

/** One language server on a connection: its open documents, workspace indexes and what it last published. Several may run in one process (tests). */
export class LanguageServer {
  private parser: NixParser | undefined;
  private initialFolders: string[] = [];
  private readonly caps = new ClientCapabilities();
  private readonly scans = new Scans();
  /** The first scan is done: documents opened and edits made before it are analysed after it. */
  private readonly ready = this.scans.firstDone;
  private readonly activity: HandlerActivity;
  private readonly folders: WorkspaceFolders;
  private readonly documents: EditorDocuments;
  private readonly publisher: Publisher;
  /** What every feature gets from the server. */
  readonly context: ServerContext;

  constructor(
    private readonly connection: Connection,
    options: { testHooks?: boolean } = {},
  ) {
    this.activity = new HandlerActivity(
      (line) => connection.console.error(printableLines(line)),
      () => !this.publisher.pending && !this.documents.retryScheduled && !this.folders.all().some((i) => i.evaluations.pending()),
    );
    const schedulePublish = () => this.publisher.schedule();
    this.folders = new WorkspaceFolders({
      log: this.log,
      parser: () => this.parser!,
      settingsFor: (folder) => this.settingsFor(folder),
      isOpen: (file) => this.documents.isOpen(file),
      schedulePublish,
    });
    this.documents = new EditorDocuments(() => this.parser, { log: this.log, indexFor: (file) => this.folders.indexFor(file), schedulePublish });
    this.publisher = new Publisher(connection, { documents: this.documents, folders: this.folders, caps: this.caps, activity: this.activity, log: this.log });
    this.context = this.featureContext();
    this.registerHandlers();
    for (const feature of FEATURES) feature.register(this.context);
    if (options.testHooks) {
      this.context.readsThatWrote = [];
      testHooks.register(this.context);
    }
  }

  /** Log lines name files, folders and generators: printable, a stack trace still on its lines. */
  private readonly log = (line: string): void => this.connection.console.log(printableLines(line));

  private registerHandlers(): void {
    const { connection, activity } = this;
    connection.onInitialize((params) => this.initialize(params));
    connection.onInitialized(activity.guard('initialize', () => this.initialized()));
    connection.onDidOpenTextDocument(
      activity.guard('didOpen', async ({ textDocument: t }) => {
        const file = uriToFile(t.uri);
        if (!file) return;
        this.documents.opened(t.uri, file, t.version, t.text);
        await this.ready;
        this.publisher.schedule();
      }),
    );
    connection.onDidChangeTextDocument(
      activity.guard('didChange', async ({ textDocument: t, contentChanges }) => {
        this.documents.changed(t.uri, t.version, contentChanges);
        await this.ready;
        this.publisher.schedule();
      }),
    );
    connection.onDidCloseTextDocument(
      activity.guard('didClose', async ({ textDocument: t }) => {
        const doc = this.documents.closed(t.uri);
        await this.ready;
        if (doc) await this.folders.indexFor(doc.file).documentClosed(doc.file);
        this.publisher.schedule();
      }),
    );
    connection.onDidChangeWatchedFiles(activity.guard('watched files', (params) => this.watchedFilesChanged(params)));
    connection.onDidChangeConfiguration(activity.guard('configuration', () => this.configurationChanged()));
    connection.onShutdown(() => this.documents.closeAll());
  }

  private initialize(params: InitializeParams): InitializeResult {
    const folders = params.workspaceFolders?.map((f) => uriToFile(f.uri)) ?? [params.rootUri ? uriToFile(params.rootUri) : params.rootPath ?? null];
    this.initialFolders = folders.filter((f): f is string => !!f);
    this.caps.read(params.capabilities);
    return {
      capabilities: {
        ...featureCapabilities(),
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'clan-vars-language-server', version: VERSION },
    };
  }

  /**
   * Loads the grammar, registers the watchers and scans the workspace folders. The scan's workers
   * start first, while this thread loads the grammar and lists the files (model/scan/scanPool.ts).
   */
  private async initialized(): Promise<void> {
    if (this.initialFolders.length) await ScanPool.startingEarly((line) => this.log(line), () => this.loadAndScan());
    else await this.loadAndScan();
  }

  private async loadAndScan(): Promise<void> {
    const { connection, caps, publisher } = this;
    publisher.status({ state: 'starting' });
    try {
      this.parser = await NixParser.load();
    } catch (e) {
      publisher.status({ state: 'error', message: `cannot load the Nix grammar: ${(e as Error).message}` });
      throw e;
    }
    if (caps.watchers) {
      await connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.nix' }, { globPattern: '**/' }, ...VARS_WATCH_GLOBS] });
    }
    if (caps.folders) connection.workspace.onDidChangeWorkspaceFolders(this.activity.guard('workspace folders', (e) => this.workspaceFoldersChanged(e)));
    publisher.status({ state: 'indexing' });
    const started = performance.now();
    await this.scanInitialFolders();
    this.log(this.folders.indexedSummary(performance.now() - started));
    this.documents.textsAgain();
    this.scans.markFirstDone();
    publisher.schedule();
  }

  /** The first scan of the workspace folders, its progress shown to the client. */
  private async scanInitialFolders(): Promise<void> {
    const reporter = this.caps.progress ? await this.connection.window.createWorkDoneProgress().catch(() => undefined) : undefined;
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
      this.publisher.status({ state: 'indexing', progress: { done: d, total: t } });
    };
    try {
      const added = await Promise.all(this.initialFolders.map((f) => this.folders.add(f)));
      this.scans.markDocumentsReady();
      await Promise.all(added.map((index) => this.folders.scan(index, progressOf(index.folder))));
    } finally {
      reporter?.done();
    }
  }

  private async workspaceFoldersChanged(e: DidChangeWorkspaceFoldersParams['event']): Promise<void> {
    for (const f of e.removed) this.folders.remove(uriToFile(f.uri) ?? '');
    for (const f of e.added) {
      const folder = uriToFile(f.uri);
      if (folder) await this.scans.track(this.folders.scan(await this.folders.add(folder)));
    }
    if (e.added.length) this.documents.textsAgain();
    this.publisher.schedule();
  }

  private async watchedFilesChanged({ changes }: DidChangeWatchedFilesParams): Promise<void> {
    await this.ready;
    const isOpen = (file: string) => this.documents.isOpen(file);
    // each folder's changes together, in the order reported
    const byIndex = new Map<WorkspaceAnalysis, { file: string; deleted: boolean }[]>();
    for (const change of changes) {
      const file = uriToFile(change.uri);
      if (!file) continue;
      const index = this.folders.indexFor(file);
      if (!byIndex.has(index)) byIndex.set(index, []);
      byIndex.get(index)!.push({ file, deleted: change.type === FileChangeType.Deleted });
    }
    // the evaluations of the module structure read from disk, an open document's saved text too;
    // where a link changed, the open documents' texts may be other paths' now
    for (const [index, batch] of byIndex) if (await index.watchedFilesChanged(batch, isOpen)) this.documents.textsAgain();
    this.publisher.schedule();
  }

  private async configurationChanged(): Promise<void> {
    await this.ready;
    for (const index of this.folders.folderIndexes()) {
      const next = await this.settingsFor(index.folder);
      if (JSON.stringify(next) === JSON.stringify(index.getSettings())) continue;
      // it forgets every file's facts, the open documents' too, and its scan reads only the others
      this.documents.textsAgain();
      await this.scans.track(index.reconfigure(next));
    }
    this.publisher.schedule();
  }

  private async settingsFor(folder: string): Promise<AnalysisSettings> {
    if (!this.caps.configuration) return withDefaults(null);
    try {
      return withDefaults(await this.connection.workspace.getConfiguration({ scopeUri: fileToUri(folder), section: 'clanVars' }));
    } catch {
      return withDefaults(null);
    }
  }

  private featureContext(): ServerContext {
    const { documents, folders, caps } = this;
    return {
      connection: this.connection,
      docs: documents.open,
      indexFor: (file) => folders.indexFor(file),
      indexes: () => folders.all(),
      scans: this.scans,
      log: this.log,
      textOf: (file) => {
        const open = documents.open.getByFile(file);
        if (open) return open.text;
        try {
          return folders.indexFor(file).reads.readText(file);
        } catch {
          return null;
        }
      },
      uriOf: (file) => documents.uriOf(file),
      schedulePublish: () => this.publisher.schedule(),
      // the one writer: the editor's changes, then the models brought up to date, before the handler
      // reads. While a scan is under way the models are not: a request about an open document is
      // answered from what is indexed so far, and builds the model it reads (the scan's end publishes).
      // A request about one document takes its own edits, not the evaluations that landed meanwhile:
      // the publish their landing scheduled applies them.
      syncDocuments: (uri) => {
        documents.sync(uri);
        if (!this.scans.underWay) for (const index of folders.all()) index.commit(uri === undefined);
      },
      whenIdle: () => this.activity.whenIdle(),
      get clientCapabilities() {
        return caps.forFeatures();
      },
    };
  }
}

export function createLanguageServer(connection: Connection, options: { testHooks?: boolean } = {}): LanguageServer {
  return new LanguageServer(connection, options);
}
