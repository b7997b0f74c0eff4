// Per machine: the modules it has (model/moduleGraph.ts) and the generators they declare, merged by
// name as the module system merges them, plus the generators the registry pipeline gives it. This
// is the one place that answers "which machines does this file / generator belong to" and "does
// this machine have generator x".
import type { ClanModel } from './clanModel';
import { Glob } from '../base/glob';
import { readInventoryJson, type MachineClass } from './inventoryJson';
import { discoverMachines, type MachineSource } from './machines';
import type { ExternalModules } from './inputs/externalModules';
import { addReason, buildModuleGraph, type ModuleGraph, type ReasonHint } from './moduleGraph';
import type { Position } from '../base/types';
import type { Generator, GeneratorCondition, RegistryEntry } from '../facts/types';
import { Attached } from '../base/attached';
import type { FlakeInputs } from './inputs/flakeInputs';
import type { NixParser } from '../syntax/nixParser';

import { CLAN_CORE_MACHINE_GENERATORS } from './clanCoreGenerators';
import { isShared, maybeShared } from './sharing';
import { conditionsOn, instantiated, type OptionValueOn } from './serviceInstances';
import { optionValuesOn } from './optionValues';
import { clanCoreToggles, toggleChain, toggleDefinitions } from './clanCoreToggles';
import { clanCorePin } from './inputs/clanCorePin';
import { registryGeneratorsOf, registryMachinesAfterEdit, registryMachinesOf, unnamedRegistryEntries } from './registryMachines';

export interface MachineView {
  name: string;
  cls: MachineClass | null;
  sources: MachineSource[];
  /** Workspace files among its modules. */
  modules: Set<string>;
  /** Why it may have generators we cannot see; empty when all its modules are in view. */
  unknowns: string[];
  /** Its generators by name: every declaration in its modules, and what its registry keys select. */
  generators: Map<string, Generator[]>;
  /** Computed generator names in its modules that could not be computed: names of that form may exist. */
  patterns: ComputedNames[];
  /** Declarations with computed names whose names on this machine are known (a clan service's, made of its instance and settings): listed under those names. */
  named?: Set<Generator>;
  /**
   * Generators its modules declare under conditions on a clan service's settings that do not hold on
   * it: not its generators, yet a read of one (under the same condition, as services write it) is no mistake.
   */
  offByCondition?: Set<string>;
}

/** Generator names of one form (`tor_*`) a module declares, computed from values not known statically. */
export interface ComputedNames {
  glob: Glob;
  /** Where they are declared: the file relative to the clan root (or `<input>:<path>`), and the line. */
  where: string;
  /** What would make it known, where that is not Nix's evaluation (clan-core's files not read: fetch them). */
  hint?: ReasonHint;
}

/** How openReasons says a form of computed names. */
function patternReason(p: ComputedNames): string {
  return p.glob.pattern.includes('*') ? `generator names of the form '${p.glob.pattern}' computed from values not known statically (${p.where})` : `whether it has generator '${p.glob.pattern}': ${p.where}`;
}

/**
 * Why a machine may have generators the model does not list: its unknowns (anything may exist), then
 * each form of computed names (names of that form may exist). Empty: the machine is fully known.
 */
export function openReasons(view: MachineView): string[] {
  return [...view.unknowns, ...view.patterns.map(patternReason)];
}

/** Whether all of the machine's modules are read: not known only from its vars, some module read, none out of view. */
export function fullyKnown(view: MachineView): boolean {
  return view.unknowns.length === 0 && view.modules.size > 0 && !view.sources.every((s) => s === 'vars');
}

/** The machines with something not read that may give them generators (a module, a computed part of the clan). */
export function machinesWithUnread(model: Pick<MachineModel, 'machines'>): string[] {
  return [...model.machines.values()].filter((v) => v.unknowns.length > 0).map((v) => v.name);
}

