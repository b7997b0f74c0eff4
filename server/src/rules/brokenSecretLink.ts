// A `users/`, `machines/` or `groups/` entry next to a sops secret that points nowhere (or to a
// directory without key.json): clan cannot compute the secret's recipients from it.
import type { Problem } from '../base/types';
import { declarationsOf, describeVar, fixCommand, reportOn, sopsVarsInUse } from './secretDeclarations';
import type { Rule } from './types';

export const brokenSecretLink: Rule = {
  code: 'broken-secret-link',
  uses: ['generators', 'vars', 'modules'], // modules: which machine has a declaration (secretDeclarations.ts)
  check(clan) {
    const problems: Problem[] = [];
    for (const v of sopsVarsInUse(clan)) {
      const broken = v.links.filter((l) => l.problem);
      if (!broken.length) continue;
      const machines = v.links.filter((l) => l.kind === 'machines').map((l) => l.name);
      const message =
        `Secret ${describeVar(v.ref)} has ${broken.length === 1 ? 'a broken link' : `${broken.length} broken links`}: ` +
        broken.map((l) => `${l.kind}/${l.name} (${l.problem})`).join('; ') +
        `. Add the missing key under sops/ or remove the link, then run ${fixCommand(v.ref, machines)}.`;
      problems.push(...reportOn(declarationsOf(clan, v.ref), this.code, 'warning', message));
    }
    return problems;
  },
};
