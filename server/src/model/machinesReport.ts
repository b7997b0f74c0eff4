// What the per-machine model found in a clan, for `clan-vars-lint --machines`: each machine with
// its class, where it is declared, how many modules it has, its generators and why some of them
// may be out of view; and the generator declarations no machine has.
import * as path from 'node:path';
import type { ClanModel } from './clanModel';

export interface MachinesReport {
  root: string;
  machines: {
    name: string;
    class: string | null;
    sources: string[];
    modules: number;
    generators: string[];
    computedNames: string[];
    unknowns: string[];
  }[];
  /** Declarations no known machine has, with the reason. */
  withoutMachine: { generator: string; file: string; line: number; why: string }[];
  /** Machines with vars on disk that the clan does not declare. */
  staleVars: string[];
}

export function machinesReport(clan: ClanModel): MachinesReport {
  const model = clan.machineModel();
  const rel = (f: string) => path.relative(clan.root, f) || path.basename(f);
  const machines = [...model.machines.values()].map((m) => ({
    name: m.name,
    class: m.cls ?? 'nixos',
    sources: m.sources,
    modules: m.modules.size,
    generators: [...m.generators.keys()].sort(),
    computedNames: m.patterns.map((p) => p.pattern),
    unknowns: m.unknowns,
  }));
  const withoutMachine: MachinesReport['withoutMachine'] = [];
  for (const g of clan.generators) {
    if (model.machinesOfGenerator(g).length) continue;
    const why =
      g.origin === 'registry'
        ? 'no machine selects its registry key in the matrix'
        : model.machines.size === 0
          ? 'the clan declares no machine'
          : 'its module is imported by no machine of this clan';
    withoutMachine.push({ generator: g.name.name ?? g.name.pattern ?? '?', file: rel(g.file), line: g.name.range.start.line + 1, why });
  }
  return { root: clan.root, machines, withoutMachine, staleVars: model.staleVarsMachines };
}

export function machinesReportText(r: MachinesReport): string {
  const lines: string[] = [`clan ${r.root}: ${r.machines.length} machines`];
  for (const m of r.machines) {
    lines.push(`  ${m.name} (${m.class}; from ${m.sources.join(', ')}): ${m.modules} modules, ${m.generators.length} generators${m.computedNames.length ? ` + ${m.computedNames.length} computed names` : ''}`);
    if (m.generators.length) lines.push(`    generators: ${m.generators.join(', ')}`);
    if (m.computedNames.length) lines.push(`    computed names: ${m.computedNames.join(', ')}`);
    for (const u of m.unknowns) lines.push(`    may have more generators: ${u}`);
  }
  lines.push(`  generator declarations with no machine: ${r.withoutMachine.length}`);
  for (const w of r.withoutMachine) lines.push(`    ${w.generator} (${w.file}:${w.line}): ${w.why}`);
  if (r.staleVars.length) lines.push(`  vars on disk of machines the clan does not declare (stale): ${r.staleVars.join(', ')}`);
  return lines.join('\n') + '\n';
}
