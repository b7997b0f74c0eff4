// `files.<f>.neededFor` is an enum: partitioning, activation, users, services. "user" (the word the
// option's own description uses) and the old boolean `neededForUsers` are common mistakes.
import { checkEnum, fileOption, where, evaluatedSiteFiles } from './enumOption';
import type { Rule } from './types';

export const invalidNeededFor: Rule = {
  code: 'invalid-needed-for',
  uses: ['generators', 'evaluation'],
  reach: 'name',
  evaluationReach: evaluatedSiteFiles,
  check(clan) {
    return checkEnum(
      {
        code: this.code,
        matches: (o) => fileOption(o, 'neededFor'),
        allowed: ['partitioning', 'activation', 'users', 'services'],
        aliases: { user: 'users', service: 'services' },
        describe: (o, of) => `neededFor of ${where(o, of)}`,
      },
      clan,
    );
  },
};
