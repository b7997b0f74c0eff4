// Which modules each machine has: its entry modules (clan's `machines/<m>/configuration.nix`,
// `clan.machines.<m>` modules, the clan services its inventory roles bring), then everything they
// import, followed through files, folders, flake modules (`self.nixosModules.x`,
// `config.flake.modules.nixos.x`) and local clan services. What cannot be followed (another flake's
// module, a computed path, clan-core's services) is kept as a reason: the machine may then have
// generators we cannot see. One answer to "which machines does this file belong to".
import * as path from 'node:path';
import type { ExternalModules } from './inputs/externalModules';
import type { FlakeInputs } from './inputs/flakeInputs';
import { isComputedRef, MACHINE_NAME } from '../facts/modules';
import { type InventoryJson } from './inventoryJson';
import { dendriticMachine, isTestFile, type MachineInfo } from './machines';
import { clanPieces, partText, type Unreadable } from './clanParts';
import { evaluateExtraModules, evaluateInstances, evaluateMachineTags } from './computedInstances';
import { evaluateServiceSet, type FlakeOutputs } from './computedModules';
import { contains, type Position, type Range } from '../base/types';
import type { FileFacts, InstanceFacts, InstanceRole, InventoryTagDef, ModuleClass, ModuleRef, SettingValue } from '../facts/types';
import { computeInventoryTags } from './inventoryTags';
import { addArgValues } from './argImports';
import { ModuleLookup, type Resolved } from './moduleLookup';
import type { NixParser } from '../syntax/nixParser';

export interface MachineModules {
  /** Workspace files in the machine's module closure. */
  files: Set<string>;
  /** Why the machine may have generators we cannot see (modules outside the workspace, computed imports); empty when we see them all. */
  unknowns: string[];
}

export interface ModuleGraph {
  machines: Map<string, MachineModules>;
  /** File -> the machines whose modules include it (or a module written inline in it); absent: none we know. */
  machinesOfFile: Map<string, string[]>;
  /**
   * The machines of what is written at `pos` in `file`: the inline flake module holding it, else the
   * file. `cls`: it is written in a module of that class (a generator's moduleClass); in a clan
   * service (its `nixosModule` / `darwinModule`) only the machines of that class have it.
   */
  machinesAt(file: string, pos: Position, cls?: ModuleClass): string[];
  /**
   * The facts `machinesAt` reads positions from. The graph depends only on the module structure
   * without positions, so a graph is reused across edits that keep that structure; the facts with
   * the current positions are set here.
   */
  useFiles(files: Map<string, FileFacts>): void;
  /** Files of flake inputs (outside the workspace) some machine has, with their facts. */
  external: Map<string, FileFacts>;
  /** The clan's flake inputs: where each was read from (this machine, the shipped summary) or that it was not. */
  inputs: FlakeInputs;
  /** Files attributed to a machine by their folder only (`machines/<m>/...`) because no import reaches them. */
  byFolder: Set<string>;
  /**
   * How `file` (at `pos`: the module written inline there holding it) reaches `machine`: the modules from the
   * machine's entry to it, entry first, relative to the clan root or as `<input>:<path>` (an inline
   * flake module as `<file>#<name>`; an entry brought by `clan.machines.<m>` or a clan service
   * instance is preceded by that). null: the machine does not have it.
   */
  chainTo(machine: string, file: string, pos: Position): string[] | null;
  /** What would make a reason of a machine's `unknowns` known. */
  hintOf(reason: string): ReasonHint;
  /** A file as chains show it: relative to the clan root, or `<input>:<path>` for a file of a flake input. */
  shown(file: string): string;
  /**
   * The instances through which `machine` has the clan service whose file this is, with the role it
   * has in each: those of the role whose part holds `pos`, or all (a part outside every role:
   * `perMachine`, what the roles share). Empty when the file is no service's entry or the machines of
   * an instance are not known.
   */
  serviceBindingsAt(file: string, pos: Position, machine: string): ServiceBinding[];
  /** Every definition of the service instance of that name the clan has (the module system merges them). */
  definitionsOf(instance: string): InstanceFacts[];
  /** A role's settings' defaults as conditions read them, from the interfaces of the files of the service the instance brings (ModuleFacts.settingDefaults). */
  settingDefaultsOf(instance: InstanceFacts, role: string): Record<string, SettingValue>;
  /** The machines of a role of the instance of that name, over its definitions; null where some cannot be told. */
  roleMachinesOf(instance: string, role: string): string[] | null;
  /** The facts of a file of clan-core (`nixosModules/clanCore/state-version/default.nix`), where clan-core is read (this clan, its input, the shipped summary); undefined otherwise. */
  clanCoreFile(rel: string): FileFacts | undefined;
  /** Whether clan-core is read at all (this clan, its input on this machine, the shipped summary): where it is not, clanCoreFile knows no file. */
  readonly clanCoreRead: boolean;
  /** What makes clan-core's files read where they are not: fetching the input the flake locks, else a checkout (clanVars.clanCorePath). */
  clanCoreHint(): ReasonHint;
}