/** Whether the clan declares machines and every one is fully known: a module none imports is evaluated by none. */
export function everyMachineKnown(model: Pick<MachineModel, 'machines'>): boolean {
  if (!model.machines.size) return false;
  for (const view of model.machines.values()) if (!fullyKnown(view)) return false;
  return true;
}

/**
 * Whether every declaration of generator `name` the machine can have was read: all its modules are,
 * no computed name of a form `name` fits is among them, and it is not one of clan-core's own
 * machine generators (declared behind options).
 */
export function allDeclarationsRead(view: MachineView, name: string): boolean {
  return fullyKnown(view) && !CLAN_CORE_MACHINE_GENERATORS.has(name) && !view.patterns.some((p) => p.glob.test(name));
}

export type DependencyResolution =
  | { found: 'machine' | 'shared' }
  /**
   * Perhaps. `unreadOn`: the machines whose modules we could not read may declare it (the machine
   * itself; for one with every module read, the machines that may declare it shared); absent where
   * a module we read may.
   */
  | { found: 'maybe'; unreadOn?: string[] }
  /** Not found: clan stops. `perMachineOn`: machines where it exists as a per-machine generator. */
  | { found: 'no'; perMachineOn: string[] };

export interface MachineModel {
  /** Tells this model from every other made in this process (a number, so that nothing holds an old model to compare with it). */
  serial: number;
  machines: Map<string, MachineView>;
  /**
   * Set when this model was updated from another for a registry or matrix edit: that model's
   * serial, and the generator names some machine gained or lost. A name whose declarations only
   * became other objects (the evaluated registry replacing the literal one) is not among them:
   * where it resolves is the same.
   */
  delta?: { from: number; names: Set<string> };
  /** Machines with vars on disk (`vars/per-machine/<m>`) that the clan does not declare: stale vars. */
  staleVarsMachines: string[];
  /** The clan's flake inputs, as the module graph read them. */
  inputs: FlakeInputs;
  /** The machines whose modules include this file; [] when no machine we know imports it. */
  machinesOfFile(file: string): string[];
  /** The machines that have this declaration (registry generators: the machines whose keys select them). */
  machinesOfGenerator(g: Generator): string[];
  /** Whether the file belongs to its machine by its folder alone (no import reaches it). */
  byFolderOnly(file: string): boolean;
  /** How clan resolves `name` in the dependencies of a generator of `machine`. */
  resolveDependency(machine: string, name: string): DependencyResolution;
  /** resolveDependency's sure answers alone, cheap enough for every name of a clan: 'machine', 'shared', else null. */
  resolvesSurely(machine: string, name: string): 'machine' | 'shared' | null;
  /** The machines that have what is written at `pos` of `file` (inside a clan service's role: the machines in that role). */
  machinesAt(file: string, pos: Position): string[];
  /**
   * Whether what `g` declares under `conditions` (a file's or prompt's, VarFile.conditions) is on
   * `machine`: as for a generator under conditions, true, false, or why that is not known.
   */
  conditionsOn(g: Generator, conditions: GeneratorCondition[], machine: string): boolean | string;
  /**
   * Whether a module we can read declares a generator `name` on some machine or none (literally or
   * by a computed-name pattern), a generator set we cannot enumerate in a module of some machine
   * (of one of `on`, when given: a read of a machine's own generators) might, or clan-core's
   * machine modules do. False: only a module we cannot read could declare it (on an open machine, a typo).
   */
  mayBeDeclared(name: string, on?: string[]): boolean;
  /** The import chain that brings the module declaring `g` to `machine`, entry first (ModuleGraph.chainTo); null for the registry's generators and modules the machine lacks. */
  chainOf(machine: string, g: Generator): string[] | null;
  /** What would make a reason of a machine's `unknowns` known (`none` for the reasons this model adds: computed names). */
  hintOf(reason: string): ReasonHint;
  /** A file as chains show it: relative to the clan root, `<input>:<path>` for a flake input's. */
  shown(file: string): string;
}


