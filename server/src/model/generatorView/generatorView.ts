// One answer per generator: what it is (merged over its declarations), which machines have it and
// why, and for each of them (or once, for a shared generator) where its files are stored for the
// clan's secret store, whether they are there, and its state. Hover, code lens, completion, the
// dependency graph, the vars view and `clan-vars-lint --machines` all read this; nothing else
// combines the model, the matrix and the disk.
//
// Machines: those whose modules declare it and those whose matrix keys select it (the machine
// model's answer). Vars stored for another machine are listed too, as `stored`: orphaned when that
// machine is fully known and does not have the generator (or the clan does not declare the
// machine), so clan would never use or regenerate them; otherwise their state as found.
import type { FileFacts, Generator, RegistryEntry } from '../../facts/types';
import { SECRET_BACKENDS } from '../../base/secretBackends';
import type { ClanEvaluation } from '../clanEvaluation';
import type { ClanModel } from '../clanModel';
import { allDeclarationsRead, everyMachineKnown, fullyKnown, type MachineModel } from '../machineModel';
import { isShared, maybeShared } from '../sharing';
import type { FileStatus, GeneratorState, SecretBackend, ValidationStatus } from './types';
import { relDir } from '../../secrets/varRef';
import type { VarOnDisk, VarsOnDisk } from '../varsOnDisk';
import { fileStatus, storeContext, type StoreContext } from './fileState';
import { staticValidation, validationHashOf } from './validationHash';
import { Attached } from '../../base/attached';
import { optionAt } from '../../facts/options';

export interface SecretStore {
  backend: SecretBackend;
  /** The `clanVars.secretStore` setting (`--secret-store`), the clan's `vars.settings.secretStore`, what is on disk, or the default (sops). */
  source: 'setting' | 'clan' | 'disk' | 'default';
}

export interface ViewFile {
  name: string;
  /** null when `secret` is not a literal (or its declarations disagree). */
  secret: boolean | null;
  deploy: boolean;
  neededFor: string;
  /** Declared through `prompts.<p>.persist = true`. */
  fromPrompt?: boolean;
}

export interface ViewPrompt {
  name: string;
  type: string;
  persist: boolean;
}

export interface Placement {
  /** null: the shared copy (`vars/shared/<g>`). */
  machine: string | null;
  /** Its modules declare it, its matrix keys select it, or only its vars are stored there. */
  why: 'declared' | 'matrix' | 'stored';
  /** Stored vars clan no longer uses: the machine is fully known and lacks the generator, or is not a machine of the clan. */
  orphaned: boolean;
  relDir: string;
  files: FileStatus[];
  /** The declared files are not known statically: the files listed are those on disk. */
  filesFromDisk: boolean;
  validation: ValidationStatus;
  state: GeneratorState;
}

export interface GeneratorView {
  name: string;
  declarations: Generator[];
  share: boolean;
  files: ViewFile[];
  prompts: ViewPrompt[];
  dependencies: string[];
  /** Generators that depend on it directly, in the order of the clan's generators. */
  dependents: string[];
  /** ... and transitively: what a regeneration re-runs too. */
  allDependents: string[];
  registryKeys: string[];
  /** Machines whose matrix keys select one of its registry keys. */
  matrixMachines: string[];
  /** Machines that have it (the machine model's answer: their modules declare it, a clan service or clan-core gives it, or the matrix selects it), sorted. */
  machines: string[];
  /** For each of `machines`, in its order: why it has the generator. */
  reaches: { machine: string; why: Why }[];
  /** Where it is declared: files of the clan relative to its root, `<input>:<path>` for a flake input's. */
  declaredIn: string[];
  /** Where its vars are or would be, one per machine (one, shared), then the stored vars of others. */
  placements: Placement[];
  store: SecretStore;
  /** The expected validation hash; null: no validation; undefined: not literal, cannot be computed. */
  validationHash: string | null | undefined;
}

const BACKENDS: readonly SecretBackend[] = SECRET_BACKENDS;

const secretStoreSettings = (facts: FileFacts) => (facts.secretStore ? [facts.secretStore] : []);

