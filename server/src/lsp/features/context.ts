// What every LSP feature gets from the server: the open documents, the workspace indexes, and a
// few helpers. Features ask the index; they never re-read or re-parse files themselves.
import { ErrorCodes, LSPErrorCodes, ResponseError, type CancellationToken, type Connection } from 'vscode-languageserver/node';
import type { OpenDocuments } from '../documents';
import type { EditTarget } from '../convert';
import { slowWatch } from '../serverProcess';
import type { WorkspaceAnalysis } from '../../rules/workspaceAnalysis';
import type { Request } from '../protocol';
import type { Scans } from '../scans';

export interface ServerContext {
  connection: Connection;
  docs: OpenDocuments;
  /** The index of the workspace folder containing `file`. */
  indexFor(file: string): WorkspaceAnalysis;
  /** Every index (workspace folders and loose files). */
  indexes(): WorkspaceAnalysis[];
  /** What requests wait for: the open documents can be indexed, the scans under way are done. */
  scans: Scans;
  log(line: string): void;
  /** A file's text: the open document's, else the file's as the guarded reader reads it; null when it cannot be read. */
  textOf(file: string): string | null;
  /** The URI the client uses for a file (the open document's, or a file: URI). */
  uriOf(file: string): string;
  schedulePublish(): void;
  /** Brings the index up to date with edited open documents: only `uri`'s when given (a request about one document), else all of them and the evaluations that landed. */
  syncDocuments(uri?: string): void;
  /** Resolves once the server has finished the work of every message it has begun handling, and published. */
  whenIdle(): Promise<void>;
  /**
   * With the test hooks only: the requests whose handler changed a version or revision of an index
   * or its models after the writer had applied the changes (a read that wrote; clanVars/test/readsThatWrote).
   */
  readsThatWrote?: string[];
  /**
   * `commands`: editor commands the client announced in `capabilities.experimental.clanVarsCommands`
   * (e.g. `clanVars.generate`); features offer actions that run them only when listed.
   */
  clientCapabilities: { relatedInformation: boolean; workDoneProgress: boolean; markdown: boolean; changeAnnotations: boolean; documentChanges: boolean; renameFiles: boolean; commands: string[] };
}

/** Every clan of the workspace with its index, the most generators first (ties by path): the first is the workspace's main clan. */
export function clansOf(ctx: ServerContext): { index: WorkspaceAnalysis; root: string; generators: number }[] {
  return ctx
    .indexes()
    .flatMap((index) => index.clanRoots().map((r) => ({ index, ...r })))
    .sort((a, b) => b.generators - a.generators || (a.root < b.root ? -1 : 1));
}

/** One LSP feature: the capabilities it announces and the handlers it registers. */
export interface Feature {
  capabilities?: Record<string, unknown>;
  register(ctx: ServerContext): void;
}

/**
 * Where this server's workspace edits go: each open document's edits name the version they were
 * computed on (requestHandler synced the documents just before), so the editor refuses them once
 * the document has moved on; null for files that are not open. Plain `changes` for editors that do
 * not take `documentChanges`.
 */
export function editTarget(ctx: ServerContext): EditTarget {
  const caps = ctx.clientCapabilities;
  return { uriOf: ctx.uriOf, annotations: caps.changeAnnotations, versionOf: caps.documentChanges ? (f) => ctx.docs.getByFile(f)?.version ?? null : undefined };
}

/**
 * What a request's answer needs. 'indexed': the open documents and the files indexed so far, so it
 * is answered during a scan: a request about an open document from that document (symbols, links,
 * hover, completion, definition), workspace symbols from what is indexed. 'workspace': every file,
 * because an answer from part of the workspace would be wrong, not just short (references, rename,
 * code lenses, quick fixes from the rules' findings, the views): it waits for the scans under way.
 */
export type RequestNeeds = 'indexed' | 'workspace';

/**
 * Wraps a request handler: waits for what it needs (RequestNeeds), and turns an exception into an
 * error response (logged once per feature and message) instead of taking the server down.
 */
export function requestHandler<P, R>(ctx: ServerContext, name: string, fn: (params: P, token: CancellationToken) => Promise<R> | R, needs: RequestNeeds = 'workspace') {
  const logged = new Set<string>();
  return async (params: P, token: CancellationToken): Promise<R | ResponseError<void>> => {
    await (needs === 'indexed' ? ctx.scans.documentsReady : ctx.scans.done());
    const cancelled = () => new ResponseError(LSPErrorCodes.RequestCancelled, `${name} cancelled`);
    if (token.isCancellationRequested) return cancelled();
    try {
      if (testThrow === name) throw new Error(`${name}: deliberate failure (CLAN_VARS_TEST_THROW)`);
      const watch = slowWatch();
      const t0 = performance.now();
      // a request about one document is answered from it as typed and from the rest as last indexed:
      // it does not wait for another document's edits to be indexed (a keystroke in a 374 KB registry
      // took a hover in a generator file from 36 to 130 ms); the publish that follows the edit indexes
      // them. A request about the workspace takes every edit first (its answer, an edit among them,
      // names the documents' versions).
      ctx.syncDocuments(needs === 'indexed' ? documentOf(params) : undefined);
      const synced = performance.now();
      // the handler reads what the writer (syncDocuments) left; with the test hooks, whether it wrote
      const before = ctx.readsThatWrote && !ctx.scans.underWay ? revisionsOf(ctx) : null;
      const result = await fn(params, token);
      if (before !== null && revisionsOf(ctx) !== before) ctx.readsThatWrote!.push(name);
      watch?.stop(ctx.log, `${name}${aboutDocument(params)}`, () => `bringing the open documents up to date: ${Math.round(synced - t0)} ms`);
      // a handler that stopped early on cancellation returns a partial result: report the cancellation instead
      return token.isCancellationRequested ? cancelled() : result;
    } catch (e) {
      const message = (e as Error).message ?? String(e);
      if (!logged.has(message)) {
        logged.add(message);
        ctx.log(`${name} failed: ${(e as Error).stack ?? e}`);
      }
      return new ResponseError(ErrorCodes.InternalError, `${name} failed: ${message}`);
    }
  };
}

/** Every version and revision of the server's indexes and their models (WorkspaceAnalysis.revisions). */
export function revisionsOf(ctx: ServerContext): string {
  return ctx.indexes().map((i) => i.revisions()).join('\n');
}

/** The document a request is about (`textDocument.uri`); undefined for a request about the workspace. */
function documentOf(params: unknown): string | undefined {
  const uri = (params as { textDocument?: { uri?: unknown } } | null)?.textDocument?.uri;
  return typeof uri === 'string' ? uri : undefined;
}

/** ` of <uri>` for a request about one document, for the slow log. */
function aboutDocument(params: unknown): string {
  const uri = documentOf(params);
  return uri === undefined ? '' : ` of ${uri}`;
}

let testThrow: string | null = null;

/** Test hook: the request handler with this name throws (see features/testHooks.ts). */
export function setTestThrow(name: string | null): void {
  testThrow = name;
}

/** Registers the handler of one request of the protocol: its params and result types are the request's (../protocol.ts). */
export function onRequest<P, R>(ctx: ServerContext, type: Request<P, R>, name: string, fn: (params: P, token: CancellationToken) => Promise<R> | R): void {
  ctx.connection.onRequest(type.method, requestHandler(ctx, name, fn));
}
