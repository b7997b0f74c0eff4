// What a file says about the module structure of a clan: the modules it imports, the flake modules
// it defines (`flake.nixosModules.x`, `flake.modules.nixos.x`), the machines it declares modules for
// (`clan.machines.<m>`), clan service instances (`inventory.instances.<i>`) and local clan services
// (`clan.modules.<name>`). Syntax only; never throws. The model (model/moduleGraph.ts) joins these.
import type { FlatNode as Node } from '../syntax/flatTree';
import { contains, type Range } from '../base/types';
import type { FlakeModuleDef, InstanceFacts, MachineModule, ModuleFacts, ModuleRef } from './types';
import { nodeToAst } from './eval/ast';
import { applyParts, attrPath, bindingsOf, dottedName, inheritedNames, MAX_DEPTH, rangeOf, stringValue, unparen } from '../syntax/syntax';
import { letScope, type Scope } from './topLevel';

/** `nixosModules`, `darwinModules`, ... as flake outputs, by module class. */
const MODULE_OUTPUTS: Record<string, string> = { nixosModules: 'nixos', darwinModules: 'darwin', homeModules: 'homeManager', clanModules: 'clan' };
/** The module class of a flake output of modules: `nixosModules` -> nixos, and any other `<x>Modules` a flake declares (`flake.wrapperModules`) -> x. */
function outputClass(key: string): string | null {
  return MODULE_OUTPUTS[key] ?? /^([a-z][\w-]*)Modules$/.exec(key)?.[1] ?? null;
}
/** Functions whose last argument is the module (`lib.mkIf c [ ... ]`, `lib.optionals c [ ... ]`). */
const PASS_THROUGH = new Set(['mkIf', 'mkDefault', 'mkForce', 'mkOverride', 'mkBefore', 'mkAfter', 'mkOrder', 'optionals', 'optional', 'optionalAttrs', 'mkMerge', 'flatten']);
const CLAN_FUNCTIONS = /(^|\.)(clan|buildClan)$/;
/** Functions over an attrset of modules that keep its names (`flake.modules.nixos = lib.mapAttrs f { a = ...; }`). */
const NAME_KEEPING = new Set(['mapAttrs', 'filterAttrs']);
/** Arguments a module receives that are not flake inputs: the module system's, nixpkgs' and clan's own (`self`). */
const MODULE_ARGS = new Set(['config', 'options', 'lib', 'pkgs', 'modulesPath', 'specialArgs', 'self', 'inputs', "inputs'", 'builtins', 'utils', 'name', 'nodes']);
/** Attributes of a flake holding its modules: `x.nixosModules.y` with `x` a module argument names a module of input x. */
const MODULE_HOLDERS = new Set([...Object.keys(MODULE_OUTPUTS), 'modules', 'flakeModules']);
/** Tag definitions are a few filters over machine lists; a longer one is not kept (its tags stay unknown). */
const MAX_TAG_TEXT = 4000;

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
function selection(node: Node | null, scope: Scope, depth = 0): { root: string; attrs: string[] } | null {
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
function namespaceOf(sel: { root: string; attrs: string[] } | null): string | null {
  return sel && !sel.attrs.some((a) => a.includes('*')) ? flakeNamespace([sel.root, ...sel.attrs].join('.')) : null;
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
  else if (root === 'clan-core' || (!MODULE_ARGS.has(root) && (MODULE_HOLDERS.has(attrs[0]) || (path && attrs.length === 0)))) rest = [root, ...attrs];
  while (rest && rest[0] === 'self' && rest[1] === 'inputs') rest = rest.slice(2);
  if (!rest || !rest.length || rest[0] === 'self') return null;
  return { name: rest[0], attr: rest.slice(1).join('.') };
}

/** `clanArgs`: the file's value is the clan function's argument (a clan's `clan.nix`). */
/**
 * `clanArgs`: the file's value is the clan function's argument (a clan's `clan.nix`). `prefix`: where
 * in the clan's configuration the file's value is (`['inventory']` for a file another imports as the
 * inventory: model/clanParts.ts reads it so where it is imported).
 */
export function extractModules(root: Node, resolvePath: (rel: string) => string, clanArgs = false, prefix: string[] = []): ModuleFacts {
  const facts: ModuleFacts = { imports: [], flakeModules: [], machineModules: [], instances: [], services: [] };
  const instances = new Map<string, InstanceFacts>();

  /** A let's bindings over `outer`, with `inherit (x) a;` binding `a` to its `inherit_from` (read by `selection`). */
  function scopeOf(letNode: Node, outer: Scope): Scope {
    const inner = letScope(letNode, outer);
    for (const b of bindingsOf(letNode)) {
      if (b.type === 'inherit_from') for (const a of inheritedNames(b)) if (a.name) inner.set(a.name, b);
    }
    return inner;
  }

  /** A module named by a selection (`self.inputs.x.nixosModules.y`, `inhA` from `inherit (config.flake.modules.nixos) inhA;`): a flake module of this flake or an input's. */
  function selectedRef(node: Node, scope: Scope, range: Range, text: string): ModuleRef | null {
    const sel = selection(node, scope);
    if (!sel || !sel.attrs.length) return null;
    const name = sel.attrs[sel.attrs.length - 1];
    const cls = name.includes('*') ? null : namespaceOf({ root: sel.root, attrs: sel.attrs.slice(0, -1) });
    if (cls) return { range, flakeModule: { cls, name } };
    const input = inputOf(sel, false);
    return input ? { range, input, unknown: text } : null;
  }

  /** A file in an input's source: `"${self.inputs.x}/m.nix"`, `inputs.x + "/m.nix"`, `x + "/m.nix"` for an argument `x`. */
  function inputPath(node: Node, scope: Scope, range: Range): ModuleRef | null {
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

  function pathTarget(node: Node): string | null {
    if (node.type !== 'path_expression' || node.namedChildren.some((c) => c.type === 'interpolation')) return null;
    return resolvePath(node.text);
  }

  /** The module an expression names, as far as syntax tells. */
  function refsOf(node: Node | null, scope: Scope, withNs: string[], depth: number, out: ModuleRef[]): void {
    const n = unparen(node);
    if (!n || depth > MAX_DEPTH) return;
    const range = rangeOf(n);
    switch (n.type) {
      case 'list_expression':
        for (const e of n.namedChildren) if (e && e.type !== 'comment') refsOf(e, scope, withNs, depth + 1, out);
        return;
      case 'binary_expression': {
        if (n.childForFieldName('operator')?.text === '++') {
          refsOf(n.childForFieldName('left'), scope, withNs, depth + 1, out);
          refsOf(n.childForFieldName('right'), scope, withNs, depth + 1, out);
          return;
        }
        const sum = inputPath(n, scope, range);
        if (sum) return void out.push(sum);
        break;
      }
      case 'string_expression': {
        const inInput = inputPath(n, scope, range);
        if (inInput) return void out.push(inInput);
        break;
      }
      case 'path_expression': {
        const target = pathTarget(n);
        out.push(target ? { range, path: target } : { range, unknown: n.text });
        return;
      }
      case 'with_expression': {
        const ns = namespaceOf(selection(n.childForFieldName('environment'), scope));
        return refsOf(n.childForFieldName('body'), scope, ns ? [...withNs, ns] : withNs, depth + 1, out);
      }
      case 'let_expression':
        return refsOf(n.childForFieldName('body'), scopeOf(n, scope), withNs, depth + 1, out);
      case 'if_expression':
        refsOf(n.childForFieldName('consequence'), scope, withNs, depth + 1, out);
        return refsOf(n.childForFieldName('alternative'), scope, withNs, depth + 1, out);
      case 'attrset_expression':
      case 'rec_attrset_expression':
      case 'function_expression':
        return; // an inline module: part of this file
      case 'variable_expression': {
        const bound = scope.get(n.text);
        if (bound?.type === 'inherit_from') {
          const ref = selectedRef(n, scope, range, n.text);
          return void out.push(ref ?? { range, unknown: n.text });
        }
        if (bound) return refsOf(bound, scope, withNs, depth + 1, out);
        const ns = withNs[withNs.length - 1];
        if (ns) out.push({ range, flakeModule: { cls: ns, name: n.text } });
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
        return void out.push(selectedRef(n, scope, range, text) ?? { range, unknown: text });
      }
      case 'apply_expression': {
        const { fn, args } = applyParts(n);
        const name = dottedName(fn)?.split('.').pop() ?? '';
        if ((name === 'import' || name === 'importApply') && args.length) {
          const arg = unparen(args[0]) ?? args[0];
          const target = pathTarget(arg);
          const inInput = target ? null : inputPath(arg, scope, range);
          out.push(target ? { range, path: target } : inInput ? { ...inInput, unknown: oneLine(n.text) } : { range, unknown: oneLine(n.text) });
          return;
        }
        if (PASS_THROUGH.has(name) && args.length) return refsOf(args[args.length - 1], scope, withNs, depth + 1, out);
        // a function of this file applied to arguments (`extraHostsModule { inherit settings; }`): an inline module
        const f = unparen(fn);
        if (f?.type === 'variable_expression' && unparen(resolveVar(f, scope))?.type === 'function_expression') return;
        break;
      }
    }
    out.push({ range, unknown: oneLine(n.text) });
  }

  function resolveVar(node: Node | null, scope: Scope): Node | null {
    let n = unparen(node);
    for (let i = 0; n && n.type === 'variable_expression' && scope.has(n.text) && i < 20; i++) n = unparen(scope.get(n.text)!);
    return n;
  }

  function instance(name: string): InstanceFacts {
    let i = instances.get(name);
    if (!i) instances.set(name, (i = { name, module: null, input: null, roles: [] }));
    return i;
  }

  function role(inst: InstanceFacts, name: string) {
    let r = inst.roles.find((x) => x.name === name);
    if (!r) inst.roles.push((r = { name, machines: [], tags: [], tagsUnknown: false }));
    return r;
  }

  /** A binding at full attribute path `path` (from the file's value, or from the clan function's argument). */
  function binding(path: string[], value: Node | null, scope: Scope, withNs: string[], inClanArgs: boolean, range: Node): void {
    const last = path[path.length - 1];
    if (value && !flakeModuleAt(path, inClanArgs) && !enclosingDef(path, range, inClanArgs)) {
      // `flake.nixosModules.x.imports = ...` or `x.imports` inside `flake.nixosModules = { ... }`: a part of module x
      for (let k = path.length - 1; k > 0; k--) {
        const at = flakeModuleAt(path.slice(0, k), inClanArgs);
        if (at) {
          facts.flakeModules.push({ cls: at.cls, name: at.name, range: rangeOf(range), target: null, imports: [] });
          break;
        }
      }
    }
    if (last === 'imports') {
      if (otherEvaluation(path)) return;
      const m = machineOf(path.slice(0, -1), inClanArgs);
      const refs: ModuleRef[] = [];
      refsOf(value, scope, withNs, 0, refs);
      const def = enclosingDef(path.slice(0, -1), range, inClanArgs);
      if (m) machineEntry(m).refs.push(...refs);
      else if (def) def.imports.push(...refs);
      else facts.imports.push(...refs);
      return;
    }
    const flake = flakeModuleAt(path, inClanArgs);
    if (flake && value) {
      const v = unparen(value);
      const target = v ? (pathTarget(v) ?? importTargetOf(v)) : null;
      facts.flakeModules.push({ cls: flake.cls, name: flake.name, range: rangeOf(range), target, imports: [] });
    }
    if (value && isMachinesSet(path, inClanArgs)) machineTemplate(value);
    const m = path.length >= 1 ? machineOf(path, inClanArgs) : null;
    if (m && value && machineOf(path.slice(0, -1), inClanArgs) === null) {
      const v = unparen(value);
      const target = v ? (pathTarget(v) ?? importTargetOf(v)) : null;
      if (target) machineEntry(m).refs.push({ range: rangeOf(v!), path: target });
      else {
        if (value.text.includes('generators')) machineEntry(m).inline = true;
        if (v && v.type !== 'variable_expression') (machineEntry(m).ranges ??= []).push(rangeOf(v));
      }
    }
    const inst = instanceAt(path, inClanArgs);
    if (inst) {
      const [name, ...rest] = inst;
      const i = instance(name);
      const text = value ? stringValue(unparen(value)) : null;
      if (rest[0] === 'module' && rest[1] === 'name' && text) i.module = text;
      if (rest[0] === 'module' && rest[1] === 'input' && text) i.input = text;
      if (rest[0] === 'roles' && rest[1]) {
        const r = role(i, rest[1]);
        if (rest[2] === 'machines' && rest[3] && !r.machines.includes(rest[3])) r.machines.push(rest[3]);
        if (rest[2] === 'tags' && rest[3] && !r.tags.includes(rest[3])) r.tags.push(rest[3]);
        // modules the role's machines get: `extraModules` of any service, `settings.extraModules` of the importer
        if (value && ((rest[2] === 'extraModules' && rest.length === 3) || (rest[2] === 'settings' && rest[3] === 'extraModules' && rest.length === 4))) {
          const refs: ModuleRef[] = [];
          refsOf(value, scope, withNs, 0, refs);
          (r.extraModules ??= []).push(...refs);
          const list = unparen(value);
          for (const e of list?.type === 'list_expression' ? list.namedChildren : list ? [list] : []) {
            const m = unparen(e);
            if (m && (m.type === 'attrset_expression' || m.type === 'function_expression' || m.type === 'rec_attrset_expression')) (r.extraInline ??= []).push(rangeOf(m));
          }
        }
        // settings a service's computed names may read: literal strings, else the role's settings are not known
        const setting = rest[2] === 'settings' ? rest.slice(3) : rest[2] === 'machines' && rest[3] && rest[4] === 'settings' ? rest.slice(5) : null;
        if (setting && value) {
          const v = unparen(value);
          const text = stringValue(v);
          const machine = rest[2] === 'machines' ? rest[3] : null;
          if (setting.length === 1 && text !== null) {
            const into = machine ? ((r.machineSettings ??= {})[machine] ??= {}) : (r.settings ??= {});
            into[setting[0]] = text;
          } else if (setting.length === 0 && v?.type !== 'attrset_expression' && v?.type !== 'rec_attrset_expression') r.settingsUnknown = true;
        }
        if (rest[2] === 'tags' && rest.length === 3) {
          const list = unparen(value);
          if (list?.type === 'list_expression') {
            for (const e of list.namedChildren) {
              const t = e ? stringValue(unparen(e)) : null;
              if (t) r.tags.push(t);
              else if (e && e.type !== 'comment') r.tagsUnknown = true;
            }
          } else if (list?.type !== 'attrset_expression') r.tagsUnknown = true;
        }
      }
    }
    const tagAt = inventoryTagAt(path, inClanArgs);
    if (tagAt && value) inventoryTag(tagAt.tag, value, rangeOf(range));
    const im = inventoryMachineAt(path, inClanArgs);
    if (im && value) {
      const v = unparen(value);
      if (im.field === 'machineClass' && (stringValue(v) === 'darwin' || stringValue(v) === 'nixos')) inventoryMachine(im.machine).cls = stringValue(v) as 'nixos' | 'darwin';
      if (im.field === 'tags' && v?.type === 'list_expression') {
        for (const e of v.namedChildren) {
          const t = e ? stringValue(unparen(e)) : null;
          if (t) inventoryMachine(im.machine).tags.push(t);
        }
      }
    }
    const service = serviceAt(path, inClanArgs);
    if (service && value) {
      const v = unparen(value);
      facts.services.push({ name: service, range: rangeOf(range), target: v ? (pathTarget(v) ?? importTargetOf(v)) : null });
    }
    if (path.length === 1 && last === '_class' && stringValue(unparen(value)) === 'clan.service') facts.isClanService = true;
    // `roles.<r> = { ... }`, `roles.<r>.perInstance = ...`: the binding holds that role's part
    if (path.length >= 2 && path[0] === 'roles' && value) {
      const r = rangeOf(range);
      const roles = (facts.serviceRoles ??= []);
      if (!roles.some((x) => x.name === path[1] && contains(x.range, r.start) && contains(x.range, r.end))) roles.push({ name: path[1], range: r });
    }
    if (last === 'perInstance' || last === 'perMachine') facts.isClanService = true;
  }

  /**
   * `flake.modules.nixos = lib.genAttrs [ "a" "b" ] (name: { ... })`: one module per name, written
   * once. The first name's definition holds the function; the others are that definition.
   */
  function generatedModules(call: Node, cls: string, args: Node[], path: string[], scope: Scope, withNs: string[], depth: number): boolean {
    const list = unparen(args[0]);
    const names = list?.type === 'list_expression' ? list.namedChildren.filter((e) => e.type !== 'comment').map((e) => stringValue(unparen(e))) : [];
    if (!names.length || names.some((x) => x === null)) return false;
    const first = facts.flakeModules.length;
    names.forEach((name, i) => facts.flakeModules.push({ cls, name: name!, range: rangeOf(call), target: null, imports: [], ...(i ? { alias: first } : {}) }));
    visit(args[1], [...path, names[0]!], scope, withNs, false, depth + 1);
    return true;
  }

  /** `machines = mapAttrs (name: _: { imports = [ ./machines/${name}/x.nix ]; }) ...`: the paths, with the name left open. */
  function machineTemplate(value: Node): void {
    const v = unparen(value);
    if (v?.type !== 'apply_expression') return;
    const fn = applyParts(v).args.map((a) => unparen(a)).find((a) => a?.type === 'function_expression');
    const param = fn?.childForFieldName('universal')?.text;
    if (!fn || !param) return;
    let body = unparen(fn.childForFieldName('body'));
    while (body?.type === 'function_expression') body = unparen(body.childForFieldName('body'));
    if (body?.type !== 'attrset_expression') return;
    for (const b of bindingsOf(body)) {
      const parts = attrPath(b.childForFieldName('attrpath'));
      const list = unparen(b.childForFieldName('expression'));
      if (parts.length !== 1 || parts[0].name !== 'imports' || list?.type !== 'list_expression') continue;
      for (const e of list.namedChildren) {
        const p = unparen(e);
        if (p?.type !== 'path_expression') continue;
        const text = p.text.split('${' + param + '}').join(MACHINE_NAME);
        if (text.includes('${')) continue;
        (facts.machineTemplates ??= []).push({ range: rangeOf(p), path: resolvePath(text) });
      }
    }
  }

  /** The inline flake module definition whose binding holds `node`, when `path` is inside one. */
  function enclosingDef(path: string[], node: Node, inClanArgs: boolean): FlakeModuleDef | null {
    const at = rangeOf(node).start;
    for (let k = path.length; k > 0; k--) {
      const fm = flakeModuleAt(path.slice(0, k), inClanArgs);
      if (!fm) continue;
      return facts.flakeModules.find((d) => d.target === null && d.cls === fm.cls && d.name === fm.name && contains(d.range, at)) ?? null;
    }
    return null;
  }

  function importTargetOf(v: Node): string | null {
    if (v.type !== 'apply_expression') return null;
    const { fn, args } = applyParts(v);
    const name = dottedName(fn)?.split('.').pop();
    return (name === 'import' || name === 'importApply') && args.length ? pathTarget(unparen(args[0]) ?? args[0]) : null;
  }

  /** A definition of `inventory.tags` or of one tag, unless it is part of a whole definition already kept (the bindings of its set). */
  function inventoryTag(tag: string | null, value: Node, range: Range): void {
    const defs = (facts.inventoryTags ??= []);
    if (tag !== null && defs.some((d) => d.tag === null && contains(d.range, range.start))) return;
    const v = unparen(value)!;
    defs.push({ tag, range, ast: v.hasError || v.text.length > MAX_TAG_TEXT ? null : nodeToAst(v) });
  }

  function inventoryMachine(machine: string): { machine: string; cls: 'nixos' | 'darwin' | null; tags: string[] } {
    facts.inventoryMachines ??= [];
    let m = facts.inventoryMachines.find((x) => x.machine === machine);
    if (!m) facts.inventoryMachines.push((m = { machine, cls: null, tags: [] }));
    return m;
  }

  function machineEntry(machine: string): MachineModule {
    let m = facts.machineModules.find((x) => x.machine === machine);
    if (!m) facts.machineModules.push((m = { machine, refs: [], inline: false }));
    return m;
  }

  /**
   * A part of the structure given as files of the workspace (`inventory = import ./inventory.nix { ... };`,
   * the clan's `imports = [ ./clan/services.nix ]`): each file with where its value goes, or the
   * element that is not a file; undefined when the value is not of that form.
   */
  function clanFileRef(part: ClanPart, path: string[], inClanArgs: boolean, n: Node): ({ prefix: string[]; target: string; range: Range } | { opaque: Node })[] | undefined {
    const rel = clanRelative(path, inClanArgs) ?? [];
    const fileOf = (e: Node): string | null => {
      const v = unparen(e);
      if (v?.type === 'path_expression') return pathTarget(v);
      if (v?.type !== 'apply_expression') return null;
      const { fn, args } = applyParts(v);
      const arg = unparen(args[0] ?? null);
      return dottedName(fn) === 'import' && arg ? pathTarget(arg) : null;
    };
    if (part.kind === 'imports' && n.type === 'list_expression') {
      const out: ({ prefix: string[]; target: string; range: Range } | { opaque: Node })[] = [];
      for (const e of n.namedChildren) {
        if (e.type === 'comment') continue;
        const target = fileOf(e);
        // flake-parts modules of inputs (`inputs.clan-core.flakeModules.default`): the file is a flake module, not the clan's
        if (target) out.push({ prefix: [], target, range: rangeOf(e) });
        else if (!/\.flakeModules?\b/.test(dottedName(unparen(e)) ?? '')) out.push({ opaque: e });
      }
      return out;
    }
    if (part.kind === 'instance' || part.kind === 'machine' || part.kind === 'imports') return undefined;
    const target = fileOf(n);
    return target ? [{ prefix: rel, target, range: rangeOf(n) }] : undefined;
  }

  /** A part of the clan's structure whose value the syntax cannot read: the model opens what it may reach. */
  function opaquePart(part: ClanPart, at: Node): void {
    (facts.opaqueParts ??= []).push({ ...part, range: rangeOf(at), text: oneLine(at.text) });
  }

  function visit(node: Node | null, path: string[], scope: Scope, withNs: string[], inClanArgs: boolean, depth: number): void {
    const n = unparen(node);
    if (!n || depth > MAX_DEPTH) return;
    // where the model reads the clan's structure, a value the syntax cannot read is said, not dropped
    const part = clanPartAt(path, inClanArgs);
    if (part) {
      if (n.type === 'variable_expression') {
        const bound = scope.get(n.text);
        if (bound && bound.type !== 'inherit_from') return visit(bound, path, scope, withNs, inClanArgs, depth + 1);
        return opaquePart(part, n);
      }
      const ref = clanFileRef(part, path, inClanArgs, n);
      if (ref !== undefined) {
        for (const r of ref) {
          if ('opaque' in r) opaquePart(part, r.opaque);
          else (facts.clanRefs ??= []).push(r);
        }
        return;
      }
      if (!readablePart(part, n)) return opaquePart(part, n);
    }
    switch (n.type) {
      case 'source_code':
        for (const c of n.namedChildren) if (c && c.type !== 'comment') visit(c, path, scope, withNs, inClanArgs, depth + 1);
        return;
      case 'function_expression':
      case 'assert_expression':
        return visit(n.childForFieldName('body'), path, scope, withNs, inClanArgs, depth + 1);
      case 'with_expression': {
        const ns = namespaceOf(selection(n.childForFieldName('environment'), scope));
        return visit(n.childForFieldName('body'), path, scope, ns ? [...withNs, ns] : withNs, inClanArgs, depth + 1);
      }
      case 'let_expression': {
        const inner = scopeOf(n, scope);
        for (const b of bindingsOf(n)) visit(b.childForFieldName('expression'), [], inner, withNs, false, depth + 1);
        return visit(n.childForFieldName('body'), path, inner, withNs, inClanArgs, depth + 1);
      }
      case 'if_expression':
        visit(n.childForFieldName('consequence'), path, scope, withNs, inClanArgs, depth + 1);
        return visit(n.childForFieldName('alternative'), path, scope, withNs, inClanArgs, depth + 1);
      case 'binary_expression':
        visit(n.childForFieldName('left'), path, scope, withNs, inClanArgs, depth + 1);
        return visit(n.childForFieldName('right'), path, scope, withNs, inClanArgs, depth + 1);
      case 'list_expression':
        for (const e of n.namedChildren) if (e && e.type !== 'comment') visit(e, [], scope, withNs, false, depth + 1);
        return;
      case 'apply_expression': {
        const { fn, args } = applyParts(n);
        const name = dottedName(fn) ?? '';
        const clanCall = CLAN_FUNCTIONS.test(name);
        const fname = name.split('.').pop() ?? '';
        const namespace = flakeModuleAt([...path, ''], inClanArgs);
        if (namespace && fname === 'genAttrs' && args.length === 2 && generatedModules(n, namespace.cls, args, path, scope, withNs, depth)) return;
        const wrapper = PASS_THROUGH.has(fname) || (namespace !== null && NAME_KEEPING.has(fname));
        for (const a of args) visit(a, wrapper && a === args[args.length - 1] ? path : [], scope, withNs, clanCall, depth + 1);
        return;
      }
      case 'attrset_expression':
      case 'rec_attrset_expression':
        for (const b of bindingsOf(n)) {
          if (b.type === 'inherit' || b.type === 'inherit_from') {
            for (const a of inheritedNames(b)) {
              const full = a.name === null ? null : [...path, a.name];
              const at = full && clanPartAt(full, inClanArgs);
              if (!at) continue;
              const bound = b.type === 'inherit' ? scope.get(a.name!) : undefined;
              if (bound && bound.type !== 'inherit_from') {
                binding(full!, bound, scope, withNs, inClanArgs, b);
                visit(bound, full!, scope, withNs, inClanArgs, depth + 1);
              } else opaquePart(at, b);
            }
            continue;
          }
          if (b.type !== 'binding') continue;
          const parts = attrPath(b.childForFieldName('attrpath'));
          if (parts.some((p) => p.name === null)) {
            // `instances.${name} = ...`: a name of the structure we cannot read
            const known = parts.slice(0, parts.findIndex((p) => p.name === null)).map((p) => p.name!);
            const at = clanPartAt([...path, ...known, '\u0000'], inClanArgs);
            if (at) opaquePart(at, b);
            continue;
          }
          const value = b.childForFieldName('expression');
          const full = [...path, ...parts.map((p) => p.name!)];
          // every prefix of a dotted binding is a binding too (`roles.server.machines.a = { }`)
          binding(full, value, scope, withNs, inClanArgs, b);
          visit(value, full, scope, withNs, inClanArgs, depth + 1);
        }
        return;
      default:
        return;
    }
  }

  visit(root, prefix, new Map(), [], clanArgs, 0);
  facts.instances = [...instances.values()].filter((i) => i.module !== null || i.roles.length > 0);
  return facts;
}

/**
 * `home-manager.users.<u>.imports`: modules of another evaluation (a home-manager user's), which
 * cannot declare clan vars generators (`clan.core.vars` is an option of NixOS and nix-darwin
 * machines only), so they are no modules of the machine.
 */
function otherEvaluation(path: string[]): boolean {
  return path.some((p, i) => p === 'home-manager' && path[i + 1] === 'users');
}

/** `flake.nixosModules.x`, `flake.modules.nixos.x`, `nixosModules.x` (flake outputs). */
function flakeModuleAt(path: string[], inClanArgs = false): { cls: string; name: string } | null {
  const n = path.length;
  // `modules.<name>` in the clan function's argument is a clan service, not a flake's module
  if (inClanArgs && path[0] === 'modules') return null;
  if (n >= 3 && path[n - 3] === 'modules' && (n === 3 || path[n - 4] === 'flake')) return { cls: path[n - 2], name: path[n - 1] };
  if (n === 2 && MODULE_OUTPUTS[path[0]]) return { cls: MODULE_OUTPUTS[path[0]], name: path[1] };
  const cls = n >= 3 && (path[n - 3] === 'flake' || path[n - 3] === 'outputs') ? outputClass(path[n - 2]) : null;
  if (cls) return { cls, name: path[n - 1] };
  return null;
}


const oneLine = (text: string) => {
  const t = text.replace(/\s+/g, ' ');
  return t.length > 80 ? t.slice(0, 79) + '…' : t;
};

/** Stands for the machine's name in a path built per machine (`./machines/${name}/x.nix`). */
export const MACHINE_NAME = '\u0000';

/** `clan.machines = ...` or `machines = ...` in the clan function's argument. */
function isMachinesSet(path: string[], inClanArgs: boolean): boolean {
  const n = path.length;
  return (n >= 2 && path[n - 2] === 'clan' && path[n - 1] === 'machines') || (inClanArgs && n === 1 && path[0] === 'machines');
}

/** `clan.machines.<m>` (flake-parts or a clan module) or `machines.<m>` in the clan function's argument. */
function machineOf(path: string[], inClanArgs: boolean): string | null {
  if (path.length >= 3 && path[path.length - 3] === 'clan' && path[path.length - 2] === 'machines') return path[path.length - 1];
  if (inClanArgs && path.length === 2 && path[0] === 'machines') return path[1];
  return null;
}

/** `inventory.tags` (tag null) or `inventory.tags.<t>`, in a clan module or the clan function's argument. */
function inventoryTagAt(path: string[], inClanArgs: boolean): { tag: string | null } | null {
  const i = path.lastIndexOf('tags');
  if (i < 1 || path[i - 1] !== 'inventory' || i < path.length - 2) return null;
  if (i === 1 && !inClanArgs) return null;
  return { tag: i === path.length - 1 ? null : path[i + 1] };
}

/** `inventory.machines.<m>.machineClass` / `.tags` (also `machines.<m>...` inside `inventory` in clan arguments). */
function inventoryMachineAt(path: string[], inClanArgs: boolean): { machine: string; field: string } | null {
  const n = path.length;
  if (n < 4 || path[n - 3] !== 'machines' || path[n - 4] !== 'inventory') return null;
  if (n === 4 && !inClanArgs) return null;
  return { machine: path[n - 2], field: path[n - 1] === 'machineClass' || path[n - 1] === 'tags' ? path[n - 1] : '' };
}

/** The instance name and the path inside it for `inventory.instances.<i>...` / `instances.<i>...` in clan arguments. */
function instanceAt(path: string[], inClanArgs: boolean): string[] | null {
  const i = path.indexOf('instances');
  if (i < 0 || i + 1 >= path.length) return null;
  if (i > 0 && path[i - 1] !== 'inventory') return null;
  if (i === 0 && !inClanArgs) return null;
  return path.slice(i + 1);
}

/** `clan.modules.<name>`, `inventory.modules.<name>`, `modules.<name>` in clan arguments: a local clan service. */
function serviceAt(path: string[], inClanArgs: boolean): string | null {
  const n = path.length;
  if (n < 2 || path[n - 2] !== 'modules') return null;
  if (n >= 3 && (path[n - 3] === 'clan' || path[n - 3] === 'inventory')) return path[n - 1];
  if (n === 2 && inClanArgs) return path[1];
  return null;
}


/** A place in the clan's configuration whose structure the model reads. */
export interface ClanPart {
  /** `inventory`, `instances` (all of them), `instance` (one: `name`), `machines` (clan's or the inventory's), `machine` (one machine's module: `name`), `imports` (the clan's own modules). */
  kind: 'inventory' | 'instances' | 'instance' | 'machines' | 'machine' | 'imports';
  name?: string;
}

/** The path relative to the clan's configuration: the clan function's argument, or below `clan` (not `clan.core`, a machine's). */
function clanRelative(path: string[], inClanArgs: boolean): string[] | null {
  if (inClanArgs) return path;
  const i = path.indexOf('clan');
  return i < 0 || path[i + 1] === 'core' ? null : path.slice(i + 1);
}

/** What part of the clan's structure `path` is, or null where the model reads no structure. */
export function clanPartAt(path: string[], inClanArgs: boolean): ClanPart | null {
  const rel = clanRelative(path, inClanArgs);
  if (!rel || rel.length === 0) return null;
  if (rel.length === 1 && rel[0] === 'inventory') return { kind: 'inventory' };
  if (rel.length === 1 && rel[0] === 'imports' && (inClanArgs || path[path.length - 2] === 'clan')) return { kind: 'imports' };
  const i = rel[0] === 'inventory' ? 1 : 0;
  if (rel[i] === 'instances' && (i === 1 || inClanArgs)) {
    if (rel.length === i + 1) return { kind: 'instances' };
    const name = rel[i + 1];
    const rest = rel.slice(i + 2);
    const structural = rest.length === 0 || (rest[0] === 'roles' && (rest.length <= 2 || (rest.length === 3 && rest[2] === 'machines'))) || (rest[0] === 'module' && rest.length <= 2);
    return structural ? { kind: 'instance', name } : null;
  }
  if (rel[i] === 'machines') {
    if (rel.length === i + 1) return { kind: 'machines' };
    // a machine's module, in the clan function's argument or `clan.machines`
    if (i === 0 && rel.length === 2) return { kind: 'machine', name: rel[1] };
  }
  return null;
}

const SET_LIKE = new Set(['source_code', 'attrset_expression', 'rec_attrset_expression', 'let_expression', 'with_expression', 'if_expression', 'function_expression', 'assert_expression']);

/** Whether the syntax reads a value at a part of the structure (a set, a module, a literal name), or the binding's own reader does (a path, an import, a folder of machines). */
function readablePart(part: ClanPart, n: Node): boolean {
  if (SET_LIKE.has(n.type)) return true;
  if (n.type === 'binary_expression') return n.childForFieldName('operator')?.text === '//' || (part.kind === 'imports' && n.childForFieldName('operator')?.text === '++');
  if (part.kind === 'instance' && n.type === 'string_expression') return stringValue(n) !== null;
  // the clan's own modules as files: what they write of the inventory is read wherever it is written
  if (n.type === 'list_expression') return part.kind === 'imports' && n.namedChildren.every((e) => e.type === 'comment' || e.type === 'path_expression');
  if (n.type === 'path_expression') return part.kind === 'machine';
  if (n.type === 'apply_expression') {
    const { fn, args } = applyParts(n);
    const name = dottedName(fn)?.split('.').pop() ?? '';
    if (PASS_THROUGH.has(name)) return true;
    // a machine's module imported from a file
    if (part.kind === 'machine' && (name === 'import' || name === 'importApply') && unparen(args[0] ?? null)?.type === 'path_expression') return true;
    // clan's machines built by a function over a folder (machineTemplate reads it)
    if (part.kind === 'machines') return args.some((a) => unparen(a)?.type === 'function_expression' && !!unparen(a)!.childForFieldName('universal'));
  }
  return false;
}
