// A minimal LSP client for tests: starts the built server over stdio, as an editor would, and
// records what it publishes. Waits are event-driven with a timeout, never fixed sleeps.
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
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
import { SERVER_NODE_OPTIONS, type Request } from '../../server/src/lsp/protocol';

export const SERVER = path.join(REPO_ROOT, 'dist', 'server.js');

export function uri(file: string): string {
  return pathToFileURL(file).href;
}

export class TestClient {
  readonly diagnostics = new Map<string, Diagnostic[]>();
  readonly logs: string[] = [];
  readonly notifications: { method: string; params: unknown }[] = [];
  private waiters: (() => void)[] = [];
  private versions = new Map<string, number>();
  settings: Record<string, unknown> = {};

  private constructor(
    readonly proc: ChildProcess,
    readonly conn: ProtocolConnection,
  ) {}

  /** Servers started and not yet exited: a watchdog can kill them all. */
  static readonly running = new Set<TestClient>();

  /** `command` replaces `node dist/server.js` (as a user's editor would start it), `cwd` the test's working directory, `env` the server's environment. */
  static async start(folder: string, options: { settings?: Record<string, unknown>; args?: string[]; textDocument?: Record<string, unknown>; experimental?: Record<string, unknown>; workspaceEdit?: Record<string, unknown>; command?: string[]; cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<TestClient> {
    // node's options as the extension gives them, or CLAN_VARS_SERVER_NODE_ARGS
    const nodeArgs = process.env.CLAN_VARS_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? SERVER_NODE_OPTIONS;
    const [command, ...commandArgs] = options.command ?? [process.execPath, ...nodeArgs, SERVER];
    const proc = spawn(command, [...commandArgs, '--stdio', ...(options.args ?? [])], { stdio: ['pipe', 'pipe', 'pipe'], cwd: options.cwd, env: options.env ?? process.env });
    const conn = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    const client = new TestClient(proc, conn);
    TestClient.running.add(client);
    proc.once('exit', () => TestClient.running.delete(client));
    client.settings = options.settings ?? {};
    proc.stderr!.on('data', (d) => client.logs.push(String(d)));
    conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      client.diagnostics.set(p.uri, p.diagnostics);
      client.wake();
    });
    conn.onNotification('window/logMessage', (p: { message: string }) => {
      client.logs.push(p.message);
      client.wake();
    });
    for (const method of ['clanVars/status', 'clanVars/viewsChanged']) {
      conn.onNotification(method, (params: unknown) => {
        client.notifications.push({ method, params });
        client.wake();
      });
    }
    conn.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) => p.items.map(() => client.settings));
    conn.onRequest('client/registerCapability', () => null);
    conn.listen();
    await conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: uri(folder),
      workspaceFolders: [{ uri: uri(folder), name: path.basename(folder) }],
      capabilities: {
        experimental: options.experimental,
        workspace: { configuration: true, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true }, workspaceEdit: options.workspaceEdit },
        textDocument: { publishDiagnostics: { relatedInformation: true }, synchronization: { dynamicRegistration: false }, ...options.textDocument },
      },
    });
    await conn.sendNotification('initialized', {});
    return client;
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
    const exited = new Promise<void>((resolve) => {
      if (this.proc.exitCode !== null) resolve();
      else this.proc.once('exit', () => resolve());
    });
    try {
      await Promise.race([this.conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.conn.sendNotification('exit');
    } catch {
      /* the server may already be gone */
    }
    const killer = setTimeout(() => this.proc.kill(), 2000);
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
