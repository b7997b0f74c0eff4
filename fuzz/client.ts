// A language client for the fuzz and soak runs: starts the built server over stdio, keeps the
// client's copy of every open document, times every request, and records every failure the
// harness looks for (a crash, an exception in the log, a late answer, a diagnostic out of range).
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { applyChange, rangeProblem, type Rng } from './text';
import { procStatCpuMs } from '../server/src/syntax/nixParser';

export const SERVER = path.resolve(__dirname, '..', 'dist', 'server.js');
export const ANSWER_MS = 2000;
/**
 * How long a request may wait while the server gets (almost) no CPU: on a loaded machine the server
 * process is not run for seconds at a time (measured: the event loop held 1,085 ms with 0 ms of CPU
 * used), which is no fault of the server. A server that hangs idle still fails after this.
 */
export const STARVED_MS = 30_000;
/** FUZZ_SERVER_LOG=<file>: every server log line is appended there too (with CLAN_VARS_DEBUG_SLOW_MS, where time goes). */
const LOG_TO = process.env.FUZZ_SERVER_LOG;
const PROBE = 'clanVars/fuzzProbe';
/** Log lines that mean something threw: the server's guard, requestHandler, rules, the analysis of a file, process hooks. */
const BAD_LOG = /uncaught exception|unhandled rejection|\binternal error\b|\bfailed\b[^\n]*:|\bfailed in\b|RangeError|TypeError/i;

export interface JournalEntry {
  method: string;
  params: unknown;
  /** For a watched-file event: each named file's content then (base64), `dir`, or null (gone). */
  disk?: (string | null)[];
  request?: true;
}

function diskState(file: string): string | null {
  try {
    return fs.statSync(file).isDirectory() ? 'dir' : fs.readFileSync(file).toString('base64');
  } catch {
    return null;
  }
}

export interface OpenDoc {
  file: string;
  version: number;
  text: string;
}

export class FuzzClient {
  readonly docs = new Map<string, OpenDoc>();
  readonly diagnostics = new Map<string, { version?: number; diagnostics: Diagnostic[] }>();
  readonly failures: string[] = [];
  readonly logs: string[] = [];
  /** The last messages sent, summarised, for failure reports. */
  readonly trail: string[] = [];
  capabilities: Record<string, unknown> = {};
  requests = 0;
  edits = 0;
  /** Server-initiated messages seen, to tell when the server has gone quiet. */
  private activity = 0;
  /** The server's last word on a registry-pipeline evaluation waiting for a pause in typing. */
  private evaluationPending = false;
  /** Text of each recent version of each open document, to check versioned diagnostics. */
  private versionTexts = new Map<string, Map<number, string>>();
  /**
   * The same for the earlier lives of documents closed and opened again, until the server settles:
   * diagnostics it published for the old life before it read the close may arrive after the reopen
   * (its versions start again at 1, so a version may be in both).
   */
  private closedTexts = new Map<string, Map<number, string>[]>();
  private stopping = false;
  private waiters: (() => void)[] = [];
  readyCount = 0;
  /** Kinds of the work-done progress notifications seen (begin, report, end). */
  readonly progress: string[] = [];

  private constructor(
    readonly proc: ChildProcess,
    readonly conn: ProtocolConnection,
    readonly folder: string,
  ) {}

  /** What the client answers for the `clanVars` section of workspace/configuration. */
  settings: Record<string, unknown> = {};
  /** The environment the server was started with, on top of this process's. */
  env: NodeJS.ProcessEnv = {};

