// A shared generator (`share = true`) that depends on a per-machine one: clan refuses with
// "Shared generators must not depend on machine specific generators".
import type { Problem } from '../base/types';
import { mergedDeclarations, nameOf } from './generatorFacts';
import { sharedness } from '../model/sharing';
import type { Rule } from './types';

export const sharedDependsOnMachine: Rule = {
  code: 'shared-depends-on-machine',
  uses: ['generators', 'modules'],
  reach: 'dependencies',
  check(clan) {
    const problems: Problem[] = [];
    for (const g of clan.generators) {
      if (g.origin !== 'module') continue;
      // a computed name (clan-core's zerotier-identity-<machine>) is shared by what it says itself
      if (sharedness(g.name.name === null ? [g] : clan.byName.get(g.name.name) ?? [g]) !== true) continue;
      for (const dep of g.dependencies) {
        if (dep.name === null) continue;
        const decls = clan.byName.get(dep.name);
        if (!decls?.length) continue;
        // a declaration whose computed name could be it may say share = true
        const merged = mergedDeclarations(clan, decls[0]);
        if (sharedness(merged.possible) !== false) continue;
        problems.push({
          file: g.file,
          range: dep.range,
          severity: 'error',
          code: this.code,
          message: `Generator '${nameOf(g)}' is shared but depends on '${dep.name}', which is per-machine: make '${dep.name}' shared too, or '${nameOf(g)}' per-machine.`,
          explanation: `clan vars generate stops with "Shared generators must not depend on machine specific generators. Generator '${nameOf(g)}' (shared) depends on '${dep.name}' (machine-specific)".`,
          related: decls.map((d) => ({ location: { file: d.file, range: d.name.range }, message: `'${dep.name}' is declared here without share = true` })),
        });
      }
    }
    return problems;
  },
};
