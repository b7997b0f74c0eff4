// A name in `dependencies` that clan cannot resolve. Clan resolves it per machine: a generator of
// the same machine, else a shared generator declared on any machine; otherwise it stops with
// "Generator 'g' depends on 'd', but 'd' was not found". A machine whose modules we cannot all see
// (another flake's module, a clan-core service, computed names) gets a warning only for a likely
// typo: a name no readable module declares, close to one that is declared. A module no known
// machine imports is checked against the whole clan: a name declared nowhere is wrong anywhere.
import type { Problem } from '../base/types';
import type { Generator } from '../facts/types';
import { generatorDeclared } from '../model/clanModel';
import { CLAN_CORE_MACHINE_GENERATORS } from '../model/clanCoreGenerators';
import { closest, type Closest } from '../base/closestName';
import { generatorTypo, machinesPhrase, perMachineElsewhere, quoteList, unreadParts } from './openMachineTypo';
import type { Rule } from './types';

export const unknownDependency: Rule = {
  code: 'unknown-dependency',
  uses: ['generators', 'modules', 'registry', 'matrix'],
  reach: 'dependencies',
  registryReach: true,
  check(clan) {
    const model = clan.machineModel();
    const problems: Problem[] = [];
    for (const g of clan.generators) {
      const machines = model.machinesOfGenerator(g);
      for (const dep of g.dependencies) {
        if (dep.name === null) continue;
        const owner = g.name.name ?? g.name.pattern ?? '?';
        if (machines.length === 0) {
          if (generatorDeclared(clan, dep.name) || CLAN_CORE_MACHINE_GENERATORS.has(dep.name)) continue;
          if (clan.namesOpen) {
            // computed names somewhere in the clan: only a name none of them can produce, near a declared one
            const typo = generatorTypo(clan, [], dep.name);
            if (typo) problems.push(problem(g, dep, `No module we can read declares a generator '${dep.name}'.`, owner, typo, 'Some generator names of this clan are computed.'));
            continue;
          }
          problems.push(problem(g, dep, `No generator named '${dep.name}' is declared in this clan.`, owner, clan.generatorIndex.closestName(dep.name)));
          continue;
        }
        const failing: string[] = [];
        // machines where a module we could not read may declare it, each with the machines whose modules those are
        const open: string[] = [];
        const unreadOn = new Map<string, string[]>();
        const elsewhere = new Set<string>();
        for (const m of machines) {
          const r = model.resolveDependency(m, dep.name);
          if (r.found === 'maybe' && r.unreadOn) {
            open.push(m);
            unreadOn.set(m, r.unreadOn);
          }
          if (r.found !== 'no') continue;
          failing.push(m);
          r.perMachineOn.forEach((x) => elsewhere.add(x));
        }
        if (failing.length === 0) {
          const typo = open.length ? generatorTypo(clan, open, dep.name) : null;
          if (typo) problems.push(problem(g, dep, `No module we can read declares a generator '${dep.name}' for ${machinesPhrase(open)}.`, owner, typo, unreadParts(clan, [...new Set([...unreadOn.values()].flat())], open)));
          const other = !typo && open.length ? perMachineElsewhere(clan, open, dep.name, unreadOn) : null;
          if (other) problems.push(problem(g, dep, `'${dep.name}' is a per-machine generator of ${quoteList(other.owners)}, not of ${machinesPhrase(other.lacking)}: declare it there too, or make it shared (share = true).`, owner, null, unreadParts(clan, other.unread, other.lacking)));
          continue;
        }
        const on = machinesPhrase(failing);
        const where =
          elsewhere.size > 0
            ? `'${dep.name}' is a per-machine generator of ${quoteList([...elsewhere])}, not of ${on}: declare it there too, or make it shared (share = true).`
            : `No generator named '${dep.name}' is declared for ${on}, nor as a shared generator.`;
        // suggestions from the clan's names and what the failing machines have, their flake inputs' services included
        const suggested = elsewhere.size > 0 ? null : failing.reduce((best, m) => closest(dep.name!, model.machines.get(m)?.generators.keys() ?? [], best), clan.generatorIndex.closestName(dep.name));
        problems.push(problem(g, dep, where, owner, suggested));
      }
    }
    return problems;
  },
};

/** `unread`: on open machines (a likely typo, a warning), what could not be read. */
function problem(g: Generator, dep: Generator['dependencies'][number], what: string, owner: string, suggested: Closest | null, unread?: string): Problem {
  const name = dep.name!;
  const closest = suggested?.name;
  return {
    file: g.file,
    range: dep.range,
    severity: unread ? 'warning' : 'error',
    code: 'unknown-dependency',
    message: what + (closest ? ` Did you mean '${closest}'?` : '') + (unread ? ` ${unread}` : ''),
    explanation: `clan vars generate stops with "Generator '${owner}' depends on '${name}', but '${name}' was not found"` + (unread ? `, unless a module we could not read declares it.` : '.'),
    fixes: closest ? [{ title: `Change to '${closest}'`, edits: [{ file: g.file, range: dep.range, newText: JSON.stringify(closest) }], safe: false }] : [],
  };
}
