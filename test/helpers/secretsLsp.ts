// A minimal LSP client over stdio for the secrets server test: sends requests and notifications,
// answers the server's requests with null, and waits for the notification a test expects.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import { PROJECT_ROOT } from './secretsEnv';

type Message = { id?: number; method?: string; params?: unknown; result?: unknown };

export class LspClient {
  private proc: ChildProcessWithoutNullStreams;
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private pending = new Map<number, (r: unknown) => void>();
  private waiters: { match: (m: Message) => boolean; resolve: (m: Message) => void }[] = [];
  readonly seen: Message[] = [];

  constructor() {
    this.proc = spawn(process.execPath, [path.join(PROJECT_ROOT, 'bin/clan-vars-language-server.js'), '--stdio'], { stdio: 'pipe' });
    this.proc.stdout.on('data', (d: Buffer) => this.onData(d));
  }

  private onData(d: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, d]);
    for (;;) {
      const sep = this.buffer.indexOf('\r\n\r\n');
      if (sep < 0) return;
      const len = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, sep).toString())![1]);
      if (this.buffer.length < sep + 4 + len) return;
      const msg = JSON.parse(this.buffer.subarray(sep + 4, sep + 4 + len).toString()) as Message;
      this.buffer = this.buffer.subarray(sep + 4 + len);
      this.dispatch(msg);
    }
  }

  private dispatch(msg: Message): void {
    if (msg.id !== undefined && msg.method) return this.send({ id: msg.id, result: null });
    if (msg.id !== undefined) return this.pending.get(msg.id)?.(msg.result);
    this.seen.push(msg);
    this.waiters = this.waiters.filter((w) => (w.match(msg) ? (w.resolve(msg), false) : true));
  }

  private send(msg: object): void {
    const body = JSON.stringify({ jsonrpc: '2.0', ...msg });
    this.proc.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  }

  request(method: string, params: unknown): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.send({ id, method, params });
    });
  }

  notify(method: string, params: unknown): void {
    this.send({ method, params });
  }

  /** The first notification (already seen or future) that matches. */
  waitFor(match: (m: Message) => boolean): Promise<Message> {
    const hit = this.seen.find(match);
    if (hit) return Promise.resolve(hit);
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  /** The next matching notification from now on. */
  next(match: (m: Message) => boolean): Promise<Message> {
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  async close(): Promise<void> {
    await this.request('shutdown', null);
    this.notify('exit', null);
    await new Promise((r) => this.proc.once('exit', r));
  }
}
