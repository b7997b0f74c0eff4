// The machines of a clan, from every static source: `machines/<m>/` folders (clan imports their
// configuration.nix), `clan.machines.<m>` / `machines.<m>` modules, `inventory.json` and the
// inventory in Nix, the dendritic `modules/machines/{nixos,darwin}/<m>/` layout, `hosts/<m>/`, the
// registry matrix, and the per-machine folders of vars on disk. Also whether each is nixos or darwin.
import * as path from 'node:path';
import type { FileFacts, MatrixFacts } from '../facts/types';
import { Confinement } from '../base/confinement';
import type { InventoryJson, MachineClass } from './inventoryJson';
import { clanPieces, isTestFile } from './clanParts';

export { isTestFile };

export type MachineSource = 'matrix' | 'machines-dir' | 'inventory' | 'modules' | 'vars';

export interface MachineInfo {
  sources: MachineSource[];
  cls: MachineClass | null;
  /** Tags given in the inventory (`inventory.machines.<m>.tags`), literal ones only. */
  tags: string[];
}

/** A machine's folder in the dendritic layout: `modules/machines/<nixos|darwin>/<m>/`. */
export function dendriticMachine(root: string, file: string): { name: string; cls: MachineClass } | null {
  const parts = path.relative(root, file).split(path.sep);
  for (let i = 0; i + 3 < parts.length; i++) {
    if (parts[i] === 'modules' && parts[i + 1] === 'machines' && (parts[i + 2] === 'nixos' || parts[i + 2] === 'darwin')) {
      return { name: parts[i + 3], cls: parts[i + 2] as MachineClass };
    }
  }
  return null;
}


/** The machines, and `stale`: machines with vars on disk that the clan no longer declares. */
export function discoverMachines(root: string, files: Map<string, FileFacts>, matrix: MatrixFacts | null, inventory: InventoryJson): Map<string, MachineInfo> & { stale: string[] } {
  const found = new Map<string, MachineInfo>();
  const add = (name: string, source: MachineSource, cls: MachineClass | null = null) => {
    let m = found.get(name);
    if (!m) found.set(name, (m = { sources: [], cls: null, tags: [] }));
    if (!m.sources.includes(source)) m.sources.push(source);
    if (cls && !m.cls) m.cls = cls;
    return m;
  };
  const reads = Confinement.within(root);
  for (const m of matrix?.machines ?? []) add(m, 'matrix');
  for (const m of reads.folderNames(path.join(root, 'machines'))) add(m, 'machines-dir');
  for (const [m, info] of inventory.machines) add(m, 'inventory', info.cls).tags.push(...info.tags);
  for (const facts of files.values()) {
    if (!facts.inventoryMachines?.length || isTestFile(root, facts.file)) continue;
    for (const m of facts.inventoryMachines) add(m, 'inventory');
  }
  for (const { file, mods } of clanPieces(root, files).pieces) {
    if (isTestFile(root, file)) continue;
    for (const im of mods.inventoryMachines ?? []) add(im.machine, 'inventory', im.cls).tags.push(...im.tags);
    for (const mm of mods.machineModules ?? []) {
      const cls = mm.refs.map((r) => r.flakeModule?.cls).find((c) => c === 'nixos' || c === 'darwin') as MachineClass | undefined;
      add(mm.machine, 'modules', cls ?? null);
    }
  }
  // the dendritic folders name machines only together with another source (a folder alone is not a machine)
  for (const file of files.keys()) {
    const d = dendriticMachine(root, file);
    if (d && found.has(d.name)) add(d.name, 'modules', d.cls);
  }
  // vars on disk name a machine only when nothing else does: in a clan that declares its machines,
  // vars of another machine are left over from one that was removed or renamed (stale)
  const declared = found.size > 0;
  const stale: string[] = [];
  for (const base of [path.join(root, 'vars', 'per-machine'), path.join(root, 'secrets', 'clan-vars', 'per-machine')]) {
    for (const m of reads.folderNames(base)) {
      if (!declared || found.has(m)) add(m, 'vars');
      else if (!stale.includes(m)) stale.push(m);
    }
  }
  const sorted = new Map([...found].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return Object.assign(sorted, { stale: stale.sort() });
}