/** The machines and their module graph: what the module structure alone decides (no generators). */
export interface MachineStructure {
  infos: ReturnType<typeof discoverMachines>;
  graph: ModuleGraph;
  /** The paths the evaluations of its computed parts read, as they run (facts/eval/context.ts, recordReads): the structure holds while nothing at or below them changes on disk. */
  reads?: Set<string>;
  /** The `lastModified` of the clan-core its flake.lock pins (inputs/clanCorePin.ts); null when none is pinned with one. */
  clanCorePinnedAt: number | null;
}

export function buildMachineStructure(clan: ClanModel, external?: ExternalModules, parser: NixParser | null = null): MachineStructure {
  const inventory = readInventoryJson(clan.root);
  const infos = discoverMachines(clan.root, clan.files, clan.matrix?.facts ?? null, inventory);
  return { infos, graph: buildModuleGraph(clan.root, clan.files, infos, inventory, external, parser), clanCorePinnedAt: clanCorePin(clan.root)?.lastModified ?? null };
}

/** What an incremental update needs of the model it updates. */
interface ModelState {
  structure: MachineStructure;
  clan: ClanModel;
  sharedNames: Set<string>;
  maybeSharedNames: Set<string>;
  sharedPatterns: Glob[];
  /** The registry's generators and the machines each reaches, as the model was built with them. */
  registryGenerators: Generator[];
  registryMachines: Map<string, Set<string>>;
  /** The files with a generator under conditions as the model was built (the clan's files are updated in place). */
  conditionalFiles: Set<string>;
}

const states = new Attached<MachineModel, ModelState>('modelState');

/**
 * `structure`: one built from the same module structure, matrix and vars folders, to reuse.
 * `previous`: the model of the same structure before the generators of `changed` files changed (and
 * nothing else): only the machines that have those files are rebuilt, the others are kept.
 */
export function buildMachineModel(
  clan: ClanModel,
  structure: MachineStructure = buildMachineStructure(clan),
  previous?: { model: MachineModel; changed: { files: Set<string>; names: Set<string | null> } },
): MachineModel {
  return (previous && updateMachineModel(clan, structure, previous.model, previous.changed)) ?? fullMachineModel(clan, structure);
}

const declarations = new Attached<Generator[], Map<string, Generator[]>>('declarationsByName');

/** The registry's generators by name, once per list (each keystroke in the matrix compares the same list with itself). */
function declsOf(list: Generator[]): Map<string, Generator[]> {
  let by = declarations.get(list);
  if (!by) {
    by = declarations.set(list, new Map());
    for (const g of list) addDeclaration(by, g.name.name!, g);
  }
  return by;
}

/** What an unnamed registry entry gives its machines: generator names of its form, or (no form known) any name. */
function unnamedEntryReason(clan: ClanModel, e: RegistryEntry): { pattern: ComputedNames } | { unknown: string } {
  const where = `${rel(clan, clan.registry!.file)}:${(e.generator?.range ?? e.keyRange).start.line + 1}`;
  const pattern = e.generator?.pattern;
  return pattern && pattern !== '*' ? { pattern: { glob: new Glob(pattern), where } } : { unknown: `the generator of registry key '${e.key}', whose name is not known statically (${where})` };
}

