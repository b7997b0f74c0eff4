// The conditions a place of a generator, a file or a prompt is under (facts/generators.ts reads
// them as it walks a module): `lib.mkIf c`, `lib.optionalAttrs c` and `if c then ... else ...` above
// it, and what each tests of a clan service role's settings (`settings.a.b`, `!settings.a`,
// `settings.l != [ ]`, `&&` of them), which the model answers per instance (model/machineModel.ts).
import type { FlatNode as Node } from '../syntax/flatTree';
import type { Position } from '../base/types';
import type { GeneratorCondition, OptionTest, SettingTest, SettingValue } from './types';
import { parameters } from './topLevel';
import { attrPath, bindingsOf, inheritedNames, rangeOf, unparen } from '../syntax/syntax';
import { wrapperName } from './generatorValues';

/** A condition above a place: `lib.mkIf c`, `lib.optionalAttrs c`, `if c then` (`negate`: its `else`). */
export type Cond = { node: Node; negate: boolean };

/** A place under the conditions `conds`, as the model reads them; null where there are none. */
export function conditionAt(at: Position, conds: Cond[]): GeneratorCondition | null {
  if (!conds.length) return null;
  const tests = conds.map((c) => testsOf(c, settingLeaf, negatedSetting));
  const line = rangeOf(conds[0].node).start.line;
  if (tests.every((t) => t !== null)) return { at, line, tests: tests.flat() };
  const options = conds.map((c) => testsOf(c, optionLeaf, negatedOption));
  return { at, line, tests: null, ...(options.every((t) => t !== null) && { options: options.flat() }) };
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

/**
 * What a condition tests (a conjunction of `leaf`s: `x`, `!x` and `&&` of them; its `else` branch
 * negates a single test), or null when it tests anything else.
 */
function testsOf<T>(c: Cond, leaf: (n: Node) => T | null, negate: (t: T) => T): T[] | null {
  const tests = conjunction(c.node, 0, leaf, negate);
  if (!tests || !c.negate) return tests;
  return tests.length === 1 ? [negate(tests[0])] : null;
}

function conjunction<T>(node: Node | null, depth: number, leaf: (n: Node) => T | null, negate: (t: T) => T): T[] | null {
  const n = unparen(node);
  if (!n || depth > 10) return null;
  if (n.type === 'unary_expression' && n.childForFieldName('operator')?.text === '!') {
    const t = conjunction(n.childForFieldName('argument'), depth + 1, leaf, negate);
    return t?.length === 1 ? [negate(t[0])] : null;
  }
  if (n.type === 'binary_expression' && n.childForFieldName('operator')?.text === '&&') {
    const a = conjunction(n.childForFieldName('left'), depth + 1, leaf, negate);
    const b = a && conjunction(n.childForFieldName('right'), depth + 1, leaf, negate);
    return a && b ? [...a, ...b] : null;
  }
  const t = leaf(n);
  return t ? [t] : null;
}

/** Of the role's settings: `settings.a.b`, `settings.l != [ ]`, `settings.l == [ ]`. */
function settingLeaf(n: Node): SettingTest | null {
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

const negatedSetting = (t: SettingTest): SettingTest => ({ setting: t.setting, is: NEGATED[String(t.is)] });

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
  const n = unparen(node);
  if (n?.type !== 'select_expression' || n.childForFieldName('default')) return null;
  const base = unparen(n.childForFieldName('expression'));
  if (base?.type !== 'variable_expression' || base.text !== 'settings' || !isPerInstanceSettings(base)) return null;
  const parts = attrPath(n.childForFieldName('attrpath'));
  return parts.length && parts.every((p) => p.name !== null) ? parts.map((p) => p.name).join('.') : null;
}

/** Whether the variable `settings` is bound by the function of a `perInstance = ...` binding (no let or rec set nearer binds it). */
function isPerInstanceSettings(v: Node): boolean {
  for (let p = v.parent; p; p = p.parent) {
    if (p.type === 'function_expression' && p.childForFieldName('universal')?.text === 'settings') return false;
    if (p.type === 'function_expression' && parameters(p).includes('settings')) {
      let up = p.parent;
      while (up?.type === 'parenthesized_expression') up = up.parent;
      if (up?.type !== 'binding') return false;
      const path = attrPath(up.childForFieldName('attrpath'));
      return path[path.length - 1]?.name === 'perInstance';
    }
    if (p.type === 'let_expression' || p.type === 'rec_attrset_expression') {
      const binds = bindingsOf(p).some((b) => (b.type === 'binding' ? attrPath(b.childForFieldName('attrpath'))[0]?.name === 'settings' : inheritedNames(b).some((x) => x.name === 'settings')));
      if (binds) return false;
    }
  }
  return false;
}
