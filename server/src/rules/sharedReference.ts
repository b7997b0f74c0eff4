// A shared generator is the same on every machine that has it: clan vars generate reads the
// generators of every machine of the clan and stops when two of them declare a shared generator
// differently ("Machines a and b have different definitions for shared generator 'x' (differ in:
// files)", clan-core's clan_lib/vars/generator.py). So the files of a shared generator on a machine
// with every declaration of it read are its files on every machine that has it shared, open ones
// too: a module we could not read there cannot add a file without making the definitions differ.
// It covers a machine only where a module we read gives it the generator with share = true (a
// module we could not read may give a machine without one a per-machine generator of that name,
// and `share` cannot be turned off once a module sets it), and a machine with every module read
// that has none (clan gives it the shared one).
import type { ClanModel } from '../model/clanModel';
import { allDeclarationsRead, type MachineModel, type MachineView } from '../model/machineModel';
import { sharedness } from '../model/sharing';
import { Attached } from '../base/attached';
import { computedOn, filesOfDeclarations } from './generatorFacts';

/** clan's error when two machines declare shared generator `name` differently (clan_lib/vars/generator.py), word for word. */
export function sharedMismatchError(a: string, b: string, name: string, differ: string[]): string {
  return `Machines ${a} and ${b} have different definitions for shared generator '${name}' (differ in: ${differ.join(', ')})`;
}

/** A machine with every declaration of a shared generator read, and the generator's files there. */
export interface SharedReference {
  machine: string;
  files: Set<string>;
}

const references = new Attached<MachineModel, Map<string, SharedReference | null>>('sharedReferences');

/** The files of shared generator `name` on the first machine (in the model's order) that has every declaration of it read and has it shared; null when none does. */
export function sharedReference(clan: ClanModel, name: string): SharedReference | null {
  const model = clan.machineModel();
  const known = references.get(model) ?? references.set(model, new Map());
  if (known.has(name)) return known.get(name)!;
  let found: SharedReference | null = null;
  for (const view of model.machines.values()) {
    const decls = view.generators.get(name);
    if (!decls?.length || !allDeclarationsRead(view, name) || sharedness(decls) !== true) continue;
    const files = filesOfDeclarations([...decls, ...computedOn(clan, name, view.name)]);
    if (files) {
      found = { machine: view.name, files };
      break;
    }
  }
  known.set(name, found);
  return found;
}

/** Whether the machine has generator `name` shared whatever its unread modules declare: a declaration we read there says share = true. */
export function sharedOn(view: MachineView, name: string): boolean {
  const decls = view.generators.get(name);
  return !!decls?.length && sharedness(decls) === true;
}

/**
 * The reference that tells the files of `name` on the machine though some of its modules are not
 * read: one where it has `name` shared, or has every module read and no `name` of its own (clan
 * gives it the shared one). null otherwise.
 */
export function sharedFilesFor(clan: ClanModel, view: MachineView, name: string): SharedReference | null {
  const applies = view.generators.has(name) ? sharedOn(view, name) : allDeclarationsRead(view, name);
  return applies ? sharedReference(clan, name) : null;
}
