// What a file says about the module structure of a clan: the modules it imports, the flake modules
// it defines (`flake.nixosModules.x`, `flake.modules.nixos.x`), the machines it declares modules for
// (`clan.machines.<m>`), clan service instances (`inventory.instances.<i>`) and local clan services
// (`clan.modules.<name>`). Syntax only; never throws. The model (model/moduleGraph.ts) joins these.
import { literalValue } from './serviceInterface';
import type { FlatNode as Node } from '../syntax/flatTree';
import { contains, type Range } from '../base/types';
import type { ArgValueDef, FlakeModuleDef, GivenArg, InstanceFacts, MachineModule, ModuleFacts, ModuleRef } from './types';
import { nodeToAst, portableAst } from './eval/ast';
import { applyParts, attrPath, bindingsOf, dottedName, inheritedNames, MAX_DEPTH, rangeOf, stringValue, unparen } from '../syntax/syntax';
import { parameters, topLevel, type Scope } from './topLevel';
import { oneLine, selection, selfRelative, withScopeOf, ModuleRefReader, type WithScope } from './moduleRefs';
import {
  clanPartAt,
  clanRelative,
  flakeModuleAt,
  instanceAt,
  inventoryMachineAt,
  legacyServiceAt,
  inventoryTagAt,
  isMachinesSet,
  machineOf,
  otherEvaluation,
  PASS_THROUGH,
  isFixpoint,
  readablePart,
  isMachineTemplate,
  serviceAt,
  isServiceSet,
  isOptionMoveModule,
  machineAbove,
  transposedAspect,
  aspectOpen,
  flakeModuleAbove,
  type ClanPart,
} from './modulePaths';

const CLAN_FUNCTIONS = /(^|\.)(clan|buildClan)$/;
/** Functions over an attrset of modules that keep its names (`flake.modules.nixos = lib.mapAttrs f { a = ...; }`). */
const NAME_KEEPING = new Set(['mapAttrs', 'filterAttrs']);
/** A file defining flake modules from the file tree is a short flake-parts module; a longer one's set stays unknown. */
const MAX_COMPUTED_SET_FILE = 20_000;
/** Nodes between a set and the bindings inside it (`flake = { lib = ...; }`). */
const SET_PARTS = new Set(['binding_set', 'binding', 'attrset_expression', 'rec_attrset_expression', 'parenthesized_expression']);

/** The clan's `specialArgs` set itself. */
function isSpecialArgs(path: string[], inClanArgs: boolean): boolean {
  const rel = clanRelative(path, inClanArgs);
  return rel?.length === 1 && rel[0] === 'specialArgs';
}

/** What the model gives a value (ArgValueDef.given): a `flake.<x>` value is not given the flake's own `config`. */
const GIVEN: GivenArg[] = ['lib', 'inputs', 'self'];
/** What it gives the specialArgs' values: a flake-parts module's (not the clan's arguments) also its `config`. */
const givenToSpecialArgs = (inClanArgs: boolean): GivenArg[] => (inClanArgs ? GIVEN : [...GIVEN, 'config']);

/** The bindings of the `let` that binds `value` (`let x = value; ... in`), or null when a `let` does not. */
function letBindingsOf(value: Node | undefined): Node | null {
  const set = value?.parent?.parent;
  return set?.type === 'binding_set' && set.parent?.type === 'let_expression' ? set : null;
}

/** A value given to the model's evaluations (`nflib = config.flake.lib;`, `flake.lib = import ../lib { inherit lib; };`) is short. */
const MAX_ARG_VALUE_TEXT = 2000;
/** `flake.<x>` that are modules, read as flake modules. */
const MODULE_HOLDER_OUTPUTS = new Set(['modules', 'nixosModules', 'darwinModules', 'homeModules', 'clanModules', 'flakeModules', 'clan', 'clanInternals', 'aspects']);
/** Tag definitions are a few filters over machine lists; a longer one is not kept (its tags stay unknown). */
const MAX_TAG_TEXT = 4000;

/** Stands for the machine's name in a path built per machine (`./machines/${name}/x.nix`). */
export const MACHINE_NAME = '\u0000';

/**
 * `clanArgs`: the file's value is the clan function's argument (a clan's `clan.nix`). `prefix`: where
 * in the clan's configuration the file's value is (`['inventory']` for a file another imports as the
 * inventory: model/clanParts.ts reads it so where it is imported).
 */
export function extractModules(root: Node, resolvePath: (rel: string) => string, clanArgs = false, prefix: string[] = []): ModuleFacts {
  const reader = new ModuleFactsReader(resolvePath, root);
  reader.prefixLength = prefix.length;
  reader.visit(root, prefix, new Map(), [], clanArgs, 0);
  return reader.result();
}

/** A binding being read: its full attribute path, its value, and what is in scope there. */
interface BindingAt {
  path: string[];
  value: Node | null;
  scope: Scope;
  withNs: WithScope[];
  inClanArgs: boolean;
  /** The binding's node. */
  range: Node;
}

type RoleFacts = InstanceFacts['roles'][number];

/** Walks one file's value, its attribute paths kept, and gathers its ModuleFacts. */
class ModuleFactsReader {
  private readonly facts: ModuleFacts = { imports: [], flakeModules: [], machineModules: [], instances: [], services: [] };
  private readonly instances = new Map<string, InstanceFacts>();
  private readonly refs: ModuleRefReader;

  constructor(
    private readonly resolvePath: (rel: string) => string,
    private readonly root: Node,
  ) {
    const top = unparen(root.namedChildren.find((c) => c.type !== 'comment') ?? null);
    this.topFunction = top?.type === 'function_expression' ? top : null;
    this.refs = new ModuleRefReader(resolvePath, this.topFunction);
  }

  private readonly topFunction: Node | null;

