import type { Problem } from '../model/types';
import type { ClanModel } from '../workspace/clanModel';

/** The parts of the clan a rule reads; its result is reused while none of them changed. */
export type RuleInput = 'generators' | 'registry' | 'matrix' | 'imports' | 'accesses' | 'vars';

/** A diagnostic rule: a stable kebab-case code and a check over one clan. */
export interface Rule {
  code: string;
  uses: RuleInput[];
  check(clan: ClanModel): Problem[];
}
