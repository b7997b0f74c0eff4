// Open documents: their text, version and syntax tree, kept current with incremental reparsing.
// Only open documents keep a tree; it is deleted when the document closes.
import { makeEdit, type NixParser, type Tree } from '../syntax/nixParser';
import type { Range } from '../base/types';
import { LineIndex } from '../base/lineIndex';
import { sharedTrees } from '../syntax/sharedTrees';

/**
 * One open document. Edits are applied to the text and to the old tree at once, but the reparse
 * waits until something reads `tree`: a burst of keystrokes costs one parse, not one per key.
 */
export class OpenDocument {
  private current: Tree | null = null;
  /** The text changed since the tree was made; `old` (edited to match) helps the next parse. */
  private stale = true;
  private incremental = false;
  /** Why the last parse gave no tree (for example out of time), or null. */
  parseError: string | null = null;
  /** A slow document is reparsed at most once per back-off period while it keeps changing. */
  private backoffMs = 0;
  private pausedUntil = 0;

  constructor(
    readonly uri: string,
    readonly file: string,
    public version: number,
    public text: string,
    private readonly parser: () => NixParser | undefined,
  ) {}

  /** The syntax tree of the current text (parsed now if the text changed), or null when it cannot be parsed. */
  get tree(): Tree | null {
    if (!this.stale) return this.current;
    if (this.parseDeferred) return null;
    const parser = this.parser();
    if (!parser) return null;
    const old = this.current;
    const started = performance.now();
    try {
      // wall-clock budget: typing must not wait longer for a parse because the machine is busy
      const budget = openDocumentBudgetMs(this.text.length);
      // a parse afresh starts from the evaluator's tree of the same text where it has one (syntax/sharedTrees.ts)
      const incremental = this.incremental && old ? old : undefined;
      this.current = (incremental ? null : sharedTrees.copyOf(this.file, this.text, this)) ?? parser.parse(this.text, incremental, budget, true);
      this.parseError = null;
    } catch (e) {
      this.current = null;
      this.parseError = (e as Error).message;
    }
    sharedTrees.put(this.file, this, this.current?.rootNode.hasError === false ? this.current : null, this.text);
    old?.delete();
    this.stale = false;
    this.incremental = true;
    const took = performance.now() - started;
    if (took > SLOW_PARSE_MS || this.current === null) {
      this.backoffMs = Math.min(MAX_BACKOFF_MS, Math.max(2 * took, 2 * this.backoffMs));
      this.pausedUntil = performance.now() + this.backoffMs;
    } else {
      this.backoffMs = this.pausedUntil = 0;
    }
    return this.current;
  }

  /**
   * True while the text changed since a slow (or failed) parse and its back-off has not run out:
   * readers get no tree and keep what they knew, so typing in a slow document does not pay a
   * parse per keystroke, and requests are not queued behind it.
   */
  get parseDeferred(): boolean {
    return this.stale && performance.now() < this.pausedUntil;
  }

  /** When a deferred parse may run (performance.now() time). */
  get deferredUntil(): number {
    return this.pausedUntil;
  }

  applyChanges(changes: TextChange[]): void {
    // the tree is edited below: no longer a tree of the text it was parsed from
    if (changes.length) sharedTrees.put(this.file, this, null);
    for (const c of changes) {
      this.stale = true;
      if (!c.range) {
        this.text = c.text;
        this.incremental = false;
        continue;
      }
      const lines = LineIndex.of(this.text);
      const start = lines.offsetAt(c.range.start);
      const end = Math.max(start, lines.offsetAt(c.range.end));
      if (this.incremental && this.current) this.current.edit(makeEdit(this.text, start, end, c.text, lines));
      this.text = this.text.slice(0, start) + c.text + this.text.slice(end);
    }
  }

  dispose(): void {
    sharedTrees.put(this.file, this, null);
    this.current?.delete();
    this.current = null;
    this.stale = false;
  }
}

/** A parse slower than this puts the document's next parse off by twice its time (doubling, capped). */
export const SLOW_PARSE_MS = 100;
const MAX_BACKOFF_MS = 4000;

/** An open document is reparsed while the user types, so its budget is tight: 0.5 s plus 1 ms per 2,000 characters. */
export function openDocumentBudgetMs(length: number): number {
  return 500 + length / 2000;
}

export interface TextChange {
  range?: Range;
  text: string;
}

export class OpenDocuments {
  private readonly docs = new Map<string, OpenDocument>();
  private readonly byFile = new Map<string, OpenDocument>();

  constructor(private readonly parser: () => NixParser | undefined) {}

  get(uri: string): OpenDocument | undefined {
    return this.docs.get(uri);
  }

  getByFile(file: string): OpenDocument | undefined {
    return this.byFile.get(file);
  }

  all(): IterableIterator<OpenDocument> {
    return this.docs.values();
  }

  open(uri: string, file: string, version: number, text: string): OpenDocument {
    this.close(uri);
    const doc = new OpenDocument(uri, file, version, text, this.parser);
    this.docs.set(uri, doc);
    this.byFile.set(file, doc);
    return doc;
  }

  /** Applies LSP content changes in order; the tree is edited now and reparsed when next read. */
  change(uri: string, version: number, changes: TextChange[]): OpenDocument | undefined {
    const doc = this.docs.get(uri);
    if (!doc) return undefined;
    doc.applyChanges(changes);
    doc.version = version;
    return doc;
  }

  close(uri: string): OpenDocument | undefined {
    const doc = this.docs.get(uri);
    if (!doc) return undefined;
    doc.dispose();
    this.docs.delete(uri);
    if (this.byFile.get(doc.file) === doc) this.byFile.delete(doc.file);
    return doc;
  }
}
