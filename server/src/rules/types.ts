import type { Problem } from '../base/types';
import type { ClanModel } from '../model/clanModel';
import type { ClanEvaluation } from '../model/clanEvaluation';

import type { RuleInput } from '../facts/types';

export type { RuleInput };

/** A diagnostic rule: a stable kebab-case code and a check over one clan. */
export interface Rule {
  code: string;
  uses: RuleInput[];
  /**
   * How far an edit of generators reaches the rule's findings; without it the rule runs over the
   * whole clan when an input it uses changed. test/unit/rules-incremental.test.ts compares the
   * partial runs with full ones after edits.
   * - `name`: a generator's findings read only the declarations of its name (in any file) and the
   *   inputs the rule uses besides `generators`: re-run over the edited files and every file
   *   declaring a name they declared, before or after;
   * - `dependencies`: also the declarations of the generators it names in `dependencies`, so the
   *   files of the generators depending on a changed name too;
   * - `cycles`: the rule finds dependency cycles. While there was none, a cycle after an edit passes
   *   through a generator of the edited files (only their edges changed): only what they reach is searched;
   * - `readers`: the findings sit on reads of a generator's files (`.files.<f>.path`) and read the
   *   declarations of the generator read: also the files reading a changed name.
   *
   * The partial run sees the model restricted to the affected files' generators (a `readers` rule
   * also to their part of what filesWith picks). An edit that adds or removes a name runs `dependencies` and
   * `readers` rules whole (their suggestions come from every name).
   */
  reach?: 'name' | 'dependencies' | 'cycles' | 'readers';
  /**
   * After a registry or matrix edit the findings change only for the generators depending on a name
   * whose registry declarations or machines changed (MachineModel.delta), and for those already
   * found (for a `readers` rule: the reads of such a name): re-run over their files while the
   * clan's generator names are the same.
   */
  registryReach?: boolean;
  /**
   * The files where an evaluation's part of the findings sits (the option rules: where the values
   * the registry pipeline computes are written). When the evaluation changed (typing drops it,
   * a pause brings a new one), the findings change only there: the rule re-runs over these files
   * of the old and the new evaluation, with the files its `reach` adds for the generators changed.
   */
  evaluationReach?: (evaluation: ClanEvaluation) => Iterable<string>;
  check(clan: ClanModel): Problem[];
}
