// A minimal LSP client for tests: starts the built server over stdio, as an editor would, or the
// server's sources in this process over a pair of streams (startInProcess), and records what it
// publishes. Waits are event-driven with a timeout, never fixed sleeps.
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { REPO_ROOT } from './tempClan';
import { SERVER_ENV, SERVER_NODE_OPTIONS, type Request } from '../../server/src/lsp/protocol';

export const SERVER = path.join(REPO_ROOT, 'dist', 'server.js');

export function uri(file: string): string {
  return pathToFileURL(file).href;
}

/** What a test gives the server at its start, in or out of this process. */
export interface StartOptions {
  settings?: Record<string, unknown>;
  textDocument?: Record<string, unknown>;
  experimental?: Record<string, unknown>;
  workspaceEdit?: Record<string, unknown>;
}

export class TestClient {
  readonly diagnostics = new Map<string, Diagnostic[]>();
  readonly logs: string[] = [];
  readonly notifications: { method: string; params: unknown }[] = [];
  private waiters: (() => void)[] = [];
  private versions = new Map<string, number>();
  settings: Record<string, unknown> = {};

  private constructor(
    /** The server's process; null for a server in this process. */
    readonly proc: ChildProcess | null,
    readonly conn: ProtocolConnection,
  ) {}

  /** Whether the server still runs (one in this process runs as long as the test). */
  alive(): boolean {
    return this.proc === null || this.proc.exitCode === null;
  }

  /** Servers started and not yet exited: a watchdog can kill them all. */
  static readonly running = new Set<TestClient>();

  /** `command` replaces `node dist/server.js` (as a user's editor would start it), `cwd` the test's working directory, `env` the server's environment (SERVER_ENV added beneath it, as the extension adds it). */
  static async start(folder: string, options: StartOptions & { args?: string[]; command?: string[]; cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<TestClient> {
    // node's options as the extension gives them, or CLAN_VARS_SERVER_NODE_ARGS
    const nodeArgs = process.env.CLAN_VARS_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? SERVER_NODE_OPTIONS;
    const [command, ...commandArgs] = options.command ?? [process.execPath, ...nodeArgs, SERVER];
    const proc = spawn(command, [...commandArgs, '--stdio', ...(options.args ?? [])], { stdio: ['pipe', 'pipe', 'pipe'], cwd: options.cwd, env: { ...SERVER_ENV, ...(options.env ?? process.env) } });
    const conn = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    const client = new TestClient(proc, conn);
    TestClient.running.add(client);
    proc.once('exit', () => TestClient.running.delete(client));
    proc.stderr!.on('data', (d) => client.logs.push(String(d)));
    await client.initialize(folder, options, process.pid);
    return client;
  }

  /**
   * The server's sources started in this process (server/src/lsp/server.ts), on a pair of streams:
   * the same handlers as the built server, without a process to start, so a test can run many.
   */
  static async startInProcess(folder: string, options: StartOptions & { testHooks?: boolean } = {}): Promise<TestClient> {
    // loaded here, not at the top: the tests that start the built server do without the sources
    const { createConnection } = require('vscode-languageserver/node') as typeof import('vscode-languageserver/node');
    const { createLanguageServer } = require('../../server/src/lsp/server') as typeof import('../../server/src/lsp/server');
    const toServer = new PassThrough();
    const toClient = new PassThrough();
    // message readers, not streams: a stream that ends would make the server's connection exit the process
    const serverConnection = createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
    createLanguageServer(serverConnection, { testHooks: options.testHooks });
    serverConnection.listen();
    const client = new TestClient(null, createProtocolConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer)));
    client.stopInProcess = () => {
      serverConnection.dispose();
      toServer.end();
      toClient.end();
    };
    await client.initialize(folder, options, null);
    return client;
  }

  private stopInProcess: (() => void) | null = null;