/** The secret store of a clan: the setting, else what the clan's Nix sets, else what its folders show, else sops. */
export function secretStoreOf(clan: ClanModel): SecretStore {
  const setting = clan.settings.secretStore;
  if (setting !== 'auto') return { backend: setting, source: 'setting' };
  // the files that set one, kept while the module facts are the same (a keystroke elsewhere does not walk every file)
  for (const { items } of clan.filesWith('modules', secretStoreSettings)) {
    const declared = BACKENDS.find((b) => b === items[0].value);
    if (declared) return { backend: declared, source: 'clan' };
  }
  const disk = clan.varsOnDisk();
  if (disk.stores.age || disk.vars.some((v) => v.kind === 'age')) return { backend: 'age', source: 'disk' };
  if (disk.stores.sops || disk.vars.some((v) => v.kind === 'sops')) return { backend: 'sops', source: 'disk' };
  return { backend: 'sops', source: 'default' };
}

/**
 * Why a machine has a generator: a module of it declares it, reached by `chain` (from the machine's
 * entry: its own file, `clan.machines.<m>`, a clan service instance and role, clan-core's clanCore
 * module), or the registry pipeline gives it through the matrix keys `keys`.
 */
export type Why = { kind: 'module'; chain: string[] } | { kind: 'matrix'; keys: string[] };

/** What every view of one clan (and one scan of its disk) shares. */
interface ViewContext {
  disk: VarsOnDisk;
  store: SecretStore;
  files: StoreContext;
  model: MachineModel;
  byGenerator: Map<string, VarOnDisk[]>;
  views: Map<string, GeneratorView>;
  /** The registry pipeline's evaluation: the validation hashes of the generators it computes. */
  evaluation: ClanEvaluation | null;
  /** Generator name -> the registry keys that make it, and registry key -> the machines whose matrix keys select it (once per model). */
  registry?: { keysOf: Map<string, string[]>; entriesOf: Map<string, RegistryEntry[]>; machinesOf: Map<string, Set<string>> };
  /** Generator name -> the machines that have it (from the machine model, once per model). */
  machinesByName?: Map<string, string[]>;
}

const contexts = new Attached<ClanModel, ViewContext>('generator views');

function contextOf(clan: ClanModel): ViewContext {
  const disk = clan.varsOnDisk();
  const cached = contexts.get(clan);
  if (cached && cached.disk === disk) return cached;
  const store = secretStoreOf(clan);
  const byGenerator = new Map<string, VarOnDisk[]>();
  for (const v of disk.vars) {
    const list = byGenerator.get(v.ref.generator);
    if (list) list.push(v);
    else byGenerator.set(v.ref.generator, [v]);
  }
  return contexts.set(clan, { disk, store, files: storeContext(clan.root, store.backend, disk), model: clan.machineModel(), byGenerator, views: new Map(), evaluation: clan.evaluation });
}

/** The view of one generator name (memoised per clan model and disk scan). */
export function generatorView(clan: ClanModel, name: string): GeneratorView {
  const ctx = contextOf(clan);
  let view = ctx.views.get(name);
  if (!view) ctx.views.set(name, (view = buildView(clan, ctx, name)));
  return view;
}

/** Every generator name the clan declares literally, a machine has (from a flake input or clan-core too), or has vars of, sorted. */
export function generatorNamesWithVars(clan: ClanModel): string[] {
  const ctx = contextOf(clan);
  return [...new Set([...clan.byName.keys(), ...machinesByName(ctx).keys(), ...ctx.byGenerator.keys()])].sort();
}

function literalOption(decls: Generator[], p: string[]): unknown {
  for (const g of decls) {
    const o = optionAt(g, ...p);
    if (o && o.literal !== undefined) return o.literal;
  }
  return undefined;
}

/** `files.<f>.secret` over the declarations: true when never set, null when not literal or when they disagree. */
function secretOf(decls: Generator[], file: string): boolean | null {
  let value: boolean | null | undefined;
  for (const g of decls) {
    const o = g.options.find((x) => x.path.length === 3 && x.path[0] === 'files' && x.path[1] === file && x.path[2] === 'secret');
    if (!o) continue;
    const v = typeof o.literal === 'boolean' ? o.literal : null;
    value = value === undefined || value === v ? v : null;
  }
  return value === undefined ? true : value;
}

