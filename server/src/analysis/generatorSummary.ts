// Everything known about one generator name in a clan, merged over its declarations: files,
// prompts, dependencies and dependents, the machines declaring or receiving it, and its state on
// disk per machine. Computed on demand and cached per clan model (models are rebuilt on change).
import type { Generator } from '../model/types';
import type { ClanModel } from '../model/clanModel';
import { expectedValidationHash } from '../vars/validationHash';
import { relDirOf } from './varPaths';
import { Attached } from '../attached';

export interface FileSummary {
  name: string;
  secret: boolean;
  deploy: boolean;
  neededFor: string;
  /** Declared through `prompts.<p>.persist = true`. */
  fromPrompt?: boolean;
}

export interface PromptSummary {
  name: string;
  type: string;
  persist: boolean;
}

export interface GeneratorSummary {
  name: string;
  declarations: Generator[];
  files: FileSummary[];
  prompts: PromptSummary[];
  dependencies: string[];
  dependents: string[];
  share: boolean;
  /** Machines whose modules declare it (see model/machineModel.ts). */
  declaredOn: string[];
  /** Machines selecting it through registry keys in the matrix. */
  receivedBy: string[];
  registryKeys: string[];
  /** null: no validation; undefined: not literal, cannot be computed. */
  validationHash: string | null | undefined;
}

export type DiskState = 'generated' | 'missing' | 'partial' | 'outdated';

export interface MachineState {
  /** null for a shared generator. */
  machine: string | null;
  relDir: string;
  state: DiskState;
  missing: string[];
}

const caches = new Attached<ClanModel, Map<string, GeneratorSummary>>('summaries');

function cacheOf(clan: ClanModel): Map<string, GeneratorSummary> {
  let c = caches.get(clan);
  if (!c) caches.set(clan, (c = new Map()));
  return c;
}

/** The names of the generators that depend on `name`, in the order of the clan's generators. */
function dependentsOf(clan: ClanModel, name: string): string[] {
  const index = clan.generatorIndex;
  const names = new Set<string>();
  for (const g of [...(index.dependents.get(name) ?? [])].sort(index.fileOrder)) if (g.name.name !== null) names.add(g.name.name);
  return [...names];
}

function literalOption(decls: Generator[], p: string[]): unknown {
  for (const g of decls) {
    const o = g.options.find((x) => x.path.length === p.length && x.path.every((s, i) => s === p[i]));
    if (o && o.literal !== undefined) return o.literal;
  }
  return undefined;
}

export function summarize(clan: ClanModel, name: string): GeneratorSummary {
  const cache = cacheOf(clan);
  const hit = cache.get(name);
  if (hit) return hit;
  const decls = clan.byName.get(name) ?? [];
  const modules = decls.filter((g) => g.origin === 'module');
  const files: FileSummary[] = [];
  const prompts: PromptSummary[] = [];
  for (const g of modules) {
    for (const f of g.files) {
      if (files.some((x) => x.name === f.name)) continue;
      const secret = literalOption(modules, ['files', f.name, 'secret']);
      const neededFor = literalOption(modules, ['files', f.name, 'neededFor']);
      files.push({ name: f.name, secret: secret !== false, deploy: f.deploy !== false, neededFor: typeof neededFor === 'string' ? neededFor : 'services' });
    }
    for (const p of g.prompts) {
      if (prompts.some((x) => x.name === p.name)) continue;
      const type = literalOption(modules, ['prompts', p.name, 'type']);
      prompts.push({ name: p.name, type: typeof type === 'string' ? type : 'line', persist: literalOption(modules, ['prompts', p.name, 'persist']) === true });
    }
  }
  for (const p of prompts) {
    if (p.persist && !files.some((f) => f.name === p.name)) files.push({ name: p.name, secret: true, deploy: true, neededFor: 'services', fromPrompt: true });
  }
  const registryEntries = (clan.registry?.facts.entries ?? []).filter((e) => e.generator?.name === name);
  if (files.length === 0) {
    for (const e of registryEntries) {
      const f = e.fileAttr ?? 'value';
      if (!files.some((x) => x.name === f)) files.push({ name: f, secret: e.secret !== false, deploy: true, neededFor: 'services' });
    }
  }
  const registryKeys = registryEntries.map((e) => e.key);
  const receivedBy = new Set<string>();
  for (const k of clan.matrix?.facts.keys ?? []) if (registryKeys.includes(k.key)) k.machines.forEach((m) => receivedBy.add(m));
  const model = clan.machineModel();
  const declaredOn = new Set<string>();
  for (const g of modules) for (const m of model.machinesOfGenerator(g)) declaredOn.add(m);
  const dependencies: string[] = [];
  for (const g of decls) for (const d of g.dependencies) if (d.name !== null && !dependencies.includes(d.name)) dependencies.push(d.name);
  const withValidation = modules.find((g) => g.options.some((o) => o.path[0] === 'validation'));
  const summary: GeneratorSummary = {
    name,
    declarations: decls,
    files,
    prompts,
    dependencies,
    dependents: dependentsOf(clan, name),
    share: decls.some((g) => g.share === true),
    declaredOn: [...declaredOn].sort(),
    receivedBy: [...receivedBy].sort(),
    registryKeys,
    validationHash: withValidation ? expectedValidationHash(withValidation) : null,
  };
  cache.set(name, summary);
  return summary;
}

/** State on disk for each machine using the generator (or once, for a shared generator). */
export function diskStates(clan: ClanModel, s: GeneratorSummary): MachineState[] {
  const disk = clan.varsOnDisk();
  const mine = disk.vars.filter((v) => v.ref.generator === s.name);
  let machines: (string | null)[];
  if (s.share) machines = [null];
  else {
    const set = new Set([...s.declaredOn, ...s.receivedBy]);
    for (const v of mine) if (v.ref.machine !== null) set.add(v.ref.machine);
    machines = [...set].sort();
  }
  return machines.map((machine) => {
    const relDir = relDirOf(machine, s.name);
    const here = mine.filter((v) => v.ref.machine === machine);
    const missing = s.files.length ? s.files.filter((f) => !here.some((v) => v.ref.file === f.name)).map((f) => f.name) : here.length ? [] : ['(any file)'];
    const expected = s.files.length ? s.files.length : 1;
    let state: DiskState = missing.length === 0 ? 'generated' : missing.length === expected ? 'missing' : 'partial';
    if (state === 'generated' && s.validationHash !== undefined) {
      const stored = disk.validationHashes.get(relDir) ?? null;
      if (stored !== s.validationHash) state = 'outdated';
    }
    return { machine, relDir, state, missing };
  });
}

export function stateLabel(st: MachineState): string {
  switch (st.state) {
    case 'generated':
      return 'generated';
    case 'outdated':
      return 'validation hash outdated (will regenerate)';
    case 'missing':
      return 'not generated';
    case 'partial':
      return `missing ${st.missing.join(', ')}`;
  }
}
