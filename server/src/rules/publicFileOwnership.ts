// owner, group or mode set on a file with `secret = false`: public files go to the Nix store, where
// ownership and mode cannot be set; clan warns at evaluation.
import type { Problem } from '../base/types';
import { nameOf } from './generatorFacts';
import { optionAt } from '../facts/options';
import type { Rule } from './types';

const DEFAULTS: Record<string, string[]> = { owner: ['root'], mode: ['0400'] };

/**
 * The group clan expects: root on NixOS, wheel on darwin (its default there). On machines of both
 * classes any group set warns on some of them; where a machine's class is not stated (clan's default
 * is nixos, but it may be computed) or no machine is known, either default is let pass.
 */
function groupDefault(classes: Set<string | null>): { accepted: string[]; shouldBe: string } {
  if (classes.size === 0 || classes.has(null)) return { accepted: ['root', 'wheel'], shouldBe: 'root' };
  if (classes.has('nixos') && classes.has('darwin')) return { accepted: [], shouldBe: 'root (wheel on darwin)' };
  if (classes.has('darwin')) return { accepted: ['wheel'], shouldBe: 'wheel' };
  return { accepted: ['root'], shouldBe: 'root' };
}

export const publicFileOwnership: Rule = {
  code: 'public-file-ownership',
  uses: ['generators', 'modules'],
  reach: 'name',
  check(clan) {
    const problems: Problem[] = [];
    const model = clan.machineModel();
    for (const g of clan.generators) {
      if (g.origin !== 'module') continue;
      for (const f of g.files) {
        const decls = g.name.name ? clan.byName.get(g.name.name) ?? [g] : [g];
        if (!decls.some((d) => optionAt(d, 'files', f.name, 'secret')?.literal === false)) continue;
        for (const attr of ['owner', 'group', 'mode']) {
          const o = optionAt(g, 'files', f.name, attr);
          if (!o) continue;
          const group = attr === 'group' ? groupDefault(new Set(model.machinesOfGenerator(g).map((m) => model.machines.get(m)?.cls ?? null))) : null;
          const accepted = group?.accepted ?? DEFAULTS[attr];
          if (typeof o.literal === 'string' && accepted.includes(o.literal)) continue;
          problems.push({
            file: g.file,
            range: o.keyRange,
            severity: 'warning',
            code: this.code,
            message: `File '${f.name}' of generator '${nameOf(g)}' is public, so its ${attr} cannot be set (it is in the Nix store): remove ${attr}, or make the file secret.`,
            explanation: `clan warns: "The ${attr} is set to ${o.text}, but should be ${group?.shouldBe ?? DEFAULTS[attr][0]}. This doesn't work because the file will be added to the nix store".`,
            fixes: o.removal ? [{ title: `Remove ${attr}`, edits: [{ file: g.file, range: o.removal, newText: '' }], safe: false }] : [],
          });
        }
      }
    }
    return problems;
  },
};
