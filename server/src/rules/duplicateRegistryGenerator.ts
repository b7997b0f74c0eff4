// Two registry entries naming the same generator: vars-generators.nix builds the generators with
// listToAttrs keyed by generator name, so one entry silently replaces the other.
import type { Problem } from '../base/types';
import { laterDuplicates } from './registryDuplicates';
import type { Rule } from './types';

export const duplicateRegistryGenerator: Rule = {
  code: 'duplicate-registry-generator',
  uses: ['registry'],
  check(clan) {
    const registry = clan.registry;
    if (!registry?.facts.understood) return [];
    const problems: Problem[] = [];
    for (const { entry: e, earlier, key: g } of laterDuplicates(registry.facts.entries, (x) => x.generator?.name)) {
      problems.push({
        file: registry.file,
        range: e.generator!.range,
        severity: 'error',
        code: this.code,
        message: `Registry entries '${earlier.key}' and '${e.key}' both name generator '${g}': give each entry its own generator name.`,
        explanation: `The generators are keyed by name, so one entry silently replaces the other and a machine selecting both gets only one set of files.`,
        related: [{ location: { file: registry.file, range: earlier.generator!.range }, message: `'${earlier.key}' names '${g}' too` }],
      });
    }
    return problems;
  },
};