  result(): ModuleFacts {
    // a definition that names only the input (`zt.module.input = "self";`) is merged with the instance's others, as clan merges them
    this.facts.instances = [...this.instances.values()].filter((i) => i.module !== null || i.input !== null || i.roles.length > 0);
    return this.facts;
  }

  private instance(name: string): InstanceFacts {
    let i = this.instances.get(name);
    if (!i) this.instances.set(name, (i = { name, module: null, input: null, roles: [] }));
    return i;
  }

  private role(inst: InstanceFacts, name: string) {
    let r = inst.roles.find((x) => x.name === name);
    if (!r) inst.roles.push((r = { name, machines: [], tags: [], tagsUnknown: false }));
    return r;
  }

  /** A binding at full attribute path `path` (from the file's value, or from the clan function's argument). */
  private binding(path: string[], value: Node | null, scope: Scope, withNs: WithScope[], inClanArgs: boolean, range: Node): void {
    const at: BindingAt = { path, value, scope, withNs, inClanArgs, range };
    this.partOfFlakeModule(at);
    const open = inClanArgs ? null : aspectOpen(path, value);
    if (open) (this.facts.openAspects ??= []).push({ ...open, range: rangeOf(range) });
    if (path[path.length - 1] === 'imports') return this.importsBinding(at);
    this.flakeModuleBinding(at);
    this.computedFlakeModules(at);
    if (value && isMachinesSet(path, inClanArgs)) this.machineTemplate(value);
    this.machineBinding(at);
    const inst = instanceAt(path, inClanArgs);
    if (inst) this.instanceBinding(inst[0], inst.slice(1), at);
    const legacy = legacyServiceAt(path, inClanArgs);
    if (legacy) this.legacyServiceBinding(legacy, at);
    this.inventoryBinding(at);
    this.serviceBinding(at);
    this.argValueBinding(at);
  }

  /**
   * `specialArgs.<name> = <expr>` of the clan's configuration and `flake.<name> = <expr>` of a
   * flake-parts module, with the expression's text: the model evaluates a module's imports computed by
   * a function of such an argument (`nflib.scanPaths ./. { }` with `nflib = config.flake.lib`).
   */
  private argValueBinding({ path, value, scope, inClanArgs, range }: BindingAt): void {
    const rel = clanRelative(path, inClanArgs);
    const n = unparen(value);
    if (rel?.[0] === 'specialArgs' && rel.length <= 2) {
      const whole = rel.length === 1;
      // a set's bindings are read one by one
      if (whole && (n?.type === 'attrset_expression' || n?.type === 'rec_attrset_expression')) return;
      (this.facts.specialArgs ??= []).push(this.argValue(whole ? '*' : rel[1], whole ? null : n, scope, givenToSpecialArgs(inClanArgs), range));
      return;
    }
    if (inClanArgs || path[0] !== 'flake' || !this.inFileValue(range)) return;
    if (path.length === 1) {
      if (n?.type !== 'attrset_expression') (this.facts.flakeValues ??= []).push(this.argValue('*', null, scope, [], range));
      return;
    }
    // flake modules are read as such; a part defined apart (`flake.lib.x = ...`) makes `flake.lib` a merge
    if (MODULE_HOLDER_OUTPUTS.has(path[1]) || flakeModuleAt(path.slice(0, 3), false)) return;
    (this.facts.flakeValues ??= []).push(this.argValue(path[1], path.length === 2 ? n : null, scope, GIVEN, range));
  }

  /**
   * A binding of the file's own value (a flake-parts module's `flake.lib = ...`), not of a set inside
   * some other expression: inside sets of the file's value, and the bodies of a `let` or `with` among
   * them (`instances = let keys = ...; in { ... };`), as `visit` reads them, never a `let`'s own bindings.
   */
  private inFileValue(binding: Node): boolean {
    this.topSets ??= new Set((topLevel(this.root)?.sets ?? []).map((s) => s.id));
    for (let from = binding, a = binding.parent; a; from = a, a = a.parent) {
      if (this.topSets.has(a.id)) return true;
      if ((a.type === 'let_expression' || a.type === 'with_expression') && a.childForFieldName('body')?.id === from.id) continue;
      if (!SET_PARTS.has(a.type)) return false;
    }
    return false;
  }

  private topSets: Set<number> | undefined;

  private argValue(name: string, value: Node | null, scope: Scope, names: GivenArg[], range: Node, text?: string): ArgValueDef {
    const params = this.topFunction ? parameters(this.topFunction) : [];
    const given = names.filter((g) => params.includes(g) && !scope.has(g));
    const written = text ?? value?.text;
    const source = written !== undefined && written.length <= MAX_ARG_VALUE_TEXT ? written : null;
    return { name, range: rangeOf(range), source, given };
  }

  /** `flake.nixosModules.x.imports = ...` or `x.imports` inside `flake.nixosModules = { ... }`: a part of module x. */
  private partOfFlakeModule({ path, value, inClanArgs, range }: BindingAt): void {
    if (!value || flakeModuleAt(path, inClanArgs) || this.enclosingDef(path, range, inClanArgs)) return;
    const at = flakeModuleAbove(path, inClanArgs);
    if (at) this.facts.flakeModules.push({ cls: at.cls, name: at.name, range: rangeOf(range), target: null, imports: [] });
  }

  /** `imports = [ ... ]`: of a machine, of an inline flake module, or of the file's own module. */
  private importsBinding({ path, value, scope, withNs, inClanArgs, range }: BindingAt): void {
    if (otherEvaluation(path)) return;
    const m = machineOf(path.slice(0, -1), inClanArgs);
    const refs: ModuleRef[] = [];
    this.refs.refsOf(value, scope, withNs, 0, refs);
    const def = this.enclosingDef(path.slice(0, -1), range, inClanArgs);
    if (m) this.machineEntry(m).refs.push(...refs);
    else if (def) def.imports.push(...refs);
    else {
      this.facts.imports.push(...refs);
      if (path.length === 1 || (path.length === 3 && path[0] === 'roles')) (this.facts.serviceImports ??= []).push(...refs);
      // the file's own imports, computed: kept with its text for the model to evaluate
      if (path.length === 1 && !inClanArgs && this.offRoot === 0 && this.inFileValue(range) && refs.some(isComputedRef)) this.facts.computedImports ??= this.evaluableSource();
    }
  }

