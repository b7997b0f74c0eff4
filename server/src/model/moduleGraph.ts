// Which modules each machine has: its entry modules (clan's `machines/<m>/configuration.nix`,
// `clan.machines.<m>` modules, the clan services its inventory roles bring), then everything they
// import, followed through files, folders, flake modules (`self.nixosModules.x`,
// `config.flake.modules.nixos.x`) and local clan services. What cannot be followed (another flake's
// module, a computed path, clan-core's services) is kept as a reason: the machine may then have
// generators we cannot see. One answer to "which machines does this file belong to".
import * as path from 'node:path';
import { Confinement } from '../base/confinement';
import type { ExternalModules } from '../inputs/externalModules';
import type { FlakeInputs } from '../inputs/flakeInputs';
import { CLAN_CORE_MACHINE_GENERATORS } from './clanCoreGenerators';
import { MACHINE_NAME } from '../facts/modules';
import { type InventoryJson } from '../inputs/inventoryJson';
import { dendriticMachine, isTestFile, type MachineInfo } from './machines';
import { clanPieces, partText } from './clanParts';
import { CLAN_CORE_UNREAD } from './clanCoreToggles';
import { isNixpkgsModule } from './closedModules';
import { contains, type Position, type Range } from '../base/types';
import type { FileFacts, InstanceFacts, InstanceRole, InventoryTagDef, ModuleRef } from '../facts/types';
import { computeInventoryTags } from './inventoryTags';

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
  /** The machines of what is written at `pos` in `file`: the inline flake module holding it, else the file. */
  machinesAt(file: string, pos: Position): string[];
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
   * How `file` (at `pos`: the inline flake module holding it) reaches `machine`: the modules from the
   * machine's entry to it, entry first, relative to the clan root or as `<input>:<path>` (an inline
   * flake module as `<file>#<name>`; an entry brought by `clan.machines.<m>` or a clan service
   * instance is preceded by that). null: the machine does not have it.
   */
  chainTo(machine: string, file: string, pos?: Position): string[] | null;
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
  /** The facts of a file of clan-core (`nixosModules/clanCore/state-version/default.nix`), where clan-core is read (this clan, its input, the shipped summary); undefined otherwise. */
  clanCoreFile(rel: string): FileFacts | undefined;
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

/** Adds a reason a machine may have more generators, unless it has it: past MAX_REASONS, only to the count of the rest. */
export function addReason(unknowns: string[], reason: string): void {
  if (unknowns.includes(reason)) return;
  if (unknowns.length < MAX_REASONS) return void unknowns.push(reason);
  const more = MORE.exec(unknowns[MAX_REASONS] ?? '');
  unknowns[MAX_REASONS] = `+${more ? Number(more[1]) + 1 : 1} more`;
}

/** Modules outside the workspace: the clan's flake inputs found on this machine, and how to read their files. */
const NO_EXTERNAL: ExternalModules = { inputs: { dirs: new Map(), missing: [], locked: new Map(), shipped: new Map() }, read: () => null, declaresGenerators: () => null, moduleGenerators: () => null };

