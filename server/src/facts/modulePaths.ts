// Where a binding is in a clan's module structure, from its attribute path alone: a flake module
// (`flake.nixosModules.x`), a machine (`clan.machines.<m>`), an inventory instance, tag or machine,
// a local clan service, a part of the clan's configuration the model reads (ClanPart). Read by
// modules.ts as it walks a file.
import type { FlatNode as Node } from '../syntax/flatTree';
import { applyParts, dottedName, stringValue, unparen } from '../syntax/syntax';

/** `nixosModules`, `darwinModules`, ... as flake outputs, by module class. */
export const MODULE_OUTPUTS: Record<string, string> = { nixosModules: 'nixos', darwinModules: 'darwin', homeModules: 'homeManager', clanModules: 'clan' };
/** The module class of a flake output of modules: `nixosModules` -> nixos, and any other `<x>Modules` a flake declares (`flake.wrapperModules`) -> x. */
export function outputClass(key: string): string | null {
  return MODULE_OUTPUTS[key] ?? /^([a-z][\w-]*)Modules$/.exec(key)?.[1] ?? null;
}
/** Functions whose last argument is the module (`lib.mkIf c [ ... ]`, `lib.optionals c [ ... ]`). */
export const PASS_THROUGH = new Set(['mkIf', 'mkDefault', 'mkForce', 'mkOverride', 'mkBefore', 'mkAfter', 'mkOrder', 'optionals', 'optional', 'optionalAttrs', 'mkMerge', 'flatten']);

/**
 * `home-manager.users.<u>.imports`: modules of another evaluation (a home-manager user's), which
 * cannot declare clan vars generators (`clan.core.vars` is an option of NixOS and nix-darwin
 * machines only), so they are no modules of the machine.
 */
export function otherEvaluation(path: string[]): boolean {
  return path.some((p, i) => p === 'home-manager' && path[i + 1] === 'users');
}

/** `flake.nixosModules.x`, `flake.modules.nixos.x`, `nixosModules.x` (flake outputs). */
export function flakeModuleAt(path: string[], inClanArgs = false): { cls: string; name: string } | null {
  const n = path.length;
  // `modules.<name>` in the clan function's argument is a clan service, not a flake's module
  if (inClanArgs && path[0] === 'modules') return null;
  if (n >= 3 && path[n - 3] === 'modules' && (n === 3 || path[n - 4] === 'flake')) return { cls: path[n - 2], name: path[n - 1] };
  if (n === 2 && MODULE_OUTPUTS[path[0]]) return { cls: MODULE_OUTPUTS[path[0]], name: path[1] };
  const cls = n >= 3 && (path[n - 3] === 'flake' || path[n - 3] === 'outputs') ? outputClass(path[n - 2]) : null;
  if (cls) return { cls, name: path[n - 1] };
  return null;
}

/** The options of a flake-aspects aspect (vic/flake-aspects, nix/types.nix): its other attributes are module classes. */
const ASPECT_OPTIONS = new Set(['name', 'description', 'includes', 'provides', '_', '__functor', 'modules', 'resolve']);

/**
 * `flake.aspects.<aspect>.<class>...` as flake-aspects' flake-parts module transposes it:
 * `flake.modules.<class>.<aspect>...` (the aspect's module of that class, which also imports the
 * modules of that class of the aspects it `includes`: see aspectOpen). Any other path as it is.
 */
export function transposedAspect(path: string[]): string[] {
  const i = path[0] === 'config' ? 1 : 0;
  if (path.length < i + 4 || path[i] !== 'flake' || path[i + 1] !== 'aspects' || ASPECT_OPTIONS.has(path[i + 3])) return path;
  return [...path.slice(0, i), 'flake', 'modules', path[i + 3], path[i + 2], ...path.slice(i + 4)];
}

/**
 * `flake.nixosModules.x.clan.core...`, `flake.aspects.x.nixos.clan.core...`: a flake module's own
 * configuration written in one binding with its name. The module, and where its configuration
 * starts in `path`; null for a path below no flake module.
 */
export function flakeModuleAbove(path: string[], inClanArgs = false): { cls: string; name: string; at: number } | null {
  const p = transposedAspect(path);
  for (let k = 2; k < p.length; k++) {
    const m = flakeModuleAt(p.slice(0, k), inClanArgs);
    if (m) return { ...m, at: k };
  }
  return null;
}