/** A machine's place in an instance of a clan service: the instance, and one role it has there. */
export interface ServiceBinding {
  instance: InstanceFacts;
  role: InstanceRole;
}

/**
 * What would make a reason known: fetching the clan's flake inputs (`fetch`), a clan-core checkout
 * in the settings (`clan-core-path`), or nothing (`none`: computed, or outside any input).
 */
export type ReasonHint = 'fetch' | 'clan-core-path' | 'none';

/** At most this many reasons are kept per machine; a last one counts the others ("+3 more"). */
const MAX_REASONS = 20;
const MORE = /^\+(\d+) more$/;

/** The reasons a list's "+N more" counts, by list: a reason given again past MAX_REASONS is counted once. */
const counted = new WeakMap<string[], Set<string>>();

/** Adds a reason a machine may have more generators, unless it has it: past MAX_REASONS, only to the count of the rest. */
export function addReason(unknowns: string[], reason: string): void {
  if (unknowns.includes(reason)) return;
  if (unknowns.length < MAX_REASONS) return void unknowns.push(reason);
  const rest = counted.get(unknowns) ?? counted.set(unknowns, new Set()).get(unknowns)!;
  if (rest.has(reason)) return;
  rest.add(reason);
  const more = MORE.exec(unknowns[MAX_REASONS] ?? '');
  unknowns[MAX_REASONS] = `+${more ? Number(more[1]) + 1 : 1} more`;
}

/** Modules outside the workspace: the clan's flake inputs found on this machine, and how to read their files. */
const NO_EXTERNAL: ExternalModules = { inputs: { dirs: new Map(), missing: [], locked: new Map(), shipped: new Map() }, read: () => null, declaresGenerators: () => null, moduleGenerators: () => null };

/** `parser`: for the sets of flake modules computed from the file tree (computedModules.ts); without one they stay unknown. */
export function buildModuleGraph(root: string, files: Map<string, FileFacts>, machines: Map<string, MachineInfo>, inventory: InventoryJson, external: ExternalModules = NO_EXTERNAL, parser: NixParser | null = null): ModuleGraph {
  return new ClanModuleGraph(root, files, machines, inventory, external, parser);
}

/** How modules came to a machine before their imports are followed. `via`: how an entry came (a `clan.machines.<m>` ref, a clan service's file), for its chain. */
interface Entries {
  refs: ModuleRef[];
  files: string[];
  via: Map<ModuleRef | string, string>;
}

/** Where an instance's clan service is read: its files (this clan's, or an input's), or why it cannot be. */
interface InstanceService {
  service: string;
  local: string[] | undefined;
  fromInput: string | undefined;
  reason: string | null;
}

/** The machines of an instance, by role; `unknown`: some role's machines cannot be told. */
interface InstanceMembers {
  all: Set<string>;
  byRole: Map<string, Set<string>>;
  /** The roles some of whose machines cannot be told. */
  unknown: Set<string>;
}

/** The machines of a tag, or null when they cannot be told. */
type Tagged = (tag: string) => string[] | null;

function addTo<T>(map: Map<string, T[]>, key: string, item: T): void {
  const list = map.get(key);
  if (!list) map.set(key, [item]);
  else if (!list.includes(item)) list.push(item);
}

/** The module graph of one clan, built in the constructor: its entries, its clan service instances, then the closure of each machine. */
class ClanModuleGraph implements ModuleGraph {
  readonly machines = new Map<string, MachineModules>();
  readonly machinesOfFile = new Map<string, string[]>();
  readonly byFolder = new Set<string>();
  readonly external: Map<string, FileFacts>;
  readonly inputs: FlakeInputs;
  private readonly lookup: ModuleLookup;
  /** The facts `machinesAt` reads positions from (useFiles). */
  private positions: Map<string, FileFacts>;
  private readonly allMachines: string[];
  /** Local clan services by name -> the files that define them. */
  private readonly services = new Map<string, string[]>();
  /** Why a computed set of the clan's own services could not be read: a service of this clan not found may be one of them. */
  private readonly serviceSetReasons: string[] = [];
  private readonly instances: InstanceFacts[];
  private readonly instanceFile = new Map<InstanceFacts, string>();
  /** Machine -> the tags a computed set of the clan's machines gives it (evaluateComputedParts). */
  private readonly computedTags = new Map<string, string[]>();
  /** Modules written inline in a file for some machines (an instance role's extraModules): file -> where, and whose. */
  private readonly inlineModules = new Map<string, { range: Range; machines: Set<string> }[]>();
  private readonly tagDefs: { file: string; def: InventoryTagDef }[] = [];
  private readonly entries: Map<string, Entries>;
  /** Why a machine may have modules we cannot see, known before its imports are followed. */
  private readonly serviceReasons = new Map<string, string[]>();
  /**
   * Reason -> what would make it known; a reason not here needs nothing (computed). What helps is
   * the input's own files: a clan service the shipped summary lacks is found there (clan-core's in
   * a checkout the settings name, also when the clan has no lock); a module ref closes once its
   * input is read and declares no generators, which the summary already tells of those it knows.
   */
  private readonly hints = new Map<string, ReasonHint>();
  /** Service file -> machine -> the roles it has there (a role's modules are that role's machines' only). */
  private readonly rolesOf = new Map<string, Map<string, Set<string>>>();
  /** Service file -> machine -> its instances and roles there (what the service's computed names are made of). */
  private readonly bindingsOf = new Map<string, Map<string, ServiceBinding[]>>();
  private readonly nodeMachines = new Map<string, string[]>();
  /** Machine -> node -> the node (or how an entry came: `via`) it was first reached from, '' for the machine's own files. */
  private readonly chains = new Map<string, Map<string, string>>();

