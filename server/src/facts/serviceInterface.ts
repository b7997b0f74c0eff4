// A clan service's roles' settings' defaults, as their interfaces declare them: what a setting is
// where an instance does not write it, for the names the service computes from its settings
// (serviceNames.ts).
import type { FlatNode as Node } from '../syntax/flatTree';
import { applyParts, attrPath, bindingsOf, dottedName, unparen } from '../syntax/syntax';

/**
 * Each role's settings' defaults as its interface declares them (`roles.<r>.interface.options.<k> =
 * lib.mkOption { default = "restic-password"; ... }`, the interface a set or a function of the
 * module's arguments): the value a setting has where the instance does not write it.
 */
export function interfaceDefaults(root: Node): Map<string, Map<string, Node>> {
  const out = new Map<string, Map<string, Node>>();
  const options = (node: Node | null, into: Map<string, Node>, prefix: string[], depth: number): void => {
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
      else if (full.length < 2) options(value, into, full, depth + 1);
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
        const into = out.get(role) ?? out.set(role, new Map()).get(role)!;
        // `interface = { ... }` or `interface.options.k = ...`
        if (full.length === r + 3) options(value, into, [], 0);
        else wrapOptions(full.slice(r + 3), value, into);
      } else walk(value, full, depth + 1);
    }
  };
  const wrapOptions = (rest: string[], value: Node | null, into: Map<string, Node>) => {
    // `interface.options = { ... }` or `interface.options.k = mkOption { ... }`: read as the set it is part of
    if (rest[0] !== 'options' || rest.length > 2) return;
    if (rest.length === 1) options(value, into, ['options'], 0);
    else setDefault(into, rest[1], value);
  };
  /** `lib.mkOption { default = <value>; ... }`: the default, kept for the option `name`. */
  const setDefault = (into: Map<string, Node>, name: string, value: Node | null) => {
    const v = unparen(value);
    if (v?.type !== 'apply_expression') return;
    const { fn, args } = applyParts(v);
    const set = unparen(args[args.length - 1] ?? null);
    if (!/(^|\.)mkOption$/.test(dottedName(fn) ?? '') || set?.type !== 'attrset_expression') return;
    const d = bindingsOf(set).find((x) => x.type === 'binding' && attrPath(x.childForFieldName('attrpath')).map((y) => y.name).join('.') === 'default');
    const dv = d?.childForFieldName('expression');
    if (dv) into.set(name, dv);
  };
  let top = unparen(root.type === 'source_code' ? (root.namedChildren.find((c) => c.type !== 'comment') ?? null) : root);
  for (let i = 0; top && (top.type === 'function_expression' || top.type === 'let_expression') && i < 10; i++) top = unparen(top.childForFieldName('body'));
  walk(top, [], 0);
  return out;
}
