// Generator names a clan service computes from what clan gives each instance and machine:
// `"tor_${instanceName}"` in a role's `perInstance`, `"zerotier-ip-${machine.name}-${instanceName}"`
// over the `instances` of `perMachine`, `"user-password-${settings.user}"` with the instance's
// settings. The syntax cannot name them, but it can say how they are made: a template of literal
// text and the values clan passes (model/serviceInstances.ts fills them in per instance and machine).
// Anything else in a name (a value of `config`, a function's result) leaves it without a template.
import type { FlatNode as Node } from '../syntax/flatTree';
import { applyParts, attrPath, bindingsOf, dottedName, rangeOf, unparen } from '../syntax/syntax';
import type { Position } from '../base/types';
import { roleInterfaces } from './serviceInterface';
import { parameters } from './topLevel';

/** A part of a computed name: literal text, or what clan passes the service. */
export type TemplatePart =
  | string
  | { param: 'instanceName' | 'machine.name' }
  /** `settings.<key>` of the instance (the machine's own settings first, then the role's); `fallback`: its default as the service writes it. */
  | { setting: string; fallback: NameTemplate | null }
  /**
   * Each name of the set `settings.<key>` (`lib.mapAttrs' (name: _: { name = "wifi.${name}"; ... }) settings.networks`): one name per attribute;
   * with `attr`, that attribute of each entry, which is the entry's name where the entry does not write it (`"matrix-password-${user.name}"`),
   * or, `nameless`, has no default a name can be made of (`"dyndns-${opt.provider}"`): then only where the entry writes it.
   */
  | { settingKey: string; attr?: string; nameless?: true };

export type NameTemplate = TemplatePart[];

/** What a name in scope stands for. */
type Binding =
  | { kind: 'instance' }
  | { kind: 'machine' }
  | { kind: 'settings'; defaults: Map<string, { node: Node; scope: Scope }>; entryNames: Map<string, Set<string>> }
  | { kind: 'instances' }
  | { kind: 'settingKey'; key: string }
  /** An entry of the set `settings.<key>`: `names`, its attributes that are its name unless written. */
  | { kind: 'settingEntry'; key: string; names: Set<string> }
  | { kind: 'value'; node: Node; scope: Scope }
  | { kind: 'opaque' };
type Scope = Map<string, Binding>;

const MAX_DEPTH = 200;
/** Functions over a set (or list) that pass each name to their function's first parameter. */
const OVER_NAMES = new Set(["mapAttrs'", 'mapAttrs', 'genAttrs', 'concatMapAttrs', 'filterAttrs', 'mapAttrsToList', 'foldlAttrs']);
/** Those of them whose function's second parameter is the value of each name. */
const ENTRY_SECOND = new Set(["mapAttrs'", 'mapAttrs', 'concatMapAttrs', 'filterAttrs', 'mapAttrsToList']);
/** Wrappers whose value is their last argument's, where a default is written (`lib.mkOptionDefault instanceName`). */
const DEFAULTS = new Set(['mkOptionDefault', 'mkDefault', 'mkForce', 'mkOverride']);

const key = (p: Position) => `${p.line}:${p.character}`;

/**
 * The templates of the computed names at `at` (the start of each name as the generators' facts
 * place it), by that position; a name that is not made of literal text and clan's values is absent.
 */
export function serviceNameTemplates(root: Node, at: Position[]): Map<string, NameTemplate> {
  const finder = new TemplateFinder(new Set(at.map(key)));
  if (finder.wanted.size) {
    for (const [role, i] of roleInterfaces(root)) finder.interfaces.set(role, { defaults: new Map([...i.defaults].map(([k, node]) => [k, { node, scope: new Map() }])), entryNames: i.entryNames });
    finder.visit(root, new Map(), null, 0);
  }
  return finder.found;
}


/** Walks a file with what each name in scope stands for, and reads the template of each name wanted. */
class TemplateFinder {
  readonly found = new Map<string, NameTemplate>();
  /** Each role's settings' defaults and entries' names, from its interface. */
  interfaces = new Map<string, { defaults: Map<string, { node: Node; scope: Scope }>; entryNames: Map<string, Set<string>> }>();
  /** The attribute path of the sets being visited (to tell whose role a `perInstance` is). */
  private path: string[] = [];

  constructor(readonly wanted: Set<string>) {}

