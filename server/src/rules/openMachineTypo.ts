// A machine we cannot read entirely (a clan-core service, a flake input not in the store) may have
// generators we do not see, so a name it lacks is not an error there. But a name no readable module
// declares, a letter or two away from one the machine or the clan does declare, is almost surely a
// typo: the rules that resolve generator names (dependencies, `$in`, reads of `.files`) ask here.
import type { ClanModel } from '../model/clanModel';
import { closest, type Closest } from './closestName';

/** How close a name must be to count as a typo where the world is open: at most 2 edits and a third of its length. */
function nearEnough(name: string, c: Closest | null): Closest | null {
  return c && c.distance <= 2 && c.distance * 3 <= name.length ? c : null;
}

/**
 * The generator `name` is probably a typo of, for a use on the open `machines`: null when a module
 * we can read may declare it (see MachineModel.mayBeDeclared) or no declared name is near.
 * `own`: a read of the machines' own generators, which generator sets of other machines cannot declare.
 */
export function generatorTypo(clan: ClanModel, machines: string[], name: string, own = false): Closest | null {
  const model = clan.machineModel();
  if (model.mayBeDeclared(name, own ? machines : undefined)) return null;
  const near = machines.reduce((best, m) => closest(name, model.machines.get(m)?.generators.keys() ?? [], best), clan.generatorIndex.closestName(name));
  return nearEnough(name, near);
}

/** The name among `known` that `name` is probably a typo of (files of a generator, names of dependencies). */
export function nameTypo(name: string, known: Iterable<string>): Closest | null {
  return nearEnough(name, closest(name, known));
}

/** What keeps the machines open, for a message: the first reasons of the first machine, and how many more. */
export function unreadParts(clan: ClanModel, machines: string[]): string {
  const reasons = [...new Set(machines.flatMap((m) => clan.machineModel().machines.get(m)?.unknowns ?? []))];
  const shown = reasons.slice(0, 2).join('; ');
  return `Not read: ${shown}${reasons.length > 2 ? ` (+${reasons.length - 2} more)` : ''}.`;
}

/** `'a'` or `'a', 'b' and 3 more` for a message. */
export function quoteList(names: string[]): string {
  const shown = names.slice(0, 5).map((n) => `'${n}'`);
  return shown.join(', ') + (names.length > 5 ? ` and ${names.length - 5} more` : '');
}

/** `machine 'a'` / `machines 'a', 'b'`. */
export function machinesPhrase(machines: string[]): string {
  return machines.length === 1 ? `machine '${machines[0]}'` : `machines ${quoteList(machines)}`;
}
