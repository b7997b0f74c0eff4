// The clan's service instances where a file computes them (`inventory.instances = builtins.listToAttrs
// (map (module: { name = "settings-${tag}"; value = { ... }; }) (builtins.attrNames (builtins.readDir
// ./tags)))`), evaluated here as computedModules.ts evaluates computed sets of modules: the file's value
// with nixpkgs' `lib` and every other argument unknown, the files it imports and the folders it lists
// read inside the clan (as saved), its paths copied to the store as Nix names them. Each instance read as the syntax reads a written one
// (InstanceFacts); anything the evaluator cannot know about the set (a name, a role's machines, a
// module) is a reason for the whole set, never a guess. A role's settings and tags may be partly
// unknown, as when written: the instance says so. Machines' tags computed the same way
// (`inventory.machines = lib.mapAttrs (name: m: { tags = m.tags; }) data.machines`) are read too.
import { Confinement } from '../base/confinement';
import type { Range } from '../base/types';
import type { Value } from '../facts/eval/index';
import { folderReads, readsWithin, type Context } from '../facts/eval/context';
import type { EvaluablePart, InstanceFacts, InstanceRole, ModuleRef, SettingValue } from '../facts/types';
import { describe } from '../facts/eval/values';
import type { NixParser } from '../syntax/nixParser';
import { readFileValue, whyNot, type FlakeOutputs } from './computedModules';

/** A few dozen instances built from a folder: far below this. */
const MAX_STEPS = 400_000;

/** Thrown inside the evaluation for a part of the set that cannot be told; caught by `run` below. */
class NotKnown extends Error {}

export type Evaluated<T> = { value: T } | { reason: string };

/**
 * The value at `part.path` of `file`, read by `read` (which throws NotKnown for what it cannot tell),
 * with the clan at `root` as it is now.
 */
function evaluatePart<T>(root: string, parser: NixParser | null, file: string, part: EvaluablePart, read: (ctx: Context, v: Value) => T, self?: FlakeOutputs): Evaluated<T> {
  const within = Confinement.within(root);
  return readFileValue(parser, file, part.source, { maxSteps: MAX_STEPS, reads: { ...readsWithin(within), ...folderReads(within) } }, (ctx, value): Evaluated<T> => {
    let v = value;
    try {
      for (const key of part.path) {
        const p = plain(ctx, v);
        if (p === undefined) return { value: read(ctx, { t: 'attrs', attrs: new Map(), loc: null }) };
        if (p.t !== 'attrs') return { reason: whyNot(p, `its file's value is not a set at ${key}`) };
        const t = p.attrs.get(key);
        if (!t) return { reason: p.open ? "its file's value is not known that far" : `its file sets no ${part.path.join('.')}` };
        v = t.force(ctx, null);
      }
      return { value: read(ctx, v) };
    } catch (e) {
      if (e instanceof NotKnown) return { reason: e.message };
      throw e;
    }
  }, root, self);
}

/** The instances the value at `part.path` of `file` computes; `range` is where the set is written; `self`, the flake's outputs known (ModuleGraph.flakeOutputs). */
export function evaluateInstances(root: string, parser: NixParser | null, file: string, part: EvaluablePart, range: Range, self?: FlakeOutputs): Evaluated<InstanceFacts[]> {
  return evaluatePart(root, parser, file, part, (ctx, v) => [...set(ctx, v, 'the instances')].map(([name, x]) => instanceOf(ctx, name, x, range)), self);
}

/** A role's extraModules computed in `file` (the value at `part.path`): its modules (those not known each with why), or why they cannot be told; `what` names the role. */
export function evaluateExtraModules(root: string, parser: NixParser | null, file: string, part: EvaluablePart, range: Range, what: string, self?: FlakeOutputs): Evaluated<ModuleRef[]> {
  return evaluatePart(root, parser, file, part, (ctx, v) => {
    const p = plain(ctx, v);
    // not told as a whole: the written reference says what it is (ModuleGraph.evaluatedExtraModules)
    if (p?.t === 'unknown') throw new NotKnown(p.reason);
    return p === undefined ? [] : extraModules(ctx, p, what, range);
  }, self);
}

/** A machine of a computed set of the inventory's machines: its tags, and its class where the set says it. */
export interface ComputedMachine {
  tags: string[];
  cls?: string;
}

