// Find references: every occurrence of a generator name, registry key, file or prompt in the clan.
import type { Location, ReferenceParams } from 'vscode-languageserver/node';
import { requestHandler, type Feature, type ServerContext } from './context';
import { toLspLocation } from './locate';
import { targetAt } from './navigation';

export const referencesFeature: Feature = {
  capabilities: { referencesProvider: true },
  register(ctx: ServerContext) {
    ctx.connection.onReferences(
      requestHandler(ctx, 'references', (p: ReferenceParams): Location[] => {
        const t = targetAt(ctx, p.textDocument.uri, p.position);
        if (!t) return [];
        return t.occurrences.filter((o) => p.context.includeDeclaration || !o.declaration).map((o) => toLspLocation(ctx, { file: o.file, range: o.range }));
      }),
    );
  },
};