  /** The file a value imports (`./m.nix`, `import ./m.nix`), or null. */
  private fileOf(v: Node | null): string | null {
    return v ? (this.refs.pathTarget(v) ?? this.refs.importTargetOf(v)) : null;
  }

  /** `flake.nixosModules.x = ...`: a flake module, defined here or in the file it names. */
  private flakeModuleBinding({ path, value, inClanArgs, range }: BindingAt): void {
    const flake = flakeModuleAt(path, inClanArgs);
    if (flake && value) this.facts.flakeModules.push({ cls: flake.cls, name: flake.name, range: rangeOf(range), target: this.fileOf(unparen(value)), imports: [] });
  }

  /**
   * `flake.nixosModules = <computed>` (a function applied, `//` of sets): kept with the file's text,
   * which the model evaluates where it can list folders. Names written literally
   * (`// { server.imports = [ ... ]; }`) are read as any binding too.
   */
  private computedFlakeModules({ path, value, inClanArgs, range }: BindingAt): void {
    const v = unparen(value);
    const ns = v && path.length ? flakeModuleAt([...path, ''], inClanArgs) : null;
    if (!ns || (v!.type !== 'apply_expression' && v!.type !== 'binary_expression')) return;
    (this.facts.computedFlakeModules ??= []).push({ cls: ns.cls, path, range: rangeOf(range), source: this.evaluableSource() });
  }

  /** The file's text, for the model to evaluate a value in it; why not, where it cannot be read or is long. */
  private evaluableSource(): string | { unread: string } {
    const text = this.root.text;
    // Nix's pipe operators (an experimental feature since 2.24) are unknown to the parser
    const syntax = text.includes('|>') || text.includes('<|') ? 'its file has a syntax error (or the experimental pipe operator `|>`, which is not read)' : 'its file has a syntax error';
    return this.root.hasError ? { unread: syntax } : text.length > MAX_COMPUTED_SET_FILE ? { unread: `its file is longer than ${MAX_COMPUTED_SET_FILE} characters` } : text;
  }

  /** `clan.machines.<m> = ...`: the machine's module, a file or inline. */
  private machineBinding({ path, value, inClanArgs, range }: BindingAt): void {
    // `clan.machines.<m>.clan.core.vars.generators.x = ...` in one binding: part of the machine's module, written inline
    const deep = value ? machineAbove(path, inClanArgs) : null;
    if (deep !== null && path.length - attrPath(range.childForFieldName('attrpath')).length <= deep.at) {
      const e = this.machineEntry(deep.name);
      if (range.text.includes('generators')) e.inline = true;
      (e.ranges ??= []).push(rangeOf(range));
    }
    const m = path.length >= 1 ? machineOf(path, inClanArgs) : null;
    if (!m || !value || machineOf(path.slice(0, -1), inClanArgs) !== null) return;
    const v = unparen(value);
    const target = this.fileOf(v);
    if (target) this.machineEntry(m).refs.push({ range: rangeOf(v!), path: target });
    else {
      if (value.text.includes('generators')) this.machineEntry(m).inline = true;
      if (v && v.type !== 'variable_expression') (this.machineEntry(m).ranges ??= []).push(rangeOf(v));
    }
  }

  /** `inventory.instances.<name>.<rest>`: the instance's module, and its roles. */
  private instanceBinding(name: string, rest: string[], at: BindingAt): void {
    const i = this.instance(name);
    const text = at.value ? stringValue(unparen(at.value)) : null;
    if (rest[0] === 'module' && rest[1] === 'name' && text) i.module = text;
    if (rest[0] === 'module' && rest[1] === 'input' && text) i.input = text;
    if (rest[0] !== 'roles' || !rest[1]) return;
    const r = this.role(i, rest[1]);
    if (rest[2] === 'machines' && rest[3] && !r.machines.includes(rest[3])) r.machines.push(rest[3]);
    if (rest[2] === 'tags' && rest[3] && !r.tags.includes(rest[3])) r.tags.push(rest[3]);
    // modules the role's machines get: `extraModules` of any service, `settings.extraModules` of the importer
    if (at.value && ((rest[2] === 'extraModules' && rest.length === 3) || (rest[2] === 'settings' && rest[3] === 'extraModules' && rest.length === 4))) this.roleExtraModules(r, at);
    this.roleSetting(r, rest, at.value);
    if (rest[2] === 'tags' && rest.length === 3) this.roleTags(r, at.value);
  }

  /**
   * `inventory.services.<module>.<instance>.roles.<role>.{machines,tags}` (machines a list of names,
   * or a set of them): which machines have the role. A binding above a role that is not a set
   * written out (`inventory.services = import ./services.nix;`) gives roles of a service we cannot
   * tell to machines we cannot tell.
   */
  private legacyServiceBinding({ module, instance, rest }: NonNullable<ReturnType<typeof legacyServiceAt>>, { value }: BindingAt): void {
    const v = unparen(value);
    const isSet = v?.type === 'attrset_expression' || v?.type === 'rec_attrset_expression';
    const role = rest[0] === 'roles' ? (rest[1] ?? null) : null;
    const legacyInstance = () => {
      const i = this.instance(`${module ?? '*'}.${instance ?? '*'}`);
      i.module = module;
      i.input = 'clan-core';
      i.legacy = true;
      return i;
    };
    if (!role) {
      // above the roles: a value we cannot read may hold any of them
      if (v && !isSet && (rest.length === 0 || (rest[0] === 'roles' && rest.length === 1))) this.role(legacyInstance(), '*').tagsUnknown = true;
      return;
    }
    const r = this.role(legacyInstance(), role);
    if (rest.length === 2 && v && !isSet) r.tagsUnknown = true;
    if (rest[2] === 'tags' && rest.length === 3) this.roleTags(r, value);
    if (rest[2] === 'machines' && rest.length === 3 && !isSet && !listNames(r, value, r.machines)) r.tagsUnknown = true;
    if (rest[2] === 'machines' && rest[3] && !r.machines.includes(rest[3])) r.machines.push(rest[3]);
  }