/** The machines of a computed set of the inventory's (`inventory.machines = lib.mapAttrs (n: m: { tags = ...; }) data`): the tags each has, and its class where set. */
export function evaluateMachineTags(root: string, parser: NixParser | null, file: string, part: EvaluablePart): Evaluated<Map<string, ComputedMachine>> {
  return evaluatePart(root, parser, file, part, (ctx, v) => {
    const machines = new Map<string, ComputedMachine>();
    for (const [m, x] of set(ctx, v, 'the machines')) {
      const attrs = set(ctx, x, `machine '${m}''s options`);
      const machine: ComputedMachine = { tags: [] };
      const cls = stringOption(attrs, 'machineClass', `machine '${m}''s machineClass`);
      if (cls !== null) machine.cls = cls;
      const list = attrs.get('tags');
      if (list !== undefined && list.t !== 'list') throw new NotKnown(whyNot(list, `machine '${m}''s tags are not a list`));
      for (const t of list?.t === 'list' ? list.items : []) {
        const tag = plain(ctx, t.force(ctx, null));
        if (tag?.t !== 'string') throw new NotKnown(whyNot(tag ?? list!, `a tag of machine '${m}' is not a known string`));
        machine.tags.push(tag.v);
      }
      machines.set(m, machine);
    }
    return machines;
  });
}

/**
 * A value with the module system's priority wrappers taken off (`lib.mkDefault x`, `lib.mkForce x`),
 * `lib.mkIf` with a known condition; undefined for `lib.mkIf false x`, which defines nothing.
 */
function plain(ctx: Context, v: Value): Value | undefined {
  for (let i = 0; i < 8 && v.t === 'attrs'; i++) {
    const type = v.attrs.get('_type')?.force(ctx, null);
    if (type?.t !== 'string') return v;
    const content = v.attrs.get('content');
    if (type.v === 'override' && content) v = content.force(ctx, null);
    else if (type.v === 'if' && content) {
      const cond = v.attrs.get('condition')?.force(ctx, null);
      if (cond?.t !== 'bool') throw new NotKnown(whyNot(cond ?? v, 'a condition (lib.mkIf) not known'));
      if (!cond.v) return undefined;
      v = content.force(ctx, null);
    } else throw new NotKnown(`a value merged by the module system (${type.v})`);
  }
  return v;
}

/** The attributes of a set whose every name is known, those `lib.mkIf false` leaves undefined left out; NotKnown otherwise. */
function set(ctx: Context, v: Value, what: string): Map<string, Value> {
  const p = plain(ctx, v);
  if (p === undefined) return new Map();
  if (p.t !== 'attrs') throw new NotKnown(whyNot(p, `${what} are not a set`));
  if (p.open) throw new NotKnown(`the names of ${what} are not known`);
  const out = new Map<string, Value>();
  for (const [k, t] of p.attrs) {
    const x = plain(ctx, t.force(ctx, null));
    if (x !== undefined) out.set(k, x);
  }
  return out;
}

/** A string option (`module.name`): its value, null where not set; NotKnown where it is not a known string. */
function stringOption(attrs: Map<string, Value>, key: string, what: string): string | null {
  const v = attrs.get(key);
  if (v === undefined) return null;
  if (v.t !== 'string') throw new NotKnown(whyNot(v, `${what} is not a known string`));
  return v.v;
}

function instanceOf(ctx: Context, name: string, v: Value, range: Range): InstanceFacts {
  const attrs = set(ctx, v, `instance '${name}''s options`);
  const module = attrs.get('module');
  const moduleAttrs = module === undefined ? null : set(ctx, module, `instance '${name}''s module options`);
  const roles = attrs.get('roles');
  return {
    name,
    module: moduleAttrs && stringOption(moduleAttrs, 'name', `instance '${name}''s module.name`),
    input: moduleAttrs && stringOption(moduleAttrs, 'input', `instance '${name}''s module.input`),
    roles: roles === undefined ? [] : [...set(ctx, roles, `instance '${name}''s roles`)].map(([role, x]) => roleOf(ctx, `instance '${name}''s role '${role}'`, role, x, range)),
  };
}