function fullMachineModel(clan: ClanModel, structure: MachineStructure): MachineModel {
  const { infos, graph } = structure;
  graph.useFiles(clan.files);
  let optionOn: OptionValueOn | undefined;
  const registryMachines = registryMachinesOf(clan);
  const unnamed = unnamedRegistryEntries(clan);
  const machinesOfGenerator = machinesOfGeneratorWith(graph, registryMachines, unnamed);

  const machines = new Map<string, MachineView>();
  // machines some of whose modules are not read (not: whose generator names are computed)
  const modulesNotRead = new Set<string>();
  for (const [name, info] of infos) {
    const mods = graph.machines.get(name) ?? { files: new Set<string>(), unknowns: [] };
    const unknowns = info.why ? [info.why, ...mods.unknowns] : [...mods.unknowns];
    if (unknowns.length) modulesNotRead.add(name);
    machines.set(name, { name, cls: info.cls, sources: info.sources, modules: mods.files, unknowns, generators: new Map(), patterns: [] });
  }
  const sharedNames = new Set<string>();
  const maybeSharedNames = new Set<string>();
  const sharedPatterns: Glob[] = [];
  const conditionalFiles = new Set<string>();
  // the clan's generators, and those of flake inputs' modules its machines have (clan-core's services)
  const externalGenerators = [...graph.external.values()].flatMap((f) => f.generators.filter((g) => g.origin === 'module'));
  for (const g of externalGenerators.length ? [...clan.generators, ...externalGenerators] : clan.generators) {
    const sharing = isShared(g) || maybeShared(g);
    if (g.conditions) conditionalFiles.add(g.file);
    // one under conditions: shared where some machine has it (below)
    if (sharing && g.name.name !== null && !g.conditions) (isShared(g) ? sharedNames : maybeSharedNames).add(g.name.name);
    // a registry generator whose name is not known: its entry's, below
    if (g.origin === 'registry' && g.name.name === null) {
      if (sharing) sharedPatterns.push(new Glob(g.name.pattern ?? '*'));
      continue;
    }
    // a shared generator of computed names: any name of its form, unless each machine's names are known
    let unnamedOn = false;
    const on = machinesOfGenerator(g);
    for (const m of on) {
      const view = machines.get(m);
      if (!view) continue;
      // a clan service's computed name, made of what clan passes each of the machine's instances
      const named = g.name.name === null && g.nameTemplate ? instantiated(g, m, graph) : null;
      if (g.name.name === null && !named) unnamedOn = true;
      if (named) {
        (view.named ??= new Set()).add(g);
        for (const c of named) {
          addDeclaration(view.generators, c.name.name!, c);
          if (isShared(c) || maybeShared(c)) (isShared(c) ? sharedNames : maybeSharedNames).add(c.name.name!);
        }
        continue;
      }
      if (g.name.name === null) {
        if (g.name.pattern === null || g.name.pattern === '*') addReason(view.unknowns, `a generator set with computed names (${graph.shown(g.file)})`);
        else view.patterns.push({ glob: new Glob(g.name.pattern), where: `${graph.shown(g.file)}:${g.name.range.start.line + 1}` });
        continue;
      }
      // declared under conditions on a clan service's settings: where they hold, not where they do not, else maybe
      const when = g.conditions ? conditionsOn(g, g.conditions, m, graph, (optionOn ??= optionValuesOn(clan.files, graph))) : true;
      if (when === false) {
        (view.offByCondition ??= new Set()).add(g.name.name);
        continue;
      }
      if (when !== true) {
        view.patterns.push({ glob: new Glob(g.name.name), where: when });
        if (sharing) maybeSharedNames.add(g.name.name);
        continue;
      }
      if (sharing && g.conditions) (isShared(g) ? sharedNames : maybeSharedNames).add(g.name.name);
      addDeclaration(view.generators, g.name.name, g);
    }
    if (sharing && g.name.name === null && (unnamedOn || on.length === 0)) sharedPatterns.push(new Glob(g.name.pattern ?? '*'));
  }
  // registry entries the matrix selects whose generator name is not known: a generator of that form, or any name, on their machines
  for (const [e, on] of unnamed) {
    const reason = unnamedEntryReason(clan, e);
    for (const m of on) {
      const view = machines.get(m);
      if (!view) continue;
      if ('pattern' in reason) view.patterns.push(reason.pattern);
      else addReason(view.unknowns, reason.unknown);
    }
  }
  // generator sets that cannot be enumerated (except the registry pipeline, which is modelled above)
  const registryUnderstood = !!clan.registry?.facts.understood;
  for (const facts of clan.files.values()) {
    for (const o of facts.opaqueGeneratorSources) {
      if (o.importTarget === clan.generatorsFile && registryUnderstood) continue;
      for (const m of graph.machinesOfFile.get(facts.file) ?? []) {
        const view = machines.get(m);
        if (view) addReason(view.unknowns, `generators computed in ${rel(clan, facts.file)}:${o.range.start.line + 1}`);
      }
    }
  }
  // clan-core's own generators behind an option (state-version, machine-id): on, off, or not known
  const toggleDefs = toggleDefinitions(clan.files.values(), graph);
  for (const [name, info] of infos) {
    const view = machines.get(name)!;
    for (const [gen, answer] of clanCoreToggles(name, info, toggleDefs.get(name) ?? [], graph, clan.root, structure.clanCorePinnedAt, modulesNotRead.has(name))) {
      if ('unknown' in answer) view.patterns.push({ glob: new Glob(gen), where: answer.unknown, hint: answer.hint });
      else if (answer.on && !view.generators.has(gen)) {
        addDeclaration(view.generators, gen, answer.declaration);
        if (isShared(answer.declaration)) sharedNames.add(gen);
      }
    }
  }
  return finish(clan, { structure, clan, sharedNames, maybeSharedNames, sharedPatterns, registryGenerators: registryGeneratorsOf(clan), registryMachines, conditionalFiles }, machines, machinesOfGenerator);
}