  private roleExtraModules(r: RoleFacts, { path, value, scope, withNs, range }: BindingAt): void {
    const refs: ModuleRef[] = [];
    this.refs.refsOf(value, scope, withNs, 0, refs);
    (r.extraModules ??= []).push(...refs);
    // computed at a path of the file's own value: kept with the file's text for the model to evaluate
    if (this.offRoot === 0 && this.inFileValue(range) && refs.some(isComputedRef)) r.extraModulesEvaluable ??= { path: path.slice(this.prefixLength), source: this.evaluableSource() };
    const list = unparen(value);
    for (const e of list?.type === 'list_expression' ? list.namedChildren : list ? [list] : []) {
      const m = unparen(e);
      if (m && (m.type === 'attrset_expression' || m.type === 'function_expression' || m.type === 'rec_attrset_expression')) (r.extraInline ??= []).push(rangeOf(m));
    }
  }

  /**
   * A binding below an instance role's settings whose name is computed (`settings.${k} = "x";`,
   * `machines.a.settings.networks.${n} = { };`): it may write any setting there, so no setting of
   * the role is known, and no default stands in for one.
   */
  private computedSetting(path: string[], inClanArgs: boolean): void {
    const inst = instanceAt(path, inClanArgs);
    const rest = inst?.slice(1);
    if (!inst || !rest || rest[0] !== 'roles' || !rest[1]) return;
    if (settingPath(rest)) this.role(this.instance(inst[0]), rest[1]).settingsUnknown = true;
  }

  /** Settings a service's computed names may read: literal strings, else the role's settings are not known; and what conditions on settings (and `share`) read. */
  private roleSetting(r: RoleFacts, rest: string[], value: Node | null): void {
    const setting = settingPath(rest);
    if (!setting || !value) return;
    const v = unparen(value);
    const text = stringValue(v);
    const machine = rest[2] === 'machines' ? rest[3] : null;
    if (setting.length === 1 && text !== null) {
      const into = machine ? ((r.machineSettings ??= {})[machine] ??= {}) : (r.settings ??= {});
      into[setting[0]] = text;
    } else if (setting.length === 0 && v?.type !== 'attrset_expression' && v?.type !== 'rec_attrset_expression') r.settingsUnknown = true;
    // the names of a setting that is a set: each binding below it names one (`networks.home.autoConnect = false;`)
    if (setting.length >= 2 || (setting.length === 1 && text === null)) {
      const keys = machine ? (((r.machineSettingKeys ??= {})[machine] ??= {})[setting[0]] ??= []) : ((r.settingKeys ??= {})[setting[0]] ??= []);
      const named = setting.length >= 2 ? [setting[1]] : setNames(v);
      if (named === null) {
        if (!(r.settingKeysUnknown ??= []).includes(setting[0])) r.settingKeysUnknown.push(setting[0]);
      } else for (const k of named) if (!keys.includes(k)) keys.push(k);
    }
    this.entryAttrs(r, setting, machine, v, text);
    // what conditions on settings read: Booleans and lists written literally, null for any other value but a set
    if (setting.length >= 1 && v?.type !== 'attrset_expression' && v?.type !== 'rec_attrset_expression') {
      const into = machine ? ((r.machineSettingValues ??= {})[machine] ??= {}) : (r.settingValues ??= {});
      into[setting.join('.')] = literalValue(v);
    }
  }

  /** `settings.<set>.<entry>.<attr> = "..."`: what a name made of an entry's attribute reads (serviceNames.ts `attr`). */
  private entryAttrs(r: RoleFacts, setting: string[], machine: string | null, v: Node | null, text: string | null): void {
    if (setting.length < 1 || setting.length > 3) return;
    const into = machine ? ((r.machineEntryAttrs ??= {})[machine] ??= {}) : (r.entryAttrs ??= {});
    const isSet = v?.type === 'attrset_expression' || v?.type === 'rec_attrset_expression';
    if (setting.length === 3) into[setting.join('\0')] = text;
    // an entry, or its attribute, not written as a set or string: not known
    else if (setting.length === 2 && !isSet) into[`${setting.join('\0')}\0`] = null;
    // an inherited entry or attribute (`users = { inherit alice; }`): its value is not read
    if (isSet && setting.length <= 2) {
      for (const b of bindingsOf(v!)) {
        if (b.type !== 'inherit' && b.type !== 'inherit_from') continue;
        for (const a of inheritedNames(b)) if (a.name) into[setting.length === 1 ? `${setting[0]}\0${a.name}\0` : `${setting.join('\0')}\0${a.name}`] = null;
      }
    }
  }

  /** `roles.<r>.tags = [ ... ]`: the literal tags, else the role's tags are not known. */
  private roleTags(r: RoleFacts, value: Node | null): void {
    if (!listNames(r, value, r.tags) && unparen(value)?.type !== 'attrset_expression') r.tagsUnknown = true;
  }

