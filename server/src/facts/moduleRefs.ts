// The modules an expression names, as far as syntax tells: a file of the clan, a flake module of
// this flake or an input's, a file in an input's source, or something unknown (kept with its text).
// Read by modules.ts for `imports` lists, a machine's modules and a role's `extraModules`.
import * as path from 'node:path';
import type { FlatNode as Node } from '../syntax/flatTree';
import type { Range } from '../base/types';
import type { ModuleRef } from './types';
import { applyParts, attrPath, bindingsOf, dottedName, inheritedNames, MAX_DEPTH, rangeOf, stringValue, unparen } from '../syntax/syntax';
import { letScope, parameters, type Scope } from './topLevel';
import { isOptionMoveModule, MODULE_OUTPUTS, outputClass, PASS_THROUGH } from './modulePaths';

/** Arguments a module receives that are not flake inputs: the module system's, nixpkgs' and clan's own (`self`). */
const MODULE_ARGS = new Set(['config', 'options', 'lib', 'pkgs', 'modulesPath', 'specialArgs', 'self', 'inputs', "inputs'", 'builtins', 'utils', 'name', 'nodes']);
/** An expression computing imports is a line or two; a longer one is not kept for the model. */
const MAX_APPLIED_TEXT = 2000;

/** Whether a `let` or `rec` set binds `name` (`name = ...;`, `inherit name;`, `inherit (x) name;`). */
function bindsName(n: Node, name: string): boolean {
  for (const b of bindingsOf(n)) {
    if (b.type === 'binding' && attrPath(b.childForFieldName('attrpath'))[0]?.name === name) return true;
    if ((b.type === 'inherit' || b.type === 'inherit_from') && inheritedNames(b).some((a) => a.name === name)) return true;
  }
  return false;
}

/** Attributes of a flake holding its modules: `x.nixosModules.y` with `x` a module argument names a module of input x. */
const MODULE_HOLDERS = new Set([...Object.keys(MODULE_OUTPUTS), 'modules', 'flakeModules']);

/** A namespace of flake modules in scope through `with` or a let binding: `config.flake.modules.nixos`. */
function flakeNamespace(name: string | null): string | null {
  if (!name) return null;
  const parts = name.split('.');
  const i = parts.lastIndexOf('modules');
  // config.flake.modules.<cls>, self.modules.<cls>, inputs.self.modules.<cls>
  if (i >= 0 && i === parts.length - 2 && (parts[i - 1] === 'flake' || parts[i - 1] === 'self')) return parts[i + 1];
  const last = parts[parts.length - 1];
  if (parts.length === 1) return MODULE_OUTPUTS[last] ?? null;
  return ['self', 'flake'].includes(parts[parts.length - 2]) ? outputClass(last) : null;
}

/** `self.nixosModules.x`, `inputs.self.modules.nixos.x`, `config.flake.modules.nixos."machines/x"`: the class and name. */
function flakeModuleOf(node: Node): { cls: string; name: string } | null {
  if (node.type !== 'select_expression' || node.childForFieldName('default')) return null;
  const base = dottedName(node.childForFieldName('expression'));
  const parts = attrPath(node.childForFieldName('attrpath'));
  if (base === null || parts.length === 0 || parts.some((p) => p.name === null)) return null;
  const all = [...base.split('.'), ...parts.map((p) => p.name!)];
  const cls = flakeNamespace(all.slice(0, -1).join('.'));
  return cls ? { cls, name: all[all.length - 1] } : null;
}

/**
 * An expression as a variable not bound in the file (a module argument) and the attributes selected
 * from it, through let bindings and `inherit (x) a;`: `self.inputs.x.nixosModules` is
 * `self` with `inputs`, `x`, `nixosModules`. An interpolated attribute is kept as its pattern.
 */
export function selection(node: Node | null, scope: Scope, depth = 0): { root: string; attrs: string[] } | null {
  const n = unparen(node);
  if (!n || depth > MAX_DEPTH) return null;
  if (n.type === 'variable_expression') {
    const bound = scope.get(n.text);
    if (!bound) return { root: n.text, attrs: [] };
    if (bound.type !== 'inherit_from') return selection(bound, scope, depth + 1);
    const from = selection(bound.childForFieldName('expression'), scope, depth + 1);
    return from && { root: from.root, attrs: [...from.attrs, n.text] };
  }
  if (n.type === 'select_expression' && !n.childForFieldName('default')) {
    const base = selection(n.childForFieldName('expression'), scope, depth + 1);
    return base && { root: base.root, attrs: [...base.attrs, ...attrPath(n.childForFieldName('attrpath')).map((p) => p.name ?? p.pattern ?? '*')] };
  }
  return null;
}