/**
 * Machines of a declaration: a registry generator's are those whose matrix keys select it, a module's
 * those that import it, at each place its name is written (one file's declarations of a name are one,
 * also where they are in two roles of a clan service: clan-core's sshd declares openssh-ca in both).
 */
function machinesOfGeneratorWith(graph: ModuleGraph, registryMachines: Map<string, Set<string>>, unnamed: Map<RegistryEntry, Set<string>>): (g: Generator) => string[] {
  return (g) => {
    if (g.origin === 'registry') {
      if (g.name.name) return [...(registryMachines.get(g.name.name) ?? [])];
      // a name not known statically: the machines whose keys select its entry (the declaration's name is the entry's)
      for (const [e, on] of unnamed) if (e.generator === g.name) return [...on];
      return [];
    }
    const at = graph.machinesAt(g.file, g.name.range.start, g.moduleClass);
    if (!g.aliases?.length) return at;
    const all = new Set(at);
    for (const a of g.aliases) for (const m of graph.machinesAt(g.file, a.range.start, g.moduleClass)) all.add(m);
    return [...all];
  };
}

/**
 * The previous model with the machines that have a changed file rebuilt from their own
 * declarations; null when the change reaches further than that (a computed or shared name, the
 * registry, most of the machines), so a full build is needed.
 */
function updateMachineModel(clan: ClanModel, structure: MachineStructure, previous: MachineModel, changed: { files: Set<string>; names: Set<string | null> }): MachineModel | null {
  const state = states.get(previous);
  if (!state || state.structure !== structure) return null;
  if (state.clan.registry?.facts !== clan.registry?.facts || state.clan.matrix?.facts !== clan.matrix?.facts) return updateRegistry(clan, state, previous, changed);
  const { graph } = structure;
  if (changed.names.has(null) || changed.files.has(clan.registry?.file ?? '') || changed.files.has(clan.generatorsFile)) return null;
  for (const n of changed.names) if (n !== null && (state.sharedNames.has(n) || state.maybeSharedNames.has(n))) return null;
  const added: Generator[] = [];
  for (const f of changed.files) {
    // a generator under conditions, before or after the edit: its machines' patterns are a full build's
    if (state.conditionalFiles.has(f)) return null;
    for (const g of clan.files.get(f)?.generators ?? []) {
      if (isShared(g) || maybeShared(g) || g.name.name === null || g.origin !== 'module' || g.conditions) return null;
      added.push(g);
    }
  }
  const affected = new Set<string>();
  for (const f of changed.files) for (const m of graph.machinesOfFile.get(f) ?? []) affected.add(m);
  if (affected.size > Math.max(8, previous.machines.size / 4)) return null;
  graph.useFiles(clan.files);
  const machinesOfGenerator = previous.machinesOfGenerator;
  const machines = new Map(previous.machines);
  for (const m of affected) {
    const old = previous.machines.get(m);
    if (!old) continue;
    const view: MachineView = { ...old, generators: new Map() };
    // declarations of unchanged files stay; those of the changed files are read again
    for (const [name, decls] of old.generators) {
      const kept = decls.filter((g) => !changed.files.has(g.file));
      if (kept.length) view.generators.set(name, kept);
    }
    for (const g of added) {
      if (!machinesOfGenerator(g).includes(m)) continue;
      // another file declares the name on the machine too: where the new declaration goes among its
      // declarations (file order; clan-core's toggled one only where nothing else declares it) is a full build's
      if (view.generators.get(g.name.name!)?.some((d) => d.file !== g.file)) return null;
      addDeclaration(view.generators, g.name.name!, g);
    }
    machines.set(m, view);
  }
  return finish(clan, { ...state, clan }, machines, machinesOfGenerator);
}

