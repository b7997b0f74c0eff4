// What the per-machine model found in a clan, for `clan-vars-lint --machines`: each machine with
// its class, where it is declared, how many modules it has, its generators and the import chain
// that brings each, why some generators may be out of view and what would bring them into view;
// and the generator declarations no machine has.
import * as path from 'node:path';
import { printable } from '../base/printable';
import type { ClanModel } from '../model/clanModel';
import { openReasons } from '../model/machineModel';
import type { ReasonHint } from '../model/moduleGraph';
import type { GeneratorState } from '../model/generatorView/types';
import { generatorNamesWithVars, generatorView, secretStoreOf, unreachedWhy, whyText, type SecretStore } from '../model/generatorView/generatorView';
import { plural } from '../base/plural';

/** What to do about a reason a machine is open, by its hint. */
export const HINT_TEXT: Record<ReasonHint, string> = {
  fetch: 'fetch the flake inputs: clan-vars-lint --fetch-inputs, or the command "Clan Vars: Fetch Flake Inputs"',
  'clan-core-path': 'point the clanVars.clanCorePath setting (clan-vars-lint --clan-core PATH) at a clan-core checkout',
  none: 'nothing to fetch or set: known only when Nix evaluates it',
};

export interface MachinesReport {
  root: string;
  machines: {
    name: string;
    class: string | null;
    sources: string[];
    modules: number;
    generators: string[];
    /** Generator -> the import chain of the module declaring it, entry first (absent: from the registry). */
    chains: Record<string, string[]>;
    computedNames: string[];
    unknowns: string[];
    /** Per reason of `unknowns`, in its order: what would make it known. */
    hints: { kind: ReasonHint; text: string }[];
    /** Its vars: each generator it has, and those only stored for it (orphaned when clan no longer uses them), with where each file is kept. */
    vars: { generator: string; state: GeneratorState; why: 'declared' | 'matrix' | 'stored'; files: { name: string; path: string | null; state: string; detail?: string }[] }[];
  }[];
  /** The clan's secret store: the setting, what its folders show, or the default. */
  secretStore: SecretStore;
  /** Declarations no known machine has, with the reason. */
  withoutMachine: { generator: string; file: string; line: number; why: string }[];
  /** Machines with vars on disk that the clan does not declare. */
  staleVars: string[];
  /** The clan's locked flake inputs: read on this machine, known from the shipped summary (what it says), or neither. */
  inputs: { name: string; read: 'here' | 'shipped' | 'missing'; what?: string }[];
}

export function machinesReport(clan: ClanModel): MachinesReport {
  const model = clan.machineModel();
  const rel = (f: string) => path.relative(clan.root, f) || path.basename(f);
  // every machine's vars, from the generator views (what hover, code lens, graph and vars view show)
  const varsOf = new Map<string, MachinesReport['machines'][number]['vars']>();
  for (const name of generatorNamesWithVars(clan)) {
    for (const p of generatorView(clan, name).placements) {
      if (p.machine === null) continue;
      let list = varsOf.get(p.machine);
      if (!list) varsOf.set(p.machine, (list = []));
      list.push({ generator: name, state: p.state, why: p.why, files: p.files.map((f) => ({ name: f.name, path: f.path && f.path.startsWith(clan.root + path.sep) ? rel(f.path) : f.path, state: f.state, ...(f.detail ? { detail: f.detail } : {}) })) });
    }
  }
  const machines = [...model.machines.values()].map((m) => {
    const generators = [...m.generators.keys()].sort();
    const chains: Record<string, string[]> = {};
    for (const name of generators) {
      // the generator's view says why this machine has it (the registry's have no chain)
      const why = generatorView(clan, name).reaches.find((r) => r.machine === m.name)?.why;
      if (why?.kind === 'module') chains[name] = why.chain;
    }
    return {
      name: m.name,
      class: m.cls ?? 'nixos',
      sources: m.sources,
      modules: m.modules.size,
      generators,
      chains,
      // a name of the same form from several declarations (two modules, two roles of a service) once
      computedNames: [...new Set(m.patterns.map((p) => p.glob.pattern))],
      unknowns: openReasons(m),
      hints: openReasons(m).map((u) => {
        const kind = model.hintOf(u);
        return { kind, text: HINT_TEXT[kind] };
      }),
      vars: varsOf.get(m.name) ?? [],
    };
  });
  const withoutMachine: MachinesReport['withoutMachine'] = [];
  for (const g of clan.generators) {
    if (model.machinesOfGenerator(g).length) continue;
    const why = unreachedWhy(clan, g);
    withoutMachine.push({ generator: g.name.name ?? g.name.pattern ?? '?', file: rel(g.file), line: g.name.range.start.line + 1, why });
  }
  const { dirs, shipped, locked } = model.inputs;
  const inputs: MachinesReport['inputs'] = [...new Set([...locked.keys(), ...dirs.keys()])].sort().map((name) => {
    const what = shipped.get(name);
    return what !== undefined ? { name, read: 'shipped' as const, what } : { name, read: dirs.has(name) ? ('here' as const) : ('missing' as const) };
  });
  return { root: clan.root, machines, withoutMachine, staleVars: model.staleVarsMachines, inputs, secretStore: secretStoreOf(clan) };
}

