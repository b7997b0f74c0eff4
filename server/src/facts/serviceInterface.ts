// A clan service's roles' settings as their interfaces declare them, for the names the service
// computes from its settings (serviceNames.ts): each setting's default (what it is where an instance
// does not write it), and for a set of submodules the attributes that default to the entry's name.
import type { FlatNode as Node } from '../syntax/flatTree';
import { applyParts, attrPath, bindingsOf, dottedName, unparen } from '../syntax/syntax';
import { parameters } from './topLevel';
import type { SettingValue } from './types';

/** What a role's interface says of its settings. */
export interface RoleInterface {
  /** `options.<k> = lib.mkOption { default = <value>; }`: each setting's default. */
  defaults: Map<string, Node>;
  /**
   * `options.<k> = lib.mkOption { type = attrsOf (submodule ({ name, ... }: { options.<a> =
   * lib.mkOption { default = name; }; })); }`: the attributes of each entry of setting k that are
   * the entry's name where the entry does not write them (clan-core's matrix-synapse `users.<u>.name`).
   */
  entryNames: Map<string, Set<string>>;
  /**
   * Each setting's default as conditions read it, by dotted path (nested options too:
   * `hostKeys.rsa.enable = lib.mkEnableOption "..."` is false): a Boolean or whether a list is empty.
   */
  values: Map<string, SettingValue>;
}

/**
 * Each role's settings as its interface declares them (`roles.<r>.interface.options.<k> =
 * lib.mkOption { default = "restic-password"; ... }`, the interface a set or a function of the
 * module's arguments).
 */
export function roleInterfaces(root: Node): Map<string, RoleInterface> {
  const out = new Map<string, RoleInterface>();
  const options = (node: Node | null, into: RoleInterface, prefix: string[], depth: number): void => {
    let n = unparen(node);
    while (n && (n.type === 'function_expression' || n.type === 'let_expression') && depth < 10) n = unparen(n.childForFieldName('body')), depth++;
    if (!n || (n.type !== 'attrset_expression' && n.type !== 'rec_attrset_expression') || depth > 20) return;
    for (const b of bindingsOf(n)) {
      const names = attrPath(b.childForFieldName('attrpath'));
      if (b.type !== 'binding' || names.some((x) => !x.name)) continue;
      const full = [...prefix, ...names.map((x) => x.name!)];
      const value = unparen(b.childForFieldName('expression'));
      if (full[0] !== 'options') continue;
      if (full.length === 2) setDefault(into, full[1], value);
      if (full.length < 2) options(value, into, full, depth + 1);
      else optionValue(into, full.slice(1), value, depth + 1);
    }
  };
  /** `<path> = lib.mkOption { default = <literal>; }`, `lib.mkEnableOption ...`, or a set of such options. */
  const optionValue = (into: RoleInterface, at: string[], value: Node | null, depth: number): void => {
    const v = unparen(value);
    if (!v || depth > 20) return;
    if (v.type === 'apply_expression' && /(^|\.)mkEnableOption$/.test(dottedName(applyParts(v).fn) ?? '')) return void into.values.set(at.join('.'), false);
    const set = mkOptionSet(v);
    if (set) {
      const d = literalValue(bindingAt(set, 'default'));
      if (d !== null) into.values.set(at.join('.'), d);
      return;
    }
    if (v.type !== 'attrset_expression') return;
    for (const b of bindingsOf(v)) {
      const names = attrPath(b.childForFieldName('attrpath'));
      if (b.type === 'binding' && names.every((x) => x.name)) optionValue(into, [...at, ...names.map((x) => x.name!)], b.childForFieldName('expression'), depth + 1);
    }
  };
  const walk = (node: Node | null, path: string[], depth: number): void => {
    const n = unparen(node);
    if (!n || depth > 40 || (n.type !== 'attrset_expression' && n.type !== 'rec_attrset_expression')) return;
    for (const b of bindingsOf(n)) {
      const names = attrPath(b.childForFieldName('attrpath'));
      if (b.type !== 'binding' || names.some((x) => !x.name)) continue;
      const full = [...path, ...names.map((x) => x.name!)];
      const r = full.lastIndexOf('roles');
      const value = b.childForFieldName('expression');
      if (r >= 0 && full.length >= r + 3 && full[r + 2] === 'interface') {
        const role = full[r + 1];
        const into = out.get(role) ?? out.set(role, { defaults: new Map(), entryNames: new Map(), values: new Map() }).get(role)!;
        // `interface = { ... }` or `interface.options.k = ...`
        if (full.length === r + 3) options(value, into, [], 0);
        else wrapOptions(full.slice(r + 3), value, into);
      } else walk(value, full, depth + 1);
    }
  };
  const wrapOptions = (rest: string[], value: Node | null, into: RoleInterface) => {
    // `interface.options = { ... }` or `interface.options.k = mkOption { ... }`: read as the set it is part of
    if (rest[0] !== 'options') return;
    if (rest.length === 1) return options(value, into, ['options'], 0);
    if (rest.length === 2) setDefault(into, rest[1], value);
    optionValue(into, rest.slice(1), value, 0);
  };
  /** `lib.mkOption { default = <value>; type = ...; }`: the default, and the entries' attributes that are their names, kept for the option `name`. */
  const setDefault = (into: RoleInterface, name: string, value: Node | null) => {
    const set = mkOptionSet(value);
    if (!set) return;
    const dv = bindingAt(set, 'default');
    if (dv) into.defaults.set(name, dv);
    const named = entryNameAttrs(bindingAt(set, 'type'));
    if (named.size) into.entryNames.set(name, named);
  };
  let top = unparen(root.type === 'source_code' ? (root.namedChildren.find((c) => c.type !== 'comment') ?? null) : root);
  for (let i = 0; top && (top.type === 'function_expression' || top.type === 'let_expression') && i < 10; i++) top = unparen(top.childForFieldName('body'));
  walk(top, [], 0);
  return out;
}