  /** `inventory.tags...`, `inventory.machines.<m>` and its `machineClass` and `tags`. */
  private inventoryBinding({ path, value, inClanArgs, range }: BindingAt): void {
    const tagAt = inventoryTagAt(path, inClanArgs);
    if (tagAt && value) this.inventoryTag(tagAt.tag, value, rangeOf(range));
    const im = inventoryMachineAt(path, inClanArgs);
    if (!im) return;
    // a machine with neither class nor tags (`a = { };`, `a.deploy.targetHost = ...;`) is one too
    const machine = this.inventoryMachine(im.machine);
    const v = unparen(value);
    if (im.field === 'machineClass' && (stringValue(v) === 'darwin' || stringValue(v) === 'nixos')) machine.cls = stringValue(v) as 'nixos' | 'darwin';
    if (im.field === 'tags' && v?.type === 'list_expression') {
      for (const e of v.namedChildren) {
        const t = e ? stringValue(unparen(e)) : null;
        if (t) machine.tags.push(t);
      }
    }
  }

  /** A local clan service (`clan.modules.<name>`), and the parts of a clan service's own file (`_class`, `roles.<r>`, `perInstance`). */
  private serviceBinding({ path, value, inClanArgs, range }: BindingAt): void {
    const last = path[path.length - 1];
    const service = serviceAt(path, inClanArgs);
    if (service && value) this.facts.services.push({ name: service, range: rangeOf(range), target: this.fileOf(unparen(value)) });
    const set = !service && value && isServiceSet(path, inClanArgs) ? flakeModuleClassOf(unparen(value)) : null;
    if (set) (this.facts.serviceSets ??= []).push({ cls: set, range: rangeOf(range) });
    else if (!service && value && isServiceSet(path, inClanArgs)) this.computedServiceSet(path, value, range);
    if (path.length === 1 && last === '_class' && stringValue(unparen(value)) === 'clan.service') this.facts.isClanService = true;
    // `roles.<r> = { ... }`, `roles.<r>.perInstance = ...`: the binding holds that role's part (in
    // the service's own file, or in a service written inline: `clan.modules.<s>.roles...`,
    // `flake.modules."clan.service".<s>.roles...`)
    const at = rolesAt(path, inClanArgs);
    if (at !== null && path.length >= at + 2 && value) {
      const name = path[at + 1];
      const r = rangeOf(range);
      const roles = (this.facts.serviceRoles ??= []);
      if (!roles.some((x) => x.name === name && contains(x.range, r.start) && contains(x.range, r.end))) roles.push({ name, range: r });
    }
    if (last === 'perInstance' || last === 'perMachine') {
      this.facts.isClanService = true;
      // `perInstance = import ./instance.nix`: that file is a part of the service (of that role),
      // followed as the service's own imports are
      const target = (path.length === 1 || (path.length === 3 && path[0] === 'roles')) && value ? this.fileOf(unparen(value)) : null;
      if (target) {
        const ref = { range: rangeOf(value!), path: target };
        this.facts.imports.push(ref);
        (this.facts.serviceImports ??= []).push(ref);
      }
    }
  }

  /**
   * `flake.modules.nixos = lib.genAttrs [ "a" "b" ] (name: { ... })`: one module per name, written
   * once. The first name's definition holds the function; the others are that definition.
   */
  private generatedModules(call: Node, cls: string, args: Node[], path: string[], scope: Scope, withNs: WithScope[], depth: number): boolean {
    const list = unparen(args[0]);
    const names = list?.type === 'list_expression' ? list.namedChildren.filter((e) => e.type !== 'comment').map((e) => stringValue(unparen(e))) : [];
    if (!names.length || names.some((x) => x === null)) return false;
    const first = this.facts.flakeModules.length;
    names.forEach((name, i) => this.facts.flakeModules.push({ cls, name: name!, range: rangeOf(call), target: null, imports: [], ...(i ? { alias: first } : {}) }));
    this.visit(args[1], [...path, names[0]!], scope, withNs, false, depth + 1);
    return true;
  }

  /** `machines = mapAttrs (name: _: { imports = [ ./machines/${name}/x.nix ]; }) ...`: the paths, with the name left open. */
  private machineTemplate(value: Node): void {
    const v = unparen(value);
    if (v?.type !== 'apply_expression') return;
    const fn = applyParts(v).args.map((a) => unparen(a)).find((a) => a?.type === 'function_expression');
    const param = fn?.childForFieldName('universal')?.text;
    if (!fn || !param) return;
    let body = unparen(fn.childForFieldName('body'));
    while (body?.type === 'function_expression') body = unparen(body.childForFieldName('body'));
    if (body?.type !== 'attrset_expression') return;
    for (const b of bindingsOf(body)) {
      const parts = attrPath(b.childForFieldName('attrpath'));
      const list = unparen(b.childForFieldName('expression'));
      if (parts.length !== 1 || parts[0].name !== 'imports' || list?.type !== 'list_expression') continue;
      for (const e of list.namedChildren) {
        const p = unparen(e);
        if (p?.type !== 'path_expression') continue;
        const text = p.text.split('${' + param + '}').join(MACHINE_NAME);
        if (text.includes('${')) continue;
        (this.facts.machineTemplates ??= []).push({ range: rangeOf(p), path: this.resolvePath(text) });
      }
    }
  }

  /** The inline flake module definition whose binding holds `node`, when `path` is inside one. */
  private enclosingDef(path: string[], node: Node, inClanArgs: boolean): FlakeModuleDef | null {
    const at = rangeOf(node).start;
    for (let k = path.length; k > 0; k--) {
      const fm = flakeModuleAt(path.slice(0, k), inClanArgs);
      if (!fm) continue;
      return this.facts.flakeModules.find((d) => d.target === null && d.cls === fm.cls && d.name === fm.name && contains(d.range, at)) ?? null;
    }
    return null;
  }