  private async initialize(folder: string, options: StartOptions, processId: number | null): Promise<void> {
    const conn = this.conn;
    this.settings = options.settings ?? {};
    conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.diagnostics.set(p.uri, p.diagnostics);
      this.wake();
    });
    conn.onNotification('window/logMessage', (p: { message: string }) => {
      this.logs.push(p.message);
      this.wake();
    });
    for (const method of ['clanVars/status', 'clanVars/viewsChanged']) {
      conn.onNotification(method, (params: unknown) => {
        this.notifications.push({ method, params });
        this.wake();
      });
    }
    conn.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) => p.items.map(() => this.settings));
    conn.onRequest('client/registerCapability', () => null);
    conn.listen();
    await conn.sendRequest('initialize', {
      processId,
      rootUri: uri(folder),
      workspaceFolders: [{ uri: uri(folder), name: path.basename(folder) }],
      capabilities: {
        experimental: options.experimental,
        workspace: { configuration: true, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true }, workspaceEdit: options.workspaceEdit },
        textDocument: { publishDiagnostics: { relatedInformation: true }, synchronization: { dynamicRegistration: false }, ...options.textDocument },
      },
    });
    await conn.sendNotification('initialized', {});
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    w.forEach((f) => f());
  }

  /** Resolves when `predicate` holds, checking after every message from the server. */
  waitFor<T>(what: string, predicate: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; server log:\n${this.logs.join('\n')}`)), timeoutMs);
      const check = () => {
        let v: T | undefined | false;
        try {
          v = predicate();
        } catch (e) {
          clearTimeout(timer);
          return reject(e);
        }
        if (v) {
          clearTimeout(timer);
          resolve(v);
        } else this.waiters.push(check);
      };
      check();
    });
  }

  /** Waits until the server has published diagnostics for `file` that satisfy `predicate`. */
  waitForDiagnostics(file: string, predicate: (d: Diagnostic[]) => boolean, timeoutMs?: number): Promise<Diagnostic[]> {
    return this.waitFor(`diagnostics for ${file}`, () => {
      const d = this.diagnostics.get(uri(file));
      return d && predicate(d) ? d : undefined;
    }, timeoutMs);
  }

  /** Waits for the server's ready status after indexing. */
  waitReady(timeoutMs?: number): Promise<unknown> {
    return this.waitFor('ready status', () => this.notifications.find((n) => n.method === 'clanVars/status' && (n.params as { state: string }).state === 'ready'), timeoutMs);
  }

  /** Waits until the registry pipeline has been evaluated and the server says no evaluation is pending. */
  waitEvaluated(timeoutMs?: number): Promise<unknown> {
    return this.waitFor(
      'evaluated registry pipeline',
      () =>
        this.logs.some((l) => l.startsWith('evaluated the registry pipeline')) &&
        (() => {
          const last = [...this.notifications].reverse().find((n) => n.method === 'clanVars/status')?.params as { state?: string; evaluationPending?: boolean } | undefined;
          return last?.state === 'ready' && !last.evaluationPending;
        })(),
      timeoutMs,
    );
  }

  open(file: string, text: string): void {
    this.versions.set(file, 1);
    void this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: uri(file), languageId: 'nix', version: 1, text } });
  }

  /** Replaces [start, end) (line/character) with `text`. */
  change(file: string, range: { start: { line: number; character: number }; end: { line: number; character: number } }, text: string): void {
    const version = (this.versions.get(file) ?? 1) + 1;
    this.versions.set(file, version);
    void this.conn.sendNotification('textDocument/didChange', { textDocument: { uri: uri(file), version }, contentChanges: [{ range, text }] });
  }

  close(file: string): void {
    void this.conn.sendNotification('textDocument/didClose', { textDocument: { uri: uri(file) } });
  }

  /** Sends a request of the Clan Vars protocol (server/src/lsp/protocol.ts), typed by its declaration. */
  send<P, R>(type: Request<P, R>, params: P): Promise<R> {
    return this.conn.sendRequest<R>(type.method, params);
  }

  async stop(): Promise<void> {
    const proc = this.proc;
    if (!proc) {
      // no `exit` notification: the server's connection would end this process
      await Promise.race([this.conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      this.conn.dispose();
      this.stopInProcess?.();
      return;
    }
    const exited = new Promise<void>((resolve) => {
      if (proc.exitCode !== null) resolve();
      else proc.once('exit', () => resolve());
    });
    try {
      await Promise.race([this.conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.conn.sendNotification('exit');
    } catch {
      /* the server may already be gone */
    }
    const killer = setTimeout(() => proc.kill(), 2000);
    await exited;
    clearTimeout(killer);
    this.conn.dispose();
  }
}

/** A diagnostic's message as plain text. */
export function messageOf(d: Diagnostic): string {
  return typeof d.message === 'string' ? d.message : d.message.value;
}

/** Position of the first occurrence of `needle` in `text`. */
export function positionOf(text: string, needle: string, offset = 0): { line: number; character: number } {
  const i = text.indexOf(needle) + offset;
  if (i < offset) throw new Error(`'${needle}' not in text`);
  const before = text.slice(0, i).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}