/**
 * Where a binding makes an aspect's modules other than its classes' own definitions: its
 * `includes` (other aspects' modules imported into each of its classes), its `__functor` (what it
 * resolves to), an aspect that is not a set (a provider function), or all aspects computed. The
 * aspect (null: every one) and why; null where the binding is none of these.
 */
export function aspectOpen(at: string[], value: Node | null): { name: string | null; why: string } | null {
  const path = at[0] === 'config' ? at.slice(1) : at;
  if (path[0] !== 'flake' || path[1] !== 'aspects' || !value) return null;
  const v = unparen(value);
  const set = v?.type === 'attrset_expression' || v?.type === 'rec_attrset_expression';
  if (path.length === 2) return set ? null : { name: null, why: 'the aspects of flake-aspects are computed' };
  if (path.length === 3) return set ? null : { name: path[2], why: `flake-aspects aspect '${path[2]}' is not written as a set` };
  if (path.length === 4 && path[3] === 'includes') return { name: path[2], why: `flake-aspects aspect '${path[2]}' includes other aspects` };
  if (path.length === 4 && path[3] === '__functor') return { name: path[2], why: `flake-aspects aspect '${path[2]}' has a functor of its own` };
  return null;
}

/** `clan.machines = ...` or `machines = ...` in the clan function's argument. */
export function isMachinesSet(path: string[], inClanArgs: boolean): boolean {
  const n = path.length;
  return (n >= 2 && path[n - 2] === 'clan' && path[n - 1] === 'machines') || (inClanArgs && n === 1 && path[0] === 'machines');
}

/** `clan.machines.<m>` (flake-parts or a clan module) or `machines.<m>` in the clan function's argument. */
export function machineOf(path: string[], inClanArgs: boolean): string | null {
  if (path.length >= 3 && path[path.length - 3] === 'clan' && path[path.length - 2] === 'machines') return path[path.length - 1];
  if (inClanArgs && path.length === 2 && path[0] === 'machines') return path[1];
  return null;
}

/** `clan.machines.<m>` (or `machines.<m>` in the clan function's argument) with more below it: the machine and its index in `path`. */
export function machineAbove(path: string[], inClanArgs: boolean): { name: string; at: number } | null {
  if (inClanArgs && path.length > 2 && path[0] === 'machines') return { name: path[1], at: 1 };
  for (let i = 0; i + 3 < path.length; i++) if (path[i] === 'clan' && path[i + 1] === 'machines' && (i === 0 || path[i - 1] !== 'core')) return { name: path[i + 2], at: i + 2 };
  return null;
}

/** `inventory.tags` (tag null) or `inventory.tags.<t>`, in a clan module or the clan function's argument. */
export function inventoryTagAt(path: string[], inClanArgs: boolean): { tag: string | null } | null {
  const i = path.lastIndexOf('tags');
  if (i < 1 || path[i - 1] !== 'inventory' || i < path.length - 2) return null;
  if (i === 1 && !inClanArgs) return null;
  return { tag: i === path.length - 1 ? null : path[i + 1] };
}

/**
 * `inventory.machines.<m>` or a binding below it (also `machines.<m>...` inside `inventory` in clan
 * arguments): the machine, and `machineClass` or `tags` when the binding is that field of it, else ''.
 */
export function inventoryMachineAt(path: string[], inClanArgs: boolean): { machine: string; field: string } | null {
  for (let i = 1; i + 1 < path.length; i++) {
    if (path[i] !== 'machines' || path[i - 1] !== 'inventory') continue;
    if (i === 1 && !inClanArgs) return null;
    const field = path.length === i + 3 ? path[i + 2] : '';
    return { machine: path[i + 1], field: field === 'machineClass' || field === 'tags' ? field : '' };
  }
  return null;
}

/** The instance name and the path inside it for `inventory.instances.<i>...` / `instances.<i>...` in clan arguments. */
export function instanceAt(path: string[], inClanArgs: boolean): string[] | null {
  const i = path.indexOf('instances');
  if (i < 0 || i + 1 >= path.length) return null;
  if (i > 0 && path[i - 1] !== 'inventory') return null;
  if (i === 0 && !inClanArgs) return null;
  return path.slice(i + 1);
}

/**
 * `inventory.services.<module>.<instance>...`: the inventory's services before clan services (the
 * clanModules era, clan-core until mid-2025): the module, the instance (null: the binding is above
 * them) and the path inside the instance.
 */