  /** A definition of `inventory.tags` or of one tag, unless it is part of a whole definition already kept (the bindings of its set). */
  private inventoryTag(tag: string | null, value: Node, range: Range): void {
    const defs = (this.facts.inventoryTags ??= []);
    if (tag !== null && defs.some((d) => d.tag === null && contains(d.range, range.start))) return;
    const v = unparen(value)!;
    defs.push({ tag, range, ast: v.hasError || v.text.length > MAX_TAG_TEXT ? null : portableAst(nodeToAst(v)) });
  }

  private inventoryMachine(machine: string): { machine: string; cls: 'nixos' | 'darwin' | null; tags: string[] } {
    this.facts.inventoryMachines ??= [];
    let m = this.facts.inventoryMachines.find((x) => x.machine === machine);
    if (!m) this.facts.inventoryMachines.push((m = { machine, cls: null, tags: [] }));
    return m;
  }

  private machineEntry(machine: string): MachineModule {
    let m = this.facts.machineModules.find((x) => x.machine === machine);
    if (!m) this.facts.machineModules.push((m = { machine, refs: [], inline: false }));
    return m;
  }

  /**
   * A part of the structure given as files of the workspace (`inventory = import ./inventory.nix { ... };`,
   * the clan's `imports = [ ./clan/services.nix ]`): each file with where its value goes, or the
   * element that is not a file; undefined when the value is not of that form.
   */
  private clanFileRef(part: ClanPart, path: string[], inClanArgs: boolean, n: Node, scope: Scope): ({ prefix: string[]; target: string; range: Range; fromSelf?: boolean } | { opaque: Node })[] | undefined {
    const rel = clanRelative(path, inClanArgs) ?? [];
    // a path, or one below the flake's own folder (`"${self}/inventory"`: fromSelf, relative to the clan's root)
    const pathOf = (v: Node | null): { target: string; fromSelf?: boolean } | null => {
      if (v?.type === 'path_expression') {
        const target = this.refs.pathTarget(v);
        return target ? { target } : null;
      }
      const fromSelf = v ? selfRelative(v, scope) : null;
      return fromSelf !== null ? { target: fromSelf, fromSelf: true } : null;
    };
    const fileOf = (e: Node): { target: string; fromSelf?: boolean } | null => {
      const v = unparen(e);
      if (v?.type !== 'apply_expression') return pathOf(v);
      const { fn, args } = applyParts(v);
      const arg = unparen(args[0] ?? null);
      return dottedName(fn) === 'import' && arg ? pathOf(arg) : null;
    };
    if (part.kind === 'imports' && n.type === 'list_expression') {
      const out: ({ prefix: string[]; target: string; range: Range } | { opaque: Node })[] = [];
      for (const e of n.namedChildren) {
        if (e.type === 'comment') continue;
        const target = fileOf(e);
        // flake-parts modules of inputs (`inputs.clan-core.flakeModules.default`): the file is a flake module, not the clan's
        if (target) out.push({ prefix: [], ...target, range: rangeOf(e) });
        // an option retired or moved (clan-core's own `lib.mkRenamedOptionModule [ "clan" ] [ "flake" "clan" ]`): nothing of the clan's
        else if (isOptionMoveModule(unparen(e) ?? e, true)) continue;
        else if (!/\.flakeModules?\b/.test(dottedName(unparen(e)) ?? '')) out.push({ opaque: e });
      }
      return out;
    }
    if (part.kind === 'instance' || part.kind === 'machine' || part.kind === 'imports') return undefined;
    const target = fileOf(n);
    return target ? [{ prefix: rel, ...target, range: rangeOf(n) }] : undefined;
  }

  /**
   * Whether `clan = value` is flake-parts' option (the clan's configuration): bound in the file's own
   * value, and not a clan already evaluated (`clan = clanModule.config;`, the flake's output of a clan
   * function called elsewhere in the file).
   */
  private clanOption(node: Node, value: Node): boolean {
    return node.parent?.type === 'binding' && this.inFileValue(node.parent) && !(value.type === 'select_expression' && /\.config$/.test(value.text));
  }

  /**
   * A part of the clan's structure whose value the syntax cannot read: the model opens what it may
   * reach. The clan's service instances, and the inventory's machines (their tags), at a path of the file's own value
   * (not inside a `let`, a list or a function's argument) are kept with that path and the file's text:
   * the model evaluates them.
   */
  private opaquePart(part: ClanPart, at: Node, path?: string[]): void {
    // the inventory's machines (their tags), not the clan's machines' modules (`clan.machines`)
    const evaluated = part.kind === 'instances' || (part.kind === 'machines' && path?.[path.length - 2] === 'inventory');
    const evaluable = evaluated && path && this.offRoot === 0 ? { path: path.slice(this.prefixLength), source: this.evaluableSource() } : undefined;
    (this.facts.opaqueParts ??= []).push({ ...part, range: rangeOf(at), text: oneLine(at.text), ...(evaluable && { evaluable }) });
  }

  /** Where the path a value is visited at is not its path in the file's value (a let binding, a list element, an argument). */
  private offRoot = 0;
  /** The part of a visited path a clan reading starts with (facts/file.ts CLAN_READINGS), not in the file. */
  prefixLength = 0;

  private visitOffRoot(node: Node | null, scope: Scope, withNs: WithScope[], inClanArgs: boolean, depth: number): void {
    this.offRoot++;
    try {
      this.visit(node, [], scope, withNs, inClanArgs, depth);
    } finally {
      this.offRoot--;
    }
  }

