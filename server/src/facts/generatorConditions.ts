// The conditions a place of a generator, a file or a prompt is under (facts/generators.ts reads
// them as it walks a module): `lib.mkIf c`, `lib.optionalAttrs c` and `if c then ... else ...` above
// it, and what each tests of a clan service role's settings (`settings.a.b`, `!settings.a`,
// `settings.l != [ ]`, `&&` of them, `||` of those, a name a `let` above binds to such a test) or of the machines
// of another role of the instance (`lib.any (m: m.settings.a) (builtins.attrValues roles.server.machines)`),
// which the model answers per instance (model/serviceInstances.ts).
import type { FlatNode as Node } from '../syntax/flatTree';
import type { Position } from '../base/types';
import type { GeneratorCondition, OptionTest, SettingTest, SettingValue } from './types';
import { parameters } from './topLevel';
import { applyParts, attrPath, bindingsOf, dottedName, inheritedNames, rangeOf, unparen } from '../syntax/syntax';
import { wrapperName } from './generatorValues';

/** A condition above a place: `lib.mkIf c`, `lib.optionalAttrs c`, `if c then` (`negate`: its `else`). */
export type Cond = { node: Node; negate: boolean };

/** A place under the conditions `conds`, as the model reads them; null where there are none. */
export function conditionAt(at: Position, conds: Cond[]): GeneratorCondition | null {
  if (!conds.length) return null;
  const settings = conds.map((c) => clauseOf(c, settingLeaf, negatedSetting));
  const line = rangeOf(conds[0].node).start.line;
  if (settings.every((c) => c !== null)) {
    const anyOf = settings.flatMap((c) => c!.anyOf);
    return { at, line, tests: settings.flatMap((c) => c!.all), ...(anyOf.length && { anyOf }) };
  }
  // the machine's options: a conjunction only
  const options = conds.map((c) => clauseOf(c, optionLeaf, negatedOption));
  return { at, line, tests: null, ...(options.every((c) => c !== null && !c.anyOf.length) && { options: options.flatMap((c) => c!.all) }) };
}

/** `config.a.b.enable`, or `cfg.enable` with `cfg = config.a.b;` bound by a `let` above it: `a.b.enable`; else null. */
function optionPath(node: Node | null, depth: number): string | null {
  const n = unparen(node);
  if (n?.type !== 'select_expression' || n.childForFieldName('default') || depth > 4) return null;
  const base = unparen(n.childForFieldName('expression'));
  const parts = attrPath(n.childForFieldName('attrpath'));
  if (base?.type !== 'variable_expression' || !parts.length || parts.some((p) => p.name === null)) return null;
  const rest = parts.map((p) => p.name).join('.');
  if (base.text === 'config') return rest;
  const above = optionPath(letBound(base), depth + 1);
  return above === null ? null : `${above}.${rest}`;
}

/** The value a `let` above `v` binds its name to (`let cfg = config.x; in`), or null (a function's parameter nearer, or none). */
function letBound(v: Node): Node | null {
  for (let p = v.parent; p; p = p.parent) {
    if (p.type === 'function_expression' && parameters(p).includes(v.text)) return null;
    if (p.type !== 'let_expression') continue;
    for (const b of bindingsOf(p)) {
      if (b.type !== 'binding') continue;
      const path = attrPath(b.childForFieldName('attrpath'));
      if (path.length === 1 && path[0].name === v.text) return b.childForFieldName('expression');
    }
  }
  return null;
}

/** The conditions with a wrapper's: `lib.mkIf c`, `lib.optionalAttrs c` add c; other wrappers none. */
export function wrapperConds(fn: Node | null, args: Node[], conds: Cond[]): Cond[] {
  const w = wrapperName(fn);
  return (w === 'mkIf' || w === 'optionalAttrs') && args.length >= 2 ? [...conds, { node: args[0], negate: false }] : conds;
}

/** The conditions of an `if`'s branch. */
export function ifConds(n: Node, conds: Cond[], negate: boolean): Cond[] {
  const c = n.childForFieldName('condition');
  return c ? [...conds, { node: c, negate }] : conds;
}

const NEGATED: Record<string, SettingValue> = { true: false, false: true, empty: 'nonEmpty', nonEmpty: 'empty' };