  constructor(
    private readonly root: string,
    private readonly files: Map<string, FileFacts>,
    private readonly machineInfo: Map<string, MachineInfo>,
    inventory: InventoryJson,
    private readonly outside: ExternalModules,
    private readonly parser: NixParser | null,
  ) {
    this.lookup = new ModuleLookup(root, files, outside, parser);
    this.external = this.lookup.outsideFiles;
    this.inputs = outside.inputs;
    this.positions = files;
    this.instances = [...inventory.instances];
    this.allMachines = [...machineInfo.keys()];
    this.entries = new Map(this.allMachines.map((m) => [m, { refs: [], files: [], via: new Map() }]));
    const { pieces, unreadable } = clanPieces(root, files);
    for (const piece of pieces) this.readPiece(piece);
    const unread = this.evaluateComputedParts(unreadable, parser);
    this.addServiceSets(pieces);
    this.addMachineFolderEntries();
    const tagged = this.taggedMachines();
    for (const inst of withMergedModule(this.instances, this.instanceFile)) this.joinInstance(inst, tagged);
    this.joinServiceModules();
    this.addUnreadable(unread);
    for (const [m, e] of this.entries) this.followImports(m, e);
    this.addFolderFiles();
  }

  /** What a file of the clan's configuration declares: flake modules, services, instances, tags, machines' modules. */
  private readPiece({ file, mods, imported }: ReturnType<typeof clanPieces>['pieces'][number]): void {
    // a file read as a part of the clan's configuration is read for that structure only: its flake
    // modules are its own reading's (numbered as that reading numbers them)
    if (!imported) {
      mods.flakeModules.forEach((d, i) => addTo(this.lookup.flakeModules, `${d.cls}/${d.name}`, d.target ?? `${file}#${d.alias ?? i}`));
      for (const def of mods.computedFlakeModules ?? []) this.lookup.computedSets.push({ file, def });
      for (const a of mods.openAspects ?? []) this.lookup.openAspects.set(a.name ?? '', `${a.why} (${path.relative(this.root, file)}:${a.range.start.line + 1})`);
    }
    for (const s of mods.services) addTo(this.services, s.name, s.target ?? file);
    for (const def of isTestFile(this.root, file) ? [] : (mods.computedServiceSets ?? [])) {
      const r = evaluateServiceSet(this.root, this.parser, file, def);
      if ('reason' in r) this.serviceSetReasons.push(`the clan's services are computed in ${path.relative(this.root, file) || file}:${def.range.start.line + 1} (evaluated: ${r.reason})`);
      else for (const [name, target] of r.services) addTo(this.services, name, target);
    }
    if (isTestFile(this.root, file)) return;
    addArgValues(this.lookup.argValues, file, mods.specialArgs, mods.flakeValues);
    this.instances.push(...mods.instances);
    for (const inst of mods.instances) this.instanceFile.set(inst, file);
    for (const def of mods.inventoryTags ?? []) this.tagDefs.push({ file, def });
    for (const t of mods.machineTemplates ?? []) {
      for (const [m, e] of this.entries) {
        const f = t.path.split(MACHINE_NAME).join(m);
        if (this.files.has(f)) e.files.push(f);
      }
    }
    for (const mm of mods.machineModules) {
      const e = this.entries.get(mm.machine);
      if (!e) continue;
      e.refs.push(...mm.refs);
      for (const ref of mm.refs) e.via.set(ref, `clan.machines.${mm.machine} (${path.relative(this.root, file)})`);
      if (mm.inline) e.files.push(file);
    }
  }

  /**
   * `clan.modules = config.flake.modules."clan.service"`: each of the flake's modules of that class
   * is a clan service of the clan under its name, defined in its own file or written inline in the
   * file defining it (the dendritic layout: one file a module, all read by import-tree). A service
   * the clan names itself (`clan.modules.<name>`) is added to, as the module system merges both.
   */
  private addServiceSets(pieces: ReturnType<typeof clanPieces>['pieces']): void {
    const classes = new Set(pieces.flatMap((p) => (isTestFile(this.root, p.file) ? [] : (p.mods.serviceSets ?? []).map((s) => s.cls))));
    if (!classes.size) return;
    for (const { file, mods, imported } of pieces) {
      if (imported || isTestFile(this.root, file)) continue;
      for (const d of mods.flakeModules) if (classes.has(d.cls)) addTo(this.services, d.name, d.target ?? file);
    }
  }

