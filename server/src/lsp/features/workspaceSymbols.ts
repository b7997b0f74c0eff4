// Workspace symbols: every generator declaration and registry key of every clan, filtered by the
// query (case-insensitive, characters in order). Names as the editor shows them: printable (base/printable.ts).
import { SymbolKind, type SymbolInformation, type WorkspaceSymbolParams } from 'vscode-languageserver/node';
import { requestHandler, type Feature, type ServerContext } from './context';
import { toLspRange } from './locate';
import { printable } from '../../base/printable';

const LIMIT = 2000;

export const workspaceSymbolsFeature: Feature = {
  capabilities: { workspaceSymbolProvider: true },
  register(ctx: ServerContext) {
    ctx.connection.onWorkspaceSymbol(
      requestHandler(ctx, 'workspaceSymbol', (p: WorkspaceSymbolParams): SymbolInformation[] => {
        const matches = matcher(p.query);
        const out: SymbolInformation[] = [];
        for (const index of ctx.indexes()) {
          for (const facts of index.facts.values()) {
            for (const g of facts.generators) {
              const name = g.name.name ?? g.name.pattern;
              if (g.origin !== 'module' || !name || !matches(name)) continue;
              out.push({ name: printable(name), kind: SymbolKind.Module, containerName: 'generator', location: { uri: ctx.uriOf(facts.file), range: toLspRange(g.name.range) } });
            }
            for (const e of facts.registry?.entries ?? []) {
              if (!matches(e.key)) continue;
              out.push({ name: printable(e.key), kind: SymbolKind.Constant, containerName: 'registry key', location: { uri: ctx.uriOf(facts.file), range: toLspRange(e.keyRange) } });
            }
            if (out.length >= LIMIT) return out.slice(0, LIMIT);
          }
        }
        return out;
      }, 'indexed'),
    );
  },
};

function matcher(query: string): (name: string) => boolean {
  const q = query.toLowerCase();
  return (name) => {
    const n = name.toLowerCase();
    let i = 0;
    for (const c of n) if (c === q[i]) i++;
    return i === q.length;
  };
}