  visit(node: Node | null, path: string[], scope: Scope, withNs: WithScope[], inClanArgs: boolean, depth: number): void {
    const n = unparen(node);
    if (!n || depth > MAX_DEPTH) return;
    // where the model reads the clan's structure, a value the syntax cannot read is said, not dropped
    const part = clanPartAt(path, inClanArgs);
    if (part && (part.kind !== 'clan' || this.clanOption(node!, n)) && this.clanPartRead(part, n, path, scope, withNs, inClanArgs, depth)) return;
    switch (n.type) {
      case 'source_code':
        for (const c of n.namedChildren) if (c && c.type !== 'comment') this.visit(c, path, scope, withNs, inClanArgs, depth + 1);
        return;
      case 'function_expression':
      case 'assert_expression':
        return this.visit(n.childForFieldName('body'), path, scope, withNs, inClanArgs, depth + 1);
      case 'with_expression': {
        const ns = withScopeOf(selection(n.childForFieldName('environment'), scope));
        return this.visit(n.childForFieldName('body'), path, scope, ns ? [...withNs, ns] : withNs, inClanArgs, depth + 1);
      }
      case 'let_expression': {
        const inner = this.refs.scopeOf(n, scope);
        for (const b of bindingsOf(n)) this.visitOffRoot(b.childForFieldName('expression'), inner, withNs, false, depth + 1);
        return this.visit(n.childForFieldName('body'), path, inner, withNs, inClanArgs, depth + 1);
      }
      case 'if_expression':
        this.visit(n.childForFieldName('consequence'), path, scope, withNs, inClanArgs, depth + 1);
        return this.visit(n.childForFieldName('alternative'), path, scope, withNs, inClanArgs, depth + 1);
      case 'binary_expression':
        this.visit(n.childForFieldName('left'), path, scope, withNs, inClanArgs, depth + 1);
        return this.visit(n.childForFieldName('right'), path, scope, withNs, inClanArgs, depth + 1);
      case 'list_expression':
        for (const e of n.namedChildren) if (e && e.type !== 'comment') this.visitOffRoot(e, scope, withNs, false, depth + 1);
        return;
      case 'apply_expression':
        return this.visitApply(n, path, scope, withNs, inClanArgs, depth);
      case 'attrset_expression':
      case 'rec_attrset_expression':
        for (const b of bindingsOf(n)) this.visitBinding(b, path, scope, withNs, inClanArgs, depth);
        return;
      default:
        return;
    }
  }

  /**
   * A value at a part of the clan's structure the model reads: a variable followed to its value, a
   * file given for the part, or a value the syntax cannot read (an opaque part). Whether that is all
   * there is to read of it (else `visit` reads it as any value).
   */
  private clanPartRead(part: ClanPart, n: Node, path: string[], scope: Scope, withNs: WithScope[], inClanArgs: boolean, depth: number): boolean {
    if (n.type === 'variable_expression') {
      const bound = scope.get(n.text);
      if (bound && bound.type !== 'inherit_from') this.visit(bound, path, scope, withNs, inClanArgs, depth + 1);
      else this.opaquePart(part, n, path);
      return true;
    }
    const ref = this.clanFileRef(part, path, inClanArgs, n, scope);
    if (ref !== undefined) {
      for (const r of ref) {
        if ('opaque' in r) this.opaquePart(part, r.opaque);
        else (this.facts.clanRefs ??= []).push(r);
      }
      return true;
    }
    // machines built by a function over a set: the template's modules are read (machineTemplate), its tags are computed
    if (part.kind === 'machines' && path[path.length - 2] === 'inventory' && isMachineTemplate(n) && /\btags\b/.test(n.text)) this.opaquePart(part, n, path);
    if (readablePart(part, n)) return false;
    this.opaquePart(part, n, path);
    return true;
  }

  /** A function applied: the clan function (its argument is the clan's), `genAttrs` over modules, wrappers that keep the path. */
  private visitApply(n: Node, path: string[], scope: Scope, withNs: WithScope[], inClanArgs: boolean, depth: number): void {
    const { fn, args } = applyParts(n);
    const name = dottedName(fn) ?? '';
    const clanCall = CLAN_FUNCTIONS.test(name);
    const fname = name.split('.').pop() ?? '';
    const namespace = flakeModuleAt([...path, ''], inClanArgs);
    if (namespace && fname === 'genAttrs' && args.length === 2 && this.generatedModules(n, namespace.cls, args, path, scope, withNs, depth)) return;
    const wrapper = PASS_THROUGH.has(fname) || isFixpoint(fname, args) || (namespace !== null && NAME_KEEPING.has(fname));
    for (const a of args) {
      if (wrapper && a === args[args.length - 1]) this.visit(a, path, scope, withNs, clanCall, depth + 1);
      else this.visitOffRoot(a, scope, withNs, clanCall, depth + 1);
    }
  }

  /** One binding of a set: `a.b = v;`, `inherit a;`, `inherit (x) a;`. */
  private visitBinding(b: Node, path: string[], scope: Scope, withNs: WithScope[], inClanArgs: boolean, depth: number): void {
    if (b.type === 'inherit' || b.type === 'inherit_from') return this.visitInherit(b, path, scope, withNs, inClanArgs, depth);
    if (b.type !== 'binding') return;
    const parts = attrPath(b.childForFieldName('attrpath'));
    if (parts.some((p) => p.name === null)) {
      // `instances.${name} = ...`: a name of the structure we cannot read
      const known = parts.slice(0, parts.findIndex((p) => p.name === null)).map((p) => p.name!);
      const at = clanPartAt([...path, ...known, '\u0000'], inClanArgs);
      if (at) this.opaquePart(at, b);
      this.computedSetting([...path, ...known], inClanArgs);
      if (isSpecialArgs([...path, ...known], inClanArgs)) (this.facts.specialArgs ??= []).push(this.argValue('*', null, scope, [], b));
      return;
    }
    const value = b.childForFieldName('expression');
    const full = transposedAspect([...path, ...parts.map((p) => p.name!)]);
    // every prefix of a dotted binding is a binding too (`roles.server.machines.a = { }`)
    this.binding(full, value, scope, withNs, inClanArgs, b);
    this.visit(value, full, scope, withNs, inClanArgs, depth + 1);
  }

