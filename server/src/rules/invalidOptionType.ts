// Options clan types as booleans (`share`, `files.<f>.secret`, `files.<f>.deploy`,
// `prompts.<p>.persist`) given a literal of another type: evaluation fails with the module system's
// type error ("... is not of type `boolean'").
import type { Fix, Problem } from '../base/types';
import type { OptionValue } from '../facts/types';
import { attrName } from '../syntax/syntax';
import { optionSites, evaluatedSiteFiles } from './enumOption';
import type { Rule } from './types';

function isBoolOption(o: OptionValue): boolean {
  if (o.path.length === 1) return o.path[0] === 'share';
  return o.path.length === 3 && ((o.path[0] === 'files' && (o.path[2] === 'secret' || o.path[2] === 'deploy')) || (o.path[0] === 'prompts' && o.path[2] === 'persist'));
}

/** What a string or number evidently meant ("no", "false", 0), when it evidently meant one. */
const MEANT: Record<string, boolean> = { true: true, yes: true, on: true, '1': true, false: false, no: false, off: false, '0': false };

export const invalidOptionType: Rule = {
  code: 'invalid-option-type',
  uses: ['generators', 'evaluation'],
  reach: 'name',
  evaluationReach: evaluatedSiteFiles,
  check(clan) {
    const problems: Problem[] = [];
    for (const site of optionSites(clan)) {
      const { file, o } = site;
      if (!isBoolOption(o) || o.literal === undefined || typeof o.literal === 'boolean') continue;
      const written = typeof o.literal === 'string' ? JSON.stringify(o.literal) : String(o.literal);
      // an own property only: `constructor` and `__proto__` mean no boolean (nor does null: "null" is no key)
      const lower = String(o.literal).toLowerCase();
      const meant = Object.hasOwn(MEANT, lower) ? MEANT[lower] : undefined;
      const fixes: Fix[] = meant === undefined ? [] : [{ title: `Change to ${meant}`, edits: [{ file, range: o.valueRange, newText: String(meant) }], safe: false }];
      problems.push({
        file,
        range: o.valueRange,
        severity: 'error',
        code: this.code,
        message: `${o.path.map(attrName).join('.')} of ${site.of} must be true or false, not ${written}${meant === undefined ? '' : `: did you mean ${meant}?`}`,
        explanation: `Evaluation fails with "A definition for option ... is not of type \`boolean'".`,
        fixes,
      });
    }
    return problems;
  },
};
