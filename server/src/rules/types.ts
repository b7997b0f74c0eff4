import type { Problem } from '../model/types';
import type { ClanModel } from '../model/clanModel';

/** The parts of the clan a rule reads; its result is reused while none of them changed. */
/** `modules`: the module structure (imports, flake modules, machines, service instances) that decides which machine has which generator. */
/** `evaluation`: what evaluating the registry pipeline per machine found (throws, undefined variables), apart from the registry and matrix it evaluated. */
export type RuleInput = 'generators' | 'registry' | 'matrix' | 'imports' | 'accesses' | 'vars' | 'modules' | 'evaluation';

/** A diagnostic rule: a stable kebab-case code and a check over one clan. */
export interface Rule {
  code: string;
  uses: RuleInput[];
  check(clan: ClanModel): Problem[];
}
