// Go to definition: from a generator name (dependency, `.generators.<g>`, `$in/<g>`, registry
// entry), a registry key in the matrix, a file or prompt name, to where it is declared.
import type { DefinitionParams, Location } from 'vscode-languageserver/node';
import { requestHandler, type Feature, type ServerContext } from './context';
import { toLspLocation } from './locate';
import { targetAt } from './navigation';

export const definitionFeature: Feature = {
  capabilities: { definitionProvider: true },
  register(ctx: ServerContext) {
    ctx.connection.onDefinition(
      requestHandler(ctx, 'definition', (p: DefinitionParams): Location[] => {
        const t = targetAt(ctx, p.textDocument.uri, p.position);
        if (!t) return [];
        return t.occurrences.filter((o) => o.declaration).map((o) => toLspLocation(ctx, { file: o.file, range: o.range }));
      }, 'indexed'),
    );
  },
};
