// The machines of a clan, from every static source: the matrix, `machines/<name>/` directories,
// the inventory (`inventory.json`, `inventory.machines` / `clan.machines` in Nix) and the
// per-machine directories of vars on disk.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MachineSource } from '../protocol';
import type { ClanModel } from '../workspace/clanModel';

function dirNames(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
      .map((e) => e.name);
  } catch {
    return [];
  }
}

/** Machine names in `inventory.json` (`{ "machines": { "<name>": ... } }`); [] when absent or malformed. */
export function inventoryJsonMachines(root: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(path.join(root, 'inventory.json'), 'utf8');
  } catch {
    return [];
  }
  try {
    const data = JSON.parse(text) as { machines?: unknown };
    return data && typeof data.machines === 'object' && data.machines !== null && !Array.isArray(data.machines) ? Object.keys(data.machines) : [];
  } catch {
    return [];
  }
}

export function discoverMachines(clan: ClanModel): Map<string, MachineSource[]> {
  const found = new Map<string, MachineSource[]>();
  const add = (name: string, source: MachineSource) => {
    const list = found.get(name);
    if (!list) found.set(name, [source]);
    else if (!list.includes(source)) list.push(source);
  };
  for (const m of clan.matrix?.facts.machines ?? []) add(m, 'matrix');
  for (const m of dirNames(path.join(clan.root, 'machines'))) add(m, 'machines-dir');
  for (const m of inventoryJsonMachines(clan.root)) add(m, 'inventory');
  for (const facts of clan.files.values()) for (const m of facts.inventoryMachines ?? []) add(m, 'inventory');
  for (const base of [path.join(clan.root, 'vars', 'per-machine'), path.join(clan.root, 'secrets', 'clan-vars', 'per-machine')]) {
    for (const m of dirNames(base)) add(m, 'vars');
  }
  return new Map([...found].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
