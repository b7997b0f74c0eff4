// `files.<f>.restartUnits` set to a non-empty list in a generator a nix-darwin machine has: clan's
// generator module throws "The restartUnits option is not supported on Darwin systems." on darwin
// (modules/clan/export-modules/generic-generator.nix, since 2025-12-16; before that the option
// existed on NixOS only).
import type { Problem } from '../base/types';
import { attrName } from '../syntax/syntax';
import { nameOf } from './generatorFacts';
import type { Rule } from './types';

export const restartUnitsOnDarwin: Rule = {
  code: 'restart-units-on-darwin',
  uses: ['generators', 'modules'],
  reach: 'name',
  check(clan) {
    const problems: Problem[] = [];
    const model = clan.machineModel();
    for (const g of clan.generators) {
      if (g.origin !== 'module' || g.platformDependent) continue;
      for (const o of g.options) {
        if (o.path.length !== 3 || o.path[0] !== 'files' || o.path[2] !== 'restartUnits') continue;
        // `[ ]` is the default, and a literal (null, a string) is a type error of its own; anything else may be non-empty
        const unset = o.kind === 'list_expression' ? !o.elements?.length : o.literal !== undefined;
        if (unset) continue;
        const darwin = model.machinesOfGenerator(g).filter((m) => model.machines.get(m)?.cls === 'darwin');
        if (!darwin.length) continue;
        problems.push({
          file: g.file,
          range: o.keyRange,
          severity: 'error',
          code: this.code,
          message: `files.${attrName(o.path[1])}.restartUnits of generator '${nameOf(g)}' is set, but ${darwin.length === 1 ? `machine '${darwin[0]}' is` : `machines ${darwin.map((m) => `'${m}'`).join(', ')} are`} nix-darwin: remove it there (for example with lib.mkIf pkgs.stdenv.isLinux).`,
          explanation: `Evaluating a darwin machine throws "The restartUnits option is not supported on Darwin systems."`,
        });
      }
    }
    return problems;
  },
};
