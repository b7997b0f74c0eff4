// Completion: option names and enum values (with docs), generator names in `dependencies` and
// after `.generators.`, file names after `.files.`, `$out/`, `$in/<dep>/`, prompt names after
// `$prompts/`, dependency names after `$in/`, registry keys in matrix lists.
import { CompletionItemKind, type CompletionItem, type CompletionList, type CompletionParams } from 'vscode-languageserver/node';
import { completionsAt, type ItemKind } from '../../ide/completions';
import { requestHandler, type Feature, type ServerContext } from './context';
import { locate, markup } from './locate';
import { LineIndex } from '../../base/lineIndex';

const KINDS: Record<ItemKind, CompletionItemKind> = {
  option: CompletionItemKind.Property,
  enum: CompletionItemKind.EnumMember,
  generator: CompletionItemKind.Module,
  file: CompletionItemKind.File,
  prompt: CompletionItemKind.Variable,
  'registry-key': CompletionItemKind.Constant,
};

const MAX_ITEMS = 200;
/** VS Code's command that opens the suggestions again; run only when the client announced it (client/src/extension.ts). */
const TRIGGER_SUGGEST = 'editor.action.triggerSuggest';

export const completionFeature: Feature = {
  capabilities: { completionProvider: { triggerCharacters: ['.', '/', '"', ' '], resolveProvider: false } },
  register(ctx: ServerContext) {
    ctx.connection.onCompletion(requestHandler(ctx, 'completion', (p: CompletionParams) => complete(ctx, p), 'indexed'));
  },
};

function complete(ctx: ServerContext, p: CompletionParams): CompletionList {
  const at = locate(ctx, p.textDocument.uri);
  if (!at?.doc) return { isIncomplete: false, items: [] };
  const text = at.doc.text;
  const lines = new LineIndex(text);
  const offset = lines.offsetAt(p.position);
  let items = completionsAt({ clan: at.clan, facts: at.facts, file: at.file, text, offset, position: p.position });
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  // the cursor as it is in the text: a position past the end of its line (or the text) is clamped
  const cursor = { line: lines.lineAt(lineStart), character: offset - lineStart };
  // Thousands of names (generators, registry keys): send those matching what is typed, at most
  // MAX_ITEMS, and ask the editor to ask again as typing goes on.
  let isIncomplete = false;
  if (items.length > MAX_ITEMS) {
    const typed = text.slice(Math.max(items[0].replaceFrom, lineStart), offset).replace(/^"/, '').toLowerCase();
    items = items.filter((it) => subsequence(typed, it.label.toLowerCase()));
    if (items.length > MAX_ITEMS) (items = items.slice(0, MAX_ITEMS)), (isIncomplete = true);
  }
  const out: CompletionItem[] = items.map((it, i) => {
    // edits stay on the cursor's line
    const from = Math.max(it.replaceFrom, lineStart);
    const range = { start: { line: cursor.line, character: cursor.character - (offset - from) }, end: cursor };
    const item: CompletionItem = { label: it.label, kind: KINDS[it.kind], textEdit: { range, newText: it.insert }, sortText: String(i).padStart(4, '0') };
    if (it.insert !== it.label) item.filterText = text.slice(from, offset).startsWith('"') ? it.insert : it.label;
    if (it.detail) item.detail = shortDetail(it.detail);
    if (it.retrigger && ctx.clientCapabilities.commands.includes(TRIGGER_SUGGEST)) item.command = { title: 'Suggest', command: TRIGGER_SUGGEST };
    if (it.documentation) item.documentation = markup(ctx, it.documentation);
    return item;
  });
  // during a scan, names the files not read yet declare are missing: the editor asks again as typing goes on
  return { isIncomplete: isIncomplete || ctx.scans.underWay, items: out };
}

/**
 * The editor shows the detail on the row beside the label and cuts the label to make room: a
 * detail is kept to MAX_DETAIL characters, cut at its last ' · ' part that fits (a long part at a word).
 */
const MAX_DETAIL = 32;
export function shortDetail(detail: string): string {
  if (detail.length <= MAX_DETAIL) return detail;
  const parts = detail.split(' · ');
  let out = parts[0];
  for (const p of parts.slice(1)) if (out.length + 3 + p.length <= MAX_DETAIL) out += ` · ${p}`;
  if (out.length <= MAX_DETAIL) return out;
  const cut = out.lastIndexOf(' ', MAX_DETAIL - 1);
  return `${out.slice(0, cut > MAX_DETAIL / 2 ? cut : MAX_DETAIL - 1)}…`;
}

function subsequence(typed: string, label: string): boolean {
  let i = 0;
  for (let k = 0; k < label.length && i < typed.length; k++) if (label[k] === typed[i]) i++;
  return i === typed.length;
}
