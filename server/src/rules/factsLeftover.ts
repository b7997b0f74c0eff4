// A clan facts service (`clan.core.facts.services.<s>`): clan-core removed the facts system on
// 2025-12-03 (bb7a33317), so with a clan-core from then on the option does not exist and evaluation
// fails; before that, facts still worked but were deprecated in favour of vars. The fix rewrites
// the service into a vars generator and its readers into vars paths. (`migrateFact` and scripts
// writing `$secrets/`/`$facts/` are reported by removed-option and missing-output.)
import type { Problem } from '../model/types';
import { clanCorePin } from '../workspace/clanCorePin';
import { legacyDeclarations, migrationFix } from './legacyMigration';
import type { Rule } from './types';

/** clan-core bb7a33317 ("remove facts", 2025-12-03). */
const FACTS_REMOVED = 1764720000;

export const factsLeftover: Rule = {
  code: 'facts-leftover',
  uses: ['accesses', 'modules'], // modules: bumped when flake.lock (the clan-core pin) changes
  check(clan) {
    const problems: Problem[] = [];
    let removed: boolean | null | undefined;
    for (const { file, d } of legacyDeclarations(clan, 'facts-service')) {
      if (removed === undefined) {
        const pin = clanCorePin(clan.root);
        removed = pin ? pin.lastModified >= FACTS_REMOVED : null;
      }
      problems.push({
        file,
        range: d.range,
        severity: removed ? 'error' : 'warning',
        code: this.code,
        message:
          `clan.core.facts.services.${d.name} belongs to the removed facts system: move it to a vars generator (clan.core.vars.generators.${d.name})` +
          (d.replacement ? `; the quick fix rewrites it and every reader of its files.` : `.`),
        explanation:
          `clan-core removed the facts system on 2025-12-03: ` +
          (removed
            ? `the clan-core this flake pins has no clan.core.facts option, so evaluation fails.`
            : removed === false
              ? `the clan-core this flake pins still reads it, but evaluation fails once you update clan-core.`
              : `with a clan-core from then on, evaluation fails.`),
        fixes: migrationFix(clan, file, d, `Move facts service '${d.name}' to a vars generator`),
      });
    }
    return problems;
  },
};
