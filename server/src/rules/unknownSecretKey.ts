// Registry accessors (`getPath`, `mkPasswordCmd`, `getVmPath`) called with a key the registry does
// not have, or, in a machine's own modules, a key missing from that machine's matrix list:
// evaluation fails on the missing entry, or throws "Generator '<g>' not configured for secret key
// '<k>'" (<g>: the entry's generator).
import type { Problem } from '../base/types';
import type { FileFacts } from '../facts/types';
import { entriesByKey } from '../facts/registry';
import { relativeToClan } from '../model/clanModel';
import { closestName } from '../base/closestName';
import type { Rule } from './types';

/** A file's calls of registry accessors with a literal key. */
function keyUses(facts: FileFacts): NonNullable<FileFacts['secretKeyUses']> {
  return facts.secretKeyUses ?? [];
}

export const unknownSecretKey: Rule = {
  code: 'unknown-secret-key',
  uses: ['registry', 'matrix', 'accesses'],
  check(clan) {
    const registry = clan.registry;
    if (!registry?.facts.understood) return [];
    const entries = entriesByKey(registry.facts);
    const matrix = clan.matrix?.facts.understood ? clan.matrix.facts : null;
    // key -> the machines whose lists select it, made on the first use that needs it
    let selecting: Map<string, Set<string>> | null = null;
    const selects = (machine: string, key: string) => {
      if (!selecting) {
        selecting = new Map();
        for (const k of matrix!.keys) for (const m of k.machines) (selecting.get(k.key) ?? selecting.set(k.key, new Set()).get(k.key)!).add(m);
      }
      return selecting.get(key)?.has(machine) ?? false;
    };
    const matrixMachines = new Set(matrix?.machines);
    const problems: Problem[] = [];
    for (const { file, items } of clan.filesWith('accesses', keyUses)) {
      for (const use of items) {
        if (!entries.has(use.key)) {
          const closest = closestName(use.key, entries.keys());
          problems.push({
            file,
            range: use.range,
            severity: 'error',
            code: this.code,
            message: `${use.accessor} is called with key '${use.key}', which ${relativeToClan(clan, registry.file)} does not define.` + (closest ? ` Did you mean '${closest}'?` : ''),
            explanation: `Evaluation fails: the registry has no entry '${use.key}' for ${use.accessor} to look up.`,
            fixes: closest ? [{ title: `Change to '${closest}'`, edits: [{ file, range: use.range, newText: JSON.stringify(closest) }], safe: false }] : [],
          });
          continue;
        }
        if (!matrix || use.accessor === 'getVmPath') continue;
        // only a module of exactly one machine: in a shared module the call may be guarded per machine
        const ofFile = clan.machineModel().machinesOfFile(file);
        const machine = ofFile.length === 1 && matrixMachines.has(ofFile[0]) ? ofFile[0] : null;
        if (!machine || selects(machine, use.key)) continue;
        problems.push({
          file,
          range: use.range,
          severity: 'error',
          code: this.code,
          message: `Machine '${machine}' does not select key '${use.key}' in ${relativeToClan(clan, clan.matrix!.file)}: add it to the machine's list.`,
          explanation: `Its generators do not include it, so ${use.accessor} throws "Generator '${entries.get(use.key)?.generator?.name ?? '<g>'}' not configured for secret key '${use.key}'".`,
        });
      }
    }
    return problems;
  },
};
