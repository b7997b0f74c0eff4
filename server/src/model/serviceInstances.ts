// What a clan service's generator is on a machine: the names a computed name (`tor_${instanceName}`)
// takes there, filled from each instance that gives the machine the service, and whether what it
// declares under conditions on the service's settings (`lib.mkIf settings.enable`) is there. The
// settings are read as the module system merges an instance's definitions; where one is not written
// as a literal, the service's default stands in only where nothing else may set it.
import { Attached } from '../base/attached';
import type { Generator, GeneratorCondition, InstanceFacts, InstanceRole, SettingTest, SettingValue } from '../facts/types';
import { fillTemplate } from '../facts/serviceNames';
import type { ModuleGraph, ServiceBinding } from './moduleGraph';

const concrete = new Attached<Generator, Map<string, Generator>>('instantiated');

/**
 * The generators a service's computed name (`tor_${instanceName}`) is on a machine: one per instance
 * through which the machine has the service (in the role whose part declares it); each the same
 * declaration under its concrete name, one object per name and share. null when a value the name needs is not
 * known (the machines of an instance, a setting not written as a literal), or no instance brings it.
 * `share = settings.<key>` is the instance's setting where written as `true` or `false`, else the service's default
 * (settingValue); not known otherwise, nor where two instances giving one name say it differently.
 */