function declaredFiles(entries: RegistryEntry[], decls: Generator[], prompts: ViewPrompt[]): ViewFile[] {
  const files: ViewFile[] = [];
  const modules = decls.filter((g) => g.origin === 'module');
  for (const g of modules) {
    for (const f of g.files) {
      if (files.some((x) => x.name === f.name)) continue;
      const neededFor = literalOption(modules, ['files', f.name, 'neededFor']);
      files.push({ name: f.name, secret: secretOf(modules, f.name), deploy: f.deploy !== false, neededFor: typeof neededFor === 'string' ? neededFor : 'services' });
    }
  }
  for (const p of prompts) if (p.persist && !files.some((f) => f.name === p.name)) files.push({ name: p.name, secret: true, deploy: true, neededFor: 'services', fromPrompt: true });
  if (files.length === 0 && decls.length) {
    // a registry generator lists its file through the entry's `fileAttr`, when it is written
    for (const e of entries) {
      const f = e.fileAttr ?? 'value';
      if (!files.some((x) => x.name === f)) files.push({ name: f, secret: e.secret ?? null, deploy: true, neededFor: 'services' });
    }
  }
  return files;
}

function declaredPrompts(decls: Generator[]): ViewPrompt[] {
  const modules = decls.filter((g) => g.origin === 'module');
  const prompts: ViewPrompt[] = [];
  for (const g of modules) {
    for (const p of g.prompts) {
      if (prompts.some((x) => x.name === p.name)) continue;
      const type = literalOption(modules, ['prompts', p.name, 'type']);
      prompts.push({ name: p.name, type: typeof type === 'string' ? type : 'line', persist: literalOption(modules, ['prompts', p.name, 'persist']) === true });
    }
  }
  return prompts;
}

/**
 * Whether vars of `name` stored per machine for `machine` are orphaned: the clan does not declare
 * that machine (while it declares others), or all of the machine's modules are read and none gives
 * it a per-machine generator of that name, while every declaration of the name is placed on machines.
 */
function orphanedOn(model: MachineModel, machine: string, name: string, decls: Generator[]): boolean {
  if (model.staleVarsMachines.includes(machine)) return true;
  // a declaration no machine is known to have (a module we did not see imported): it may be this one's
  if (decls.some((g) => model.machinesOfGenerator(g).length === 0)) return false;
  const m = model.machines.get(machine);
  if (!m || !allDeclarationsRead(m, name)) return false;
  const mine = m.generators.get(name);
  return !mine || mine.every(isShared);
}

/** Whether vars of `name` stored as shared are orphaned: every declaration is a literal per-machine one, or none may exist on any machine. */
function orphanedShared(clan: ClanModel, model: MachineModel, decls: Generator[], name: string): boolean {
  if (decls.length) return decls.every((g) => !isShared(g) && !maybeShared(g));
  return everyMachineKnown(model) && !model.mayBeDeclared(name) && !clan.namesOpen;
}

function validationOf(ctx: ViewContext, decls: Generator[], machine: string | null, name: string, rel: string, anyFile: boolean): ValidationStatus {
  const stored = ctx.disk.validationHashes.get(rel);
  if (decls.length === 0) return { kind: 'unknown', stored, reason: 'not declared in the workspace' };
  let expected: string | null;
  if (decls.every((d) => d.origin === 'registry')) {
    // the registry pipeline's evaluation computed its validation, or could not
    const evaluated = machine === null ? undefined : ctx.evaluation?.machines.get(machine)?.find((g) => g.name === name)?.validationHash;
    if (evaluated === undefined) return { kind: 'unknown', stored, reason: 'declared through the registry; its validation is not known without evaluating the generator function' };
    expected = evaluated;
  } else {
    const v = staticValidation(decls);
    if (v.kind === 'unknown') return { kind: 'unknown', stored, reason: `cannot be known without evaluation: ${v.reason}` };
    expected = v.kind === 'none' ? null : validationHashOf(v.value);
  }
  if (expected === null) return stored === undefined ? { kind: 'none' } : { kind: 'outdated', stored, reason: '`validation` was removed; clan regenerates once' };
  if (stored === undefined) return anyFile ? { kind: 'outdated', expected, reason: 'no hash stored' } : { kind: 'absent', expected };
  return { kind: stored === expected ? 'match' : 'outdated', expected, stored };
}

