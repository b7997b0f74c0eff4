// `files.<f>.restartUnits` in a generator a nix-darwin machine has. What clan-core does depends on
// the revision the flake pins (history of modules/clan/export-modules/generic-generator.nix and
// nixosModules/clanCore/vars/interface.nix, merges into main):
// - from 2025-06-10 (e70fe677f, "don't expose restartUnits on macOS") to 2025-12-16 the option is
//   declared on NixOS only, so any definition on darwin, `[ ]` included, is an unknown option:
//   evaluating the machine fails with "The option ... restartUnits' does not exist".
// - from 2025-12-16 (d593947ac) the option is declared everywhere, and its `apply` throws "The
//   restartUnits option is not supported on Darwin systems." for a non-empty list on darwin, when
//   the value is read: clan-core itself reads it only for NixOS (sops-nix's restartUnits), so it is
//   a warning: nothing is restarted there, and anything that reads it fails.
// Silent where a platform test keeps the setting from darwin, and for a generator written in a
// module of the nixos class (a clan service's `nixosModule`), which clan gives no darwin machine.
import type { Problem } from '../base/types';
import type { OptionValue } from '../facts/types';
import { clanCorePin } from '../model/inputs/clanCorePin';
import { attrName } from '../syntax/syntax';
import { nameOf } from './generatorFacts';
import type { Rule } from './types';

/** The merge into main that declared restartUnits on NixOS only (2025-06-10 07:05 UTC). */
export const NIXOS_ONLY_SINCE = 1749539153;
/** The merge into main that declared it everywhere again, rejecting it on darwin (2025-12-16 16:57 UTC). */
export const REJECTED_ON_DARWIN_SINCE = 1765904267;

/** A list that has elements whatever else it holds (`[ "a.service" ]`, `[ "a.service" ] ++ extra`). */
function nonEmpty(o: OptionValue): boolean {
  return (o.elements?.length ?? 0) > 0 || (o.kind === 'binary_expression' && /\[\s*[^\]\s]/.test(o.text));
}

export const restartUnitsOnDarwin: Rule = {
  code: 'restart-units-on-darwin',
  uses: ['generators', 'modules'], // modules: bumped when flake.lock (the clan-core pin) changes
  reach: 'name',
  check(clan) {
    const problems: Problem[] = [];
    const model = clan.machineModel();
    let undeclared: boolean | undefined;
    for (const g of clan.generators) {
      if (g.origin !== 'module' || g.moduleClass === 'nixos') continue;
      for (const o of g.options) {
        if (o.path.length !== 3 || o.path[0] !== 'files' || o.path[2] !== 'restartUnits' || o.platformGuarded) continue;
        const darwin = model.machinesOfGenerator(g).filter((m) => model.machines.get(m)?.cls === 'darwin');
        if (!darwin.length) continue;
        if (undeclared === undefined) {
          const pin = clanCorePin(clan.root);
          undeclared = !!pin && pin.lastModified >= NIXOS_ONLY_SINCE && pin.lastModified < REJECTED_ON_DARWIN_SINCE;
        }
        // with the option declared, only a list with units is rejected (`[ ]` is its default)
        if (!undeclared && !nonEmpty(o)) continue;
        const machines = darwin.length === 1 ? `machine '${darwin[0]}' is` : `machines ${darwin.map((m) => `'${m}'`).join(', ')} are`;
        problems.push({
          file: g.file,
          range: o.keyRange,
          severity: undeclared ? 'error' : 'warning',
          code: this.code,
          message: `files.${attrName(o.path[1])}.restartUnits of generator '${nameOf(g)}' is set, but ${machines} nix-darwin: remove it there (for example with lib.mkIf pkgs.stdenv.isLinux).`,
          explanation: undeclared
            ? `The clan-core this flake pins declares restartUnits on NixOS only, so evaluating a darwin machine fails with "The option \`clan.core.vars.generators.${nameOf(g)}.files.${o.path[1]}.restartUnits' does not exist."`
            : `clan-core rejects it on darwin: reading it throws "The restartUnits option is not supported on Darwin systems.", and no unit is restarted there.`,
        });
      }
    }
    return problems;
  },
};