export function instantiated(g: Generator, machine: string, graph: ModuleGraph): Generator[] | null {
  const bindings = graph.serviceBindingsAt(g.file, g.name.range.start, machine);
  if (!bindings.length) return null;
  const shareKey = g.share === null ? /^settings\.([\w'-]+)$/.exec(g.options.find((o) => o.path.length === 1 && o.path[0] === 'share')?.text ?? '')?.[1] : undefined;
  const names = new Map<string, boolean | null>();
  for (const b of bindings) {
    const { instance, role } = b;
    const own = role.machineSettings?.[machine];
    const settings = (key: string) => (own && Object.hasOwn(own, key) ? own[key] : role.settings && Object.hasOwn(role.settings, key) ? role.settings[key] : null);
    // a default stands in for a setting only where every setting the role writes is read
    const roles = roleDefinitions(graph.definitionsOf(instance.name), role.name);
    // a setting written in some definition, but not as a string: no default stands in for it
    const writtenOtherwise = (key: string) =>
      roles.some((r) => r.settingsUnknown || r.settingKeys?.[key] !== undefined || r.machineSettingKeys?.[machine]?.[key] !== undefined || r.settingKeysUnknown?.includes(key));
    // `share = settings.<key>`: the instance's value, else the service's default, as conditions read settings (settingValue)
    const value = shareKey === undefined ? g.share : settingValue(b.instance, b.role.name, machine, shareKey, graph);
    const share = typeof value === 'boolean' ? value : null;
    const made = fillTemplate(g.nameTemplate!, {
      instanceName: instance.name,
      machine,
      settings: (key) => settings(key) ?? (role.settingsUnknown || writtenOtherwise(key) ? UNKNOWN : null),
      settingKeys: (key) => settingKeys(roles, machine, key),
      entryAttr: (key, entry, attr) => entryAttr(roles, machine, [key, entry, attr]),
    });
    if (made === null || made.some((n) => n.includes(UNKNOWN))) return null;
    // two instances giving the name, one shared and one not: not known
    for (const n of made) names.set(n, names.has(n) && names.get(n) !== share ? null : share);
  }
  let made = concrete.get(g);
  if (!made) concrete.set(g, (made = new Map()));
  return [...names].map(([n, share]) => made!.get(`${n}\0${share}`) ?? made!.set(`${n}\0${share}`, { ...g, name: { name: n, pattern: null, range: g.name.range }, nameTemplate: undefined, share }).get(`${n}\0${share}`)!);
}

/** The value an option of the machine's own modules takes on a machine (`services.x.enable`): true, or why that is not known (optionValues.ts). */
export type OptionValueOn = (machine: string, option: string) => boolean | string;

/**
 * Whether what `g` declares under `conditions` (the generator's own places, Generator.conditions, or
 * a file's or prompt's, VarFile.conditions) is on `machine`: true where the conditions of a place
 * that reaches it hold in an instance through which it has that place's role, or where a place is no
 * clan service's and its conditions are on none of the machine's options or on options `optionOn`
 * answers true (a module's `lib.mkIf cfg.enable` where the machine turns it on); false where
 * they hold in none, or no place reaches the machine (a file one role declares, on a machine with
 * only another role that declares the generator); else why that is not known.
 */
export function conditionsOn(g: Generator, conditions: GeneratorCondition[], machine: string, graph: ModuleGraph, optionOn: OptionValueOn): boolean | string {
  let open: string | null = null;
  for (const c of conditions) {
    if (!graph.machinesAt(g.file, c.at, g.moduleClass).includes(machine)) continue;
    const bindings = graph.serviceBindingsAt(g.file, c.at, machine);
    const where = `${graph.shown(g.file)}:${c.line + 1}`;
    // a module of the machine's own: a condition on its options (`lib.mkIf cfg.enable`) as its definitions decide it, any other is taken to hold
    if (!bindings.length) {
      if (!c.options) return true;
      let unknownWhy: string | null = null;
      let holds = true;
      for (const t of c.options) {
        const v = optionOn(machine, t.option);
        if (typeof v === 'string') unknownWhy ??= `declared under a condition on ${t.option}, ${v} (${where})`;
        else if (v !== t.is) holds = false;
      }
      if (!holds) continue;
      if (unknownWhy === null) return true;
      open ??= unknownWhy;
      continue;
    }
    if (!c.tests) {
      open ??= `declared under a condition not on the service's settings (${where})`;
      continue;
    }
    for (const b of bindings) {
      const holds = conditionHolds(c.tests, c.anyOf, b, machine, graph);
      if (holds === true) return true;
      if (holds !== false) open ??= `declared under a condition on settings.${holds} of instance '${b.instance.name}', not known statically (${where})`;
    }
  }
  return open ?? false;
}

/** Whether `tests` and one side of each of `anyOf` hold for a machine's binding: true, false, or a setting whose value is not known. */
function conditionHolds(tests: SettingTest[], anyOf: SettingTest[][][] | undefined, b: ServiceBinding, machine: string, graph: ModuleGraph): boolean | string {
  const each = [testsHold(tests, b, machine, graph), ...(anyOf ?? []).map((sides) => oneHolds(sides, b, machine, graph))];
  return each.includes(false) ? false : (each.find((h) => typeof h === 'string') ?? true);
}

/** Whether the tests of one of the sides hold: true, false, or a setting whose value is not known. */
function oneHolds(sides: SettingTest[][], b: ServiceBinding, machine: string, graph: ModuleGraph): boolean | string {
  const each = sides.map((tests) => testsHold(tests, b, machine, graph));
  return each.includes(true) ? true : (each.find((h) => typeof h === 'string') ?? false);
}

/** Whether all tests hold for a machine's binding: true, false, or the setting whose value is not known. */
function testsHold(tests: SettingTest[], b: ServiceBinding, machine: string, graph: ModuleGraph): boolean | string {
  let unknown: string | null = null;
  for (const t of tests) {
    if (t.role !== undefined) {
      const some = someOfRole(b, t, t.role, graph);
      if (some === null) unknown ??= `${t.setting} of role '${t.role}''s machines`;
      else if (some === !!t.none) return false;
      continue;
    }
    const v = settingValue(b.instance, b.role.name, machine, t.setting, graph);
    // null (written otherwise, no default) is of no type a test reads
    if (typeof v !== typeof t.is) unknown ??= t.setting;
    else if (v !== t.is) return false;
  }
  return unknown ?? true;
}

/** Whether some machine of `role` in b's instance has the test's value of its setting; null where the role's machines, or the setting of one that does not have it, cannot be told. */
function someOfRole(b: ServiceBinding, t: SettingTest, role: string, graph: ModuleGraph): boolean | null {
  const machines = graph.roleMachinesOf(b.instance.name, role);
  if (!machines) return null;
  let told = true;
  for (const m of machines) {
    const v = settingValue(b.instance, role, m, t.setting, graph);
    if (v === t.is) return true;
    if (typeof v !== typeof t.is) told = false;
  }
  return told ? false : null;
}

/**
 * A setting of a machine's role in an instance, merged over the instance's definitions as the module
 * system merges them (lists concatenated): what is written literally, else the service's default;
 * null where it is written otherwise (or a set above it is), or neither is known.
 */
function settingValue(instance: InstanceFacts, role: string, machine: string, setting: string, graph: ModuleGraph): SettingValue | null {
  // a binding's role is among them: a definition merged with another's module keeps its roles (withMergedModule)
  const roles = roleDefinitions(graph.definitionsOf(instance.name), role);
  const parts = setting.split('.');
  const above = parts.map((_, i) => parts.slice(0, i).join('.'));
  const values = new Set<SettingValue>();
  for (const r of roles) {
    if (r.settingsUnknown) return null;
    for (const written of [r.settingValues, r.machineSettingValues?.[machine]]) {
      if (!written) continue;
      if (above.some((p) => Object.hasOwn(written, p))) return null;
      if (!Object.hasOwn(written, setting)) continue;
      const v = written[setting];
      if (v === null) return null;
      values.add(v);
    }
  }
  if (values.has('nonEmpty')) return 'nonEmpty';
  if (values.size) return values.size === 1 ? values.values().next().value! : null;
  return graph.settingDefaultsOf(instance, role)[setting] ?? null;
}

/** A role as each definition of its instance that writes it has it (the module system merges them). */
function roleDefinitions(definitions: InstanceFacts[], role: string): InstanceRole[] {
  return definitions.flatMap((d) => d.roles.filter((r) => r.name === role));
}

/**
 * The names of the set a role's setting is on a machine (`settings.networks`): the module system
 * merges the set's definitions, so the names every definition of the instance writes for the role
 * and for the machine; null when a definition writes the settings or that set in a way not read, or
 * none writes it (its default is the service's).
 */
function settingKeys(roles: InstanceRole[], machine: string, key: string): string[] | null {
  const names = new Set<string>();
  let written = false;
  for (const r of roles) {
    if (r.settingsUnknown || r.settingKeysUnknown?.includes(key)) return null;
    for (const keys of [r.settingKeys?.[key], r.machineSettingKeys?.[machine]?.[key]]) {
      if (!keys) continue;
      written = true;
      keys.forEach((k) => names.add(k));
    }
  }
  return written ? [...names] : null;
}

/**
 * Attribute `attr` of entry `entry` of a role's set setting on a machine, merged over the instance's
 * definitions as the module system merges them: the string written; undefined where none writes
 * it; null where it is written otherwise, or written as two different strings.
 */
function entryAttr(roles: InstanceRole[], machine: string, [key, entry, attr]: [string, string, string]): string | null | undefined {
  const values = new Set<string>();
  for (const r of roles) {
    for (const written of [r.entryAttrs, r.machineEntryAttrs?.[machine]]) {
      if (!written) continue;
      if (Object.hasOwn(written, `${key}\0${entry}\0`)) return null;
      const k = `${key}\0${entry}\0${attr}`;
      if (!Object.hasOwn(written, k)) continue;
      const v = written[k];
      if (v === null) return null;
      values.add(v);
    }
  }
  return values.size > 1 ? null : values.values().next().value;
}

/** Stands for a setting the syntax could not read (no literal name contains it). */
const UNKNOWN = '\u0000';