/** The class of the flake module namespace a selection is (`config.flake.modules.nixos` -> nixos); none for computed attributes. */
export function namespaceOf(sel: { root: string; attrs: string[] } | null): string | null {
  return sel && !sel.attrs.some((a) => a.includes('*')) ? flakeNamespace([sel.root, ...sel.attrs].join('.')) : null;
}

/**
 * What a `with` brings into scope for the module names written in it: this flake's modules of a
 * class (`with self.nixosModules;`), or a flake input's (`with inputs.x.nixosModules;`, which hides
 * an outer `with` of this flake's: a name there is the input's module as far as the syntax tells).
 */
export type WithScope = { cls: string } | { input: { name: string; attr: string }; text: string } | { argModules: { arg: string; cls: string } };

export function withScopeOf(sel: { root: string; attrs: string[] } | null): WithScope | null {
  const cls = namespaceOf(sel);
  if (cls) return { cls };
  const input = sel && !sel.attrs.some((a) => a.includes('*')) ? inputOf(sel, false) : null;
  if (input && MODULE_HOLDERS.has(input.attr.split('.')[0])) return { input, text: [sel!.root, ...sel!.attrs].join('.') };
  const arg = argModulesOf(sel);
  return arg ? { argModules: arg } : null;
}

/**
 * `modules.nixos` for an argument `modules` of the file's module that is no module system argument:
 * clans pass their flake's modules so (`specialArgs = { inherit (config.flake) modules; }`); the
 * model says whether the argument is that.
 */
function argModulesOf(sel: { root: string; attrs: string[] } | null): { arg: string; cls: string } | null {
  if (!sel || sel.attrs.length !== 1 || sel.attrs[0].includes('*') || MODULE_ARGS.has(sel.root)) return null;
  return { arg: sel.root, cls: sel.attrs[0] };
}

/**
 * The flake input a selection is in: `inputs.x...`, `inputs'.x...`, `self.inputs.x...`, the
 * `clan-core` argument clan gives every machine, and `x.nixosModules...` (or `x.modules...`) for an
 * argument `x` (clans pass their inputs as `specialArgs`). `path`: the selection is a folder a path
 * is appended to (`"${x}/m.nix"`, `x + "/m.nix"`), where any argument that is no module system
 * argument is an input's source.
 */
function inputOf(sel: { root: string; attrs: string[] }, path: boolean): { name: string; attr: string } | null {
  const { root, attrs } = sel;
  let rest: string[] | null = null;
  if (root === 'inputs' || root === "inputs'") rest = attrs;
  else if (root === 'self' && attrs[0] === 'inputs') rest = attrs.slice(1);
  // `ctx.inputs.x`: the inputs handed to modules in an argument of the clan's own
  else if (!MODULE_ARGS.has(root) && attrs[0] === 'inputs' && attrs.length > 1) rest = attrs.slice(1);
  else if (root === 'clan-core' || (!MODULE_ARGS.has(root) && (MODULE_HOLDERS.has(attrs[0]) || (path && attrs.length === 0)))) rest = [root, ...attrs];
  while (rest && rest[0] === 'self' && rest[1] === 'inputs') rest = rest.slice(2);
  if (!rest || !rest.length || rest[0] === 'self') return null;
  return { name: rest[0], attr: rest.slice(1).join('.') };
}

/** The flake input and attribute an expression selects (`inputs.x.nixosModules.y`, `clan-core.clanModules.sshd`: input `clan-core`, `clanModules.sshd`), or null. */
export function inputSelection(node: Node | null, scope: Scope): { name: string; attr: string } | null {
  const sel = selection(node, scope);
  return sel ? inputOf(sel, false) : null;
}

export const oneLine = (text: string) => {
  const t = text.replace(/\s+/g, ' ');
  return t.length > 80 ? t.slice(0, 79) + '…' : t;
};