export function buildModuleGraph(root: string, files: Map<string, FileFacts>, machines: Map<string, MachineInfo>, inventory: InventoryJson, external: ExternalModules = NO_EXTERNAL): ModuleGraph {
  /** Facts of a workspace file, or of a file of a flake input read from outside the workspace. */
  const external_: Map<string, FileFacts> = new Map();
  const factsOf = (file: string): FileFacts | undefined => {
    const own = files.get(file);
    if (own || inside(root, file)) return own;
    if (!external_.has(file)) {
      const f = external.read(file);
      if (!f) return undefined;
      external_.set(file, f);
    }
    return external_.get(file);
  };
  /** A module named by its path (a file, or a folder's default.nix) as the node that reads it, or why it cannot be read. */
  const moduleAt = (p: string): { files: string[] } | { reason: string } => {
    const file = factsOf(p) ? p : path.join(p, 'default.nix');
    if (factsOf(file)) return { files: [file] };
    if (!inside(root, p)) return { reason: `module outside the clan: ${p}` };
    return Confinement.within(root).isDirectory(p) ? { reason: `folder without default.nix: ${path.relative(root, p)}` } : { reason: `module not analysed: ${path.relative(root, p)}` };
  };
  // flake modules and local clan services by name -> the files that define them
  const flakeModules = new Map<string, string[]>();
  const services = new Map<string, string[]>();
  const instances: InstanceFacts[] = [...inventory.instances];
  const instanceFile = new Map<InstanceFacts, string>();
  // modules written inline in a file for some machines (an instance role's extraModules): file -> where, and whose
  const inlineModules = new Map<string, { range: Range; machines: Set<string> }[]>();
  /** Such a module as a node of the module graph (`<file>#@<line>:<col>`): its imports are those written inside it. */
  const inlineNodes = new Map<string, { file: string; range: Range }>();
  const inlineNode = (file: string, range: Range): string => {
    const node = `${file}#@${range.start.line}:${range.start.character}`;
    inlineNodes.set(node, { file, range });
    return node;
  };
  const tagDefs: { file: string; def: InventoryTagDef }[] = [];
  // `via`: how an entry came to the machine (a `clan.machines.<m>` ref, a clan service's file), for its chain
  const entries = new Map<string, { refs: ModuleRef[]; files: string[]; via: Map<ModuleRef | string, string> }>([...machines.keys()].map((m) => [m, { refs: [], files: [], via: new Map() }]));
  const addTo = (map: Map<string, string[]>, key: string, file: string) => {
    const list = map.get(key);
    if (!list) map.set(key, [file]);
    else if (!list.includes(file)) list.push(file);
  };
  const { pieces, unreadable } = clanPieces(root, files);
  for (const { file, mods, imported } of pieces) {
    const facts = { file };
    // a file read as a part of the clan's configuration is read for that structure only
    if (!imported) mods.flakeModules.forEach((d, i) => addTo(flakeModules, `${d.cls}/${d.name}`, d.target ?? `${facts.file}#${d.alias ?? i}`));
    for (const s of mods.services) addTo(services, s.name, s.target ?? facts.file);
    if (isTestFile(root, facts.file)) continue;
    instances.push(...mods.instances);
    for (const inst of mods.instances) instanceFile.set(inst, file);
    for (const def of mods.inventoryTags ?? []) tagDefs.push({ file: facts.file, def });
    for (const t of mods.machineTemplates ?? []) {
      for (const [m, e] of entries) {
        const f = t.path.split(MACHINE_NAME).join(m);
        if (files.has(f)) e.files.push(f);
      }
    }
    for (const mm of mods.machineModules) {
      const e = entries.get(mm.machine);
      if (!e) continue;
      e.refs.push(...mm.refs);
      for (const ref of mm.refs) e.via.set(ref, `clan.machines.${mm.machine} (${path.relative(root, facts.file)})`);
      if (mm.inline) e.files.push(facts.file);
    }
  }
  // clan-core's machineModules/forName.nix: configuration.nix, and for NixOS machines also
  // hardware-configuration.nix and disko.nix, each when it exists
  for (const [m, e] of entries) {
    const nixos = (machines.get(m)?.cls ?? 'nixos') === 'nixos';
    for (const name of nixos ? ['configuration.nix', 'hardware-configuration.nix', 'disko.nix'] : ['configuration.nix']) {
      const f = path.join(root, 'machines', m, name);
      if (files.has(f)) e.files.push(f);
    }
  }

  // clan service instances: the service's modules join the machines of its roles
  const serviceReasons = new Map<string, string[]>();
  const allMachines = [...machines.keys()];
  // clan computes `all`, `nixos` and `darwin` from the machine classes (nixos unless said otherwise),
  // and the tags of `inventory.tags` from those; a machine also has the tags it lists itself
  const computed = computeInventoryTags(tagDefs, new Map(allMachines.map((m) => [m, machines.get(m)!.cls ?? 'nixos'])));
  const tagged = (tag: string): string[] | null => {
    const byClass = tag === 'all' || tag === 'nixos' || tag === 'darwin';
    // a definition whose tags we cannot tell may give this one machines
    if (computed.open && !byClass) return null;
    const withTag = allMachines.filter((m) => machines.get(m)!.tags.includes(tag));
    const defined = computed.tags.get(tag);
    if (defined === null) return null;
    if (defined) return allMachines.filter((m) => defined.includes(m) || withTag.includes(m));
    if (tag === 'all') return allMachines;
    if (byClass) return allMachines.filter((m) => (machines.get(m)!.cls ?? 'nixos') === tag);
    return withTag.length ? withTag : null;
  };
  // a clan without a clan-core input whose own tree has clan-core's layout is clan-core itself
  const isClanCore = (input: string) => input === 'clan-core' && !external.inputs.dirs.has(input) && !external.inputs.missing.includes(input);
  // reason -> what would make it known; a reason not here needs nothing (computed). What helps is
  // the input's own files: a clan service the shipped summary lacks is found there (clan-core's in
  // a checkout the settings name, also when the clan has no lock); a module ref closes once its
  // input is read and declares no generators, which the summary already tells of those it knows
  const hints = new Map<string, ReasonHint>();
  const inputHint = (input: string, service: boolean): ReasonHint => {
    const { dirs, missing, shipped } = external.inputs;
    if (service && input === 'clan-core') return !dirs.has(input) || shipped.has(input) ? 'clan-core-path' : 'none';
    return missing.includes(input) || (service && shipped.has(input)) ? 'fetch' : 'none';
  };
  const inputService = (input: string, service: string): string | undefined => {
    const dir = isClanCore(input) ? root : external.inputs.dirs.get(input);
    return dir ? inputServiceFile(dir, service, (f) => !!factsOf(f)) : undefined;
  };
  // service file -> machine -> the roles it has there (a role's modules are that role's machines' only)
  const rolesOf = new Map<string, Map<string, Set<string>>>();
  // service file -> machine -> its instances and roles there (what the service's computed names are made of)
  const bindingsOf = new Map<string, Map<string, ServiceBinding[]>>();
  const addRole = (file: string, machine: string, role: string, binding: ServiceBinding) => {
    const byMachine = rolesOf.get(file) ?? rolesOf.set(file, new Map()).get(file)!;
    (byMachine.get(machine) ?? byMachine.set(machine, new Set()).get(machine)!).add(role);
    const bound = bindingsOf.get(file) ?? bindingsOf.set(file, new Map()).get(file)!;
    (bound.get(machine) ?? bound.set(machine, []).get(machine)!).push(binding);
  };
  for (const inst of instances) {
    const service = inst.module ?? inst.name;
    // a local service is a file, a folder's default.nix, or written inline in the file defining it
    const localDefs = inst.input === 'self' ? services.get(service) : undefined;
    const localRead = localDefs?.map((d) => moduleAt(d));
    const unreadLocal = localRead?.find((r): r is { reason: string } => 'reason' in r);
    const local = localRead && !unreadLocal ? localRead.flatMap((r) => ('files' in r ? r.files : [])) : undefined;
    const fromInput = localDefs ? undefined : inputService(inst.input ?? 'clan-core', service);
    const reason = local || fromInput ? null : unreadLocal ? `clan service '${service}' of this clan (instance '${inst.name}'): ${unreadLocal.reason}` : `clan service '${service}' from ${inst.input ?? 'clan-core'} (instance '${inst.name}')`;
    if (reason) hints.set(reason, inputHint(inst.input ?? 'clan-core', true));
    const members = new Set<string>();
    const roleMembers = new Map<string, Set<string>>();
    let unknownMembers = false;
    for (const r of inst.roles) {
      const these = new Set(r.machines);
      for (const t of r.tags) {
        const ms = tagged(t);
        if (ms) ms.forEach((m) => these.add(m));
        else unknownMembers = true;
      }
      if (r.tagsUnknown) unknownMembers = true;
      these.forEach((m) => members.add(m));
      roleMembers.set(r.name, these);
    }
    const serviceFiles = local ?? (fromInput ? [fromInput] : []);
    if (!unknownMembers) {
      for (const [role, ms] of roleMembers) {
        const r = inst.roles.find((x) => x.name === role)!;
        for (const m of ms) for (const f of serviceFiles) addRole(f, m, role, { instance: inst, role: r });
      }
    }
    // a role whose machines we cannot tell may reach any machine
    const reached = unknownMembers ? allMachines : [...members];
    for (const m of reached) {
      const e = entries.get(m);
      if (!e) continue;
      if ((local || fromInput) && !unknownMembers) {
        const roles = [...roleMembers].filter(([, ms]) => ms.has(m)).map(([r]) => r);
        for (const f of serviceFiles) e.files.push(f), e.via.set(f, `instance '${inst.name}' (role${roles.length > 1 ? 's' : ''} ${roles.join(', ')})`);
      } else {
        const list = serviceReasons.get(m) ?? [];
        list.push(reason ?? `clan service '${service}' (instance '${inst.name}') on machines not known statically`);
        serviceReasons.set(m, list);
      }
    }
    // each role's extraModules reach that role's machines, whatever the service
    for (const r of inst.roles) {
      if (!r.extraModules?.length && !r.extraInline?.length) continue;
      const ms = unknownMembers ? allMachines : [...(roleMembers.get(r.name) ?? [])];
      const via = `instance '${inst.name}' (role ${r.name}, extraModules)`;
      const file = instanceFile.get(inst);
      for (const m of ms) {
        const e = entries.get(m);
        if (!e) continue;
        for (const ref of r.extraModules ?? []) e.refs.push(ref), e.via.set(ref, via);
        for (const range of file ? (r.extraInline ?? []) : []) {
          const node = inlineNode(file!, range);
          e.files.push(node), e.via.set(node, via);
        }
      }
      if (file) for (const range of r.extraInline ?? []) (inlineModules.get(file) ?? inlineModules.set(file, []).get(file)!).push({ range, machines: new Set(ms) });
    }
  }

  const resolveRef = (ref: ModuleRef): { files: string[] } | { reason: string } => {
    if (ref.path) return moduleAt(ref.path);
    if (ref.flakeModule) {
      const defs = flakeModules.get(`${ref.flakeModule.cls}/${ref.flakeModule.name}`);
      if (!defs) return { reason: `flake module '${ref.flakeModule.name}' (${ref.flakeModule.cls}) not defined in this clan` };
      // each definition: written inline (`<file>#<i>`), or a path (`nixosModules.x = ./x;`, a folder too)
      const files: string[] = [];
      for (const d of defs) {
        const hash = d.lastIndexOf('#');
        if (hash > 0 && factsOf(d.slice(0, hash)) && !factsOf(d)) {
          files.push(d);
          continue;
        }
        const r = moduleAt(d);
        if ('reason' in r) return r;
        files.push(...r.files);
      }
      return { files };
    }
    if (isNixpkgsModule(ref)) return { files: [] };
    if (!ref.input) return { reason: `a module not known statically (${ref.unknown})` };
    // an input on this machine whose source declares no generators brings none
    const dir = external.inputs.dirs.get(ref.input.name);
    if (dir && external.declaresGenerators(dir) === false) return { files: [] };
    // a module the shipped summary knows (`nixosModules.installer`, `clanLib.test.minifyModule`):
    // clan-core's own machine generators are always assumed
    const names = external.moduleGenerators(ref.input.name, ref.input.attr.replace(/"/g, ''));
    if (names && names.every((n) => CLAN_CORE_MACHINE_GENERATORS.has(n))) return { files: [] };
    const where = external.inputs.missing.includes(ref.input.name) ? ', not on this machine' : '';
    return { reason: `a module of flake input '${ref.input.name}' (${ref.unknown})${where}` };
  };

  /** Nodes are files, and inline flake modules (`<file>#<index>`). */
  const importsOf = (node: string): ModuleRef[] => {
    const inline = inlineNodes.get(node);
    if (inline) return (factsOf(inline.file)?.modules?.imports ?? []).filter((ref) => contains(inline.range, ref.range.start));
    const hash = node.lastIndexOf('#');
    if (hash > 0 && !factsOf(node)) return factsOf(node.slice(0, hash))?.modules?.flakeModules[Number(node.slice(hash + 1))]?.imports ?? [];
    return factsOf(node)?.modules?.imports ?? [];
  };
  const nodeMachines = new Map<string, string[]>();
  const chains = new Map<string, Map<string, string>>();
  let positions = files;
  /** A node as shown in a chain: relative to the clan, `<input>:<path>`, an inline flake module by name; `via` as it is. */
  const show = (node: string): string => {
    if (!path.isAbsolute(node)) return node;
    if (node.startsWith(CLAN_CORE_UNREAD + '/')) return `clan-core:${node.slice(CLAN_CORE_UNREAD.length + 1)}`;
    const hash = node.lastIndexOf('#');
    const inline = hash > 0 && !factsOf(node);
    const file = inline ? node.slice(0, hash) : node;
    const input = inside(root, file) ? undefined : [...external.inputs.dirs].find(([, d]) => file.startsWith(d + path.sep));
    const shown = input ? `${input[0]}:${path.relative(input[1], file)}` : inside(root, file) ? path.relative(root, file) : file;
    if (!inline) return shown;
    const i = Number(node.slice(hash + 1));
    const at = inlineNodes.get(node);
    return at ? `${shown}:${at.range.start.line + 1} (inline)` : `${shown}#${factsOf(file)?.modules?.flakeModules[i]?.name ?? i}`;
  };
  const result: ModuleGraph = {
    machines: new Map(),
    machinesOfFile: new Map(),
    byFolder: new Set(),
    useFiles(current) {
      positions = current;
    },
    external: external_,
    inputs: external.inputs,
    machinesAt(file, pos) {
      // a module written inline for some machines (an instance's extraModules)
      const inline = inlineModules.get(file)?.find((x) => contains(x.range, pos));
      if (inline) return [...inline.machines];
      const mods = (positions.get(file) ?? external_.get(file))?.modules;
      // inside `roles.<r>` of a clan service: the machines that have the service in that role
      const role = mods?.serviceRoles?.find((r) => contains(r.range, pos));
      const byMachine = role && rolesOf.get(file);
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
    },
    chainTo(machine, file, pos) {
      const parents = chains.get(machine);
      if (!parents) return null;
      let node: string | undefined = file;
      const inline = !parents.has(file) && pos ? [...inlineNodes].find(([n, x]) => x.file === file && contains(x.range, pos) && parents.has(n))?.[0] : undefined;
      if (inline) node = inline;
      else if (!parents.has(file)) {
        // written in an inline flake module: the one holding `pos`, else the first the machine has
        const defs = (positions.get(file) ?? factsOf(file))?.modules?.flakeModules ?? [];
        const nodes = defs.map((d, i) => (d.target === null ? `${file}#${d.alias ?? i}` : '')).filter((n, i) => n && parents.has(n) && (!pos || contains(defs[i].range, pos)));
        node = nodes[0] ?? defs.map((d, i) => `${file}#${d.alias ?? i}`).find((n) => parents.has(n));
        if (!node) return result.byFolder.has(file) && result.machines.get(machine)?.files.has(file) ? [show(file)] : null;
      }
      const chain: string[] = [];
      for (; node && !chain.includes(node); node = parents.get(node)) chain.push(node);
      return chain.reverse().map(show);
    },
    hintOf: (reason) => hints.get(reason) ?? 'none',
    shown: (file) => show(file),
    clanCoreFile(rel) {
      const dir = isClanCore('clan-core') ? root : external.inputs.dirs.get('clan-core');
      if (!dir) return undefined;
      const file = path.join(dir, rel);
      return files.get(file) ?? external.read(file) ?? undefined;
    },
    serviceBindingsAt(file, pos, machine) {
      const all = bindingsOf.get(file)?.get(machine) ?? [];
      const role = (positions.get(file) ?? external_.get(file))?.modules?.serviceRoles?.find((r) => contains(r.range, pos));
      return role ? all.filter((b) => b.role.name === role.name) : all;
    },
  };
  // parts of the clan's configuration that cannot be read: what they may hold reaches every machine (a machine's own module, that machine)
  for (const u of unreadable) {
    const reason = `${partText(u)} (${path.relative(root, u.file) || u.file}:${u.range.start.line + 1}) ${u.why}`;
    for (const m of u.kind === 'machine' && u.name !== undefined ? [u.name] : allMachines) {
      const list = serviceReasons.get(m) ?? [];
      list.push(reason);
      serviceReasons.set(m, list);
    }
  }
  for (const [m, e] of entries) {
    // node -> the node (or how an entry came: `via`) it was first reached from, '' for the machine's own files
    const parents = new Map<string, string>();
    chains.set(m, parents);
    const reasons = new Set(serviceReasons.get(m));
    const queue: string[] = [];
    const take = (from: string, r: { files: string[] } | { reason: string }, ref?: ModuleRef) => {
      if ('files' in r) {
        for (const f of r.files) if (!parents.has(f)) parents.set(f, from), queue.push(f);
        return;
      }
      reasons.add(r.reason);
      if (ref?.input) hints.set(r.reason, inputHint(ref.input.name, false));
    };
    for (const f of e.files) take(e.via.get(f) ?? '', { files: [f] });
    for (const ref of e.refs) take(e.via.get(ref) ?? '', resolveRef(ref), ref);
    while (queue.length) {
      const node = queue.pop()!;
      for (const ref of importsOf(node)) take(node, resolveRef(ref), ref);
    }
    const unknowns: string[] = [];
    for (const r of reasons) addReason(unknowns, r);
    const fileSet = new Set<string>();
    for (const node of parents.keys()) {
      addTo(nodeMachines, node, m);
      const hash = node.lastIndexOf('#');
      fileSet.add(hash > 0 && !factsOf(node) ? node.slice(0, hash) : node);
    }
    result.machines.set(m, { files: fileSet, unknowns });
    for (const f of fileSet) addTo(result.machinesOfFile, f, m);
  }
  // files no import reaches, in a machine's own folder: that machine's (clan users keep them there)
  for (const file of files.keys()) {
    if (result.machinesOfFile.has(file)) continue;
    const m = folderMachine(root, file, machines);
    if (!m) continue;
    result.machines.get(m)?.files.add(file);
    result.machinesOfFile.set(file, [m]);
    nodeMachines.set(file, [m]);
    result.byFolder.add(file);
  }
  return result;
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

function inside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}


/** A clan service of a flake input: `clanServices/<name>/default.nix` (clan-core's layout) or `clanServices/<name>.nix`. */
function inputServiceFile(dir: string, service: string, exists: (f: string) => boolean): string | undefined {
  if (!/^[\w.-]+$/.test(service) || service.startsWith('.')) return undefined;
  return [path.join(dir, 'clanServices', service, 'default.nix'), path.join(dir, 'clanServices', `${service}.nix`)].find(exists);
}
