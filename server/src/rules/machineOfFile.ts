// Which machine a module belongs to, from its path: `machines/<m>/...`, `hosts/<m>/...` or `machines/<m>.nix`.
import { knownMachineOfFile } from '../workspace/machinePath';

export function machineOfFile(root: string, file: string, machines: Iterable<string>): string | null {
  return knownMachineOfFile(root, file, new Set(machines), true);
}
