// Open documents: their text, version and syntax tree, kept current with incremental reparsing.
// Only open documents keep a tree; it is deleted when the document closes.
import { makeEdit, type NixParser, type Tree } from './parse/nixParser';
import type { Range } from './model/types';

export interface OpenDocument {
  uri: string;
  file: string;
  version: number;
  text: string;
  tree: Tree | null;
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
    const doc: OpenDocument = { uri, file, version, text, tree: null };
    doc.tree = this.parseFull(text);
    this.docs.set(uri, doc);
    this.byFile.set(file, doc);
    return doc;
  }

  /** Applies LSP content changes in order, editing the tree and reparsing incrementally. */
  change(uri: string, version: number, changes: TextChange[]): OpenDocument | undefined {
    const doc = this.docs.get(uri);
    if (!doc) return undefined;
    let incremental = doc.tree !== null;
    for (const c of changes) {
      if (!c.range) {
        doc.text = c.text;
        incremental = false;
        continue;
      }
      const start = offsetAt(doc.text, c.range.start);
      const end = Math.max(start, offsetAt(doc.text, c.range.end));
      if (incremental && doc.tree) doc.tree.edit(makeEdit(doc.text, start, end, c.text));
      doc.text = doc.text.slice(0, start) + c.text + doc.text.slice(end);
    }
    doc.version = version;
    const old = doc.tree;
    const parser = this.parser();
    try {
      doc.tree = parser ? (incremental && old ? parser.parse(doc.text, old) : parser.parse(doc.text)) : null;
    } catch {
      doc.tree = null;
    }
    old?.delete();
    return doc;
  }

  close(uri: string): OpenDocument | undefined {
    const doc = this.docs.get(uri);
    if (!doc) return undefined;
    doc.tree?.delete();
    doc.tree = null;
    this.docs.delete(uri);
    if (this.byFile.get(doc.file) === doc) this.byFile.delete(doc.file);
    return doc;
  }

  private parseFull(text: string): Tree | null {
    const parser = this.parser();
    try {
      return parser ? parser.parse(text) : null;
    } catch {
      return null;
    }
  }
}

/** UTF-16 offset of an LSP position, clamped to the text. */
export function offsetAt(text: string, pos: { line: number; character: number }): number {
  let offset = 0;
  for (let line = 0; line < pos.line; line++) {
    const nl = text.indexOf('\n', offset);
    if (nl === -1) return text.length;
    offset = nl + 1;
  }
  const lineEnd = text.indexOf('\n', offset);
  const max = lineEnd === -1 ? text.length : lineEnd;
  return Math.min(offset + Math.max(0, pos.character), max);
}
