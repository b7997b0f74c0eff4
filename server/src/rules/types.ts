import type { Problem } from '../model/types';
import type { ClanModel } from '../workspace/clanModel';

/** A diagnostic rule: a stable kebab-case code and a check over one clan. */
export interface Rule {
  code: string;
  check(clan: ClanModel): Problem[];
}
