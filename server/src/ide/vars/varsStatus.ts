// The state of every var of a clan for the vars view: machines -> generators -> files, one entry
// per placement of each generator's view (./generatorView.ts): the machines that have it, the
// shared copy, and vars stored for machines that do not (orphaned when clan no longer uses them).
// Generators declared in modules no machine imports are listed as unassigned.
import type { ClanVarsStatus, GeneratorStatus, MachineStatus } from '../../model/generatorView/types';
import type { ClanModel } from '../../model/clanModel';
import type { Problem } from '../../base/types';
import { problemsByGenerator } from '../generatorProblems';
import { generatorNamesWithVars, generatorView, secretStoreOf, type GeneratorView, type Placement } from '../../model/generatorView/generatorView';

function status(view: GeneratorView, p: Placement, problems: readonly Problem[] = []): GeneratorStatus {
  const moved = view.declarations.find((d) => d.movedFrom)?.movedFrom;
  const found = [...problems].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1)).map((x) => ({ severity: x.severity as 'error' | 'warning', message: x.message }));
  return {
    ...(found.length ? { problems: found } : {}),
    name: view.name,
    machine: p.machine,
    state: p.state,
    validation: p.validation,
    files: [...p.files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    declarations: view.declarations.map((d) => ({ file: d.file, line: d.name.range.start.line })),
    dependents: view.allDependents,
    why: p.why,
    filesFromDisk: p.filesFromDisk,
    ...(moved ? { movedFrom: moved } : {}),
  };
}

/** `problems`: the clan's errors and warnings (the Problems panel's), shown on the generators they are found in. */
export function clanVarsStatus(clan: ClanModel, problems: readonly Problem[] = []): ClanVarsStatus {
  const byGenerator = problemsByGenerator(clan, problems);
  const model = clan.machineModel();
  const store = secretStoreOf(clan);
  const machines = new Map<string, MachineStatus>();
  const machineOf = (name: string) => {
    let m = machines.get(name);
    if (!m) machines.set(name, (m = { name, sources: model.machines.get(name)?.sources ?? ['vars'], generators: [] }));
    return m;
  };
  for (const name of model.machines.keys()) machineOf(name);
  const shared: GeneratorStatus[] = [];
  const unassigned: GeneratorStatus[] = [];
  for (const name of generatorNamesWithVars(clan)) {
    const view = generatorView(clan, name);
    for (const p of view.placements) (p.machine === null ? shared : machineOf(p.machine).generators).push(status(view, p, p.why === 'stored' ? [] : byGenerator.get(name)));
    if (view.placements.length === 0 && view.declarations.length) {
      unassigned.push({
        ...status(view, { machine: null, why: 'declared', orphaned: false, relDir: '', files: [], filesFromDisk: false, validation: { kind: 'unknown', reason: 'the machines using it are not known without evaluation' }, state: 'unknown' }, byGenerator.get(name)),
      });
    }
  }
  // facts services and sops-nix secrets still declared in each machine's modules: what the hints
  // offer to move (VS Code leaves hints out of the Problems panel, so the view counts them)
  for (const facts of clan.files.values()) {
    const own = facts.legacySecrets?.declarations.filter((d) => !(d.kind === 'sops-secret' && d.name.startsWith('vars/'))) ?? [];
    if (!own.length) continue;
    for (const m of model.machinesOfFile(facts.file)) machineOf(m).legacy = (machineOf(m).legacy ?? 0) + own.length;
  }
  const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  return {
    root: clan.root,
    backend: store.backend,
    backendSource: store.source,
    machines: [...machines.values()].sort(byName),
    shared,
    unassigned,
  };
}
