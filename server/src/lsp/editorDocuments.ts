// The documents open in the editor, and what the indexes have not seen of them yet: an edit marks
// its document, and the indexes take the marked ones once per burst of keystrokes, before a publish
// or a request (sync).
import { OpenDocuments, type OpenDocument, type TextChange } from './documents';
import { fileToUri } from './convert';
import type { NixParser } from '../syntax/nixParser';
import type { WorkspaceAnalysis } from '../rules/workspaceAnalysis';
import { slowWatch } from './serverProcess';

export interface DocumentHooks {
  log(line: string): void;
  indexFor(file: string): WorkspaceAnalysis;
  schedulePublish(): void;
}

export class EditorDocuments {
  readonly open: OpenDocuments;
  /** Open documents edited since the index last saw them: re-indexed once per burst, before a publish or a request. */
  private readonly dirty = new Set<string>();
  /** Counts documents opened and closed: a diagnostic's related locations name the open documents' URIs. */
  epoch = 0;
  /** Counts the texts of open documents the indexes took (sync): a publish in turns checks no request took one meanwhile. */
  taken = 0;
  /** When a put-off parse may run: a publish then. */
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly parser: () => NixParser | undefined,
    private readonly hooks: DocumentHooks,
  ) {
    this.open = new OpenDocuments(parser);
  }

  opened(uri: string, file: string, version: number, text: string): void {
    this.open.open(uri, file, version, text);
    this.epoch++;
    this.dirty.add(uri);
  }

  changed(uri: string, version: number, changes: TextChange[]): void {
    if (this.open.change(uri, version, changes)) this.dirty.add(uri);
  }

  closed(uri: string): OpenDocument | undefined {
    const doc = this.open.close(uri);
    this.epoch++;
    this.dirty.delete(uri);
    return doc;
  }

  closeAll(): void {
    for (const doc of [...this.open.all()]) this.open.close(doc.uri);
  }

  /** The indexes take an open document's facts from the editor's text only (sync), never from disk. */
  isOpen(file: string): boolean {
    return this.open.getByFile(file) !== undefined;
  }

  /** The URI the client uses for a file (the open document's, or a file: URI). */
  uriOf(file: string): string {
    return this.open.getByFile(file)?.uri ?? fileToUri(file);
  }

  /**
   * The open documents are indexed again from the editor's text, which is what they are: after the
   * first scan and a folder added (an index that has not seen them), and as the settings change (the
   * index forgets every file's facts; its scan, like every read from disk, leaves open files alone).
   */
  textsAgain(): void {
    for (const doc of this.open.all()) this.dirty.add(doc.uri);
  }

  /** Brings the index up to date with the open documents edited since it last looked (one parse per burst): only `only`'s when given. */
  sync(only?: string): void {
    if (!this.parser()) return;
    let retryAt = Infinity;
    for (const uri of only === undefined ? [...this.dirty] : this.dirty.has(only) ? [only] : []) {
      const doc = this.open.get(uri);
      if (doc?.parseDeferred) {
        retryAt = Math.min(retryAt, doc.deferredUntil); // a slow document: its facts stay as they were until then
        continue;
      }
      if (doc) {
        const watch = slowWatch();
        this.hooks.indexFor(doc.file).updateFromDocument(doc);
        this.taken++;
        watch?.stop(this.hooks.log, `indexing the open document ${uri} (${doc.text.length} characters)`);
      }
      this.dirty.delete(uri);
    }
    if (retryAt < Infinity && !this.retryTimer) {
      this.retryTimer = setTimeout(() => {
        this.retryTimer = undefined;
        this.hooks.schedulePublish();
      }, Math.max(0, retryAt - performance.now()) + 1);
    }
  }

  /** Whether an open document's parse is put off (its diagnostics will come later). */
  parseDeferred(): boolean {
    for (const uri of this.dirty) if (this.open.get(uri)?.parseDeferred) return true;
    return false;
  }

  /** Whether a publish waits for a put-off parse. */
  get retryScheduled(): boolean {
    return this.retryTimer !== undefined;
  }
}
