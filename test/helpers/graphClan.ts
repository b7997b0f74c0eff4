// Builds the dependency graph of a small clan tree, as the server and the checker do.
import { buildDependencyGraph } from '../../server/src/ide/graph/build';
import type { DependencyGraph } from '../../server/src/ide/graph/types';
import { NixParser } from '../../server/src/syntax/nixParser';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { WorkspaceAnalysis } from '../../server/src/rules/workspaceAnalysis';

export async function graphOf(root: string): Promise<DependencyGraph> {
  const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load());
  await index.scan();
  return buildDependencyGraph(index.clan(root));
}

/** A generator module declaring `name` with the given dependencies and files. */
export function generatorNix(gens: Record<string, { deps?: string[]; files?: Record<string, boolean>; share?: boolean }>): string {
  const body = Object.entries(gens)
    .map(([name, g]) => {
      const deps = g.deps ? `dependencies = [ ${g.deps.map((d) => JSON.stringify(d)).join(' ')} ];` : '';
      const files = Object.entries(g.files ?? {})
        .map(([f, secret]) => `files.${JSON.stringify(f)}.secret = ${secret};`)
        .join(' ');
      return `    ${JSON.stringify(name)} = { ${g.share ? 'share = true; ' : ''}${deps} ${files} script = "true"; };`;
    })
    .join('\n');
  return `{ ... }:\n{\n  clan.core.vars.generators = {\n${body}\n  };\n}\n`;
}