/** Reads module references in one file: paths are resolved against the file's folder by `resolvePath`. */
export class ModuleRefReader {
  /** `topFunction`: the function the file's value is (a module's `{ config, nflib, ... }:`), if it is one. */
  constructor(
    private readonly resolvePath: (rel: string) => string,
    private readonly topFunction: Node | null = null,
  ) {}

  /**
   * `nflib.scanPaths ./. { }`: a function selected from an argument of the file's function (no
   * argument of the module system's: a clan's own, from its specialArgs), the argument bound nowhere
   * else on the way (a let, an inner function, a `rec` set). The model evaluates it (model/argImports.ts).
   */
  private appliedArg(n: Node, fn: Node | null, scope: Scope): ModuleRef['applied'] | null {
    const f = unparen(fn);
    if (!this.topFunction || f?.type !== 'select_expression' || f.childForFieldName('default') || n.text.length > MAX_APPLIED_TEXT) return null;
    const base = unparen(f.childForFieldName('expression'));
    if (base?.type !== 'variable_expression' || MODULE_ARGS.has(base.text) || scope.has(base.text)) return null;
    const arg = base.text;
    if (!parameters(this.topFunction).includes(arg) || this.topFunction.childForFieldName('universal')?.text === arg) return null;
    for (let a = n.parent; a && a.id !== this.topFunction.id; a = a.parent) {
      if (a.type === 'function_expression' && parameters(a).includes(arg)) return null;
      if ((a.type === 'rec_attrset_expression' || a.type === 'let_expression') && bindsName(a, arg)) return null;
    }
    return { arg, source: n.text };
  }

  /** A let's bindings over `outer`, with `inherit (x) a;` binding `a` to its `inherit_from` (read by `selection`). */
  scopeOf(letNode: Node, outer: Scope): Scope {
    const inner = letScope(letNode, outer);
    for (const b of bindingsOf(letNode)) {
      if (b.type === 'inherit_from') for (const a of inheritedNames(b)) if (a.name) inner.set(a.name, b);
    }
    return inner;
  }

  /** A module named by a selection (`self.inputs.x.nixosModules.y`, `inhA` from `inherit (config.flake.modules.nixos) inhA;`): a flake module of this flake or an input's. */
  private selectedRef(node: Node, scope: Scope, range: Range, text: string): ModuleRef | null {
    const sel = selection(node, scope);
    if (!sel || !sel.attrs.length) return null;
    const name = sel.attrs[sel.attrs.length - 1];
    const cls = name.includes('*') ? null : namespaceOf({ root: sel.root, attrs: sel.attrs.slice(0, -1) });
    if (cls) return { range, flakeModule: { cls, name } };
    const input = inputOf(sel, false);
    return input ? { range, input, unknown: text } : null;
  }

  /** A file in an input's source: `"${self.inputs.x}/m.nix"`, `inputs.x + "/m.nix"`, `x + "/m.nix"` for an argument `x`. */
  private inputPath(node: Node, scope: Scope, range: Range): ModuleRef | null {
    let folder: Node | null = null;
    let rest = '';
    if (node.type === 'string_expression') {
      const first = node.namedChildren[0];
      if (first?.type !== 'interpolation') return null;
      folder = first.childForFieldName('expression');
      rest = node.text.slice(first.endIndex - node.startIndex, -1);
    } else if (node.type === 'binary_expression' && node.childForFieldName('operator')?.text === '+') {
      folder = node.childForFieldName('left');
      rest = stringValue(unparen(node.childForFieldName('right'))) ?? '';
    }
    const sel = folder ? selection(folder, scope) : null;
    const input = sel ? inputOf(sel, true) : null;
    return input ? { range, input: { name: input.name, attr: [input.attr, rest].filter(Boolean).join('') }, unknown: oneLine(node.text) } : null;
  }

  pathTarget(node: Node): string | null {
    if (node.type !== 'path_expression' || node.namedChildren.some((c) => c.type === 'interpolation')) return null;
    return this.resolvePath(node.text);
  }