  /** `modules = <computed>` (the clan's own services): kept with the file's text where it is a path of the file's value. */
  private computedServiceSet(path: string[], value: Node | null, range: Node): void {
    const v = unparen(value);
    if (v && (v.type === 'attrset_expression' || v.type === 'rec_attrset_expression')) return;
    if (this.offRoot !== 0 || !this.inFileValue(range)) return;
    (this.facts.computedServiceSets ??= []).push({ path: path.slice(this.prefixLength), range: rangeOf(range), source: this.evaluableSource() });
  }

  /** `inherit a;` at a part of the clan's structure: the value `a` is bound to, else an opaque part. */
  private visitInherit(b: Node, path: string[], scope: Scope, withNs: WithScope[], inClanArgs: boolean, depth: number): void {
    if (isSpecialArgs(path, inClanArgs)) {
      // `inherit (config.flake) modules;`: the value is the selection from that expression
      const from = b.type === 'inherit_from' ? b.childForFieldName('expression') : null;
      for (const a of inheritedNames(b)) {
        // `inherit mylib;` of the file's `let`: that `let`, its value (`mylib = import "${self}/lib" { inherit lib self; };`)
        const bindings = !from && a.name ? letBindingsOf(scope.get(a.name)) : null;
        const text = from && a.name ? `(${from.text}).${a.name}` : bindings ? `let ${bindings.text} in ${a.name}` : undefined;
        // a selection is given `config` wherever it is written (`inherit (config.flake) modules;`)
        const given = from ? givenToSpecialArgs(false) : bindings ? givenToSpecialArgs(inClanArgs) : [];
        (this.facts.specialArgs ??= []).push(this.argValue(a.name ?? '*', null, scope, text ? given : [], b, text));
      }
    }
    for (const a of inheritedNames(b)) {
      const full = a.name === null ? null : [...path, a.name];
      if (full && isServiceSet(full, inClanArgs)) this.computedServiceSet(full, null, b);
      const at = full && clanPartAt(full, inClanArgs);
      if (!at) continue;
      const bound = b.type === 'inherit' ? scope.get(a.name!) : undefined;
      if (bound && bound.type !== 'inherit_from') {
        this.binding(full!, bound, scope, withNs, inClanArgs, b);
        this.visit(bound, full!, scope, withNs, inClanArgs, depth + 1);
      } else this.opaquePart(at, b, full!);
    }
  }
}

/**
 * Below an instance's `roles.<r>` (`rest` from `roles` on): the path of a setting, the role's
 * (`settings.<path>`) or a machine's (`machines.<m>.settings.<path>`; empty: the settings as a
 * whole); null elsewhere.
 */
function settingPath(rest: string[]): string[] | null {
  return rest[2] === 'settings' ? rest.slice(3) : rest[2] === 'machines' && rest[3] && rest[4] === 'settings' ? rest.slice(5) : null;
}

/** A reference the syntax cannot follow, and no other part of the model evaluates. */
export function isComputedRef(r: ModuleRef): boolean {
  return !r.path && r.selfPath === undefined && !r.flakeModule && !r.input && !r.applied && !r.argModule;
}

/** The names a set written as a literal binds (`{ a = 1; b.c = 2; inherit d; }`); null for any other value, or a name computed. */
function setNames(v: Node | null): string[] | null {
  if (v?.type !== 'attrset_expression') return null;
  const names: string[] = [];
  for (const b of bindingsOf(v)) {
    if (b.type === 'binding') {
      const first = attrPath(b.childForFieldName('attrpath'))[0];
      if (!first?.name) return null;
      names.push(first.name);
    } else if (b.type === 'inherit' || b.type === 'inherit_from') {
      for (const a of inheritedNames(b)) {
        if (!a.name) return null;
        names.push(a.name);
      }
    }
  }
  return names;
}

const FLAKE_MODULE_SETS = new Set(['config.flake.modules', 'self.modules', 'inputs.self.modules']);

/** The class `<c>` of `config.flake.modules.<c>`, `self.modules.<c>` or `inputs.self.modules.<c>`: a set of this flake's modules. */
function flakeModuleClassOf(n: Node | null): string | null {
  if (n?.type !== 'select_expression' || n.childForFieldName('default')) return null;
  const base = dottedName(n.childForFieldName('expression'));
  const parts = attrPath(n.childForFieldName('attrpath')).map((p) => p.name);
  if (base === null || parts.some((p) => p === null)) return null;
  const cls = parts.pop();
  return cls && FLAKE_MODULE_SETS.has([base, ...parts].join('.')) ? cls : null;
}

/** Where `roles` is in a binding's path: first, or right after a clan service written inline (`clan.modules.<s>`, a flake module of class `clan.service`). */
function rolesAt(path: string[], inClanArgs: boolean): number | null {
  if (path[0] === 'roles') return 0;
  for (let k = 2; k < path.length; k++) {
    if (path[k] !== 'roles') continue;
    const prefix = path.slice(0, k);
    if (serviceAt(prefix, inClanArgs) || flakeModuleAt(prefix, inClanArgs)?.cls === 'clan.service') return k;
  }
  return null;
}

/**
 * The strings of a list written out (`[ "a" "b" ]`, a role's tags or machines) added to `names`; an
 * element that is not a string makes the role's machines unknown. False where `value` is no list.
 */
function listNames(r: RoleFacts, value: Node | null, names: string[]): boolean {
  const list = unparen(value);
  if (list?.type !== 'list_expression') return false;
  for (const e of list.namedChildren) {
    const name = e ? stringValue(unparen(e)) : null;
    if (name) names.push(name);
    else if (e && e.type !== 'comment') r.tagsUnknown = true;
  }
  return true;
}