/** What a condition tests: all of `all`, and one side of each of `anyOf` (each side all of its tests). */
interface Clause<T> {
  all: T[];
  anyOf: T[][][];
}

/** What a condition tests (`x`, `!`, `&&` and `||` of them, a name a `let` above binds; its `else` branch its negation), or null when it tests anything else. */
function clauseOf<T>(c: Cond, leaf: (n: Node) => T | null, negate: (t: T) => T): Clause<T> | null {
  const cl = clause(c.node, 0, leaf, negate);
  return cl && c.negate ? negated(cl, negate) : cl;
}

function clause<T>(node: Node | null, depth: number, leaf: (n: Node) => T | null, negate: (t: T) => T): Clause<T> | null {
  const n = unparen(node);
  if (!n || depth > 10) return null;
  // only a unary expression has `!`, only a binary one `&&` and `||`
  const op = n.childForFieldName('operator')?.text;
  if (op === '!') {
    const c = clause(n.childForFieldName('argument'), depth + 1, leaf, negate);
    return c && negated(c, negate);
  }
  if (op === '&&' || op === '||') {
    const a = clause(n.childForFieldName('left'), depth + 1, leaf, negate);
    const b = a && clause(n.childForFieldName('right'), depth + 1, leaf, negate);
    if (!a || !b) return null;
    if (op === '&&') return { all: [...a.all, ...b.all], anyOf: [...a.anyOf, ...b.anyOf] };
    const sides = [a, b].map(sidesOf);
    return sides[0] && sides[1] ? { all: [], anyOf: [[...sides[0], ...sides[1]]] } : null;
  }
  // a name a `let` above binds (`lib.mkIf anyCertificateEnabled`): what its value tests
  const bound = letBound(n);
  if (bound) return clause(bound, depth + 1, leaf, negate);
  const t = leaf(n);
  return t ? { all: [t], anyOf: [] } : null;
}

/** A side of `||` as the sides it stands for: itself when it has no `||`, the sides of the one `||` it is; else null (`a && (b || c)`). */
function sidesOf<T>(c: Clause<T>): T[][] | null {
  if (!c.anyOf.length) return [c.all];
  return !c.all.length && c.anyOf.length === 1 ? c.anyOf[0] : null;
}

/** The negation of a clause where it is one again: `!x`, `!(a && b)` is `!a || !b`, `!(a || b)` is `!a && !b`; else null. */
function negated<T>(c: Clause<T>, negate: (t: T) => T): Clause<T> | null {
  if (!c.anyOf.length) return c.all.length === 1 ? { all: [negate(c.all[0])], anyOf: [] } : { all: [], anyOf: [c.all.map((t) => [negate(t)])] };
  const sides = c.all.length ? null : c.anyOf.length === 1 ? c.anyOf[0] : null;
  return sides?.every((s) => s.length === 1) ? { all: sides.map((s) => negate(s[0])), anyOf: [] } : null;
}

/** Of the role's settings: `settings.a.b`, `settings.l != [ ]`, `settings.l == [ ]`; of another role's machines, `roleAny`. */
function settingLeaf(n: Node): SettingTest | null {
  if (n.type === 'apply_expression') return roleAny(n);
  if (n.type === 'binary_expression') {
    const op = n.childForFieldName('operator')?.text;
    if (op !== '==' && op !== '!=') return null;
    const [left, right] = [n.childForFieldName('left'), n.childForFieldName('right')];
    const setting = isEmptyList(right) ? settingPath(left) : isEmptyList(left) ? settingPath(right) : null;
    return setting ? { setting, is: op === '!=' ? 'nonEmpty' : 'empty' } : null;
  }
  const setting = settingPath(n);
  return setting ? { setting, is: true } : null;
}

const negatedSetting = (t: SettingTest): SettingTest => (t.role === undefined ? { setting: t.setting, is: NEGATED[String(t.is)] } : { setting: t.setting, is: t.is, role: t.role, ...(!t.none && { none: true }) });

const ANY = new Set<string | null>(['lib.any', 'builtins.any', 'lib.lists.any']);
const ATTR_VALUES = new Set<string | null>(['builtins.attrValues', 'lib.attrValues']);