  static async start(folder: string, options: { progress?: boolean; env?: NodeJS.ProcessEnv; settings?: Record<string, unknown> } = {}): Promise<FuzzClient> {
    const nodeArgs = process.env.FUZZ_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    const proc = spawn(process.execPath, [...nodeArgs, SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...options.env } });
    const conn = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    const c = new FuzzClient(proc, conn, folder);
    c.settings = options.settings ?? {};
    c.env = options.env ?? {};
    proc.stderr!.on('data', (d) => c.fail(`server wrote to stderr: ${String(d).slice(0, 2000)}`));
    proc.on('exit', (code, signal) => {
      if (!c.stopping) c.fail(`server exited (code ${code}, signal ${signal})`);
    });
    conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => c.onDiagnostics(p));
    conn.onNotification('window/logMessage', (p: { type: number; message: string }) => {
      c.activity++;
      c.logs.push(p.message);
      c.wake();
      if (LOG_TO) fs.appendFileSync(LOG_TO, `${new Date().toISOString()} ${p.message}\n`);
      if (c.logs.length > 2000) c.logs.splice(0, 1000);
      if (p.type === 1 || BAD_LOG.test(p.message)) c.fail(`server log: ${p.message.slice(0, 3000)}`);
    });
    conn.onNotification('clanVars/status', (p: { state: string; evaluationPending?: boolean }) => {
      c.activity++;
      c.evaluationPending = !!p.evaluationPending;
      if (p.state === 'ready') c.readyCount++;
      c.wake();
    });
    conn.onNotification('$/progress', (p: { value?: { kind?: string } }) => {
      c.activity++;
      if (p.value?.kind) c.progress.push(p.value.kind);
      c.wake();
    });
    conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => c.settings));
    conn.onRequest('client/registerCapability', () => null);
    conn.onRequest('window/workDoneProgress/create', () => null);
    conn.listen();
    const init = (await conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(folder).href,
      workspaceFolders: [{ uri: pathToFileURL(folder).href, name: path.basename(folder) }],
      capabilities: {
        window: { workDoneProgress: options.progress ?? true },
        workspace: { configuration: true, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true } },
        textDocument: {
          publishDiagnostics: { relatedInformation: true },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          documentSymbol: { hierarchicalDocumentSymbolSupport: true },
        },
      },
    })) as { capabilities: Record<string, unknown> };
    c.capabilities = init.capabilities;
    await conn.sendNotification('initialized', {});
    return c;
  }

  fail(message: string): void {
    if (this.failures.length < 20) this.failures.push(message);
  }

  private onDiagnostics(p: PublishDiagnosticsParams): void {
    this.activity++;
    this.wake();
    this.diagnostics.set(p.uri, { version: p.version, diagnostics: p.diagnostics });
    if (p.version === undefined || !this.docs.has(p.uri)) return;
    const version = p.version;
    const texts = [this.versionTexts.get(p.uri), ...(this.closedTexts.get(p.uri) ?? [])].flatMap((m) => (m?.has(version) ? [m.get(version)!] : []));
    if (!texts.length) return this.fail(`diagnostics for ${p.uri} carry version ${version}, which the client never sent`);
    for (const d of p.diagnostics) {
      const problems = texts.map((text) => rangeProblem(text, d.range));
      if (problems.every((problem) => problem)) this.fail(`diagnostic ${d.code} in ${p.uri} v${version} out of the document: ${problems[0]}`);
    }
  }

  /** Texts of the last changed versions, for failure reports. */
  readonly trailTexts: { name: string; text: string }[] = [];

  /** How many messages and versions the trail keeps (a replayed round keeps them all). */
  trailLimit = 60;
  /**
   * When set, every notification and request the round sent, in order, with what each file a
   * watched-file event names held on disk when it was sent (base64; `dir`; null: gone), and a
   * `$settle` entry after each burst: enough to send the round again, or a part of it, to another
   * server (run.ts --round writes it to journal.json).
   */
  journal: JournalEntry[] | null = null;

  note(line: string): void {
    this.trail.push(`${(performance.now() / 1000).toFixed(3)} ${line}`);
    if (this.trail.length > this.trailLimit) this.trail.shift();
  }

  private remember(uri: string, doc: OpenDoc): void {
    let m = this.versionTexts.get(uri);
    if (!m) this.versionTexts.set(uri, (m = new Map()));
    m.set(doc.version, doc.text);
  }

  /** Forgets the texts of old versions once the server has settled. */
  forgetOldVersions(): void {
    this.closedTexts.clear();
    for (const [uri, m] of this.versionTexts) {
      const doc = this.docs.get(uri);
      for (const v of [...m.keys()]) if (!doc || v !== doc.version) m.delete(v);
    }
  }

  open(file: string, text: string): void {
    const uri = pathToFileURL(file).href;
    const doc = { file, version: 1, text };
    this.docs.set(uri, doc);
    this.remember(uri, doc);
    this.note(`didOpen ${path.basename(file)} (${text.length} chars)`);
    this.journal?.push({ method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: 'nix', version: 1, text } } });
    void this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'nix', version: 1, text } });
  }

  /** Sends content changes (several in one notification when given several) without waiting. */
  change(uri: string, changes: { range?: Rng; text: string }[]): void {
    const doc = this.docs.get(uri);
    if (!doc) throw new Error(`${uri} is not open`);
    for (const ch of changes) doc.text = applyChange(doc.text, ch);
    doc.version++;
    this.edits += changes.length;
    this.remember(uri, doc);
    this.note(`didChange ${path.basename(doc.file)} v${doc.version}: ${changes.map((c) => (c.range ? `${JSON.stringify(c.range.start)}+${c.text.length}` : `all ${c.text.length}`)).join(' ')} -> ${doc.text.length} chars`);
    this.trailTexts.push({ name: `${path.basename(doc.file)}.v${doc.version}`, text: doc.text });
    if (this.trailTexts.length > this.trailLimit) this.trailTexts.shift();
    this.journal?.push({ method: 'textDocument/didChange', params: { textDocument: { uri, version: doc.version }, contentChanges: changes } });
    void this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: doc.version }, contentChanges: changes });
  }

  close(uri: string): void {
    this.docs.delete(uri);
    const texts = this.versionTexts.get(uri);
    if (texts) this.closedTexts.set(uri, [...(this.closedTexts.get(uri) ?? []), texts]);
    this.versionTexts.delete(uri);
    this.note(`didClose ${uri}`);
    this.journal?.push({ method: 'textDocument/didClose', params: { textDocument: { uri } } });
    void this.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  watched(changes: { file: string; type: 1 | 2 | 3 }[]): void {
    this.note(`didChangeWatchedFiles ${changes.map((c) => `${c.type}:${path.basename(c.file)}`).join(' ')}`);
    this.journal?.push({ method: 'workspace/didChangeWatchedFiles', params: { changes: changes.map((c) => ({ uri: pathToFileURL(c.file).href, type: c.type })) }, disk: changes.map((c) => diskState(c.file)) });
    void this.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: changes.map((c) => ({ uri: pathToFileURL(c.file).href, type: c.type })) });
  }

  /** Requests whose answer was late while the machine did not run the server (see request). */
  starvedWaits = 0;

  /** CPU time the server process (or its main thread alone) has used, in ms (Linux /proc; null elsewhere). */
  private serverCpuMs(mainThread = false): number | null {
    return procStatCpuMs(mainThread ? `/proc/${this.proc.pid}/task/${this.proc.pid}/stat` : `/proc/${this.proc.pid}/stat`);
  }

  /**
   * Sends a request; a failure is recorded when no answer comes within ANSWER_MS while the server
   * was busy, or within STARVED_MS at all.
   */
  request(method: string, params: unknown): Promise<unknown> {
    this.requests++;
    if (method !== PROBE) {
      this.note(`request ${method}`); // settling sends hundreds: they would fill the trail
      this.journal?.push({ method, params, request: true });
    }
    const started = performance.now();
    const cpuAtStart = this.serverCpuMs();
    const mainAtStart = this.serverCpuMs(true);
    // a late answer is the server's fault when it was busy meanwhile (ran for at least half the
    // wait); a server the machine ran less (other load, the host's steal) gets more time, up to
    // STARVED_MS, before it counts
    const check = () => {
      const waited = performance.now() - started;
      const used = cpuAtStart === null ? null : (this.serverCpuMs() ?? cpuAtStart) - cpuAtStart;
      if (used !== null && used < waited / 2 && waited < STARVED_MS) {
        this.starvedWaits++;
        late = setTimeout(check, ANSWER_MS);
        return;
      }
      const main = mainAtStart === null ? '?' : (this.serverCpuMs(true) ?? mainAtStart) - mainAtStart;
      this.fail(`${method} got no answer within ${Math.round(waited)} ms (the server used ${used ?? '?'} ms of CPU meanwhile, ${main} ms on its main thread): ${JSON.stringify(params).slice(0, 300)}`);
    };
    let late = setTimeout(check, ANSWER_MS);
    return this.conn.sendRequest(method, params).then(
      (r) => {
        clearTimeout(late);
        if (method !== PROBE) this.note(`answer ${method} after ${Math.round(performance.now() - started)} ms`);
        return r;
      },
      (e: { code?: number; message?: string }) => {
        clearTimeout(late);
        // -32800: cancelled; a rename the server declines with a reason (RequestFailed, or
        // InvalidParams for an unusable new name) is an answer, not a failure
        const declined = (method === 'textDocument/rename' || method === 'textDocument/prepareRename') && (e.code === -32803 || e.code === -32602);
        if (method !== PROBE && e.code !== -32800 && !declined) this.fail(`${method} answered with an error after ${Math.round(performance.now() - started)} ms: ${e.code} ${e.message}`);
        return undefined;
      },
    );
  }

  /**
   * Waits until the server has gone quiet: the server handles messages in order and publishes one
   * event-loop turn after a change, so two probe requests answered with no notification in between
   * mean every earlier message has been handled. Handlers that read files (close, watched files)
   * finish later: quiet must also last 3 rounds and 150 ms.
   */
  async settle(): Promise<void> {
    let quiet = 0;
    let quietSince = performance.now();
    const started = performance.now();
    // quiet, and no evaluation still waiting for the pause in typing (its results come later)
    while (quiet < 3 || performance.now() - quietSince < 150 || this.evaluationPending) {
      if (performance.now() - started > 30_000) return this.fail('the server never went quiet');
      if (this.evaluationPending && quiet >= 3) {
        await new Promise((r) => setTimeout(r, 25)); // the evaluation's timer has to fire
        continue;
      }
      const before = this.activity;
      await Promise.all([this.request(PROBE, {}), this.request(PROBE, {})]);
      this.requests -= 2;
      if (this.activity === before) quiet++;
      else [quiet, quietSince] = [0, performance.now()];
      if (this.failures.length) return;
    }
  }

  /** Whether the server answers the test hooks (CLAN_VARS_TEST_HOOKS=1), `idle` among them. */
  get hooks(): boolean {
    return this.env.CLAN_VARS_TEST_HOOKS === '1';
  }

  /**
   * Resolves when the server says it has done the work of every message sent before and published
   * the result (the test hook clanVars/test/idle): what a test waits for before it looks at the
   * diagnostics. `settle` guesses the same from a quiet spell, for a server without the hooks.
   */
  async idle(): Promise<void> {
    if (!this.hooks) throw new Error('idle needs a server started with CLAN_VARS_TEST_HOOKS=1');
    await this.conn.sendRequest('clanVars/test/idle');
  }

  /** Non-empty diagnostics per URI, each list sorted, for comparison between servers. */
  snapshot(): Map<string, string> {
    const out = new Map<string, string>();
    for (const [uri, { diagnostics }] of this.diagnostics) {
      if (!diagnostics.length) continue;
      out.set(uri, JSON.stringify(diagnostics.map((d) => JSON.stringify(d)).sort()));
    }
    return out;
  }

  /** Checks the latest diagnostics of every file against its current text (open) or disk content. */
  checkRanges(): void {
    for (const [uri, { diagnostics }] of this.diagnostics) {
      if (!diagnostics.length) continue;
      const doc = this.docs.get(uri);
      let text = doc?.text;
      if (text === undefined) {
        try {
          text = fs.readFileSync(fileURLToPath(uri), 'utf8');
        } catch {
          this.fail(`diagnostics remain for ${uri}, which is neither open nor on disk`);
          continue;
        }
      }
      for (const d of diagnostics) {
        const problem = rangeProblem(text, d.range);
        if (problem) this.fail(`diagnostic ${d.code} in ${uri} out of the document after settling: ${problem}`);
      }
    }
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    w.forEach((f) => f());
  }

  /**
   * Resolves with what `predicate` returns once it is truthy, checked now and after each
   * diagnostics, log line, status and progress message from the server; fails after `timeoutMs`
   * naming `what`, with the server's last log lines.
   */
  until<T>(what: string, predicate: () => T | undefined | false | null, timeoutMs = 60_000): Promise<T> {
    return new Promise((resolve, reject) => {
      let over = false;
      const timer = setTimeout(() => {
        over = true;
        reject(new Error(`no ${what} within ${timeoutMs} ms; the server's last log lines:\n${this.logs.slice(-20).join('\n')}`));
      }, timeoutMs);
      const check = () => {
        if (over) return;
        const v = predicate();
        if (v) {
          clearTimeout(timer);
          resolve(v);
        } else this.waiters.push(check);
      };
      check();
    });
  }

  /** Waits for the server's first ready status (the initial index is done). */
  waitReady(timeoutMs = 120_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ready status within ${timeoutMs} ms`)), timeoutMs);
      const check = () => {
        if (this.readyCount > 0 || this.failures.length) {
          clearTimeout(timer);
          resolve();
        } else this.waiters.push(check);
      };
      check();
    });
  }

  rssKb(): number {
    const status = fs.readFileSync(`/proc/${this.proc.pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const exited = new Promise<void>((resolve) => (this.proc.exitCode !== null || this.proc.signalCode ? resolve() : this.proc.once('exit', () => resolve())));
    try {
      await Promise.race([this.conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 3000))]);
      await this.conn.sendNotification('exit');
    } catch {
      /* already gone */
    }
    const killer = setTimeout(() => this.proc.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(killer);
    this.conn.dispose();
  }
}
