// Where a module defines the few machine options that decide which of clan-core's own generators a
// machine has: `clan.core.settings.state-version.enable`, `clan.core.settings.machine-id.enable` and
// `clan.core.enableRecommendedDefaults` (which turns state-version on by default). Each definition
// is a literal boolean with the priority the module system gives it (`lib.mkDefault` 1000, plain 100,
// `lib.mkForce` 50), or unknown: under `lib.mkIf`, computed, or set as part of a value the syntax
// cannot read (`clan.core = import ./x.nix`). Syntax only; never throws.
import type { FlatNode as Node } from '../syntax/flatTree';
import type { Range } from '../base/types';
import { applyParts, attrPath, bindingsOf, dottedName, literalOf, MAX_DEPTH, rangeOf, unparen } from '../syntax/syntax';

/** The options read, by the dotted path the module system knows them under. */
export const CLAN_CORE_TOGGLES = ['clan.core.settings.state-version.enable', 'clan.core.settings.machine-id.enable', 'clan.core.enableRecommendedDefaults', 'clan.core.networking.zerotier'] as const;
/** Options whose every definition, of it or of an option below it, is one of it, not known statically. */
const WHOLE = ['clan.core.networking.zerotier'];
export type ClanCoreToggle = (typeof CLAN_CORE_TOGGLES)[number];

/** One definition: its value (null: not known statically) and priority (lower wins). */
export interface OptionDef {
  option: ClanCoreToggle;
  value: boolean | null;
  priority: number;
  range: Range;
}

const WATCHED = CLAN_CORE_TOGGLES.map((o) => o.split('.'));
const PRIORITY: Record<string, number> = { mkDefault: 1000, mkOptionDefault: 1500, mkForce: 50 };
/** Wrappers that keep a module's meaning where the definitions are (their last argument is the value). */
const TRANSPARENT = new Set(['mkMerge', 'mkBefore', 'mkAfter', 'mkOrder']);

