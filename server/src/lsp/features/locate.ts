// Shared by the features: from a request's document URI to the file, its facts, its clan model and
// (for open documents) its current text. Nothing here reads or parses files.
import type { Range as LspRange } from 'vscode-languageserver/node';
import { uriToFile } from '../convert';
import type { OpenDocument } from '../documents';
import type { Location, Range } from '../../base/types';
import type { FileFacts } from '../../facts/types';
import type { ClanModel } from '../../model/clanModel';
import type { WorkspaceAnalysis } from '../../rules/workspaceAnalysis';
import type { ServerContext } from './context';
import { LineIndex } from '../../base/lineIndex';

export interface Located {
  file: string;
  index: WorkspaceAnalysis;
  facts: FileFacts | undefined;
  clan: ClanModel;
  doc: OpenDocument | undefined;
}

export function locate(ctx: ServerContext, uri: string): Located | null {
  const file = uriToFile(uri);
  if (!file) return null;
  const index = ctx.indexFor(file);
  const doc = ctx.docs.get(uri);
  // while a slow document's parse is deferred, its facts describe an older text: not answered from
  const facts = doc?.parseDeferred ? undefined : index.facts.get(file);
  // the clan's model is built when first read: symbols and links of a document need its facts only
  let clan: ClanModel | undefined;
  return {
    file,
    index,
    facts,
    get clan() {
      return (clan ??= index.clanOf(file));
    },
    doc,
  };
}

export function toLspRange(r: Range): LspRange {
  return { start: { ...r.start }, end: { ...r.end } };
}

export function toLspLocation(ctx: ServerContext, l: Location): { uri: string; range: LspRange } {
  return { uri: ctx.uriOf(l.file), range: toLspRange(l.range) };
}

/** The offset of a position in the open document's text (0 without a document). */
export function offsetIn(doc: OpenDocument | undefined, pos: { line: number; character: number }): number {
  return doc ? new LineIndex(doc.text).offsetAt(pos) : 0;
}

/** Markdown or plain text, as the client accepts. */
export function markup(ctx: ServerContext, value: string): { kind: 'markdown' | 'plaintext'; value: string } {
  return ctx.clientCapabilities.markdown ? { kind: 'markdown', value } : { kind: 'plaintext', value: plainText(value) };
}

/** Markdown as plain text: code fences (with their language word: a lone `sh` line), emphasis and code marks dropped, escaped marks (base/printable.ts markdownText) as they are. */
export function plainText(markdown: string): string {
  return markdown
    .split('\n')
    .filter((l) => !/^\s*(```|~~~)[\w-]*\s*$/.test(l))
    .join('\n')
    .replace(/\\([!-/:-@[-`{-~])|\*\*|`/g, (_m, escaped: string | undefined) => escaped ?? '');
}
