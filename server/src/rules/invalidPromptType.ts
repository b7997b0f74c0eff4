// `prompts.<p>.type` is an enum: hidden, line, multiline, multiline-hidden.
import { checkEnum, promptOption, where, evaluatedSiteFiles } from './enumOption';
import type { Rule } from './types';

export const invalidPromptType: Rule = {
  code: 'invalid-prompt-type',
  uses: ['generators', 'evaluation'],
  reach: 'name',
  evaluationReach: evaluatedSiteFiles,
  check(clan) {
    return checkEnum(
      {
        code: this.code,
        matches: (o) => promptOption(o, 'type'),
        allowed: ['hidden', 'line', 'multiline', 'multiline-hidden'],
        aliases: { password: 'hidden', secret: 'hidden', text: 'line', string: 'line', 'hidden-multiline': 'multiline-hidden' },
        describe: (o, of) => `The type of ${where(o, of)}`,
      },
      clan,
    );
  },
};