  visit(node: Node | null, scope: Scope, fnRole: 'perInstance' | 'perMachine' | null, depth: number): void {
    const n = node;
    if (!n || depth > MAX_DEPTH) return;
    const here = key(rangeOf(n).start);
    if (this.wanted.has(here) && (n.type === 'string_expression' || n.type === 'interpolation' || n.type === 'apply_expression') && !this.found.has(here)) {
      const t = template(n, scope, 0);
      if (t) this.found.set(here, t);
    }
    switch (n.type) {
      case 'function_expression': {
        const inner = new Map(scope);
        const r = this.path.lastIndexOf('roles');
        const role = fnRole === 'perInstance' && r >= 0 ? this.path[r + 1] : undefined;
        for (const p of parameters(n)) inner.set(p, fnRole ? special(p, role !== undefined ? this.interfaces.get(role) : undefined) : { kind: 'opaque' });
        return this.visit(n.childForFieldName('body'), inner, null, depth + 1);
      }
      case 'let_expression': {
        const inner = new Map(scope);
        for (const b of bindingsOf(n)) bind(b, inner, inner);
        for (const b of bindingsOf(n)) this.visit(b.childForFieldName('expression'), inner, null, depth + 1);
        return this.visit(n.childForFieldName('body'), inner, null, depth + 1);
      }
      case 'attrset_expression':
      case 'rec_attrset_expression': {
        for (const b of bindingsOf(n)) {
          if (b.type !== 'binding') continue;
          const path = b.childForFieldName('attrpath');
          for (const part of path?.namedChildren ?? []) this.visit(part, scope, null, depth + 1);
          const names = attrPath(path);
          const last = names[names.length - 1]?.name;
          const saved = this.path;
          this.path = [...saved, ...names.map((x) => x.name ?? '*')];
          try {
            this.visit(b.childForFieldName('expression'), scope, last === 'perInstance' || last === 'perMachine' ? last : null, depth + 1);
          } finally {
            this.path = saved;
          }
        }
        return;
      }
      case 'apply_expression':
        return this.visitApply(n, scope, fnRole, depth);
      default:
        for (const c of n.namedChildren) this.visit(c, scope, fnRole, depth + 1);
    }
  }

  /**
   * `mapAttrs' (instanceName: _: ...) instances`: the first parameter is each instance's name;
   * over `settings.networks`, each name of that setting (the function written there or bound in a let).
   */
  private visitApply(n: Node, scope: Scope, fnRole: 'perInstance' | 'perMachine' | null, depth: number): void {
    const { fn, args } = applyParts(n);
    const name = dottedName(fn)?.split('.').pop() ?? '';
    const lambda = args.length >= 2 && OVER_NAMES.has(name) ? functionOf(args[0], scope) : null;
    const over = lambda ? overWhat(args[args.length - 1], scope) : null;
    if (lambda && over) {
      const inner = new Map(lambda.scope);
      const [first, ...rest] = parameters(lambda.node);
      let body = lambda.node.childForFieldName('body');
      // `name: user: ...`: the second parameter is the function's body's
      const curried = rest.length === 0 ? unparen(body) : null;
      const second = curried?.type === 'function_expression' && !curried.childForFieldName('formals') ? parameters(curried)[0] : undefined;
      if (second) body = curried!.childForFieldName('body');
      if (first) inner.set(first, over.kind === 'settingEntry' ? { kind: 'settingKey', key: over.key } : over);
      // `mapAttrs' (name: user: ...) settings.users`: the second parameter is each entry
      if (second) inner.set(second, over.kind === 'settingEntry' && ENTRY_SECOND.has(name) ? over : { kind: 'opaque' });
      for (const p of rest) inner.set(p, { kind: 'opaque' });
      this.visit(body, inner, null, depth + 1);
      for (const a of args.slice(1)) this.visit(a, scope, null, depth + 1);
      return;
    }
    if (fn) this.visit(fn, scope, null, depth + 1);
    for (const a of args) this.visit(a, scope, fnRole, depth + 1);
  }
}

/** A let binding: `x = <value>;` (plain names only; `inherit` names a value we do not follow). */
function bind(b: Node, into: Scope, scope: Scope): void {
  if (b.type === 'inherit' || b.type === 'inherit_from') {
    for (const c of b.namedChildren) if (c.type === 'inherited_attrs') for (const a of c.namedChildren) into.set(a.text, { kind: 'opaque' });
    return;
  }
  const names = attrPath(b.childForFieldName('attrpath'));
  const value = b.childForFieldName('expression');
  if (names.length !== 1 || !names[0].name || !value) {
    if (names[0]?.name) into.set(names[0].name, { kind: 'opaque' });
    return;
  }
  into.set(names[0].name, extendedSettings(value, scope) ?? { kind: 'value', node: value, scope });
}