/** The files whose state cannot be told on this machine (a secret in a password store not here: fileState.ts). */
export function notKnownHere(files: FileStatus[]): FileStatus[] {
  return files.filter((f) => f.state === 'unknown');
}

function stateOf(files: FileStatus[], validation: ValidationStatus): GeneratorState {
  if (files.length === 0) return 'unknown';
  const missing = files.filter((f) => f.state === 'missing').length;
  if (missing === files.length) return 'missing';
  if (missing) return 'partial';
  // a secret of a store not on this machine: neither generated nor missing as far as can be told here
  if (notKnownHere(files).length) return 'unknown';
  if (validation.kind === 'outdated') return 'outdated';
  if (files.some((f) => f.state === 'recipients-outdated')) return 'recipients-outdated';
  return 'generated';
}

function placement(ctx: ViewContext, view: Omit<GeneratorView, 'placements' | 'reaches'>, machine: string | null, why: Placement['why'], orphaned: boolean): Placement {
  const rel = relDir({ machine, generator: view.name });
  const stored = (ctx.byGenerator.get(view.name) ?? []).filter((v) => v.ref.machine === machine);
  const filesFromDisk = view.files.length === 0 || orphaned;
  const onDisk = new Set(stored.map((v) => v.ref.file));
  const wanted: { name: string; secret: boolean | null }[] = filesFromDisk
    ? [...new Map(stored.map((v) => [v.ref.file, { name: v.ref.file, secret: v.kind !== 'public' }])).values()]
    : view.files.filter((f) => {
        // a file declared under conditions: wanted where they hold; where that is not known, only as far as it is on disk
        const on = fileOn(ctx.model, view, machine, f);
        return on === true || (on === null && onDisk.has(f.name));
      });
  const files = wanted.map((f) => fileStatus(ctx.files, { machine, generator: view.name, file: f.name }, f.secret));
  const validation = orphaned ? { kind: 'unknown' as const, reason: 'orphaned: no generator of this clan writes these vars' } : validationOf(ctx, view.declarations, machine, view.name, rel, files.some((f) => f.state !== 'missing'));
  return { machine, why, orphaned, relDir: rel, files, filesFromDisk, validation, state: orphaned ? 'orphaned' : stateOf(files, validation) };
}

/**
 * Whether a declared file (a persisted prompt's too) is on `machine` (null: the shared copy, on any
 * machine of the generator): true where a declaration names it with no conditions
 * (VarFile.conditions) or its conditions hold there, false where they hold nowhere, null where that
 * is not known.
 */
function fileOn(model: MachineModel, view: Omit<GeneratorView, 'placements' | 'reaches'>, machine: string | null, f: ViewFile): boolean | null {
  const items = view.declarations.flatMap((g) => (f.fromPrompt ? g.prompts : g.files).filter((x) => x.name === f.name).map((item) => ({ g, item })));
  if (!items.length || items.some(({ item }) => !item.conditions)) return true;
  let known = true;
  for (const m of machine === null ? view.machines : [machine]) {
    for (const { g, item } of items) {
      const on = model.conditionsOn(g, item.conditions!, m);
      if (on === true) return true;
      if (on !== false) known = false;
    }
  }
  return known ? false : null;
}

/** The machines that have each generator name, from the machine model. */
function machinesByName(ctx: ViewContext): Map<string, string[]> {
  if (!ctx.machinesByName) {
    const by = new Map<string, string[]>();
    for (const [m, view] of ctx.model.machines) for (const name of view.generators.keys()) (by.get(name) ?? by.set(name, []).get(name)!).push(m);
    ctx.machinesByName = by;
  }
  return ctx.machinesByName;
}