  /**
   * clan-core's machineModules/forName.nix: configuration.nix, and for NixOS machines also
   * hardware-configuration.nix and disko.nix, each when it exists.
   */
  private addMachineFolderEntries(): void {
    for (const [m, e] of this.entries) {
      const nixos = (this.machineInfo.get(m)?.cls ?? 'nixos') === 'nixos';
      for (const name of nixos ? ['configuration.nix', 'hardware-configuration.nix', 'disko.nix'] : ['configuration.nix']) {
        const f = path.join(this.root, 'machines', m, name);
        if (this.files.has(f)) e.files.push(f);
      }
    }
  }

  /**
   * clan computes `all`, `nixos` and `darwin` from the machine classes (nixos unless said otherwise),
   * and the tags of `inventory.tags` from those; a machine also has the tags it lists itself.
   */
  private taggedMachines(): Tagged {
    const { allMachines, machineInfo } = this;
    const computed = computeInventoryTags(this.tagDefs, new Map(allMachines.map((m) => [m, machineInfo.get(m)!.cls ?? 'nixos'])));
    return (tag) => {
      const byClass = tag === 'all' || tag === 'nixos' || tag === 'darwin';
      // a definition whose tags we cannot tell may give this one machines
      if (computed.open && !byClass) return null;
      const withTag = allMachines.filter((m) => machineInfo.get(m)!.tags.includes(tag) || this.computedTags.get(m)?.includes(tag));
      const defined = computed.tags.get(tag);
      if (defined === null) return null;
      if (defined) return allMachines.filter((m) => defined.includes(m) || withTag.includes(m));
      if (tag === 'all') return allMachines;
      if (byClass) return allMachines.filter((m) => (machineInfo.get(m)!.cls ?? 'nixos') === tag);
      return withTag.length ? withTag : null;
    };
  }

  /** A clan without a clan-core input whose own tree has clan-core's layout is clan-core itself. */
  private isClanCore(input: string): boolean {
    return input === 'clan-core' && !this.outside.inputs.dirs.has(input) && !this.outside.inputs.missing.includes(input);
  }

  private inputHint(input: string, service: boolean): ReasonHint {
    const { dirs, missing, shipped } = this.outside.inputs;
    if (service && input === 'clan-core') return !dirs.has(input) || shipped.has(input) ? 'clan-core-path' : 'none';
    return missing.includes(input) || (service && shipped.has(input)) ? 'fetch' : 'none';
  }

  private inputService(input: string, service: string): string | undefined {
    const dir = this.isClanCore(input) ? this.root : this.outside.inputs.dirs.get(input);
    return dir ? inputServiceFile(dir, service, (f) => !!this.lookup.factsOf(f)) : undefined;
  }

  /** Gives `machine` a role in a service's file; false when it had that binding already. */
  private addRole(file: string, machine: string, role: string, binding: ServiceBinding): boolean {
    const byMachine = this.rolesOf.get(file) ?? this.rolesOf.set(file, new Map()).get(file)!;
    (byMachine.get(machine) ?? byMachine.set(machine, new Set()).get(machine)!).add(role);
    const bound = this.bindingsOf.get(file) ?? this.bindingsOf.set(file, new Map()).get(file)!;
    const list = bound.get(machine) ?? bound.set(machine, []).get(machine)!;
    if (list.includes(binding)) return false;
    list.push(binding);
    return true;
  }

  private addServiceReason(machine: string, reason: string): void {
    const list = this.serviceReasons.get(machine) ?? [];
    list.push(reason);
    this.serviceReasons.set(machine, list);
  }