  /**
   * A path the file computes from its own paths: `modulePath + /common` or `dir + "/x.nix"` with
   * `modulePath = ./modules;` bound in a let (Nix appends the right side's text and normalises).
   */
  pathSum(node: Node | null, scope: Scope, depth = 0): string | null {
    const n = unparen(node);
    if (!n || depth > 20) return null;
    if (n.type === 'path_expression') return this.pathTarget(n);
    if (n.type === 'variable_expression') {
      const bound = scope.get(n.text);
      return bound && bound.type !== 'inherit_from' ? this.pathSum(bound, scope, depth + 1) : null;
    }
    if (n.type !== 'binary_expression' || n.childForFieldName('operator')?.text !== '+') return null;
    const left = this.pathSum(n.childForFieldName('left'), scope, depth + 1);
    const right = unparen(n.childForFieldName('right'));
    if (left === null || !right) return null;
    // an absolute path literal is its text; a string its value (no interpolation)
    const text = right.type === 'path_expression' && right.text.startsWith('/') && !right.namedChildren.some((c) => c.type === 'interpolation') ? right.text : stringValue(right);
    return text === null || text === undefined ? null : path.posix.normalize(left + text).replace(/(.)\/$/, '$1');
  }

  /** The module an expression names, as far as syntax tells. */
  refsOf(node: Node | null, scope: Scope, withNs: WithScope[], depth: number, out: ModuleRef[]): void {
    const n = unparen(node);
    if (!n || depth > MAX_DEPTH) return;
    const range = rangeOf(n);
    switch (n.type) {
      case 'list_expression':
        for (const e of n.namedChildren) if (e && e.type !== 'comment') this.refsOf(e, scope, withNs, depth + 1, out);
        return;
      case 'binary_expression': {
        if (n.childForFieldName('operator')?.text === '++') {
          this.refsOf(n.childForFieldName('left'), scope, withNs, depth + 1, out);
          this.refsOf(n.childForFieldName('right'), scope, withNs, depth + 1, out);
          return;
        }
        const own = this.pathSum(n, scope);
        if (own) return void out.push({ range, path: own });
        const sum = this.inputPath(n, scope, range);
        if (sum) return void out.push(sum);
        break;
      }
      case 'string_expression': {
        const inInput = this.inputPath(n, scope, range);
        if (inInput) return void out.push(inInput);
        const fromSelf = selfRelative(n, scope);
        if (fromSelf !== null) return void out.push({ range, selfPath: fromSelf, unknown: oneLine(n.text) });
        break;
      }
      case 'path_expression': {
        const target = this.pathTarget(n);
        out.push(target ? { range, path: target } : { range, unknown: n.text });
        return;
      }
      case 'with_expression': {
        const ns = withScopeOf(selection(n.childForFieldName('environment'), scope));
        return this.refsOf(n.childForFieldName('body'), scope, ns ? [...withNs, ns] : withNs, depth + 1, out);
      }
      case 'let_expression':
        return this.refsOf(n.childForFieldName('body'), this.scopeOf(n, scope), withNs, depth + 1, out);
      case 'if_expression':
        this.refsOf(n.childForFieldName('consequence'), scope, withNs, depth + 1, out);
        return this.refsOf(n.childForFieldName('alternative'), scope, withNs, depth + 1, out);
      case 'attrset_expression':
      case 'rec_attrset_expression':
      case 'function_expression':
        return; // an inline module: part of this file
      case 'variable_expression': {
        const bound = scope.get(n.text);
        if (bound?.type === 'inherit_from') {
          const ref = this.selectedRef(n, scope, range, n.text);
          return void out.push(ref ?? { range, unknown: n.text });
        }
        if (bound) return this.refsOf(bound, scope, withNs, depth + 1, out);
        const ns = withNs[withNs.length - 1];
        if (ns && 'cls' in ns) out.push({ range, flakeModule: { cls: ns.cls, name: n.text } });
        else if (ns && 'input' in ns) out.push({ range, input: { name: ns.input.name, attr: `${ns.input.attr}.${n.text}` }, unknown: `${ns.text}.${n.text}` });
        else if (ns) out.push({ range, argModule: { ...ns.argModules, name: n.text }, unknown: `${ns.argModules.arg}.${ns.argModules.cls}.${n.text}` });
        else out.push({ range, unknown: n.text });
        return;
      }
      case 'select_expression': {
        const fm = flakeModuleOf(n);
        if (fm) {
          out.push({ range, flakeModule: fm });
          return;
        }
        // `flakeModules.base` with `flakeModules = config.flake.modules.nixos` bound in let
        const base = unparen(n.childForFieldName('expression'));
        const parts = attrPath(n.childForFieldName('attrpath'));
        if (base?.type === 'variable_expression' && parts.length === 1 && parts[0].name) {
          const ns = namespaceOf(selection(base, scope));
          if (ns) {
            out.push({ range, flakeModule: { cls: ns, name: parts[0].name } });
            return;
          }
        }
        const text = oneLine(dottedName(n) ?? n.text);
        const selected = this.selectedRef(n, scope, range, text);
        if (selected) return void out.push(selected);
        // `modules.nixos.base` for an argument `modules`: the flake's module, where the model finds the argument is its modules
        const sel = selection(n, scope);
        const arg = sel && sel.attrs.length >= 2 && scope.get(sel.root) === undefined && !sel.attrs.some((a) => a.includes('*')) ? argModulesOf({ root: sel.root, attrs: sel.attrs.slice(0, 1) }) : null;
        return void out.push(arg ? { range, argModule: { ...arg, name: sel!.attrs.slice(1).join('.') }, unknown: text } : { range, unknown: text });
      }
      case 'apply_expression': {
        const { fn, args } = applyParts(n);
        const name = dottedName(fn)?.split('.').pop() ?? '';
        if ((name === 'import' || name === 'importApply') && args.length) {
          const arg = unparen(args[0]) ?? args[0];
          const target = this.pathTarget(arg);
          const inInput = target ? null : this.inputPath(arg, scope, range);
          out.push(target ? { range, path: target } : inInput ? { ...inInput, unknown: oneLine(n.text) } : { range, unknown: oneLine(n.text) });
          return;
        }
        if (PASS_THROUGH.has(name) && args.length) return this.refsOf(args[args.length - 1], scope, withNs, depth + 1, out);
        // an option retired or moved (lib.mkRemovedOptionModule): a module of nixpkgs' making that gives no generator
        if (isOptionMoveModule(n)) return;
        // a function of this file applied to arguments (`extraHostsModule { inherit settings; }`): an inline module
        const f = unparen(fn);
        if (f?.type === 'variable_expression' && unparen(this.resolveVar(f, scope))?.type === 'function_expression') return;
        const applied = this.appliedArg(n, fn, scope);
        if (applied) return void out.push({ range, unknown: oneLine(n.text), applied });
        break;
      }
    }
    out.push({ range, unknown: oneLine(n.text) });
  }

