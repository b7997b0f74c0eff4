import type { Problem } from '../base/types';
import type { ClanModel } from '../model/clanModel';

import type { RuleInput } from '../facts/types';

export type { RuleInput };

/** A diagnostic rule: a stable kebab-case code and a check over one clan. */
export interface Rule {
  code: string;
  uses: RuleInput[];
  check(clan: ClanModel): Problem[];
}