export function machinesReportText(r: MachinesReport): string {
  const lines: string[] = [`clan ${r.root}: ${plural(r.machines.length, 'machine')}; secrets in ${r.secretStore.backend} (${{ setting: 'the secret store setting', clan: "the clan's vars.settings.secretStore", disk: 'told from its folders', default: 'the default' }[r.secretStore.source]})`];
  for (const m of r.machines) {
    // a name of its own (not tor_*): one whose presence is not known (a condition, an option not read), not a computed one
    const computed = m.computedNames.filter((n) => n.includes('*'));
    const maybe = m.computedNames.filter((n) => !n.includes('*'));
    lines.push(`  ${m.name} (${m.class}; from ${m.sources.join(', ')}): ${plural(m.modules, 'module')}, ${plural(m.generators.length, 'generator')}${maybe.length ? ` + ${maybe.length} it may have` : ''}${computed.length ? ` + ${plural(computed.length, 'computed name')}` : ''}`);
    if (m.generators.length) lines.push('    generators:');
    const width = Math.max(0, ...m.generators.map((g) => printable(g).length));
    for (const g of m.generators) lines.push(`      ${printable(g).padEnd(width)}  <- ${whyText(m.chains[g] ? { kind: 'module', chain: m.chains[g] } : { kind: 'matrix', keys: [] })}`);
    if (maybe.length) lines.push(`    generators it may have: ${maybe.join(', ')}`);
    if (computed.length) lines.push(`    computed names: ${computed.join(', ')}`);
    // the count of the reasons left out ("+3 more") has no hint of its own
    m.unknowns.forEach((u, i) => lines.push(`    may have more generators: ${u}`, ...(/^\+\d+ more$/.test(u) ? [] : [`      -> ${m.hints[i].text}`])));
    if (m.vars.length) lines.push(`    vars (${r.secretStore.backend}): ${m.vars.map((v) => `${v.generator} ${v.state}`).join(', ')}`);
  }
  // why a var's state is not known here (a secret store not on this machine), once
  const notKnown = r.machines.flatMap((m) => m.vars.flatMap((v) => v.files)).find((f) => f.state === 'unknown' && f.detail);
  if (notKnown) lines.push(`  vars whose state is not known here: ${notKnown.detail}`);
  lines.push(`  generator declarations with no machine: ${r.withoutMachine.length}`);
  for (const w of r.withoutMachine) lines.push(`    ${w.generator} (${w.file}:${w.line}): ${w.why}`);
  if (r.staleVars.length) lines.push(`  vars on disk of machines the clan does not declare (stale): ${r.staleVars.join(', ')}`);
  const shipped = r.inputs.filter((i) => i.read === 'shipped');
  const missing = r.inputs.filter((i) => i.read === 'missing');
  if (shipped.length) lines.push('  flake inputs known from the summary shipped with Clan Vars (not on this machine):', ...shipped.map((i) => `    ${i.name}: ${i.what}`));
  if (missing.length) lines.push(`  flake inputs neither on this machine nor known: ${missing.map((i) => i.name).join(', ')}`);
  // names, paths and reasons quote the workspace: each line one printable line
  return lines.map(printable).join('\n') + '\n';
}