  private resolveVar(node: Node | null, scope: Scope): Node | null {
    let n = unparen(node);
    for (let i = 0; n && n.type === 'variable_expression' && scope.has(n.text) && i < 20; i++) n = unparen(scope.get(n.text)!);
    return n;
  }

  importTargetOf(v: Node): string | null {
    if (v.type !== 'apply_expression') return null;
    const { fn, args } = applyParts(v);
    const name = dottedName(fn)?.split('.').pop();
    return (name === 'import' || name === 'importApply') && args.length ? this.pathTarget(unparen(args[0]) ?? args[0]) : null;
  }
}

/**
 * `"${self}/x/y.nix"`: the path below the flake's own folder (`x/y.nix`; '' for the folder), where
 * `self` is the flake's (a formal of the file's function or unbound, not bound by a let of it), or
 * null. `inputs.self` and `self.outPath` name the same folder.
 */
export function selfRelative(n: Node, scope: Scope): string | null {
  if (n.type !== 'string_expression') return null;
  const parts = n.namedChildren;
  const first = parts[0];
  if (first?.type !== 'interpolation' || parts.slice(1).some((c) => c?.type === 'interpolation')) return null;
  const e = unparen(first.childForFieldName('expression'));
  const name = e?.type === 'variable_expression' || e?.type === 'select_expression' ? dottedName(e) : null;
  if (name !== 'self' && name !== 'inputs.self' && name !== 'self.outPath' && name !== 'inputs.self.outPath') return null;
  if (scope.has(name.split('.')[0])) return null;
  const rest = n.text.slice(first.endIndex - n.startIndex, -1);
  if (rest !== '' && !/^\/[^"\\$]*$/.test(rest)) return null;
  return rest.replace(/^\/+/, '').replace(/\/+$/, '');
}