export function legacyServiceAt(path: string[], inClanArgs: boolean): { module: string | null; instance: string | null; rest: string[] } | null {
  const i = path.indexOf('services');
  if (i < 1 || path[i - 1] !== 'inventory') return null;
  // as inventoryMachineAt: `inventory` at the top of a file's value is the clan's only in its arguments
  if (i === 1 && !inClanArgs) return null;
  return { module: path[i + 1] ?? null, instance: path[i + 2] ?? null, rest: path.slice(i + 3) };
}

/** `clan.modules.<name>`, `inventory.modules.<name>`, `modules.<name>` in clan arguments: a local clan service. */
export function serviceAt(path: string[], inClanArgs: boolean): string | null {
  const n = path.length;
  if (n < 2 || path[n - 2] !== 'modules') return null;
  if (n >= 3 && (path[n - 3] === 'clan' || path[n - 3] === 'inventory')) return path[n - 1];
  if (n === 2 && inClanArgs) return path[1];
  return null;
}


/** `clan.modules = ...`, `inventory.modules = ...`, `modules = ...` in clan arguments: the whole set of local clan services. */
export function isServiceSet(path: string[], inClanArgs: boolean): boolean {
  const n = path.length;
  return (n >= 2 && path[n - 1] === 'modules' && (path[n - 2] === 'clan' || path[n - 2] === 'inventory')) || (inClanArgs && n === 1 && path[0] === 'modules');
}

/** A place in the clan's configuration whose structure the model reads. */
export interface ClanPart {
  /** `clan` (the whole configuration, `clan = ...` in a flake-parts module), `inventory`, `instances` (all of them), `instance` (one: `name`), `machines` (clan's or the inventory's), `machine` (one machine's module: `name`), `imports` (the clan's own modules). */
  kind: 'clan' | 'inventory' | 'instances' | 'instance' | 'machines' | 'machine' | 'imports';
  name?: string;
}

/** The path relative to the clan's configuration: the clan function's argument, or below `clan` (not `clan.core`, a machine's). */
export function clanRelative(path: string[], inClanArgs: boolean): string[] | null {
  if (inClanArgs) return path;
  const i = path.indexOf('clan');
  return i < 0 || path[i + 1] === 'core' ? null : path.slice(i + 1);
}

/** What part of the clan's structure `path` is, or null where the model reads no structure. */
export function clanPartAt(path: string[], inClanArgs: boolean): ClanPart | null {
  const rel = clanRelative(path, inClanArgs);
  if (!rel) return null;
  // `clan = <value>` (flake-parts' option): the whole of it
  if (rel.length === 0) return inClanArgs || path.length !== 1 ? null : { kind: 'clan' };
  if (rel.length === 1 && rel[0] === 'inventory') return { kind: 'inventory' };
  if (rel.length === 1 && rel[0] === 'imports' && (inClanArgs || path[path.length - 2] === 'clan')) return { kind: 'imports' };
  const i = rel[0] === 'inventory' ? 1 : 0;
  if (rel[i] === 'instances' && (i === 1 || inClanArgs)) {
    if (rel.length === i + 1) return { kind: 'instances' };
    const name = rel[i + 1];
    const rest = rel.slice(i + 2);
    // `roles.<r>.machines.${m}` (a machine's name computed: '\u0000', visitBinding) is the role's machines too
    const machinesOfRole = rest[2] === 'machines' && (rest.length === 3 || (rest.length === 4 && rest[3] === '\u0000'));
    const structural = rest.length === 0 || (rest[0] === 'roles' && (rest.length <= 2 || machinesOfRole)) || (rest[0] === 'module' && rest.length <= 2);
    return structural ? { kind: 'instance', name } : null;
  }
  if (rel[i] === 'machines') {
    if (rel.length === i + 1) return { kind: 'machines' };
    // a machine's module, in the clan function's argument or `clan.machines`
    if (i === 0 && rel.length === 2) return { kind: 'machine', name: rel[1] };
  }
  return null;
}

/** nixpkgs' modules that move or retire an option (lib/modules.nix): they declare the old path and define the new one from it, nothing else. */
const OPTION_MOVES = new Set(['mkRenamedOptionModule', 'mkRenamedOptionModuleWith', 'mkAliasOptionModule', 'mkAliasOptionModuleMD', 'mkChangedOptionModule', 'mkMergedOptionModule']);

