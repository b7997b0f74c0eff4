// Document symbols: each generator with its files and prompts as children; registry entries in the
// registry file. Names as the outline shows them: printable (base/printable.ts).
import { SymbolKind, type DocumentSymbol, type DocumentSymbolParams } from 'vscode-languageserver/node';
import { isBefore, type Range } from '../../base/types';
import type { Generator } from '../../facts/types';
import { requestHandler, type Feature, type ServerContext } from './context';
import { locate, toLspRange } from './locate';
import { printable } from '../../base/printable';

export const documentSymbolsFeature: Feature = {
  capabilities: { documentSymbolProvider: true },
  register(ctx: ServerContext) {
    ctx.connection.onDocumentSymbol(
      requestHandler(ctx, 'documentSymbol', (p: DocumentSymbolParams): DocumentSymbol[] => {
        const at = locate(ctx, p.textDocument.uri);
        if (!at?.facts) return [];
        const out: DocumentSymbol[] = at.facts.generators.filter((g) => g.origin === 'module').map(generatorSymbol);
        for (const e of at.facts.registry?.entries ?? []) {
          const r = toLspRange(e.keyRange);
          out.push({ name: printable(e.key), detail: e.generator?.name ? `→ ${printable(e.generator.name)}` : 'registry key', kind: SymbolKind.Constant, range: r, selectionRange: r });
        }
        return out;
      }, 'indexed'),
    );
  },
};

function generatorSymbol(g: Generator): DocumentSymbol {
  const child = (name: string, kind: SymbolKind, range: Range, detail: string): DocumentSymbol => ({ name: printable(name), kind, detail, range: toLspRange(range), selectionRange: toLspRange(range) });
  const children = [
    ...g.files.map((f) => child(f.name, SymbolKind.File, f.range, 'file')),
    ...g.prompts.map((p) => child(p.name, SymbolKind.Field, p.range, 'prompt')),
  ];
  const ranges = [g.name.range, ...(g.aliases ?? []).map((a) => a.range), ...g.options.map((o) => o.valueRange), ...g.files.map((f) => f.range), ...g.prompts.map((p) => p.range)];
  if (g.script) ranges.push(g.script.range);
  const range = span(ranges);
  return {
    name: printable(g.name.name ?? g.name.pattern ?? '<computed>'),
    detail: g.share ? 'shared generator' : 'generator',
    kind: SymbolKind.Module,
    range: toLspRange(range),
    selectionRange: toLspRange(g.name.range),
    children,
  };
}


function span(ranges: Range[]): Range {
  let { start, end } = ranges[0];
  for (const r of ranges) {
    if (isBefore(r.start, start)) start = r.start;
    if (isBefore(end, r.end)) end = r.end;
  }
  return { start, end };
}