/** A Boolean or list written literally: what conditions read of it; null for anything else. */
export function literalValue(node: Node | null): SettingValue | null {
  const n = unparen(node);
  if (n?.type === 'variable_expression' && (n.text === 'true' || n.text === 'false')) return n.text === 'true';
  if (n?.type === 'list_expression') return n.namedChildren.some((c) => c && c.type !== 'comment') ? 'nonEmpty' : 'empty';
  return null;
}

/** Each role's settings' defaults as conditions read them (RoleInterface.values), or undefined when there are none. */
export function settingDefaults(root: Node): Record<string, Record<string, SettingValue>> | undefined {
  let out: Record<string, Record<string, SettingValue>> | undefined;
  for (const [role, i] of roleInterfaces(root)) if (i.values.size) (out ??= {})[role] = Object.fromEntries(i.values);
  return out;
}

/** The set `lib.mkOption` is given, or null when `value` is no such call. */
function mkOptionSet(value: Node | null): Node | null {
  const v = unparen(value);
  if (v?.type !== 'apply_expression') return null;
  const { fn, args } = applyParts(v);
  const set = unparen(args[args.length - 1] ?? null);
  return /(^|\.)mkOption$/.test(dottedName(fn) ?? '') && set?.type === 'attrset_expression' ? set : null;
}

/** The value bound to `name` in a set written literally. */
function bindingAt(set: Node, name: string): Node | null {
  const b = bindingsOf(set).find((x) => x.type === 'binding' && attrPath(x.childForFieldName('attrpath')).map((y) => y.name).join('.') === name);
  return b?.childForFieldName('expression') ?? null;
}

/** The argument of `<lib.types.>fn x` (one argument), or null. */
function typeArg(node: Node | null, fn: RegExp): Node | null {
  const n = unparen(node);
  if (n?.type !== 'apply_expression') return null;
  const { fn: f, args } = applyParts(n);
  return args.length === 1 && fn.test(dottedName(f) ?? '') ? args[0] : null;
}

/**
 * `attrsOf (submodule ({ name, ... }: { options.<a> = mkOption { default = name; }; }))`: the
 * attributes <a>, each entry's name where the entry does not write it. None for any other type.
 */
function entryNameAttrs(type: Node | null): Set<string> {
  const found = new Set<string>();
  const fn = unparen(typeArg(typeArg(type, /(^|\.)(lazyA|a)ttrsOf$/), /(^|\.)submodule$/));
  if (fn?.type !== 'function_expression' || !fn.childForFieldName('formals') || !parameters(fn).includes('name')) return found;
  const body = unparen(fn.childForFieldName('body'));
  if (body?.type !== 'attrset_expression') return found;
  const option = (attr: string, value: Node | null) => {
    const set = mkOptionSet(value);
    const d = set ? unparen(bindingAt(set, 'default')) : null;
    if (d?.type === 'variable_expression' && d.text === 'name') found.add(attr);
  };
  for (const b of bindingsOf(body)) {
    const p = attrPath(b.childForFieldName('attrpath')).map((x) => x.name);
    const value = b.childForFieldName('expression');
    if (b.type !== 'binding' || p[0] !== 'options') continue;
    if (p.length === 2 && p[1]) option(p[1], value);
    const set = unparen(value);
    if (p.length === 1 && set?.type === 'attrset_expression') {
      for (const o of bindingsOf(set)) {
        const q = attrPath(o.childForFieldName('attrpath')).map((x) => x.name);
        if (o.type === 'binding' && q.length === 1 && q[0]) option(q[0], o.childForFieldName('expression'));
      }
    }
  }
  return found;
}
