// A machine we cannot read entirely (a clan-core service, a flake input not in the store) may have
// generators we do not see, so a name it lacks is not an error there. But a name no readable module
// declares, a letter or two away from one the machine or the clan does declare, is almost surely a
// typo: the rules that resolve generator names (dependencies, `$in`, reads of `.files`) ask here.
import type { ClanModel } from '../model/clanModel';
import { CLAN_CORE_MACHINE_GENERATORS } from '../model/clanCoreGenerators';
import { isShared, maybeShared } from '../model/sharing';
import { closest, type Closest } from '../base/closestName';

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

/**
 * Unread parts that cannot declare a clan's own per-machine generator: modules of flake inputs other
 * than clan-core (clan-core's services and modules declare generators clans also declare themselves,
 * `openssh` say; the other inputs of real clans declare none, or their own: model/knownInputs.ts).
 */
const FOREIGN_INPUT_REASON = /^a module of flake input '(?!clan-core')/;

/**
 * Where `name` is a per-machine generator of other machines only, written in the clan's own modules:
 * the `machines` (open ones) that lack it although nothing but other flakes' modules is unread on
 * them, and the machines that have it. Such a module declaring the same name as a module of the clan
 * is not impossible, so this is a warning; any other unread part (a clan-core service, a computed
 * import, a generator set with computed names) may declare it, and then null.
 */
export function perMachineElsewhere(clan: ClanModel, machines: string[], name: string, unreadOn?: ReadonlyMap<string, string[]>): { lacking: string[]; owners: string[]; unread: string[] } | null {
  const model = clan.machineModel();
  const decls = clan.byName.get(name) ?? [];
  // shared (or perhaps: `share` computed) names resolve on every machine
  if (!decls.length || decls.some((d) => isShared(d) || maybeShared(d)) || CLAN_CORE_MACHINE_GENERATORS.has(name)) return null;
  const onlyForeign = (m: string) => {
    const view = model.machines.get(m);
    return !!view && view.unknowns.length > 0 && view.unknowns.every((u) => FOREIGN_INPUT_REASON.test(u));
  };
  // where some module is not read: the machine's own (it may declare it), or for one with every module read the machines that may declare it shared
  const unread = new Set<string>();
  const lacking = machines.filter((m) => {
    const view = model.machines.get(m);
    const readers = unreadOn?.get(m) ?? [m];
    if (!view || view.generators.has(name) || view.patterns.some((p) => p.glob.test(name)) || !readers.every(onlyForeign)) return false;
    readers.forEach((r) => unread.add(r));
    return true;
  });
  if (!lacking.length) return null;
  const owners = [...model.machines.values()].filter((v) => v.generators.has(name)).map((v) => v.name);
  return owners.length ? { lacking, owners, unread: [...unread] } : null;
}

/** The name among `known` that `name` is probably a typo of (files of a generator, names of dependencies). */
export function nameTypo(name: string, known: Iterable<string>): Closest | null {
  return nearEnough(name, closest(name, known));
}

/**
 * What keeps the machines open, for a message: the first reasons of the first machine, and how many
 * more. `of`: the machines the finding is about, when the reasons are those of others (where a
 * shared generator of that name may be declared): the message says on which.
 */
export function unreadParts(clan: ClanModel, machines: string[], of?: string[]): string {
  const reasons = [...new Set(machines.flatMap((m) => clan.machineModel().machines.get(m)?.unknowns ?? []))];
  const shown = reasons.slice(0, 2).join('; ');
  const others = of ? machines.filter((m) => !of.includes(m)) : [];
  return `Not read${others.length ? ` on ${machinesPhrase(others)}, which may declare it shared` : ''}: ${shown}${reasons.length > 2 ? ` (+${reasons.length - 2} more)` : ''}.`;
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