export function extractOptionDefs(root: Node): OptionDef[] {
  const out: OptionDef[] = [];
  const prefixOf = (path: string[]) => WATCHED.filter((w) => path.length <= w.length && path.every((p, i) => p === w[i]));

  function define(path: string[], value: Node | null, conditional: boolean, priority: number, at: Node, depth: number): void {
    const v = unparen(value);
    if (!v || depth > MAX_DEPTH) return;
    const whole = WHOLE.find((w) => (path.join('.') + '.').startsWith(w + '.'));
    if (whole) return void out.push({ option: whole as ClanCoreToggle, value: null, priority: 100, range: rangeOf(at) });
    const under = prefixOf(path);
    if (!under.length) return;
    // `clan = clan-core.lib.clan { machines.x = { ... }; }` (a flake's output): modules may be written inside
    if (path.length === 1 && v.type !== 'attrset_expression' && v.type !== 'rec_attrset_expression') return visit(v, conditional, depth + 1);
    if (path.length === under[0].length && under.length === 1) {
      // the option itself
      if (v.type === 'apply_expression') {
        const { fn, args } = applyParts(v);
        const name = dottedName(fn)?.split('.').pop() ?? '';
        if (name in PRIORITY && args.length === 1) return define(path, args[0], conditional, PRIORITY[name], at, depth + 1);
        if (name === 'mkOverride' && args.length === 2) {
          const n = literalOf(unparen(args[0]));
          return define(path, args[1], conditional, typeof n === 'number' ? n : priority, at, depth + 1);
        }
      }
      const lit = literalOf(v);
      out.push({ option: under[0].join('.') as ClanCoreToggle, value: conditional || typeof lit !== 'boolean' ? null : lit, priority, range: rangeOf(at) });
      return;
    }
    // a set on the way to the options
    visitValue(v, path, conditional, priority, depth + 1);
  }

  /** A value at `path` (a prefix of a watched option): its bindings, through the module system's wrappers. */
  function visitValue(v: Node, path: string[], conditional: boolean, priority: number, depth: number): void {
    if (depth > MAX_DEPTH) return;
    switch (v.type) {
      case 'attrset_expression':
      case 'rec_attrset_expression':
        for (const b of bindingsOf(v)) {
          if (b.type !== 'binding') {
            // `inherit` of an option under the path: a value we do not follow
            unknownUnder(path, b, conditional);
            continue;
          }
          const parts = attrPath(b.childForFieldName('attrpath'));
          if (parts.some((p) => p.name === null)) {
            unknownUnder(path, b, conditional);
            continue;
          }
          define([...path, ...parts.map((p) => p.name!)], b.childForFieldName('expression'), conditional, priority, b, depth + 1);
        }
        return;
      case 'apply_expression': {
        const { fn, args } = applyParts(v);
        const name = dottedName(fn)?.split('.').pop() ?? '';
        const last = unparen(args[args.length - 1] ?? null);
        if (name === 'mkIf' && args.length === 2 && last) return visitValue(last, path, literalOf(unparen(args[0])) === true ? conditional : true, priority, depth + 1);
        if (name in PRIORITY && last) return visitValue(last, path, conditional, PRIORITY[name], depth + 1);
        if (TRANSPARENT.has(name) && last) {
          if (last.type === 'list_expression') for (const e of last.namedChildren) if (e.type !== 'comment') visitValue(unparen(e) ?? e, path, conditional, priority, depth + 1);
          else visitValue(last, path, conditional, priority, depth + 1);
          return;
        }
        break;
      }
      case 'let_expression':
      case 'with_expression': {
        const body = unparen(v.childForFieldName('body'));
        if (body) return visitValue(body, path, conditional, priority, depth + 1);
        return;
      }
    }
    unknownUnder(path, v, true);
  }

  /** Every watched option under `path` may be defined by `at`, with a value not known. */
  function unknownUnder(path: string[], at: Node, _conditional: boolean): void {
    // `clan = ...` whole is the flake output of the clan (flake.nix), not a machine's `clan.core`
    if (path.length < 2) return;
    for (const w of prefixOf(path)) out.push({ option: w.join('.') as ClanCoreToggle, value: null, priority: 100, range: rangeOf(at) });
  }

  /** The module's own value: where `clan`/`config.clan` bindings are. */
  function visit(node: Node | null, conditional: boolean, depth: number): void {
    moduleBindings(node, conditional, depth, (path, value, cond, d, b) => {
      if (path.length === 0) return visit(value, cond, d);
      if (path[0] === 'clan') define(path, value, cond, 100, b, d);
      // a module written inside another value: a flake module (`flake.nixosModules.x = { ... }: { ... }`),
      // a machine's module, an inline module in `imports` (the model knows which machines have each place)
      else visit(value, cond, d);
    }, (n, cond, d) => {
      // modules written in a function's arguments (`clan-core.lib.clan { machines.x = { ... }; }`), or in a list
      const parts = n.type === 'apply_expression' ? applyParts(n).args : n.type === 'list_expression' ? n.namedChildren.filter((e) => e.type !== 'comment') : [];
      for (const a of parts) visit(a, cond, d);
    });
  }

  visit(root, false, 0);
  return out;
}

/**
 * A definition, in a module's config, of an option whose name ends in `enable` (`services.x.enable =
 * true;`, `x = { enable = lib.mkDefault false; };`): its dotted path, its literal Boolean (null: not
 * known statically, or under `lib.mkIf`) and priority. `under`: a value the syntax cannot read at
 * that path (`services.x = import ./x.nix;`), which may define any option below it.
 */
export interface EnableDef {
  option: string;
  value: boolean | null;
  priority: number;
  under?: true;
}

const NOT_CONFIG = new Set(['options', 'imports', '_file', 'key', 'meta', 'disabledModules', '_class', 'clan']);

/** Kinds of value that are no set of options: nothing below them is defined. */
const LEAVES = new Set(['string_expression', 'indented_string_expression', 'integer_expression', 'float_expression', 'path_expression', 'hpath_expression', 'spath_expression', 'uri_expression', 'list_expression', 'function_expression']);