function roleOf(ctx: Context, what: string, name: string, v: Value, range: Range): InstanceRole {
  const attrs = set(ctx, v, `${what}'s options`);
  const role: InstanceRole = { name, machines: [], tags: [], tagsUnknown: false };
  const machines = attrs.get('machines');
  if (machines !== undefined) {
    for (const [m, x] of set(ctx, machines, `${what}'s machines`)) {
      role.machines.push(m);
      const machineAttrs = set(ctx, x, `${what}'s machine '${m}'`);
      const settings = strings(ctx, machineAttrs.get('settings'));
      if (settings && Object.keys(settings.known).length) (role.machineSettings ??= {})[m] = settings.known;
      const values = settingValues(ctx, machineAttrs.get('settings'));
      if (values) (role.machineSettingValues ??= {})[m] = values;
    }
  }
  const tags = attrs.get('tags');
  if (tags?.t === 'list') {
    for (const t of tags.items) {
      const tag = plain(ctx, t.force(ctx, null));
      if (tag?.t === 'string') role.tags.push(tag.v);
      else role.tagsUnknown = true;
    }
  } else if (tags?.t === 'attrs' && !tags.open) role.tags.push(...tags.attrs.keys());
  else if (tags !== undefined) role.tagsUnknown = true;
  const settings = strings(ctx, attrs.get('settings'));
  if (settings) {
    if (Object.keys(settings.known).length) role.settings = settings.known;
    if (settings.unknown) role.settingsUnknown = true;
  }
  const values = settingValues(ctx, attrs.get('settings'));
  if (values) role.settingValues = values;
  const extra = attrs.get('extraModules');
  if (extra !== undefined) role.extraModules = extraModules(ctx, extra, what, range);
  return role;
}

/**
 * What conditions on settings read (InstanceRole.settingValues): Booleans and lists at each path,
 * null for any other value; a set not known or with names not all known: null at its path ('' for the whole).
 */
function settingValues(ctx: Context, v: Value | undefined): Record<string, SettingValue | null> | undefined {
  if (v === undefined) return undefined;
  const out: Record<string, SettingValue | null> = {};
  const known = (t: () => Value): Value | undefined | null => {
    try {
      return plain(ctx, t());
    } catch (e) {
      if (e instanceof NotKnown) return null;
      throw e;
    }
  };
  const walk = (x: Value | undefined | null, at: string[], depth: number): void => {
    if (x?.t === 'attrs' && !x.open && depth < 8) {
      for (const [k, t] of x.attrs) walk(known(() => t.force(ctx, null)), [...at, k], depth + 1);
      return;
    }
    if (x === undefined && at.length) return; // lib.mkIf false: defines nothing
    out[at.join('.')] = x?.t === 'bool' ? x.v : x?.t === 'list' ? (x.items.length ? 'nonEmpty' : 'empty') : null;
  };
  walk(known(() => v), [], 0);
  return Object.keys(out).length ? out : undefined;
}

/** The settings written as strings; `unknown` where some value (or the set) is not known. */
function strings(ctx: Context, v: Value | undefined): { known: Record<string, string>; unknown: boolean } | null {
  if (v === undefined) return null;
  if (v.t !== 'attrs') return { known: {}, unknown: true };
  const known: Record<string, string> = {};
  let unknownSome = v.open === true;
  for (const [k, t] of v.attrs) {
    const s = plain(ctx, t.force(ctx, null));
    if (s?.t === 'string') known[k] = s.v;
    else if (s?.t === 'unknown') unknownSome = true;
  }
  return { known, unknown: unknownSome };
}

/** A role's extraModules: paths of the clan (written, or copied to the store, `"${./tags}/x.nix"`); anything else said as not known. */
function extraModules(ctx: Context, v: Value, what: string, range: Range): ModuleRef[] {
  // a list that cannot be told (`[ a ] ++ lib.optional (c.soul != null) b` over what is not known) reaches the role's machines alone
  if (v.t === 'unknown') return [{ range, unknown: `${what}'s extraModules, not known statically: ${v.reason}` }];
  if (v.t !== 'list') throw new NotKnown(`${what}'s extraModules are not a list`);
  return v.items.flatMap((t): ModuleRef[] => {
    const m = plain(ctx, t.force(ctx, null));
    if (m === undefined) return [];
    if (m.t === 'path') return [{ range, path: m.v }];
    const copied = m.t === 'string' ? sourceOfCopy(ctx, m.v) : null;
    if (copied) return [{ range, path: copied }];
    return [{ range, unknown: m.t === 'unknown' ? m.reason : `a module computed as ${m.t === 'string' ? JSON.stringify(m.v) : describe(m)} in ${what}` }];
  });
}

/** The path of the clan a store path string names, where this evaluation made that copy (`"${./tags}/a.nix"` -> tags/a.nix). */
export function sourceOfCopy(ctx: Context, s: string): string | null {
  const m = /^(\/nix\/store\/[0-9a-df-np-sv-z]{32}-[^/]+)(\/.*)?$/.exec(s);
  const source = m && ctx.storeCopies.get(m[1]!);
  return source ? source + (m![2] ?? '') : null;
}
