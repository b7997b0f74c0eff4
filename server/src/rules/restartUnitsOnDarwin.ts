// `files.<f>.restartUnits` in a generator a nix-darwin machine has. What clan-core does depends on
// the revision the flake pins (history of modules/clan/export-modules/generic-generator.nix and
// nixosModules/clanCore/vars/interface.nix, merges into main):
// - before 2025-05-30 (7842b5654, "vars: add restartUnits option") no clan-core declares it: any
//   definition, `[ ]` included, is an unknown option on every machine (here: on the darwin ones);
// - from 2025-05-30 to 2025-06-10 it is declared everywhere without a check: a list with units is a
//   warning, nothing restarts them on darwin;
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

/** The merge into main that added restartUnits, declared everywhere (2025-05-30 09:45 UTC). */
export const DECLARED_SINCE = 1748598317;
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
    // what the pinned clan-core does with it on darwin (unknown pin: the newest clan-core)
    let pinned: Pinned | undefined;
    for (const g of clan.generators) {
      if (g.origin !== 'module' || g.moduleClass === 'nixos') continue;
      for (const o of g.options) {
        if (o.path.length !== 3 || o.path[0] !== 'files' || o.path[2] !== 'restartUnits' || o.platformGuarded) continue;
        const darwin = model.machinesOfGenerator(g).filter((m) => model.machines.get(m)?.cls === 'darwin');
        if (!darwin.length) continue;
        pinned ??= pinnedBehaviour(clanCorePin(clan.root)?.lastModified);
        const undeclared = pinned === 'absent' || pinned === 'nixos-only';
        // with the option declared, only a list with units is rejected (`[ ]` is its default)
        if (!undeclared && !nonEmpty(o)) continue;
        const machines = darwin.length === 1 ? `machine '${darwin[0]}' is` : `machines ${darwin.map((m) => `'${m}'`).join(', ')} are`;
        problems.push({
          file: g.file,
          range: o.keyRange,
          severity: undeclared ? 'error' : 'warning',
          code: this.code,
          message: `files.${attrName(o.path[1])}.restartUnits of generator '${nameOf(g)}' is set, but ${machines} nix-darwin: remove it there (for example with lib.mkIf pkgs.stdenv.isLinux).`,
          explanation: explanation(pinned, `clan.core.vars.generators.${nameOf(g)}.files.${o.path[1]}.restartUnits`),
        });
      }
    }
    return problems;
  },
};

/** restartUnits in the pinned clan-core: absent, declared on NixOS only, declared everywhere unchecked, or rejected on darwin. */
type Pinned = 'absent' | 'nixos-only' | 'unchecked' | 'rejected';

function pinnedBehaviour(lastModified: number | undefined): Pinned {
  if (lastModified === undefined || lastModified >= REJECTED_ON_DARWIN_SINCE) return 'rejected';
  if (lastModified >= NIXOS_ONLY_SINCE) return 'nixos-only';
  return lastModified >= DECLARED_SINCE ? 'unchecked' : 'absent';
}

function explanation(pinned: Pinned, option: string): string {
  const unknown = `"The option \`${option}' does not exist."`;
  switch (pinned) {
    case 'absent':
      return `The clan-core this flake pins has no restartUnits option yet (added 2025-05-30), so evaluating a machine that sets it fails with ${unknown}`;
    case 'nixos-only':
      return `The clan-core this flake pins declares restartUnits on NixOS only, so evaluating a darwin machine fails with ${unknown}`;
    case 'unchecked':
      return 'The clan-core this flake pins declares restartUnits on darwin too, but no unit is restarted there.';
    case 'rejected':
      return 'clan-core rejects it on darwin: reading it throws "The restartUnits option is not supported on Darwin systems.", and no unit is restarted there.';
  }
}
