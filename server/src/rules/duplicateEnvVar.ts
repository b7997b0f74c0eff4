// Two registry entries exporting the same environment variable: a machine selecting both gets
// whichever is set last, so one secret silently shadows the other.
import type { Problem } from '../base/types';
import { laterDuplicates } from './registryDuplicates';
import type { Rule } from './types';

export const duplicateEnvVar: Rule = {
  code: 'duplicate-env-var',
  uses: ['registry'],
  check(clan) {
    const registry = clan.registry;
    if (!registry?.facts.understood) return [];
    const problems: Problem[] = [];
    for (const { entry: e, earlier } of laterDuplicates(registry.facts.entries, (x) => x.envVar)) {
      problems.push({
        file: registry.file,
        range: e.keyRange,
        severity: 'error',
        code: this.code,
        message: `Registry entries '${earlier.key}' and '${e.key}' both export ${e.envVar}: give each entry its own envVar.`,
        explanation: `On a machine selecting both, one value silently replaces the other in the session environment.`,
        related: [{ location: { file: registry.file, range: earlier.keyRange }, message: `'${earlier.key}' exports ${e.envVar} too` }],
      });
    }
    return problems;
  },
};