/** The definitions of `*.enable` options in the module `root` (EnableDef). Syntax only; never throws. */
export function extractEnableDefs(root: Node): EnableDef[] {
  const out: EnableDef[] = [];

  function define(path: string[], value: Node | null, conditional: boolean, priority: number, depth: number): void {
    const v = unparen(value);
    if (!v || depth > MAX_DEPTH) return;
    const lit = literalOf(v);
    const enable = path.length > 1 && path[path.length - 1] === 'enable';
    if (enable && (typeof lit === 'boolean' || v.type !== 'apply_expression')) {
      return void out.push({ option: path.join('.'), value: typeof lit === 'boolean' && !conditional ? lit : null, priority });
    }
    // a literal: no set of options
    if (lit !== undefined) return;
    switch (v.type) {
      case 'attrset_expression':
        for (const b of bindingsOf(v)) {
          const parts = b.type === 'binding' ? attrPath(b.childForFieldName('attrpath')) : [];
          // an `inherit`, a name computed: any option below may be defined
          if (b.type !== 'binding' || parts.some((p) => p.name === null)) return void out.push({ option: path.join('.'), value: null, priority, under: true });
          define([...path, ...parts.map((p) => p.name!)], b.childForFieldName('expression'), conditional, priority, depth + 1);
        }
        return;
      case 'apply_expression': {
        const { fn, args } = applyParts(v);
        const name = dottedName(fn)?.split('.').pop() ?? '';
        const last = unparen(args[args.length - 1] ?? null);
        if (name === 'mkIf' && args.length === 2 && last) return define(path, last, literalOf(unparen(args[0])) === true ? conditional : true, priority, depth + 1);
        if (name in PRIORITY && args.length === 1 && last) return define(path, last, conditional, PRIORITY[name], depth + 1);
        if (name === 'mkOverride' && args.length === 2 && last) {
          const n = literalOf(unparen(args[0]));
          return define(path, last, conditional, typeof n === 'number' ? n : priority, depth + 1);
        }
        if (TRANSPARENT.has(name) && last) {
          if (last.type === 'list_expression') for (const e of last.namedChildren) if (e.type !== 'comment') define(path, e, conditional, priority, depth + 1);
          else define(path, last, conditional, priority, depth + 1);
          return;
        }
        break;
      }
      case 'let_expression':
      case 'with_expression':
        return define(path, v.childForFieldName('body'), conditional, priority, depth + 1);
    }
    if (enable) return void out.push({ option: path.join('.'), value: null, priority });
    if (!LEAVES.has(v.type)) out.push({ option: path.join('.'), value: null, priority, under: true });
  }

  /** The module's own value: its bindings below `config` (or the module's value itself), not `options` nor `imports`. */
  function visit(node: Node | null, conditional: boolean, depth: number): void {
    moduleBindings(node, conditional, depth, (path, value, cond, d) => {
      // declarations, the module's own attributes, and clan's options (clanCoreToggles reads those it needs)
      if (path.length === 0) visit(value, cond, d);
      else if (!NOT_CONFIG.has(path[0])) define(path, value, cond, 100, d);
    });
  }

  visit(root, false, 0);
  return out;
}

/**
 * The bindings of a module's own value, through what wraps its sets (its function, `let`, `with`,
 * `assert`, `lib.mkIf c`, conditional unless `c` is literally true, and `lib.mkMerge [ ... ]`): each
 * with its attribute path (a leading `config` taken off: `[]` for `config = ...` itself), its value,
 * whether it is conditional, and its depth. `other`: any other value met on the way (an application,
 * a list). Names computed are left out.
 */
function moduleBindings(node: Node | null, conditional: boolean, depth: number, onBinding: (path: string[], value: Node | null, conditional: boolean, depth: number, binding: Node) => void, other?: (n: Node, conditional: boolean, depth: number) => void): void {
  const n = unparen(node);
  if (!n || depth > MAX_DEPTH) return;
  const again = (x: Node | null, cond: boolean) => moduleBindings(x, cond, depth + 1, onBinding, other);
  switch (n.type) {
    case 'source_code':
      for (const c of n.namedChildren) if (c.type !== 'comment') again(c, conditional);
      return;
    case 'function_expression':
    case 'let_expression':
    case 'with_expression':
    case 'assert_expression':
      return again(n.childForFieldName('body'), conditional);
    case 'apply_expression': {
      const { fn, args } = applyParts(n);
      const name = dottedName(fn)?.split('.').pop() ?? '';
      const last = unparen(args[args.length - 1] ?? null);
      if (name === 'mkIf' && args.length === 2) return again(last, literalOf(unparen(args[0])) === true ? conditional : true);
      if (TRANSPARENT.has(name) && last?.type === 'list_expression') {
        for (const e of last.namedChildren) if (e.type !== 'comment') again(e, conditional);
        return;
      }
      return other?.(n, conditional, depth + 1);
    }
    case 'attrset_expression':
    case 'rec_attrset_expression':
      for (const b of bindingsOf(n)) {
        if (b.type !== 'binding') continue;
        const parts = attrPath(b.childForFieldName('attrpath'));
        if (parts.some((p) => p.name === null)) continue;
        const path = parts.map((p) => p.name!);
        onBinding(path[0] === 'config' ? path.slice(1) : path, b.childForFieldName('expression'), conditional, depth + 1, b);
      }
      return;
    default:
      return other?.(n, conditional, depth + 1);
  }
}