  /**
   * A clan service instance: the service's modules join the machines of its roles, and each role's
   * extraModules that role's machines. Where a role's tags cannot be told, the machines the roles
   * name still have their roles, and every machine may have the service in a role we cannot tell.
   */
  private joinInstance(inst: InstanceFacts, tagged: Tagged): void {
    const members = instanceMembers(inst, tagged);
    addTo(this.membersOf, inst.name, members);
    if (inst.legacy) {
      // clanModules' roles are not read: the instance's machines are open (a role we cannot tell: every machine)
      const reason = `${inst.module ? `clan-core's clanModules.${inst.module}` : 'a clanModule'} (inventory.services${inst.module ? `.${inst.name}` : ''}, the inventory's services before clan services), whose modules are not read`;
      for (const m of members.unknown.size ? this.allMachines : members.all) this.addServiceReason(m, reason);
      return;
    }
    const { service, local, fromInput, reason } = this.instanceService(inst);
    const serviceFiles = local ?? (fromInput ? [fromInput] : []);
    for (const [role, ms] of members.byRole) {
      const r = inst.roles.find((x) => x.name === role)!;
      for (const m of ms) for (const f of serviceFiles) this.addRole(f, m, role, { instance: inst, role: r });
    }
    for (const m of members.all) {
      const e = this.entries.get(m);
      if (!e) continue;
      const roles = [...members.byRole].filter(([, ms]) => ms.has(m)).map(([r]) => r);
      for (const f of serviceFiles) e.files.push(f), e.via.set(f, `instance '${inst.name}' (role${roles.length > 1 ? 's' : ''} ${roles.join(', ')})`);
    }
    const open = !serviceFiles.length ? reason! : members.unknown.size ? `clan service '${service}' (instance '${inst.name}') on machines not known statically` : null;
    // a role whose machines we cannot tell may reach any machine
    if (open) for (const m of members.unknown.size ? this.allMachines : members.all) this.addServiceReason(m, open);
    this.joinExtraModules(inst, members);
  }

  /** Where an instance's service is read: a local service is a file, a folder's default.nix, or written inline in the file defining it. */
  private instanceService(inst: InstanceFacts): InstanceService {
    const service = inst.module ?? inst.name;
    const localDefs = inst.input === 'self' ? this.services.get(service) : undefined;
    const localRead = localDefs?.map((d) => this.lookup.moduleAt(d));
    const unreadLocal = localRead?.find((r): r is { reason: string } => 'reason' in r);
    const local = localRead && !unreadLocal ? localRead.flatMap((r) => ('files' in r ? r.files : [])) : undefined;
    const fromInput = localDefs ? undefined : this.inputService(inst.input ?? 'clan-core', service);
    const unreadSet = inst.input === 'self' && !localDefs && this.serviceSetReasons.length ? `: ${this.serviceSetReasons[0]}` : '';
    const reason = local || fromInput ? null : unreadLocal ? `clan service '${service}' of this clan (instance '${inst.name}'): ${unreadLocal.reason}` : `clan service '${service}' from ${inst.input ?? 'clan-core'} (instance '${inst.name}')${unreadSet}`;
    if (reason) this.hints.set(reason, this.inputHint(inst.input ?? 'clan-core', true));
    return { service, local, fromInput, reason };
  }

  /** Each role's extraModules reach that role's machines, whatever the service. */
  private joinExtraModules(inst: InstanceFacts, members: InstanceMembers): void {
    for (const r of inst.roles) {
      if (!r.extraModules?.length && !r.extraInline?.length) continue;
      const ms = members.unknown.has(r.name) ? this.allMachines : [...(members.byRole.get(r.name) ?? [])];
      const via = `instance '${inst.name}' (role ${r.name}, extraModules)`;
      const file = this.instanceFile.get(inst);
      const refs = (file && this.evaluatedExtraModules(inst, r, file)) || (r.extraModules ?? []);
      for (const m of ms) {
        const e = this.entries.get(m);
        if (!e) continue;
        for (const ref of refs) e.refs.push(ref), e.via.set(ref, via);
        for (const range of file ? (r.extraInline ?? []) : []) {
          const node = this.lookup.inlineNode(file!, range);
          e.files.push(node), e.via.set(node, via);
        }
      }
      if (file) for (const range of r.extraInline ?? []) (this.inlineModules.get(file) ?? this.inlineModules.set(file, []).get(file)!).push({ range, machines: new Set(ms.filter((m) => this.entries.has(m))) });
    }
  }

  /**
   * A role's extraModules computed in its file (InstanceRole.extraModulesEvaluable), evaluated: the
   * modules, each not known with why; null where the value cannot be told (the written reference
   * keeps the machines open).
   */
  private evaluatedExtraModules(inst: InstanceFacts, r: InstanceRole, file: string): ModuleRef[] | null {
    const part = r.extraModulesEvaluable;
    const at = r.extraModules?.find(isComputedRef)?.range;
    if (!part || !at || isTestFile(this.root, file)) return null;
    const got = evaluateExtraModules(this.root, this.parser, file, part, at, `instance '${inst.name}''s role '${r.name}'`, this.flakeOutputs());
    return 'value' in got ? got.value : null;
  }

  /** What an evaluation of the clan's configuration knows of `self`'s outputs: `self.nixosModules` where ModuleLookup.outputModules tells it. */
  private flakeOutputs(): FlakeOutputs | undefined {
    const nixos = this.lookup.outputModules('nixosModules');
    return nixos ? new Map([['nixosModules', nixos]]) : undefined;
  }

  /**
   * The modules a clan service's file imports as its own (clan-core's hello-world writes a role in
   * `evening.nix` and imports it): parts of the same service, where each machine has the roles it has
   * in the service (those of one role, for an import inside `roles.<r>`).
   */
  private joinServiceModules(): void {
    const queue = [...this.bindingsOf.keys()];
    while (queue.length) {
      const file = queue.shift()!;
      const mods = this.lookup.factsOf(file)?.modules;
      for (const ref of mods?.serviceImports ?? []) {
        const r = this.lookup.resolveRef(ref);
        if (!('files' in r)) continue; // the machines' closures say why
        const role = mods!.serviceRoles?.find((w) => contains(w.range, ref.range.start))?.name;
        for (const f of r.files) {
          let grew = false;
          for (const [m, bindings] of this.bindingsOf.get(file)!) for (const b of bindings) if (!role || b.role.name === role) grew = this.addRole(f, m, b.role.name, b) || grew;
          // a module reached again with more bindings passes them on again
          if (grew) queue.push(f);
        }
      }
    }
  }