/**
 * The previous model after an edit of the registry or the matrix (nothing else): the registry's
 * generators and the machines their keys reach are compared with those the model was built with,
 * and only the names whose declarations or machines differ are looked up again, on the machines
 * that had or now have them. null when the edit reaches further (a shared or computed registry
 * generator, whether the registry is understood, another file's generators).
 */
function updateRegistry(clan: ClanModel, state: ModelState, previous: MachineModel, changed: { files: Set<string> }): MachineModel | null {
  const registryFile = clan.registry?.file ?? state.clan.registry?.file ?? '';
  for (const f of changed.files) if (f !== registryFile) return null;
  if (!!clan.registry?.facts.understood !== !!state.clan.registry?.facts.understood) return null;
  const before = state.registryGenerators;
  const after = registryGeneratorsOf(clan);
  for (const list of after === before ? [after] : [before, after]) for (const g of list) if (g.name.name === null || isShared(g) || maybeShared(g)) return null;
  // an entry the matrix selects whose generator name is not known gives its machines patterns or reasons: a full build
  if (unnamedRegistryEntries(clan).size || unnamedRegistryEntries(state.clan).size) return null;
  // a matrix edit of a few keys: only their names' machines are counted again
  const edited = after === before && clan.registry?.facts === state.clan.registry?.facts ? registryMachinesAfterEdit(clan, state.clan, state.registryMachines) : null;
  const registryMachines = edited?.machines ?? registryMachinesOf(clan);
  const old = declsOf(before);
  // a matrix edit leaves the registry's generators as they were
  const now = after === before ? old : declsOf(after);
  const same = (a: Set<string> | undefined, b: Set<string> | undefined) => {
    if (a === b) return true;
    if ((a?.size ?? 0) !== (b?.size ?? 0)) return false;
    for (const m of a ?? []) if (!b!.has(m)) return false;
    return true;
  };
  // name -> the machines to look it up on again (its declarations are other objects, or its machines changed)
  const names = new Map<string, Set<string>>();
  // the names some machine gained or lost: where dependencies resolve differently
  const reach = new Set<string>();
  for (const name of edited?.names ?? (now === old ? old.keys() : new Set([...old.keys(), ...now.keys()]))) {
    const a = old.get(name) ?? [];
    const b = now.get(name) ?? [];
    const was = state.registryMachines.get(name);
    const is = registryMachines.get(name);
    const machinesSame = same(was, is) && a.length > 0 === b.length > 0;
    if (a.length === b.length && a.every((g, i) => g === b[i]) && machinesSame) continue;
    names.set(name, new Set([...(was ?? []), ...(is ?? [])]));
    if (!machinesSame) reach.add(name);
  }
  const { graph } = state.structure;
  graph.useFiles(clan.files);
  const machinesOfGenerator = machinesOfGeneratorWith(graph, registryMachines, new Map());
  const { externalByName } = structureIndex(state.structure);
  const machines = new Map(previous.machines);
  const views = new Map<string, MachineView>();
  for (const [name, on] of names) {
    // the name's declarations in the order a full build adds them: the clan's in file order, then its flake inputs'
    const decls = [...(clan.byName.get(name) ?? []), ...(externalByName.get(name) ?? [])];
    const machinesOf = decls.map((g) => (g.origin === 'registry' ? (registryMachines.get(name) ?? new Set<string>()) : new Set(machinesOfGenerator(g))));
    for (const m of on) {
      const old = machines.get(m);
      if (!old) continue;
      let view = views.get(m);
      if (!view) views.set(m, (view = { ...old, generators: new Map(old.generators) }));
      const mine = decls.filter((_, i) => machinesOf[i].has(m));
      if (mine.length) view.generators.set(name, mine);
      else view.generators.delete(name);
      machines.set(m, view);
    }
  }
  const model = finish(clan, { ...state, clan, registryGenerators: after, registryMachines }, machines, machinesOfGenerator);
  model.delta = { from: previous.serial, names: reach };
  return model;
}