/** `settings = extendSettings { user = lib.mkOptionDefault instanceName; }`: the instance's settings with defaults. */
function extendedSettings(value: Node, scope: Scope): Binding | null {
  const v = unparen(value);
  if (v?.type !== 'apply_expression') return null;
  const { fn, args } = applyParts(v);
  const set = unparen(args[args.length - 1] ?? null);
  if (dottedName(fn) !== 'extendSettings' || args.length !== 1 || set?.type !== 'attrset_expression') return null;
  const defaults = new Map<string, { node: Node; scope: Scope }>();
  for (const d of bindingsOf(set)) {
    const p = attrPath(d.childForFieldName('attrpath'));
    const dv = d.childForFieldName('expression');
    if (p.length === 1 && p[0].name && dv) defaults.set(p[0].name, { node: dv, scope });
  }
  return { kind: 'settings', defaults, entryNames: new Map() };
}

/** The function an argument is: written there, or a name bound to one in a let. */
function functionOf(node: Node | null, scope: Scope): { node: Node; scope: Scope } | null {
  let n = unparen(node);
  let s = scope;
  for (let i = 0; n?.type === 'variable_expression' && i < 10; i++) {
    const b = s.get(n.text);
    if (b?.kind !== 'value') return null;
    n = unparen(b.node);
    s = b.scope;
  }
  return n?.type === 'function_expression' ? { node: n, scope: s } : null;
}

/** What the names of the set a function maps over stand for: the instances, or the entries of `settings.<key>`. */
function overWhat(node: Node | null, scope: Scope): Binding | null {
  if (resolved(node, scope)?.kind === 'instances') return { kind: 'instance' };
  const n = unparen(node);
  if (n?.type !== 'select_expression' || n.childForFieldName('default')) return null;
  const path = attrPath(n.childForFieldName('attrpath'));
  if (path.length !== 1 || !path[0].name) return null;
  const settings = resolved(n.childForFieldName('expression'), scope);
  return settings?.kind === 'settings' ? { kind: 'settingEntry', key: path[0].name, names: settings.entryNames.get(path[0].name) ?? new Set() } : null;
}

/** What a variable stands for, followed through the values it is bound to. */
function resolved(node: Node | null, scope: Scope, depth = 0): Binding | null {
  const n = unparen(node);
  if (n?.type !== 'variable_expression' || depth > 10) return null;
  const b = scope.get(n.text);
  return b?.kind === 'value' ? resolved(b.node, b.scope, depth + 1) : (b ?? null);
}

function template(node: Node | null, scope: Scope, depth: number): NameTemplate | null {
  const n = unparen(node);
  if (!n || depth > 20) return null;
  switch (n.type) {
    case 'string_expression':
      return stringTemplate(n, scope, depth);
    case 'interpolation':
      return template(n.childForFieldName('expression') ?? n.namedChildren[0] ?? null, scope, depth + 1);
    case 'variable_expression': {
      const b = scope.get(n.text);
      if (b?.kind === 'instance') return [{ param: 'instanceName' }];
      if (b?.kind === 'settingKey') return [{ settingKey: b.key }];
      if (b?.kind === 'value') return template(b.node, b.scope, depth + 1);
      return null;
    }
    case 'select_expression':
      return selectTemplate(n, scope, depth);
    case 'apply_expression': {
      const { fn, args } = applyParts(n);
      return DEFAULTS.has(dottedName(fn)?.split('.').pop() ?? '') ? template(args[args.length - 1] ?? null, scope, depth + 1) : applied(fn, args, scope, depth);
    }
    default:
      return null;
  }
}

/**
 * A function bound in a let, applied (`secret_id opt` with `secret_id = opt: "${name}-${opt.provider}";`):
 * the template of its body, each parameter bound to what its argument stands for.
 */
function applied(fn: Node | null, args: Node[], scope: Scope, depth: number): NameTemplate | null {
  const f = functionOf(fn, scope);
  if (!f) return null;
  const inner = new Map(f.scope);
  let body: Node | null = f.node;
  for (const a of args) {
    const lambda = unparen(body);
    if (lambda?.type !== 'function_expression' || lambda.childForFieldName('formals')) return null;
    const v = unparen(a);
    const bound = v?.type === 'variable_expression' ? scope.get(v.text) : undefined;
    inner.set(parameters(lambda)[0], bound ?? { kind: 'value', node: a, scope });
    body = lambda.childForFieldName('body');
  }
  return template(body, inner, depth + 1);
}

/** `"tor_${instanceName}"`: its literal text and the templates of its interpolations. */
function stringTemplate(n: Node, scope: Scope, depth: number): NameTemplate | null {
  const parts: NameTemplate = [];
  for (const c of n.namedChildren) {
    if (c.type === 'string_fragment') parts.push(c.text);
    else if (c.type === 'escape_sequence') parts.push(c.text.length === 2 ? ({ n: '\n', t: '\t', r: '\r' }[c.text[1]] ?? c.text[1]) : c.text);
    else if (c.type === 'interpolation') {
      const t = template(c.childForFieldName('expression') ?? c.namedChildren[0] ?? null, scope, depth + 1);
      if (!t) return null;
      parts.push(...t);
    } else return null;
  }
  return parts;
}

