// Finds generator declarations in a Nix module: `clan.core.vars.generators.<name> = {...}`, the
// attrset form, nested forms (`clan.core = { vars.generators.x = ...; }`), inside `config = {...}`,
// behind lib.mkIf / mkMerge / mkDefault wrappers, and in modules nested anywhere (clan services).
import type { FlatNode as Node } from '../syntax/flatTree';
import type { Position, Range } from '../base/types';
import type { NameRef } from '../syntax/syntax';
import type { Generator, GeneratorCondition, MovedFrom, Prompt, VarFile } from './types';
import { letScope, parameters, withoutParameters, type Scope } from './topLevel';
import { insertionPoint, removalRange } from './editRanges';
import { applyParts, attrPath, bindingsOf, dottedName, inheritedNames, MAX_DEPTH, nameRefOf, rangeOf, samePosition, stringPattern, unparen } from '../syntax/syntax';
import { lastName, listElements, nameValue, optionValue, partsOf, resolve, scopedName, unknownOption, unwrap, wrapperName } from './generatorValues';
import { movedSopsSource } from './legacyGenerators';
import { flakeModuleAbove, machineAbove } from './modulePaths';
import { conditionAt, ifConds, wrapperConds, type Cond } from './generatorConditions';

const GENERATORS_PATH = ['clan', 'core', 'vars', 'generators'];


export interface OpaqueSource {
  range: Range;
  /** The file an `import <path> ...` expression reads, resolved to an absolute path. */
  importTarget: string | null;
}

export interface GeneratorScan {
  generators: Generator[];
  opaque: OpaqueSource[];
  /** Generators whose name is the pattern of a computed set (`lib.mapAttrs' ...`), with that set's range. */
  patternSets?: { generator: Generator; range: Range }[];
}


/** A binding that wrote `own` of the path parts a value sits at (for ranges that remove it). */
type Via = { node: Node; own: number } | undefined;