  /** Parts of the clan's configuration that cannot be read: what they may hold reaches every machine (a machine's own module, that machine). */
  /**
   * The clan's service instances and machines' tags a file computes (computedInstances.ts): what the
   * evaluation tells joins what is written; the parts still unread are returned, those evaluated with
   * why the evaluation could not tell them.
   */
  private evaluateComputedParts(unreadable: Unreadable[], parser: NixParser | null): Unreadable[] {
    return unreadable.flatMap((u) => {
      if (!u.evaluable || isTestFile(this.root, u.file)) return [u];
      const r = u.kind === 'machines' ? evaluateMachineTags(this.root, parser, u.file, u.evaluable) : evaluateInstances(this.root, parser, u.file, u.evaluable, u.range, this.flakeOutputs());
      if ('reason' in r) return [{ ...u, why: `${u.why} (evaluated: ${r.reason})` }];
      if (r.value instanceof Map) {
        // a class other than the one the machine is read as would change what clan-core gives it
        const otherClass = [...r.value].find(([m, c]) => c.cls !== undefined && this.machineInfo.has(m) && c.cls !== (this.machineInfo.get(m)!.cls ?? 'nixos'));
        if (otherClass) return [{ ...u, why: `${u.why} (evaluated: machine '${otherClass[0]}' is given machineClass ${otherClass[1].cls})` }];
        for (const [m, c] of r.value) this.computedTags.set(m, [...(this.computedTags.get(m) ?? []), ...c.tags]);
      } else {
        this.instances.push(...r.value);
        for (const inst of r.value) this.instanceFile.set(inst, u.file);
      }
      return [];
    });
  }

  private addUnreadable(unreadable: Unreadable[]): void {
    for (const u of unreadable) {
      const reason = `${partText(u)} (${path.relative(this.root, u.file) || u.file}:${u.range.start.line + 1}) ${u.why}`;
      for (const m of u.kind === 'machine' && u.name !== undefined ? [u.name] : this.allMachines) this.addServiceReason(m, reason);
    }
  }

  /** A machine's closure: its entries, then everything they import; what cannot be followed is kept as a reason. */
  private followImports(m: string, e: Entries): void {
    const parents = new Map<string, string>();
    this.chains.set(m, parents);
    const reasons = new Set(this.serviceReasons.get(m));
    const queue: string[] = [];
    const take = (from: string, r: Resolved, ref?: ModuleRef) => {
      if ('files' in r) {
        for (const f of r.files) if (!parents.has(f)) parents.set(f, from), queue.push(f);
        return;
      }
      reasons.add(r.reason);
      if (ref?.input) this.hints.set(r.reason, this.inputHint(ref.input.name, false));
    };
    for (const f of e.files) take(e.via.get(f) ?? '', { files: [f] });
    for (const ref of e.refs) take(e.via.get(ref) ?? '', this.lookup.resolveRef(ref), ref);
    while (queue.length) {
      const node = queue.pop()!;
      const from = this.lookup.moduleFile(node);
      for (const ref of this.importsFor(node, m)) take(node, this.lookup.resolveRef(ref, from), ref);
    }
    const unknowns: string[] = [];
    for (const r of reasons) addReason(unknowns, r);
    const fileSet = new Set<string>();
    for (const node of parents.keys()) {
      addTo(this.nodeMachines, node, m);
      fileSet.add(this.lookup.fileOfNode(node));
    }
    this.machines.set(m, { files: fileSet, unknowns });
    for (const f of fileSet) addTo(this.machinesOfFile, f, m);
  }

  /** What a node imports for a machine: in a clan service, what `roles.<r>` imports only for the machines that have role r there. */
  private importsFor(node: string, machine: string): ModuleRef[] {
    const refs = this.lookup.importsOf(node);
    const roles = this.rolesOf.get(node)?.get(machine);
    const written = roles ? this.lookup.factsOf(node)?.modules?.serviceRoles : undefined;
    if (!roles || !written?.length) return refs;
    return refs.filter((ref) => {
      const role = written.find((r) => contains(r.range, ref.range.start));
      return !role || roles.has(role.name);
    });
  }

  /** Files no import reaches, in a machine's own folder: that machine's (clan users keep them there). */
  private addFolderFiles(): void {
    for (const file of this.files.keys()) {
      if (this.machinesOfFile.has(file)) continue;
      const m = folderMachine(this.root, file, this.machineInfo);
      if (!m) continue;
      this.machines.get(m)?.files.add(file);
      this.machinesOfFile.set(file, [m]);
      this.nodeMachines.set(file, [m]);
      this.byFolder.add(file);
    }
  }