/** A literal attribute path (`[ "services" "foo" ]`), or null. */
function literalPath(n: Node | null | undefined): string[] | null {
  const list = unparen(n ?? null);
  if (list?.type !== 'list_expression') return null;
  const parts = list.namedChildren.filter((e) => e.type !== 'comment').map((e) => (e.type === 'string_expression' ? stringValue(e) : null));
  return parts.every((p): p is string => p !== null) ? parts : null;
}

/**
 * A module that only retires or moves an option, and cannot give a machine a generator:
 * `lib.mkRemovedOptionModule` (a definition at the old path is an error), or a move whose paths are
 * both written literally and neither is under `clan` nor above it (nothing reaches `clan.core.vars`
 * through it). `flakeLevel`: in the clan's own (flake-parts) modules, where clan-core's own move of
 * `clan` to `flake.clan` (two names the model reads alike) is one too.
 */
export function isOptionMoveModule(n: Node, flakeLevel = false): boolean {
  if (n.type !== 'apply_expression') return false;
  const { fn, args } = applyParts(n);
  const name = dottedName(fn)?.split('.').pop() ?? '';
  if (name === 'mkRemovedOptionModule') return args.length >= 1 && literalPath(args[0]) !== null;
  if (!OPTION_MOVES.has(name)) return false;
  // mkRenamedOptionModuleWith takes a set ({ from; to; sinceRelease; }): not read here
  const from = name === 'mkMergedOptionModule' ? null : literalPath(args[0]);
  const to = name === 'mkMergedOptionModule' ? null : literalPath(args[1]);
  if (!from || !to) return false;
  const key = `${from.join('.')}>${to.join('.')}`;
  if (flakeLevel && (key === 'clan>flake.clan' || key === 'flake.clan>clan')) return true;
  return from[0] !== 'clan' && to[0] !== 'clan' && from.length > 0 && to.length > 0;
}

const SET_LIKE = new Set(['source_code', 'attrset_expression', 'rec_attrset_expression', 'let_expression', 'with_expression', 'if_expression', 'function_expression', 'assert_expression']);

/** Whether the syntax reads a value at a part of the structure (a set, a module, a literal name), or the binding's own reader does (a path, an import, a folder of machines). */
export function readablePart(part: ClanPart, n: Node): boolean {
  if (SET_LIKE.has(n.type)) return true;
  if (n.type === 'binary_expression') return n.childForFieldName('operator')?.text === '//' || (part.kind === 'imports' && n.childForFieldName('operator')?.text === '++');
  if (part.kind === 'instance' && n.type === 'string_expression') return stringValue(n) !== null;
  // the clan's own modules as files: what they write of the inventory is read wherever it is written
  if (n.type === 'list_expression') return part.kind === 'imports' && n.namedChildren.every((e) => e.type === 'comment' || e.type === 'path_expression' || isOptionMoveModule(unparen(e) ?? e, true));
  if (n.type === 'path_expression') return part.kind === 'machine';
  if (n.type === 'apply_expression') {
    const { fn, args } = applyParts(n);
    const name = dottedName(fn)?.split('.').pop() ?? '';
    if (PASS_THROUGH.has(name) || isFixpoint(name, args)) return true;
    // a machine's module imported from a file
    if (part.kind === 'machine' && (name === 'import' || name === 'importApply') && unparen(args[0] ?? null)?.type === 'path_expression') return true;
    // clan's machines built by a function over a folder (machineTemplate reads it)
    if (part.kind === 'machines') return isMachineTemplate(n);
  }
  return false;
}

/** The clan's machines built by applying a function of a name to a set or a list (`lib.genAttrs names (name: { ... })`). */
export function isMachineTemplate(n: Node): boolean {
  if (n.type !== 'apply_expression') return false;
  const { fn, args } = applyParts(n);
  const name = dottedName(fn)?.split('.').pop() ?? '';
  return !PASS_THROUGH.has(name) && !isFixpoint(name, args) && args.some((a) => unparen(a)?.type === 'function_expression' && !!unparen(a)!.childForFieldName('universal'));
}

/** `lib.fix (self: { ... })`: the function's body is the value (its argument only refers back to it). */
export function isFixpoint(name: string, args: Node[]): boolean {
  return name === 'fix' && args.length === 1 && unparen(args[0])?.type === 'function_expression';
}
