// The machines of a clan, from every static source: `machines/<m>/` folders (clan imports their
// configuration.nix), `clan.machines.<m>` / `machines.<m>` modules, `inventory.json` and the
// inventory in Nix, the dendritic `modules/machines/{nixos,darwin}/<m>/` layout, `hosts/<m>/`, the
// registry matrix, and the per-machine folders of vars on disk. Also whether each is nixos or darwin.
import * as path from 'node:path';
import type { FileFacts, MatrixFacts } from '../facts/types';
import { Confinement } from '../base/confinement';
import { readFlakeLockText } from '../base/flakeLock';
import { NAMES_CLAN } from '../facts/file';
import type { InventoryJson, MachineClass } from './inventoryJson';
import { clanPieces, isTestFile } from './clanParts';

export { isTestFile };

export type MachineSource = 'matrix' | 'machines-dir' | 'inventory' | 'modules' | 'vars';

export interface MachineInfo {
  sources: MachineSource[];
  cls: MachineClass | null;
  /** Tags given in the inventory (`inventory.machines.<m>.tags`), literal ones only. */
  tags: string[];
  /** Why what it has is not known from the sources that name it (a machine named only by its vars where the clan computes a machine's name). */
  why?: string;
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
  const { pieces } = clanPieces(root, files);
  for (const m of matrix?.machines ?? []) add(m, 'matrix');
  const folders = reads.folderNames(path.join(root, 'machines'));
  if (folders.length && usesClan(root, reads, files, matrix, inventory, pieces)) for (const m of folders) add(m, 'machines-dir');
  for (const [m, info] of inventory.machines) add(m, 'inventory', info.cls).tags.push(...info.tags);
  for (const facts of files.values()) {
    if (!facts.inventoryMachines?.length || isTestFile(root, facts.file)) continue;
    for (const m of facts.inventoryMachines) add(m, 'inventory');
  }
  for (const { file, mods } of pieces) {
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
  // vars of another machine are left over from one that was removed or renamed (stale), unless the
  // clan names a machine by a computed value (`${config.hostname} = { ... }`): they may be its
  const computed = [...files.values()].find((f) => f.computedMachineLines?.length && !isTestFile(root, f.file));
  const declared = found.size > 0;
  const stale: string[] = [];
  for (const base of [path.join(root, 'vars', 'per-machine'), path.join(root, 'secrets', 'clan-vars', 'per-machine')]) {
    for (const m of reads.folderNames(base)) {
      if (found.has(m)) add(m, 'vars');
      else if (!declared || computed) {
        const info = add(m, 'vars');
        if (computed) info.why ??= `named only by its vars folder, while the clan declares a machine under a computed name (${path.relative(root, computed.file)}:${computed.computedMachineLines![0] + 1}): whether it is that machine, and what its modules give it, is not known statically`;
      } else if (!stale.includes(m)) stale.push(m);
    }
  }
  const sorted = new Map([...found].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return Object.assign(sorted, { stale: stale.sort() });
}

/**
 * Whether the folder shows anything of clan, so that its `machines/<m>/` folders are clan's
 * machines: a flake.nix or flake.lock that names clan, or clan's own in its files or folders
 * (generators, the inventory, clan-core's options set, the removed facts services, a registry
 * matrix, clan.nix, vars/, clan's sops/ folder). A NixOS flake that builds its hosts with
 * nixosSystem keeps them in machines/<m>/ too (lounge-rocks/the-lounge): with none of these it is
 * no clan, and its folders are no clan's machines. A folder without a flake.nix keeps them.
 */
function usesClan(root: string, reads: Confinement, files: Map<string, FileFacts>, matrix: MatrixFacts | null, inventory: InventoryJson, pieces: ReturnType<typeof clanPieces>['pieces']): boolean {
  if (matrix || inventory.machines.size || inventory.instances.length) return true;
  for (const f of files.values()) {
    const legacy = f.legacySecrets;
    if (f.generators.length || f.setGenerators?.length || f.opaqueGeneratorSources.length || f.inventoryMachines?.length || f.optionDefs?.length || legacy?.factsUses?.length || legacy?.declarations.some((d) => d.kind === 'facts-service')) return true;
  }
  if (pieces.some(({ mods }) => mods.instances?.length || mods.inventoryMachines?.length || mods.machineModules?.length)) return true;
  if (reads.isFile(path.join(root, 'clan.nix')) || ['vars', 'sops'].some((p) => reads.isDirectory(path.join(root, p)))) return true;
  // the flake.nix as the index has it (an open document's text, which may not be on disk), else as it is on disk
  const flake = files.get(path.join(root, 'flake.nix'))?.namesClan;
  const named = flake === undefined ? flakeNamesClan(root, reads) : flake || lockNamesClan(root);
  return named === null || named;
}

/** Whether the folder's flake.nix or flake.lock (read as base/flakeLock.ts reads it) names clan (a clan-core input, `clan = ...`); null without a flake.nix. */
export function flakeNamesClan(root: string, reads = Confinement.within(root)): boolean | null {
  let flake: string;
  try {
    flake = reads.readText(path.join(root, 'flake.nix'), 1 << 22);
  } catch {
    return null;
  }
  return NAMES_CLAN.test(flake) || lockNamesClan(root);
}

function lockNamesClan(root: string): boolean {
  const lock = readFlakeLockText(root);
  return typeof lock === 'string' && NAMES_CLAN.test(lock);
}