  useFiles(current: Map<string, FileFacts>): void {
    this.positions = current;
  }

  machinesAt(file: string, pos: Position, cls?: ModuleClass): string[] {
    const all = this.machinesAtPosition(file, pos);
    // in a clan service's nixosModule / darwinModule: clan gives it only the machines of that class
    if (!cls || !(this.positions.get(file) ?? this.external.get(file))?.modules?.isClanService) return all;
    return all.filter((m) => (this.machineInfo.get(m)?.cls ?? 'nixos') === cls);
  }

  private machinesAtPosition(file: string, pos: Position): string[] {
    const { nodeMachines } = this;
    // a module written inline for some machines (an instance's extraModules)
    const inline = this.inlineModules.get(file)?.find((x) => contains(x.range, pos));
    if (inline) return [...inline.machines];
    const mods = (this.positions.get(file) ?? this.external.get(file))?.modules;
    // inside `roles.<r>` of a clan service: the machines that have the service in that role
    const role = mods?.serviceRoles?.find((r) => contains(r.range, pos));
    const byMachine = role && this.rolesOf.get(file);
    if (role && byMachine) return (nodeMachines.get(file) ?? []).filter((m) => !byMachine.has(m) || byMachine.get(m)!.has(role.name));
    const defs = mods?.flakeModules ?? [];
    const i = defs.findIndex((d) => d.target === null && contains(d.range, pos));
    if (i >= 0) return nodeMachines.get(`${file}#${i}`) ?? [];
    const own = nodeMachines.get(file) ?? [];
    if (own.length) return own;
    // outside every inline definition (a `let` the definitions share): the machines of all of them
    const union = new Set<string>();
    defs.forEach((d, j) => {
      if (d.target === null) for (const m of nodeMachines.get(`${file}#${j}`) ?? []) union.add(m);
    });
    return [...union];
  }

  chainTo(machine: string, file: string, pos: Position): string[] | null {
    const parents = this.chains.get(machine);
    if (!parents) return null;
    // written in a module inline in the file (an instance's extraModules, a flake module) that holds
    // `pos`, also where the file is the machine's too (its own module written beside it); else the
    // file; else the first inline flake module the machine has (a `let` they share)
    const defs = (this.positions.get(file) ?? this.lookup.factsOf(file))?.modules?.flakeModules ?? [];
    const holding = [...this.lookup.inlineNodes].find(([n, x]) => x.file === file && contains(x.range, pos) && parents.has(n))?.[0];
    let node = holding ?? defs.map((d, i) => (d.target === null ? `${file}#${d.alias ?? i}` : '')).find((n, i) => parents.has(n) && contains(defs[i].range, pos));
    node ||= parents.has(file) ? file : defs.map((d, i) => `${file}#${d.alias ?? i}`).find((n) => parents.has(n));
    if (!node) return this.byFolder.has(file) && this.machines.get(machine)?.files.has(file) ? [this.lookup.show(file)] : null;
    const chain: string[] = [];
    for (; node && !chain.includes(node); node = parents.get(node)) chain.push(node);
    return chain.reverse().map((n) => this.lookup.show(n));
  }

  hintOf = (reason: string): ReasonHint => this.hints.get(reason) ?? 'none';

  shown = (file: string): string => this.lookup.show(file);

  get clanCoreRead(): boolean {
    return this.clanCoreDir() !== undefined;
  }

  clanCoreHint(): ReasonHint {
    return this.outside.inputs.missing.includes('clan-core') ? 'fetch' : 'clan-core-path';
  }

  private clanCoreDir(): string | undefined {
    if (!this.isClanCore('clan-core')) return this.outside.inputs.dirs.get('clan-core');
    // a clan without a clan-core input is clan-core itself only with its layout (clanCore's modules among its files)
    this.ownClanCore ??= [...this.files.keys()].some((f) => f.startsWith(path.join(this.root, 'nixosModules', 'clanCore') + path.sep));
    return this.ownClanCore ? this.root : undefined;
  }

  /** Whether this clan has clan-core's layout (clanCoreDir), found when first asked. */
  private ownClanCore?: boolean;

  clanCoreFile(rel: string): FileFacts | undefined {
    const dir = this.clanCoreDir();
    if (!dir) return undefined;
    const file = path.join(dir, rel);
    return this.files.get(file) ?? this.outside.read(file) ?? undefined;
  }

  definitionsOf(instance: string): InstanceFacts[] {
    if (!this.byInstanceName) {
      this.byInstanceName = new Map();
      for (const i of this.instances) addTo(this.byInstanceName, i.name, i);
    }
    return this.byInstanceName.get(instance) ?? [];
  }

  /** The clan's instance definitions by name, made when first asked (the instances are all known once the graph is built). */
  private byInstanceName?: Map<string, InstanceFacts[]>;