/** Adds a declaration to its name's list (declarations by name: a machine's, the generator index's). */
export function addDeclaration(byName: Map<string, Generator[]>, name: string, g: Generator): void {
  const list = byName.get(name);
  if (list) list.push(g);
  else byName.set(name, [g]);
}

let serials = 0;

function finish(clan: ClanModel, state: ModelState, machines: Map<string, MachineView>, machinesOfGenerator: (g: Generator) => string[]): MachineModel {
  const { infos, graph } = state.structure;
  const { sharedNames, maybeSharedNames, sharedPatterns } = state;
  let optionOn: OptionValueOn | undefined;
  /** The hints of the reasons of computed names that have one, by reason (hintOf), made when first asked. */
  let patternHints: Map<string, ReasonHint> | undefined;
  // name -> the machines that have it, looked up on the first unresolved dependency on it, in the
  // order of machines: every machine's own generators, so that a clan service's name made of its
  // instance (`vpn-key-${instanceName}`), which no declaration of the clan is named, counts too
  const owners = new Map<string, string[]>();
  const { externalByName, externalPatterns } = structureIndex(state.structure);
  const resolvesSurely = (machine: string, name: string) => (machines.get(machine)?.generators.has(name) ? 'machine' : sharedNames.has(name) ? 'shared' : null);
  const ownersOf = (name: string): string[] => {
    let list = owners.get(name);
    if (!list) owners.set(name, (list = [...machines.values()].filter((v) => v.generators.has(name)).map((v) => v.name)));
    return list;
  };
  // the machines some of whose modules we could not read (those known only from their vars too: in a clan that names its machines no other way, they are its machines)
  let openMachines: string[] | undefined;
  // the machines with a generator set we cannot enumerate among their modules: any name may exist there (one no machine imports declares nothing)
  let machinesWithOpaque: Set<string> | undefined;
  let registryForms: Glob[] | undefined;
  const registryUnderstood = !!clan.registry?.facts.understood;
  const opaqueOnMachines = () => {
    const found = new Set<string>();
    // machines a registry entry gives a generator whose name is not known at all
    for (const [e, on] of unnamedRegistryEntries(clan)) if ('unknown' in unnamedEntryReason(clan, e)) on.forEach((m) => found.add(m));
    if (!clan.namesOpen) return found;
    for (const f of clan.files.values()) {
      if (f.opaqueGeneratorSources.some((o) => !(o.importTarget === clan.generatorsFile && registryUnderstood))) graph.machinesOfFile.get(f.file)?.forEach((m) => found.add(m));
    }
    return found;
  };
  const model: MachineModel = {
    serial: ++serials,
    machines,
    staleVarsMachines: infos.stale,
    inputs: graph.inputs,
    machinesOfFile: (file) => graph.machinesOfFile.get(file) ?? [],
    machinesOfGenerator,
    byFolderOnly: (file) => graph.byFolder.has(file),
    resolvesSurely,
    resolveDependency(machine, name) {
      const sure = resolvesSurely(machine, name);
      if (sure) return { found: sure };
      const view = machines.get(machine);
      if (!view || CLAN_CORE_MACHINE_GENERATORS.has(name)) return { found: 'maybe' };
      if (view.unknowns.length > 0) return { found: 'maybe', unreadOn: [machine] };
      if (maybeSharedNames.has(name) || view.patterns.some((p) => p.glob.test(name)) || sharedPatterns.some((p) => p.test(name))) return { found: 'maybe' };
      // clan takes a shared generator of any machine: one with modules we could not read may declare it
      const open = (openMachines ??= machinesWithUnread({ machines }));
      if (open.length) return { found: 'maybe', unreadOn: open };
      // the owners are looked up when read: completion asks of thousands of names only whether they resolve
      return { found: 'no', get perMachineOn() { return ownersOf(name); } };
    },
    machinesAt: (file, pos) => graph.machinesAt(file, pos),
    conditionsOn: (g, conditions, machine) => conditionsOn(g, conditions, machine, graph, (optionOn ??= optionValuesOn(clan.files, graph))),
    chainOf: (machine, g) => (g.origin === 'registry' ? null : (graph.chainTo(machine, g.file, g.name.range.start) ?? toggleChain(g, graph, machine))),
    hintOf: (reason) => {
      patternHints ??= new Map([...machines.values()].flatMap((v) => v.patterns.flatMap((p) => (p.hint ? [[patternReason(p), p.hint] as const] : []))));
      return patternHints.get(reason) ?? graph.hintOf(reason);
    },
    shown: (file) => graph.shown(file),
    mayBeDeclared(name, on) {
      if (CLAN_CORE_MACHINE_GENERATORS.has(name) || clan.byName.has(name) || externalByName.has(name)) return true;
      const open = (machinesWithOpaque ??= opaqueOnMachines());
      if (on ? on.some((m) => open.has(m)) : open.size > 0) return true;
      // the registry's names of a form (its generators computed, those the evaluation could not compute too)
      const registryPatterns = (registryForms ??= (clan.registry?.facts.entries ?? []).flatMap((e) => (e.generator && !e.generator.name && e.generator.pattern && e.generator.pattern !== '*' ? [new Glob(e.generator.pattern)] : [])));
      return [clan.namePatterns, sharedPatterns, externalPatterns, registryPatterns].some((list) => list.some((p) => p.test(name)));
    },
  };
  states.set(model, state);
  return model;
}

interface StructureIndex {
  externalByName: Map<string, Generator[]>;
  /** Computed names of its flake inputs' generators. */
  externalPatterns: Glob[];
}

const structureIndexes = new Attached<MachineStructure, StructureIndex>('structureIndex');

/** Per module structure: its flake inputs' generators by name and pattern. */
function structureIndex(structure: MachineStructure): StructureIndex {
  let kept = structureIndexes.get(structure);
  if (!kept) {
    const externalByName = new Map<string, Generator[]>();
    const externalPatterns: Glob[] = [];
    for (const f of structure.graph.external.values()) {
      for (const g of f.generators) {
        if (g.origin !== 'module') continue;
        if (g.name.name === null) {
          externalPatterns.push(new Glob(g.name.pattern ?? '*'));
          continue;
        }
        const list = externalByName.get(g.name.name);
        if (list) list.push(g);
        else externalByName.set(g.name.name, [g]);
      }
    }
    structureIndexes.set(structure, (kept = { externalByName, externalPatterns }));
  }
  return kept;
}


function rel(clan: ClanModel, file: string): string {
  return file.startsWith(clan.root + '/') ? file.slice(clan.root.length + 1) : file;
}
