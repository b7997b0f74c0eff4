// Registry accessors (`getPath`, `mkPasswordCmd`, `getVmPath`) called with a key the registry does
// not have, or, in a machine's own modules, a key missing from that machine's matrix list:
// evaluation throws "Generator '<g>' not configured for secret key '<k>'".
import type { Problem } from '../model/types';
import { relativeToClan } from '../model/clanModel';
import { closestName } from './closestName';
import type { Rule } from './types';

export const unknownSecretKey: Rule = {
  code: 'unknown-secret-key',
  uses: ['registry', 'matrix', 'accesses'],
  check(clan) {
    const registry = clan.registry;
    if (!registry?.facts.understood) return [];
    const keys = new Set(registry.facts.entries.map((e) => e.key));
    const matrix = clan.matrix?.facts.understood ? clan.matrix.facts : null;
    const problems: Problem[] = [];
    for (const facts of clan.files.values()) {
      for (const use of facts.secretKeyUses ?? []) {
        if (!keys.has(use.key)) {
          const closest = closestName(use.key, keys);
          problems.push({
            file: facts.file,
            range: use.range,
            severity: 'error',
            code: this.code,
            message: `${use.accessor} is called with key '${use.key}', which ${relativeToClan(clan, registry.file)} does not define.` + (closest ? ` Did you mean '${closest}'?` : ''),
            explanation: `Evaluation throws "Generator '<g>' not configured for secret key '${use.key}'".`,
            fixes: closest ? [{ title: `Change to '${closest}'`, edits: [{ file: facts.file, range: use.range, newText: JSON.stringify(closest) }], safe: false }] : [],
          });
          continue;
        }
        if (!matrix || use.accessor === 'getVmPath') continue;
        // only a module of exactly one machine: in a shared module the call may be guarded per machine
        const ofFile = clan.machineModel().machinesOfFile(facts.file);
        const machine = ofFile.length === 1 && matrix.machines.includes(ofFile[0]) ? ofFile[0] : null;
        if (!machine || matrix.keys.some((k) => k.key === use.key && k.machines.includes(machine))) continue;
        problems.push({
          file: facts.file,
          range: use.range,
          severity: 'error',
          code: this.code,
          message: `Machine '${machine}' does not select key '${use.key}' in ${relativeToClan(clan, clan.matrix!.file)}: add it to the machine's list.`,
          explanation: `Its generators do not include it, so ${use.accessor} throws "Generator '<g>' not configured for secret key '${use.key}'".`,
        });
      }
    }
    return problems;
  },
};