  settingDefaultsOf(instance: InstanceFacts, role: string): Record<string, SettingValue> {
    let byRole = this.defaultsByInstance.get(instance);
    if (!byRole) {
      byRole = new Map();
      for (const [file, byMachine] of this.bindingsOf) {
        if (![...byMachine.values()].some((list) => list.some((b) => b.instance === instance))) continue;
        const defaults = (this.positions.get(file) ?? this.external.get(file) ?? this.lookup.factsOf(file))?.modules?.settingDefaults ?? {};
        for (const [r, values] of Object.entries(defaults)) byRole.set(r, { ...byRole.get(r), ...values });
      }
      this.defaultsByInstance.set(instance, byRole);
    }
    return byRole.get(role) ?? {};
  }

  /** By instance definition, made when first asked: defaults are module facts, and a change of any module's facts builds a new graph (ruleInputs.ts 'modules'). */
  private defaultsByInstance = new Map<InstanceFacts, Map<string, Record<string, SettingValue>>>();

  roleMachinesOf(instance: string, role: string): string[] | null {
    const defs = this.membersOf.get(instance) ?? [];
    return defs.some((d) => d.unknown.has(role)) ? null : [...new Set(defs.flatMap((d) => [...(d.byRole.get(role) ?? [])]))];
  }

  /** The machines of each definition of each instance, by the instance's name (roleMachinesOf). */
  private readonly membersOf = new Map<string, InstanceMembers[]>();

  serviceBindingsAt(file: string, pos: Position, machine: string): ServiceBinding[] {
    const all = this.bindingsOf.get(file)?.get(machine) ?? [];
    const role = (this.positions.get(file) ?? this.external.get(file))?.modules?.serviceRoles?.find((r) => contains(r.range, pos));
    return role ? all.filter((b) => b.role.name === role.name) : all;
  }
}

/** The machines of each role of an instance: those it names, and those of its tags. */
/**
 * The module system merges the definitions of one instance (`inventory.instances.acme` in two files,
 * or in inventory.json and a file): `module.name` and `module.input` are options of the merged
 * instance, so a definition that sets neither (one machine's role, say) has the service another sets.
 * Each returned definition carries the module and input its instance has (a copy where it takes them
 * from another: facts are not edited), with the copy's file in `fileOf`. Where definitions set
 * different values, clan stops on the conflict; each keeps its own.
 */
export function withMergedModule(instances: InstanceFacts[], fileOf: Map<InstanceFacts, string>): InstanceFacts[] {
  const setBy = new Map<string, { module: Set<string>; input: Set<string> }>();
  for (const inst of instances) {
    const s = setBy.get(inst.name) ?? setBy.set(inst.name, { module: new Set(), input: new Set() }).get(inst.name)!;
    if (inst.module !== null) s.module.add(inst.module);
    if (inst.input !== null) s.input.add(inst.input);
  }
  return instances.map((inst) => {
    const s = setBy.get(inst.name)!;
    const module = inst.module ?? (s.module.size === 1 ? [...s.module][0]! : null);
    const input = inst.input ?? (s.input.size === 1 ? [...s.input][0]! : null);
    if (module === inst.module && input === inst.input) return inst;
    const merged = { ...inst, module, input };
    const file = fileOf.get(inst);
    if (file) fileOf.set(merged, file);
    return merged;
  });
}

function instanceMembers(inst: InstanceFacts, tagged: Tagged): InstanceMembers {
  const all = new Set<string>();
  const byRole = new Map<string, Set<string>>();
  const unknown = new Set<string>();
  for (const r of inst.roles) {
    const these = new Set(r.machines);
    for (const t of r.tags) {
      const ms = tagged(t);
      if (ms) ms.forEach((m) => these.add(m));
      else unknown.add(r.name);
    }
    if (r.tagsUnknown) unknown.add(r.name);
    these.forEach((m) => all.add(m));
    byRole.set(r.name, these);
  }
  return { all, byRole, unknown };
}

/** `machines/<m>/...`, `hosts/<m>/...`, `machines/<m>.nix` or `modules/machines/<cls>/<m>/...` of a known machine. */
export function folderMachine(root: string, file: string, machines: Map<string, MachineInfo>): string | null {
  const d = dendriticMachine(root, file);
  if (d && machines.has(d.name)) return d.name;
  const parts = path.relative(root, file).split(path.sep);
  if (parts[0] === '..') return null;
  for (let i = 0; i + 1 < parts.length; i++) {
    if (parts[i] !== 'machines' && parts[i] !== 'hosts') continue;
    const name = i + 1 < parts.length - 1 ? parts[i + 1] : parts[i + 1].replace(/\.nix$/, '');
    if (machines.has(name)) return name;
  }
  return null;
}



/** A clan service of a flake input: `clanServices/<name>/default.nix` (clan-core's layout) or `clanServices/<name>.nix`. */
function inputServiceFile(dir: string, service: string, exists: (f: string) => boolean): string | undefined {
  if (!/^[\w.-]+$/.test(service) || service.startsWith('.')) return undefined;
  return [path.join(dir, 'clanServices', service, 'default.nix'), path.join(dir, 'clanServices', `${service}.nix`)].find(exists);
}