function buildView(clan: ClanModel, ctx: ViewContext, name: string): GeneratorView {
  const { model } = ctx;
  const machineList = [...(machinesByName(ctx).get(name) ?? [])].sort();
  // its declarations: the clan's own (also those no machine has), then those of flake inputs and clan-core the machines have
  const decls = [...(clan.byName.get(name) ?? [])];
  for (const m of machineList) for (const g of model.machines.get(m)!.generators.get(name)!) if (!decls.includes(g)) decls.push(g);
  const registry = registryOf(clan, ctx);
  const prompts = declaredPrompts(decls);
  const files = declaredFiles(decls.length ? (registry.entriesOf.get(decls[0].name.name ?? '') ?? []) : [], decls, prompts);
  const registryKeys = registry.keysOf.get(name) ?? [];
  const matrixMachines = new Set<string>();
  for (const k of registryKeys) registry.machinesOf.get(k)?.forEach((m) => matrixMachines.add(m));
  const declaredOn = new Set(machineList.filter((m) => model.machines.get(m)!.generators.get(name)!.some((g) => g.origin === 'module')));
  const dependencies: string[] = [];
  for (const g of decls) for (const d of g.dependencies) if (d.name !== null && !dependencies.includes(d.name)) dependencies.push(d.name);
  const index = clan.generatorIndex;
  const dependents = [...new Set([...(index.dependents.get(name) ?? [])].sort(index.fileOrder).flatMap((g) => (g.name.name === null ? [] : [g.name.name])))];
  const allDependents = new Set<string>();
  const todo = [name];
  while (todo.length) {
    for (const g of index.dependents.get(todo.pop()!) ?? []) {
      const n = g.name.name;
      if (n !== null && n !== name && !allDependents.has(n)) allDependents.add(n), todo.push(n);
    }
  }
  const validation = staticValidation(decls.filter((g) => g.origin === 'module'));
  const share = decls.some(isShared);
  const base: Omit<GeneratorView, 'placements' | 'reaches'> = {
    name,
    declarations: decls,
    share,
    files,
    prompts,
    dependencies,
    dependents,
    allDependents: [...allDependents].sort(),
    registryKeys,
    matrixMachines: [...matrixMachines].sort(),
    machines: machineList,
    declaredIn: [...new Set(decls.map((g) => model.shown(g.file)))],
    store: ctx.store,
    validationHash: validation.kind === 'value' ? validationHashOf(validation.value) : validation.kind === 'none' ? null : undefined,
  };
  // the placements read the disk scan, and the reasons follow each machine's import chain: made on
  // first use, so completion's names and files (thousands of views after an edit) cost neither
  let placements: Placement[] | undefined;
  let reaches: GeneratorView['reaches'] | undefined;
  return Object.defineProperties(base, {
    placements: { enumerable: true, get: () => (placements ??= placementsOf(clan, ctx, base, declaredOn)) },
    reaches: { enumerable: true, get: () => (reaches ??= machineList.map((m) => ({ machine: m, why: whyOn(model, m, name, registryKeys) }))) },
  }) as GeneratorView;
}

/** Registry keys by the generator they make, and the machines the matrix gives each key: one pass over each, once per model. */
function registryOf(clan: ClanModel, ctx: ViewContext): NonNullable<ViewContext['registry']> {
  if (!ctx.registry) {
    const keysOf = new Map<string, string[]>();
    const entriesOf = new Map<string, RegistryEntry[]>();
    for (const e of clan.registry?.facts.entries ?? []) {
      const g = e.generator?.name;
      if (!g) continue;
      (keysOf.get(g) ?? keysOf.set(g, []).get(g)!).push(e.key);
      (entriesOf.get(g) ?? entriesOf.set(g, []).get(g)!).push(e);
    }
    const machinesOf = new Map<string, Set<string>>();
    for (const k of clan.matrix?.facts.keys ?? []) {
      const set = machinesOf.get(k.key) ?? machinesOf.set(k.key, new Set()).get(k.key)!;
      k.machines.forEach((m) => set.add(m));
    }
    ctx.registry = { keysOf, entriesOf, machinesOf };
  }
  return ctx.registry;
}

function placementsOf(clan: ClanModel, ctx: ViewContext, view: Omit<GeneratorView, 'placements' | 'reaches'>, declaredOn: Set<string>): Placement[] {
  const placements: Placement[] = [];
  if (view.share) placements.push(placement(ctx, view, null, 'declared', false));
  // a machine whose own declarations are not shared keeps its copy per machine (clan reads each machine's `share`)
  for (const m of view.machines) if (!view.share || !ctx.model.machines.get(m)!.generators.get(view.name)!.some(isShared)) placements.push(placement(ctx, view, m, declaredOn.has(m) ? 'declared' : 'matrix', false));
  const stored = ctx.byGenerator.get(view.name) ?? [];
  const storedOn = [...new Set(stored.map((v) => v.ref.machine))].filter((m) => !placements.some((p) => p.machine === m));
  for (const m of storedOn.sort((a, b) => (a === null ? -1 : b === null ? 1 : a < b ? -1 : a > b ? 1 : 0))) {
    const orphaned = m === null ? orphanedShared(clan, ctx.model, view.declarations, view.name) : orphanedOn(ctx.model, m, view.name, view.declarations);
    placements.push(placement(ctx, view, m, 'stored', orphaned));
  }
  return placements;
}