/** What clan sets to the machine's name on every machine (clan-core's settings). */
const MACHINE_NAME_OPTION = 'config.clan.core.settings.machine.name';

/** `machine.name`, `config.clan.core.settings.machine.name`, `settings.<key>` (with its default as the service writes it). */
function selectTemplate(n: Node, scope: Scope, depth: number): NameTemplate | null {
  if (n.childForFieldName('default')) return null;
  // the module's own `config` (a formal, not a value bound in a let)
  if (dottedName(n) === MACHINE_NAME_OPTION && scope.get('config')?.kind !== 'value') return [{ param: 'machine.name' }];
  const base = unparen(n.childForFieldName('expression'));
  const path = attrPath(n.childForFieldName('attrpath'));
  if (base?.type !== 'variable_expression' || path.length !== 1 || !path[0].name) return null;
  let b = scope.get(base.text);
  for (let i = 0; b?.kind === 'value' && i < 10; i++) {
    const v = unparen(b.node);
    b = v?.type === 'variable_expression' ? b.scope.get(v.text) : undefined;
  }
  if (b?.kind === 'machine' && path[0].name === 'name') return [{ param: 'machine.name' }];
  if (b?.kind === 'settingEntry') return [{ settingKey: b.key, attr: path[0].name, ...(b.names.has(path[0].name) ? {} : { nameless: true as const }) }];
  if (b?.kind === 'settings') {
    const d = b.defaults.get(path[0].name);
    return [{ setting: path[0].name, fallback: d ? template(d.node, d.scope, depth + 1) : null }];
  }
  return null;
}

/** What a formal of `perInstance` / `perMachine` stands for (`role`: the role's interface: its settings' defaults and entries' names). */
function special(name: string, role?: { defaults: Map<string, { node: Node; scope: Scope }>; entryNames: Map<string, Set<string>> }): Binding {
  if (name === 'instanceName') return { kind: 'instance' };
  if (name === 'machine') return { kind: 'machine' };
  if (name === 'settings') return { kind: 'settings', defaults: new Map(role?.defaults), entryNames: role?.entryNames ?? new Map() };
  if (name === 'instances') return { kind: 'instances' };
  return { kind: 'opaque' };
}

export interface TemplateValues {
  instanceName: string;
  machine: string;
  /** A setting written as a string; null: not written so (or not known). */
  settings: (key: string) => string | null;
  /** The names of a setting written as a set; null: not known. */
  settingKeys: (key: string) => string[] | null;
  /** Attribute `attr` of entry `entry` of the set setting `key` as written (a string); undefined: not written; null: written otherwise. */
  entryAttr: (key: string, entry: string, attr: string) => string | null | undefined;
}

/**
 * A template's names for a concrete instance, machine and settings: one, or one per name of the set
 * it maps over (none for an empty set); null when a part cannot be filled in.
 */
export function fillTemplate(t: NameTemplate, values: TemplateValues): string[] | null {
  const over = [...new Set(t.flatMap((p) => (typeof p === 'object' && 'settingKey' in p ? [p.settingKey] : [])))];
  if (over.length > 1) return null;
  if (over.length === 0) {
    const one = fillOne(t, values, null);
    return one === null ? null : [one];
  }
  const keys = values.settingKeys(over[0]);
  if (keys === null) return null;
  const names: string[] = [];
  for (const k of keys) {
    const one = fillOne(t, values, k);
    if (one === null) return null;
    names.push(one);
  }
  return names;
}

/** The name for one name of the set the template maps over (`key`), if it does. */
function fillOne(t: NameTemplate, values: TemplateValues, key: string | null): string | null {
  let out = '';
  for (const p of t) {
    if (typeof p === 'string') out += p;
    else if ('param' in p) out += p.param === 'instanceName' ? values.instanceName : values.machine;
    else if ('settingKey' in p) {
      const written = key === null || p.attr === undefined ? undefined : values.entryAttr(p.settingKey, key, p.attr);
      // not written: the entry's name, where that is the attribute's default
      const v = key === null ? null : written === undefined ? (p.nameless ? null : key) : written;
      if (v === null) return null;
      out += v;
    } else {
      const v = values.settings(p.setting);
      if (v !== null) out += v;
      else if (p.fallback) {
        const d = fillOne(p.fallback, values, key);
        if (d === null) return null;
        out += d;
      } else return null;
    }
  }
  return out;
}
