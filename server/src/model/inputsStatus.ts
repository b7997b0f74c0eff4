// Which of a clan's flake inputs are on this machine, and which machines stay open because a module
// of a missing one could not be read: those are the machines `nix flake archive` may close (the
// editor offers the fetch command on them).
import type { MachineModel } from './machineModel';

export interface ClanInputsStatus {
  root: string;
  /** Locked direct inputs found on this machine (the Nix store, or the clan-core checkout setting). */
  present: string[];
  /** Locked direct inputs not on this machine. */
  missing: string[];
  /** Machines that are open because a module of a missing input could not be read: fetching the inputs may close them. */
  openMachines: { name: string; inputs: string[] }[];
}

export function inputsStatus(root: string, machines: MachineModel): ClanInputsStatus {
  const { inputs } = machines;
  const missing = [...new Set(inputs.missing)].sort();
  const openMachines: ClanInputsStatus['openMachines'] = [];
  for (const [name, view] of machines.machines) {
    const behind = missing.filter((input) => view.unknowns.some((reason) => namesInput(reason, input)));
    if (behind.length) openMachines.push({ name, inputs: behind });
  }
  openMachines.sort((a, b) => a.name.localeCompare(b.name));
  return { root, present: [...inputs.dirs.keys()].sort(), missing, openMachines };
}

/**
 * Whether a machine's reason for being open names the input: the module graph says "a module of
 * flake input 'srvos' (...)" and "clan service 'x' from clan-core (...)".
 */
function namesInput(reason: string, input: string): boolean {
  return reason.includes(`input '${input}'`) || reason.includes(`from ${input} (`);
}
