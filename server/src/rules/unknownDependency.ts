// A name in `dependencies` that no generator of the clan declares. Dependencies may name shared
// generators declared in another machine's modules, so the whole clan counts.
import type { Problem } from '../model/types';
import { generatorMayExist } from '../workspace/clanModel';
import { closestName, didYouMean } from './closestName';
import type { Rule } from './types';

export const unknownDependency: Rule = {
  code: 'unknown-dependency',
  uses: ['generators'],
  check(clan) {
    if (clan.namesOpen) return [];
    const problems: Problem[] = [];
    for (const g of clan.generators) {
      for (const dep of g.dependencies) {
        if (dep.name === null || generatorMayExist(clan, dep.name)) continue;
        const owner = g.name.name ?? g.name.pattern ?? '?';
        problems.push({
          file: g.file,
          range: dep.range,
          severity: 'error',
          code: this.code,
          message:
            `No generator named '${dep.name}' is declared in this clan. clan vars generate stops with ` +
            `"Generator '${owner}' depends on '${dep.name}', but '${dep.name}' was not found".` +
            didYouMean(dep.name, clan.byName.keys()),
          fixes: suggestion(dep.name, clan.byName.keys(), g.file, dep.range),
        });
      }
    }
    return problems;
  },
};

function suggestion(name: string, names: Iterable<string>, file: string, range: Problem['range']): Problem['fixes'] {
  const c = closestName(name, names);
  return c ? [{ title: `Change to '${c}'`, edits: [{ file, range, newText: JSON.stringify(c) }], safe: false }] : [];
}