/** Why machine `m` has generator `name`: the chain of the first of its declarations there that has one, else the matrix. */
function whyOn(model: MachineModel, m: string, name: string, registryKeys: string[]): Why {
  for (const g of model.machines.get(m)?.generators.get(name) ?? []) {
    const chain = model.chainOf(m, g);
    if (chain) return { kind: 'module', chain };
  }
  return { kind: 'matrix', keys: registryKeys };
}

/** A reason in words (hover, `--machines`, the graph's details say it the same way); `code` formats a path or name of it. */
export function whyText(why: Why, code: (s: string) => string = (s) => s): string {
  return why.kind === 'module' ? why.chain.map(code).join(' > ') : `the registry pipeline, selected in the matrix${why.keys.length ? ` by ${why.keys.map(code).join(', ')}` : ''}`;
}

/** Why a declaration reaches no machine, in words (hover, `--machines`, the graph). */
export function unreachedWhy(clan: ClanModel, g: Generator, code: (s: string) => string = (s) => s): string {
  const model = clan.machineModel();
  if (g.origin === 'registry') return 'no machine selects its registry key in the matrix';
  if (model.machines.size === 0) return 'the clan declares no machine';
  // a machine whose modules are not all known may import it: no certainty then
  let open = 0;
  for (const view of model.machines.values()) if (!fullyKnown(view)) open++;
  if (open > 0) return `no machine of this clan imports ${code(model.shown(g.file))} as far as their modules are known, but ${open === model.machines.size ? 'none of its machines is' : `only ${model.machines.size - open} of its ${model.machines.size} machines are`} fully known: clan may evaluate it`;
  return `no machine of this clan imports ${code(model.shown(g.file))}, so clan never evaluates it`;
}

/** 'secret', 'public', or 'secret or public' (not a literal). */
export function secrecy(f: { secret: boolean | null }): string {
  return f.secret === null ? 'secret or public' : f.secret ? 'secret' : 'public';
}

/** A placement's state in a few words. */
export function stateLabel(p: Placement): string {
  switch (p.state) {
    case 'generated':
      return 'generated';
    case 'outdated':
      return 'validation hash outdated (will regenerate)';
    case 'missing':
      return 'not generated';
    case 'partial':
      return `missing ${p.files.filter((f) => f.state === 'missing').map((f) => f.name).join(', ')}`;
    case 'recipients-outdated':
      return 'encrypted for other keys than its links name (clan vars fix)';
    case 'orphaned':
      return p.machine === null ? 'orphaned: stored as shared, but no shared generator of this name' : `orphaned: ${p.machine} has no such generator`;
    case 'unknown': {
      const unknown = notKnownHere(p.files);
      return unknown.length ? `${unknown.map((f) => f.name).join(', ')} not known here: ${unknown[0].detail}` : 'files not known without evaluation';
    }
  }
}

/** The placements of the machines that have the generator (or the shared one): not the vars only stored elsewhere. */
export function livePlacements(view: GeneratorView): Placement[] {
  return view.placements.filter((p) => p.why !== 'stored');
}

/**
 * What generation offers for a generator (code lens and hover links alike): the machine to run on
 * (the first not generated, else the first; null without one), Generate while some machine lacks
 * its vars or none is known, Regenerate once some machine has them. A machine whose secrets are in
 * a store not on this machine (password-store) is not offered: clan would find them missing here
 * and make new ones, and new public files beside them.
 */
export function generationOffer(view: GeneratorView): { machine: string | null; generate: boolean; regenerate: boolean } {
  const live = livePlacements(view);
  const lacking = live.filter((p) => p.state !== 'generated' && !notKnownHere(p.files).length);
  const target = lacking[0] ?? live[0];
  return { machine: target?.machine ?? null, generate: live.length === 0 || lacking.length > 0, regenerate: live.some((p) => p.state === 'generated') };
}