/**
 * `lib.any (m: m.settings.a.b) (builtins.attrValues roles.server.machines)` (`or` a Boolean after the
 * setting, `or { }` after the machines, as clan-core's sshd writes them), where `roles` is the
 * parameter of the role's `perInstance`: some machine of role `server` has `a.b`; else null.
 */
function roleAny(n: Node): SettingTest | null {
  const call = applyParts(n);
  if (call.args.length !== 2 || !ANY.has(dottedName(call.fn))) return null;
  const [fn, values] = call.args.map(unparen);
  // `m: m.settings.a` (a parameter's name is never undefined)
  const read = selection(fn!.childForFieldName('body'));
  if (!read || read.base.text !== fn!.childForFieldName('universal')?.text || read.path.length < 2 || read.path[0] !== 'settings' || !(read.otherwise === null || read.otherwise.text === 'true' || read.otherwise.text === 'false')) return null;
  const over = applyParts(values!);
  const role = over.args.length === 1 && ATTR_VALUES.has(dottedName(over.fn)) ? roleMachines(over.args[0]) : null;
  return role === null ? null : { setting: read.path.slice(1).join('.'), is: true, role };
}

/** `roles.<r>.machines` (`or { }`) with `roles` the parameter of a role's `perInstance`: r; else null. */
function roleMachines(n: Node): string | null {
  const read = selection(n);
  if (read?.base.text !== 'roles' || read.path.length !== 2 || read.path[1] !== 'machines' || !isPerInstanceParam(read.base, 'roles')) return null;
  return read.otherwise === null || (read.otherwise.type === 'attrset_expression' && !bindingsOf(read.otherwise).length) ? read.path[0] : null;
}

/** `v.a.b` (`or d`): the variable, the names after it, and what follows `or`; null for anything else, or a name computed. */
function selection(node: Node | null): { base: Node; path: string[]; otherwise: Node | null } | null {
  const n = unparen(node);
  if (n?.type !== 'select_expression') return null;
  const base = unparen(n.childForFieldName('expression'));
  const parts = attrPath(n.childForFieldName('attrpath'));
  if (base?.type !== 'variable_expression' || parts.some((p) => p.name === null)) return null;
  return { base, path: parts.map((p) => p.name!), otherwise: unparen(n.childForFieldName('default')) };
}

/** Of the machine's options (`cfg.enable` with `cfg = config.x;`). */
function optionLeaf(n: Node): OptionTest | null {
  const option = optionPath(n, 0);
  return option ? { option, is: true } : null;
}

const negatedOption = (t: OptionTest): OptionTest => ({ option: t.option, is: !t.is });

function isEmptyList(node: Node | null): boolean {
  const n = unparen(node);
  return n?.type === 'list_expression' && !n.namedChildren.some((c) => c && c.type !== 'comment');
}

/** `settings.a.b` where `settings` is the parameter of a role's `perInstance`: `a.b`; else null. */
function settingPath(node: Node | null): string | null {
  const read = selection(node);
  return read?.base.text === 'settings' && read.otherwise === null && isPerInstanceParam(read.base, 'settings') ? read.path.join('.') : null;
}

/** Whether the variable `v` (named `name`: `settings`, `roles`) is bound by the function of a `perInstance = ...` binding (no let or rec set nearer binds it). */
function isPerInstanceParam(v: Node, name: string): boolean {
  for (let p = v.parent; p; p = p.parent) {
    if (p.type === 'function_expression' && p.childForFieldName('universal')?.text === name) return false;
    if (p.type === 'function_expression' && parameters(p).includes(name)) {
      let up = p.parent;
      while (up?.type === 'parenthesized_expression') up = up.parent;
      if (up?.type !== 'binding') return false;
      const path = attrPath(up.childForFieldName('attrpath'));
      return path[path.length - 1]?.name === 'perInstance';
    }
    if (p.type === 'let_expression' || p.type === 'rec_attrset_expression') {
      const binds = bindingsOf(p).some((b) => (b.type === 'binding' ? attrPath(b.childForFieldName('attrpath'))[0]?.name === name : inheritedNames(b).some((x) => x.name === name)));
      if (binds) return false;
    }
  }
  return false;
}