/** The comment the migration fixes write into a generator they create (extract/legacySecrets.ts). */
const MOVED_FROM = /(?:^[ \t]*#|\/\*) moved from (sops-nix|clan facts)\b/m;

export function extractGenerators(root: Node, file: string, resolvePath: (rel: string) => string, text = root.text): GeneratorScan {
  const reader = new GeneratorReader(file, resolvePath, text);
  reader.visit(root, [], new Map(), 0, []);
  return reader.finish();
}

/** A generator's own options: a set with one of these is a generator's declaration. */
const GENERATOR_KEYS = new Set(['files', 'prompts', 'script', 'dependencies', 'runtimeInputs', 'share', 'validation', 'migrateFact']);

/**
 * A file of generator declarations that clan-vars-helper reads from its folder
 * (`my.secrets.discover.dir`) and merges into clan.core.vars.generators: evaluated (called with
 * `{ config, lib, pkgs }` when a function), it is a set of generators or a list of such sets, and
 * `meta` (the helper's tags), at the top and inside each generator, is the helper's and removed.
 * Its generators, or none when the file does not have that shape: each binding at the top but
 * `meta` a set holding one of a generator's own options. Counted only for a folder a module names
 * (model/clanModel.ts); the helper's nix/nixos/module.nix at 3e190c4 (2026-06-30).
 */
export function extractGeneratorSetFile(root: Node, file: string, resolvePath: (rel: string) => string, text = root.text): Generator[] {
  const sets = topLevelSets(root, 0);
  if (!sets.length || !sets.every(isGeneratorSetShape)) return [];
  const reader = new GeneratorReader(file, resolvePath, text);
  for (const set of sets) reader.generatorSetOf(set);
  return reader
    .finish()
    .generators.filter((g) => g.name.name !== 'meta')
    .map((g) => ({ ...g, options: g.options.filter((o) => o.path[0] !== 'meta') }));
}

/** The sets a file evaluates to (`rec` or not): through a function's body, a let's body, parentheses and a list's elements. */
function topLevelSets(node: Node | null, depth: number): Node[] {
  const n = unparen(node);
  if (!n || depth > 8) return [];
  if (n.type === 'source_code') return n.namedChildren.flatMap((c) => (c && c.type !== 'comment' ? topLevelSets(c, depth + 1) : []));
  if (n.type === 'function_expression') return topLevelSets(n.childForFieldName('body'), depth + 1);
  if (n.type === 'let_expression') return topLevelSets(n.childForFieldName('body'), depth + 1);
  if (n.type === 'list_expression') {
    const items = n.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
    const sets = items.flatMap((c) => topLevelSets(c, depth + 1));
    return sets.length === items.length ? sets : [];
  }
  return n.type === 'attrset_expression' || n.type === 'rec_attrset_expression' ? [n] : [];
}

/** Each binding but `meta` is `<name> = { ... }` with one of a generator's own options, and there is one. */
function isGeneratorSetShape(set: Node): boolean {
  let generators = 0;
  for (const b of bindingsOf(set)) {
    if (b.type !== 'binding') return false;
    const parts = attrPath(b.childForFieldName('attrpath'));
    if (parts[0]?.name === 'meta') continue;
    if (parts.length !== 1 || parts[0].name === null) return false;
    const value = unparen(b.childForFieldName('expression'));
    if (value?.type !== 'attrset_expression' && value?.type !== 'rec_attrset_expression') return false;
    if (!bindingsOf(value).some((c) => c.type === 'binding' && GENERATOR_KEYS.has(attrPath(c.childForFieldName('attrpath'))[0]?.name ?? ''))) return false;
    generators++;
  }
  return generators > 0;
}

/**
 * What a generator's definitions written at `sources` (attrsets the evaluator found it merged from,
 * for example the body of a `lib.genAttrs` function or a `let`-bound set brought in by `inherit`)
 * declare, read as a literal generator is: its script, options and the places of its files.
 * Null when a range is not an attrset of this file.
 */
export function readGeneratorSources(root: Node, file: string, resolvePath: (rel: string) => string, text: string, name: NameRef, sources: Range[]): Generator | null {
  const reader = new GeneratorReader(file, resolvePath, text);
  const g = reader.generatorFor(name);
  for (const range of sources) {
    const node = root.descendantForPosition({ row: range.start.line, column: range.start.character }, { row: range.end.line, column: range.end.character });
    if (!node || (node.type !== 'attrset_expression' && node.type !== 'rec_attrset_expression') || !sameRange(rangeOf(node), range)) return null;
    reader.generatorBody(g, [], node, new Map(), 0);
  }
  reader.finish();
  return g;
}

function sameRange(a: Range, b: Range): boolean {
  return samePosition(a.start, b.start) && samePosition(a.end, b.end);
}

/** Reads the generators one file declares, as `extractGenerators` and `readGeneratorSources` walk it. */
class GeneratorReader {
  private readonly byName = new Map<string, Generator>();
  /**
   * Per generator, each place its name is written, with the conditions above it; per file and
   * prompt, each place it is named, with the conditions of the wrappers of its value there. Null
   * where there are none: a place without conditions makes the whole unconditional (placedConditions).
   */
  private readonly sites = new Map<Generator | VarFile | Prompt, Map<string, GeneratorCondition | null>>();
  private readonly all: Generator[] = [];
  private readonly opaque: OpaqueSource[] = [];
  private readonly patternSets: { generator: Generator; range: Range }[] = [];

  constructor(
    private readonly file: string,
    private readonly resolvePath: (rel: string) => string,
    private readonly text: string,
  ) {}

  generatorFor(name: NameRef): Generator {
    if (name.name !== null) {
      const existing = this.byName.get(name.name);
      if (existing) {
        const r = name.range.start;
        const seen = [existing.name, ...(existing.aliases ?? [])].some((n) => samePosition(n.range.start, r));
        if (!seen) (existing.aliases ??= []).push(name);
        return existing;
      }
    }
    const g: Generator = { name, file: this.file, origin: 'module', share: null, dependencies: [], files: [], prompts: [], options: [] };
    if (name.name !== null) this.byName.set(name.name, g);
    this.all.push(g);
    return g;
  }

  private importTarget(node: Node): string | null {
    if (node.type !== 'apply_expression') return null;
    const { fn, args } = applyParts(node);
    if (dottedName(fn) !== 'import' || args.length === 0) return null;
    const p = unparen(args[0]);
    if (!p || p.type !== 'path_expression' || p.namedChildren.some((c) => c.type === 'interpolation')) return null;
    return this.resolvePath(p.text);
  }

  /** A value in a position that is not (yet) under `clan.core.vars.generators`, under the conditions `conds`. */
  visit(node: Node | null, path: string[], scope: Scope, depth: number, conds: Cond[]): void {
    const n = unparen(node);
    if (!n || depth > MAX_DEPTH) return;
    switch (n.type) {
      case 'source_code':
        for (const c of n.namedChildren) if (c && c.type !== 'comment') this.visit(c, path, scope, depth + 1, conds);
        return;
      case 'function_expression':
        return this.visit(n.childForFieldName('body'), path, withoutParameters(scope, n), depth + 1, conds);
      case 'let_expression': {
        const inner = letScope(n, scope);
        for (const b of bindingsOf(n)) this.visit(b.childForFieldName('expression'), [], inner, depth + 1, conds);
        return this.visit(n.childForFieldName('body'), path, inner, depth + 1, conds);
      }
      case 'with_expression':
      case 'assert_expression':
        return this.visit(n.childForFieldName('body'), path, scope, depth + 1, conds);
      case 'if_expression':
        this.visit(n.childForFieldName('consequence'), path, scope, depth + 1, ifConds(n, conds, false));
        return this.visit(n.childForFieldName('alternative'), path, scope, depth + 1, ifConds(n, conds, true));
      case 'binary_expression':
        this.visit(n.childForFieldName('left'), path, scope, depth + 1, conds);
        return this.visit(n.childForFieldName('right'), path, scope, depth + 1, conds);
      case 'list_expression':
        for (const e of n.namedChildren) if (e && e.type !== 'comment') this.visit(e, path, scope, depth + 1, conds);
        return;
      case 'apply_expression': {
        const { fn, args } = applyParts(n);
        if (wrapperName(fn) && args.length) return this.visit(args[args.length - 1], path, scope, depth + 1, wrapperConds(fn, args, conds));
        for (const a of args) this.visit(a, [], scope, depth + 1, conds);
        return;
      }
      case 'attrset_expression':
      case 'rec_attrset_expression':
      case 'let_attrset_expression':
        for (const b of bindingsOf(n)) {
          if (b.type === 'binding') this.visitBinding(b, path, scope, depth, conds);
          else this.visitInheritFrom(b, path, scope, depth, conds);
        }
        return;
      default:
        return;
    }
  }

  /**
   * `inherit (<set>) a;` is `a = <set>.a;`: where the set is written in this file (through let-bound
   * names), its bindings of `a` are read as if written here (`clan.core.vars = { inherit (shared)
   * generators; }`). A plain `inherit a;` has no set, and one the syntax cannot read gives nothing.
   */
  private visitInheritFrom(b: Node, path: string[], scope: Scope, depth: number, conds: Cond[]): void {
    const from = resolve(b.childForFieldName('expression'), scope, depth);
    if (from?.type !== 'attrset_expression' && from?.type !== 'rec_attrset_expression') return;
    const names = inheritedNames(b).map((r) => r.name);
    for (const c of bindingsOf(from)) if (names.includes(partsOf(c, scope, depth)[0]?.name ?? null)) this.visitBinding(c, path, scope, depth + 1, conds);
  }

  /** A binding on the way to `clan.core.vars.generators`, at it (a set of generators), or past it (a generator or part of one). */
  private visitBinding(b: Node, path: string[], scope: Scope, depth: number, conds: Cond[]): void {
    const parts = partsOf(b, scope, depth);
    const value = b.childForFieldName('expression');
    let full = [...path, ...parts.map((p) => p.name ?? '\0')];
    if (full[0] === 'config') full = full.slice(1);
    // `clan.machines.<m>.clan.core.vars.generators.x = ...` in one binding: a generator of the machine's module, written inline
    const machine = machineAbove(full, false);
    if (machine) full = full.slice(machine.at + 1);
    // `flake.modules.nixos.x.clan.core.vars.generators.y = ...`: a generator of that flake module, written inline
    const module = machine ? null : flakeModuleAbove(full);
    if (module) full = full.slice(module.at);
    const prefixLen = Math.min(full.length, GENERATORS_PATH.length);
    const onTheWay = full.slice(0, prefixLen).every((s, i) => s === GENERATORS_PATH[i]);
    // a flake-parts module's `flake.<...>` is kept, to find the flake modules in it (`flake.modules = { nixos.x.clan.core... }`)
    if (!onTheWay) this.visit(value, full[0] === 'flake' ? full : [], scope, depth + 1, conds);
    else if (full.length < GENERATORS_PATH.length) this.visit(value, full, scope, depth + 1, conds);
    else {
      // parts past the generators path, with their ranges
      const past = parts.slice(parts.length - (full.length - GENERATORS_PATH.length));
      if (past.length === 0) this.generatorSet(value, scope, depth + 1, conds);
      else this.generatorBody(this.bodySite(past, value, conds, scope, depth), past.slice(1), value, scope, depth + 1, { node: b, own: past.length - 1 });
    }
  }

  /** A set of generators read as the value of `clan.core.vars.generators` (extractGeneratorSetFile). */
  generatorSetOf(set: Node): void {
    this.generatorSet(set, new Map(), 0, []);
  }

  /** The generator of a place its name is written, with the conditions above it. */
  private site(name: NameRef, conds: Cond[]): Generator {
    const g = this.generatorFor(name);
    this.place(g, name.range.start, conds);
    return g;
  }

  /** Notes a place of `owner` under `conds` (once a place is seen without conditions, it stays so). */
  private place(owner: Generator | VarFile | Prompt, at: Position, conds: Cond[]): void {
    const places = this.sites.get(owner) ?? this.sites.set(owner, new Map()).get(owner)!;
    const key = `${at.line}:${at.character}`;
    if (places.get(key) !== null) places.set(key, conditionAt(at, conds));
  }

  /** The conditions of `owner`'s places where every place has some; undefined otherwise. */
  private placedConditions(owner: Generator | VarFile | Prompt): GeneratorCondition[] | undefined {
    const conditions = [...(this.sites.get(owner)?.values() ?? [])];
    return conditions.length && conditions.every((c) => c !== null) ? (conditions as GeneratorCondition[]) : undefined;
  }

  /** The site of `parts[0]`, a binding into a generator whose value is `value`: where the binding is the generator's own (`x = lib.mkIf c { ... }`), its value's wrappers' conditions too. */
  private bodySite(parts: NameRef[], value: Node | null, conds: Cond[], scope: Scope, depth: number): Generator {
    return this.site(parts[0], parts.length === 1 ? [...conds, ...this.valueConds(value, scope, depth)] : conds);
  }

  /** The conditions of the wrappers a generator's value is written in (`x = lib.mkIf c { ... }`), through let-bound names, `let ... in` and `with x;`. */
  private valueConds(node: Node | null, scope: Scope, depth: number): Cond[] {
    const out: Cond[] = [];
    let n = resolve(node, scope, depth);
    for (let i = 0; n && i < 10; i++) {
      if (n.type === 'let_expression' || n.type === 'with_expression') {
        if (n.type === 'let_expression') scope = letScope(n, scope);
        n = resolve(n.childForFieldName('body'), scope, depth);
        continue;
      }
      if (n.type !== 'apply_expression') break;
      const { fn, args } = applyParts(n);
      const w = wrapperName(fn);
      if (!w || w === 'mkMerge' || !args.length) break;
      out.push(...wrapperConds(fn, args, []));
      n = resolve(args[args.length - 1], scope, depth);
    }
    return out;
  }

  /** The value of `clan.core.vars.generators`: an attrset of generators. */
  private generatorSet(node: Node | null, scope: Scope, depth: number, conds: Cond[]): void {
    const n = resolve(node, scope, depth);
    if (!n || depth > MAX_DEPTH) return;
    if (n.type === 'attrset_expression' || n.type === 'rec_attrset_expression') {
      for (const b of bindingsOf(n)) {
        if (b.type === 'inherit' || b.type === 'inherit_from') {
          for (const name of inheritedNames(b)) this.site(name, conds).filesUnknown = true;
          continue;
        }
        if (b.type !== 'binding') continue;
        const parts = partsOf(b, scope, depth);
        const value = b.childForFieldName('expression');
        if (parts.length) this.generatorBody(this.bodySite(parts, value, conds, scope, depth), parts.slice(1), value, scope, depth + 1, { node: b, own: parts.length - 1 });
      }
      return;
    }
    if (n.type === 'apply_expression') {
      const { fn, args } = applyParts(n);
      const wrapper = wrapperName(fn);
      if (wrapper === 'mkMerge' && args.length) {
        const list = resolve(args[args.length - 1], scope, depth);
        if (list?.type === 'list_expression') {
          for (const e of list.namedChildren) if (e && e.type !== 'comment') this.generatorSet(e, scope, depth + 1, conds);
          return;
        }
      } else if (wrapper && args.length) return this.generatorSet(args[args.length - 1], scope, depth + 1, wrapperConds(fn, args, conds));
    }
    if (n.type === 'binary_expression' && n.childForFieldName('operator')?.text === '//') {
      this.generatorSet(n.childForFieldName('left'), scope, depth + 1, conds);
      return this.generatorSet(n.childForFieldName('right'), scope, depth + 1, conds);
    }
    if (n.type === 'let_expression') return this.generatorSet(n.childForFieldName('body'), letScope(n, scope), depth + 1, conds);
    if (n.type === 'if_expression') {
      this.generatorSet(n.childForFieldName('consequence'), scope, depth + 1, ifConds(n, conds, false));
      return this.generatorSet(n.childForFieldName('alternative'), scope, depth + 1, ifConds(n, conds, true));
    }
    if (n.type === 'apply_expression' && this.patternSet(n, scope, depth)) return;
    this.opaque.push({ range: rangeOf(node ?? n), importTarget: this.importTarget(n) });
  }

  /**
   * A set built by a function over values the syntax cannot list, whose names all follow one pattern
   * (`lib.mapAttrs' (u: _: lib.nameValuePair "${u}-smb-password" { ... }) cfg.users`,
   * `listToAttrs (map (x: { name = "key-${x}"; value = { ... }; }) xs)`): one generator named by the
   * pattern, declaring what the body declares. False when the name says nothing (`nameValuePair n v`).
   */
  private patternSet(n: Node, scope: Scope, depth: number): boolean {
    const { fn, args } = applyParts(n);
    const name = lastName(fn);
    let lambda: Node | null = null;
    if (name === "mapAttrs'" && args.length === 2) lambda = args[0];
    else if (name === 'listToAttrs' && args.length === 1) {
      const list = resolve(args[0], scope, depth);
      if (list?.type !== 'apply_expression') return false;
      const m = applyParts(list);
      const mapper = lastName(m.fn);
      if (mapper === 'map' && m.args.length === 2) lambda = m.args[0];
      else if (mapper === 'forEach' && m.args.length === 2) lambda = m.args[1];
    }
    let body = resolve(lambda, scope, depth);
    if (body?.type !== 'function_expression') return false;
    let inner = new Map(scope);
    for (let i = 0; body?.type === 'function_expression' && i < 10; i++) {
      // the lambda's parameters hide let-bound names of the same spelling
      for (const p of parameters(body)) inner.delete(p);
      body = unparen(body.childForFieldName('body'));
    }
    for (let i = 0; body?.type === 'let_expression' && i < 10; i++) {
      inner = letScope(body, inner);
      body = unparen(body.childForFieldName('body'));
    }
    const pair = nameValue(body);
    if (!pair) return false;
    // `rec { name = ...; value = { files.${name} = ...; }; }`: its own name and value hide the outer ones
    if (body!.type === 'rec_attrset_expression') inner = letScope(body!, inner);
    const ref = scopedName(nameRefOf(pair.name), pair.name, inner);
    if (ref.name === null && /^\**$/.test(ref.pattern ?? '*')) return false;
    const g = this.generatorFor(ref);
    this.generatorBody(g, [], pair.value, inner, depth + 1);
    if (ref.name === null) this.patternSets.push({ generator: g, range: rangeOf(n) });
    return true;
  }

  /** Collects what a generator declares at `rest` (relative to the generator) from `node`. */
  generatorBody(g: Generator, rest: NameRef[], node: Node | null, scope: Scope, depth: number, via?: Via): void {
    const n = resolve(node, scope, depth);
    if (!n || depth > MAX_DEPTH) return;
    // a submodule written as a function (`{ config, ... }: { files.k = { }; }`)
    if (n.type === 'function_expression') return this.generatorBody(g, rest, n.childForFieldName('body'), withoutParameters(scope, n), depth + 1, via);
    const head = rest[0]?.name;
    // `files`, `prompts` and `files.<name>` themselves are containers, not options
    const container = rest.length === 0 || ((head === 'files' || head === 'prompts') && rest.length <= 2);
    // a generator, or its files, written behind `let ... in` or `with x;` (`g = let m = "0400"; in { ... }`):
    // the value it ends in (an option keeps its value as written: `runtimeInputs = with pkgs; [ ... ]`)
    if (container && (n.type === 'let_expression' || n.type === 'with_expression')) {
      return this.generatorBody(g, rest, n.childForFieldName('body'), n.type === 'let_expression' ? letScope(n, scope) : scope, depth + 1, via);
    }
    const inner = unwrap(n, scope, depth) ?? n;
    const isSet = inner.type === 'attrset_expression' || inner.type === 'rec_attrset_expression';
    // `files = lib.genAttrs [...] (...)`, `prompts = mkPrompts ...`: names the syntax cannot list
    if (rest.length === 1 && (head === 'files' || head === 'prompts') && !isSet) g.filesUnknown = true;
    // the whole generator is a computed value (`x = mkGen { ... }`)
    if (rest.length === 0 && !isSet) g.filesUnknown = true;
    if (head === 'files' || head === 'prompts') this.fileOrPrompt(g, head, rest, isSet, via, rest.length === 2 ? this.valueConds(node, scope, depth) : []);
    if (rest.length === 0 && !g.insertAt && isSet) this.generatorStart(g, inner);
    if (!container) {
      const option = optionValue(rest, inner, scope, depth);
      if (via) option.removal = removalRange(via.node, this.text);
      g.options.push(option);
    }
    if (rest.length === 1) this.generatorField(g, head, n, inner, scope, depth);
    if (isSet && rest.length < 6) for (const b of bindingsOf(inner)) this.bodyBinding(g, rest, b, scope, depth);
  }

  /** `files.<name>...`, `prompts.<name>...`: the file or prompt, where its binding is, whether its settings can be read. */
  private fileOrPrompt(g: Generator, head: 'files' | 'prompts', rest: NameRef[], isSet: boolean, via: Via | undefined, conds: Cond[]): void {
    const item = rest[1];
    if (!item) return;
    // `files."${user}-password" = { }`: a file whose name the syntax cannot know
    if (item.name === null) {
      g.filesUnknown = true;
      return;
    }
    const list: (VarFile | Prompt)[] = head === 'files' ? g.files : g.prompts;
    let named = list.find((x) => x.name === item.name);
    if (!named) list.push((named = { name: item.name, range: item.range }));
    // a binding that names it (`files.x = lib.mkIf c { ... }`, `files.x.secret = ...`): the module system leaves x out where every one's conditions are false
    const naming = !via || rest.length - via.own <= 1;
    if (naming) this.place(named, item.range.start, conds);
    const f = head === 'files' ? (named as VarFile) : undefined;
    // the binding names the file itself (`files.x = ...`, `files.x.secret = ...`, `x = ...` inside `files`)
    if (f && via && naming) (f.removals ??= []).push(removalRange(via.node, this.text));
    // `files.x = cfg.keyFile;`, `files.x = { } // extra;`: settings the syntax cannot read
    if (f && rest.length === 2 && !isSet) f.optionsUnknown = true;
  }

  /** The generator's own set: where a fix inserts into it, and the migration it came from (its comment). */
  private generatorStart(g: Generator, body: Node): void {
    g.insertAt = insertionPoint(body, this.text);
    const moved = MOVED_FROM.exec(this.text.slice(body.startIndex, body.endIndex));
    if (moved) g.movedFrom = moved[1] as MovedFrom;
    const sops = moved?.[1] === 'sops-nix' ? movedSopsSource(this.text.slice(body.startIndex, body.endIndex), this.resolvePath) : null;
    if (sops) g.movedSops = sops;
  }

  /** `share`, `dependencies` and `script`, which the model reads beside the options. */
  private generatorField(g: Generator, head: string | null | undefined, n: Node, inner: Node, scope: Scope, depth: number): void {
    if (head === 'share') {
      if (inner.type === 'variable_expression' && (inner.text === 'true' || inner.text === 'false')) g.share = inner.text === 'true';
    } else if (head === 'dependencies') {
      for (const dep of listElements(n, scope, depth)) {
        const d = unparen(dep);
        if (!d) continue;
        const pattern = stringPattern(d);
        if (pattern !== null) g.dependencies.push(nameRefOf(d));
        else g.dependencies.push({ name: null, pattern: '*', range: rangeOf(d) });
      }
    } else if (head === 'script') {
      const body = letBody(inner);
      g.script = { raw: body.text, range: rangeOf(body), kind: body.type };
    }
  }

  /** One binding in a set at `rest` of a generator. */
  private bodyBinding(g: Generator, rest: NameRef[], b: Node, scope: Scope, depth: number): void {
    if (b.type === 'inherit' || b.type === 'inherit_from') {
      // `inherit runtimeInputs;` takes a let-bound value; `inherit (cfg) script;` and a function's argument are unknown
      for (const name of inheritedNames(b)) {
        if (name.name === null || (rest.length === 0 && (name.name === 'options' || name.name === 'config'))) continue;
        const value = b.type === 'inherit' ? scope.get(name.name) : undefined;
        if (value) this.generatorBody(g, [...rest, name], value, scope, depth + 1);
        else this.unknownValue(g, [...rest, name]);
      }
      return;
    }
    if (b.type !== 'binding') return;
    let parts = partsOf(b, scope, depth);
    // a submodule with its own options (`options.keyName = ...; config = { files.k = { }; };`):
    // what it sets under `config` is the generator's; its option declarations are not
    if (rest.length === 0 && parts[0]?.name === 'options') return;
    if (rest.length === 0 && parts[0]?.name === 'config') parts = parts.slice(1);
    if (parts.length) this.generatorBody(g, [...rest, ...parts], b.childForFieldName('expression'), scope, depth + 1, { node: b, own: parts.length });
    else this.generatorBody(g, rest, b.childForFieldName('expression'), scope, depth + 1);
  }

  /**
   * What a generator declares at `path` with a value the syntax cannot read (`inherit (cfg) script;`,
   * `inherit runtimeInputs;` from a function's arguments): a file or prompt by its name with unknown
   * settings, unknown names or dependencies, or an option whose value is unknown.
   */
  private unknownValue(g: Generator, path: NameRef[]): void {
    const [head, item] = [path[0].name, path[1]];
    const names = head === 'files' || head === 'prompts';
    if (path.length === 1 && names) g.filesUnknown = true;
    else if (path.length === 1 && head === 'dependencies') g.dependencies.push({ name: null, pattern: '*', range: path[0].range });
    else if (path.length === 1 && head === 'script') g.script = undefined;
    else if (path.length === 2 && names && item.name !== null) {
      const list = head === 'files' ? g.files : g.prompts;
      if (!list.some((x) => x.name === item.name)) list.push({ name: item.name, range: item.range });
      if (head === 'files') g.files.find((x) => x.name === item.name)!.optionsUnknown = true;
      else g.options.push(unknownOption([...path, { name: 'persist', pattern: null, range: item.range }]));
    }
    if (path.length > 2 || (path.length > 1 && !names) || (path.length === 1 && !names && head !== 'dependencies' && head !== 'script')) g.options.push(unknownOption(path));
  }

  finish(): GeneratorScan {
    for (const g of this.all) {
      for (const owner of [g, ...g.files, ...g.prompts]) {
        const conditions = this.placedConditions(owner);
        if (conditions) owner.conditions = conditions;
      }
      for (const f of g.files) {
        const deploy = g.options.find((o) => o.path.length === 3 && o.path[0] === 'files' && o.path[1] === f.name && o.path[2] === 'deploy');
        if (deploy) f.deploy = typeof deploy.literal === 'boolean' ? deploy.literal : null;
        else if (f.optionsUnknown) f.deploy = null;
      }
    }
    return this.patternSets.length ? { generators: this.all, opaque: this.opaque, patternSets: this.patternSets } : { generators: this.all, opaque: this.opaque };
  }
}

/**
 * The value a script written as `let ... in` ends in (clan-core's sshd: `script = let domains = ...;
 * in ''...''`), through parentheses: the let-bound names are interpolations in it, so its text is
 * the script's text.
 */
function letBody(n: Node): Node {
  let body = unparen(n) ?? n;
  for (let i = 0; body.type === 'let_expression' && i < 10; i++) body = unparen(body.childForFieldName('body')) ?? body;
  return body;
}
