// Finds generator declarations in a Nix module: `clan.core.vars.generators.<name> = {...}`, the
// attrset form, nested forms (`clan.core = { vars.generators.x = ...; }`), inside `config = {...}`,
// behind lib.mkIf / mkMerge / mkDefault wrappers, and in modules nested anywhere (clan services).
import type { FlatNode as Node } from '../syntax/flatTree';
import type { Range } from '../base/types';
import type { NameRef } from '../syntax/syntax';
import type { Generator, MovedFrom, OptionValue } from './types';
import { letScope, parameters, withoutParameters, type Scope } from './topLevel';
import { insertionPoint, removalRange } from './editRanges';
import { applyParts, attrPath, bindingsOf, dottedName, inheritedNames, literalOf, MAX_DEPTH, nameRefOf, rangeOf, samePosition, stringPattern, unparen } from '../syntax/syntax';
import { movedSopsSource } from './legacyGenerators';

const GENERATORS_PATH = ['clan', 'core', 'vars', 'generators'];

/** Library functions that return a list, with how many arguments they take. */
const LIST_FUNCTIONS: Record<string, number> = {
  map: 2, filter: 2, attrNames: 1, attrValues: 1, concatMap: 2, concatLists: 1, genList: 2, sort: 2, catAttrs: 2, mapAttrsToList: 2,
  optional: 2, optionals: 2, toList: 1, range: 2, unique: 1, flatten: 1, splitString: 2, reverseList: 1, remove: 2, subtractLists: 2,
  intersectLists: 2, take: 2, drop: 2, sublist: 3, tail: 1, forEach: 2, imap0: 2, imap1: 2, naturalSort: 1, split: 2, zipLists: 2,
};

/** Functions whose last argument is the value itself (`lib.mkIf cond value`). */
const WRAPPERS = new Set(['mkIf', 'mkDefault', 'mkForce', 'mkOverride', 'mkBefore', 'mkAfter', 'mkOrder', 'optionalAttrs', 'mkMerge']);

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
  const reader = generatorReader(file, resolvePath, text);
  reader.visit(root, [], new Map(), 0);
  return reader.finish();
}

/**
 * What a generator's definitions written at `sources` (attrsets the evaluator found it merged from,
 * for example the body of a `lib.genAttrs` function or a `let`-bound set brought in by `inherit`)
 * declare, read as a literal generator is: its script, options and the places of its files.
 * Null when a range is not an attrset of this file.
 */
export function readGeneratorSources(root: Node, file: string, resolvePath: (rel: string) => string, text: string, name: NameRef, sources: Range[]): Generator | null {
  const reader = generatorReader(file, resolvePath, text);
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

function generatorReader(file: string, resolvePath: (rel: string) => string, text: string) {
  const byName = new Map<string, Generator>();
  const all: Generator[] = [];
  const opaque: OpaqueSource[] = [];
  const patternSets: { generator: Generator; range: Range }[] = [];

  function generatorFor(name: NameRef): Generator {
    if (name.name !== null) {
      const existing = byName.get(name.name);
      if (existing) {
        const r = name.range.start;
        const seen = [existing.name, ...(existing.aliases ?? [])].some((n) => samePosition(n.range.start, r));
        if (!seen) (existing.aliases ??= []).push(name);
        return existing;
      }
    }
    const g: Generator = { name, file, origin: 'module', share: null, dependencies: [], files: [], prompts: [], options: [] };
    if (name.name !== null) byName.set(name.name, g);
    all.push(g);
    return g;
  }

  function wrapperName(fn: Node | null): string | null {
    const name = dottedName(fn);
    if (!name) return null;
    const last = name.split('.').pop()!;
    return WRAPPERS.has(last) ? last : null;
  }

  /** Follows let-bound variables; returns the node a value really is. */
  function resolve(node: Node | null, scope: Scope, depth: number): Node | null {
    let n = unparen(node);
    for (let i = 0; n && i < 20 && depth + i < MAX_DEPTH; i++) {
      if (n.type === 'variable_expression' && scope.has(n.text)) n = unparen(scope.get(n.text)!);
      else break;
    }
    return n;
  }

  function importTarget(node: Node): string | null {
    if (node.type !== 'apply_expression') return null;
    const { fn, args } = applyParts(node);
    if (dottedName(fn) !== 'import' || args.length === 0) return null;
    const p = unparen(args[0]);
    if (!p || p.type !== 'path_expression' || p.namedChildren.some((c) => c.type === 'interpolation')) return null;
    return resolvePath(p.text);
  }

  /** A value in a position that is not (yet) under `clan.core.vars.generators`. */
  function visit(node: Node | null, path: string[], scope: Scope, depth: number): void {
    const n = unparen(node);
    if (!n || depth > MAX_DEPTH) return;
    switch (n.type) {
      case 'source_code':
        for (const c of n.namedChildren) if (c && c.type !== 'comment') visit(c, path, scope, depth + 1);
        return;
      case 'function_expression':
        return visit(n.childForFieldName('body'), path, withoutParameters(scope, n), depth + 1);
      case 'let_expression': {
        const inner = letScope(n, scope);
        for (const b of bindingsOf(n)) visit(b.childForFieldName('expression'), [], inner, depth + 1);
        return visit(n.childForFieldName('body'), path, inner, depth + 1);
      }
      case 'with_expression':
      case 'assert_expression':
        return visit(n.childForFieldName('body'), path, scope, depth + 1);
      case 'if_expression':
        visit(n.childForFieldName('consequence'), path, scope, depth + 1);
        return visit(n.childForFieldName('alternative'), path, scope, depth + 1);
      case 'binary_expression':
        visit(n.childForFieldName('left'), path, scope, depth + 1);
        return visit(n.childForFieldName('right'), path, scope, depth + 1);
      case 'list_expression':
        for (const e of n.namedChildren) if (e && e.type !== 'comment') visit(e, path, scope, depth + 1);
        return;
      case 'apply_expression': {
        const { fn, args } = applyParts(n);
        if (wrapperName(fn) && args.length) return visit(args[args.length - 1], path, scope, depth + 1);
        for (const a of args) visit(a, [], scope, depth + 1);
        return;
      }
      case 'attrset_expression':
      case 'rec_attrset_expression':
      case 'let_attrset_expression':
        for (const b of bindingsOf(n)) {
          if (b.type !== 'binding') continue;
          const parts = partsOf(b, scope, depth);
          const value = b.childForFieldName('expression');
          let full = [...path, ...parts.map((p) => p.name ?? '\0')];
          if (full[0] === 'config') full = full.slice(1);
          const prefixLen = Math.min(full.length, GENERATORS_PATH.length);
          const onTheWay = full.slice(0, prefixLen).every((s, i) => s === GENERATORS_PATH[i]);
          if (!onTheWay) visit(value, [], scope, depth + 1);
          else if (full.length < GENERATORS_PATH.length) visit(value, full, scope, depth + 1);
          else {
            // parts past the generators path, with their ranges
            const past = parts.slice(parts.length - (full.length - GENERATORS_PATH.length));
            if (past.length === 0) generatorSet(value, scope, depth + 1);
            else generatorBody(generatorFor(past[0]), past.slice(1), value, scope, depth + 1, { node: b, own: past.length - 1 });
          }
        }
        return;
      default:
        return;
    }
  }

  /** The value of `clan.core.vars.generators`: an attrset of generators. */
  function generatorSet(node: Node | null, scope: Scope, depth: number): void {
    const n = resolve(node, scope, depth);
    if (!n || depth > MAX_DEPTH) return;
    if (n.type === 'attrset_expression' || n.type === 'rec_attrset_expression') {
      for (const b of bindingsOf(n)) {
        if (b.type === 'inherit' || b.type === 'inherit_from') {
          for (const name of inheritedNames(b)) generatorFor(name).filesUnknown = true;
          continue;
        }
        if (b.type !== 'binding') continue;
        const parts = partsOf(b, scope, depth);
        if (parts.length) generatorBody(generatorFor(parts[0]), parts.slice(1), b.childForFieldName('expression'), scope, depth + 1, { node: b, own: parts.length - 1 });
      }
      return;
    }
    if (n.type === 'apply_expression') {
      const { fn, args } = applyParts(n);
      const wrapper = wrapperName(fn);
      if (wrapper === 'mkMerge' && args.length) {
        const list = resolve(args[args.length - 1], scope, depth);
        if (list?.type === 'list_expression') {
          for (const e of list.namedChildren) if (e && e.type !== 'comment') generatorSet(e, scope, depth + 1);
          return;
        }
      } else if (wrapper && args.length) return generatorSet(args[args.length - 1], scope, depth + 1);
    }
    if (n.type === 'binary_expression' && n.childForFieldName('operator')?.text === '//') {
      generatorSet(n.childForFieldName('left'), scope, depth + 1);
      return generatorSet(n.childForFieldName('right'), scope, depth + 1);
    }
    if (n.type === 'let_expression') return generatorSet(n.childForFieldName('body'), letScope(n, scope), depth + 1);
    if (n.type === 'if_expression') {
      generatorSet(n.childForFieldName('consequence'), scope, depth + 1);
      return generatorSet(n.childForFieldName('alternative'), scope, depth + 1);
    }
    if (n.type === 'apply_expression' && patternSet(n, scope, depth)) return;
    opaque.push({ range: rangeOf(node ?? n), importTarget: importTarget(n) });
  }

  /**
   * A set built by a function over values the syntax cannot list, whose names all follow one pattern
   * (`lib.mapAttrs' (u: _: lib.nameValuePair "${u}-smb-password" { ... }) cfg.users`,
   * `listToAttrs (map (x: { name = "key-${x}"; value = { ... }; }) xs)`): one generator named by the
   * pattern, declaring what the body declares. False when the name says nothing (`nameValuePair n v`).
   */
  function patternSet(n: Node, scope: Scope, depth: number): boolean {
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
    const ref = scopedName(nameRefOf(pair.name), pair.name, inner);
    if (ref.name === null && /^\**$/.test(ref.pattern ?? '*')) return false;
    const g = generatorFor(ref);
    generatorBody(g, [], pair.value, inner, depth + 1);
    if (ref.name === null) patternSets.push({ generator: g, range: rangeOf(n) });
    return true;
  }

  /** `lib.nameValuePair <name> <value>` or `{ name = <name>; value = <value>; }`. */
  function nameValue(node: Node | null): { name: Node; value: Node } | null {
    if (!node) return null;
    if (node.type === 'apply_expression') {
      const { fn, args } = applyParts(node);
      return lastName(fn) === 'nameValuePair' && args.length === 2 ? { name: unparen(args[0]) ?? args[0], value: args[1] } : null;
    }
    if (node.type !== 'attrset_expression') return null;
    let name: Node | null = null;
    let value: Node | null = null;
    for (const b of bindingsOf(node)) {
      if (b.type !== 'binding') return null;
      const parts = attrPath(b.childForFieldName('attrpath'));
      const v = unparen(b.childForFieldName('expression'));
      if (parts.length !== 1 || !v) return null;
      if (parts[0].name === 'name') name = v;
      else if (parts[0].name === 'value') value = v;
      else return null;
    }
    return name && value ? { name, value } : null;
  }

  /** Collects what a generator declares at `rest` (relative to the generator) from `node`. */
  function generatorBody(g: Generator, rest: NameRef[], node: Node | null, scope: Scope, depth: number, via?: Via): void {
    const n = resolve(node, scope, depth);
    if (!n || depth > MAX_DEPTH) return;
    // a submodule written as a function (`{ config, ... }: { files.k = { }; }`)
    if (n.type === 'function_expression') return generatorBody(g, rest, n.childForFieldName('body'), withoutParameters(scope, n), depth + 1, via);
    const inner = unwrap(n, scope, depth) ?? n;
    const head = rest[0]?.name;
    const isSet = inner.type === 'attrset_expression' || inner.type === 'rec_attrset_expression';
    // `files = lib.genAttrs [...] (...)`, `prompts = mkPrompts ...`: names the syntax cannot list
    if (rest.length === 1 && (head === 'files' || head === 'prompts') && !isSet) g.filesUnknown = true;
    // the whole generator is a computed value (`x = mkGen { ... }`)
    if (rest.length === 0 && !isSet) g.filesUnknown = true;
    const item = rest[1];
    // `files."${user}-password" = { }`: a file whose name the syntax cannot know
    if ((head === 'files' || head === 'prompts') && item && item.name === null) g.filesUnknown = true;
    if ((head === 'files' || head === 'prompts') && item && item.name !== null) {
      const list = head === 'files' ? g.files : g.prompts;
      if (!list.some((x) => x.name === item.name)) list.push({ name: item.name, range: item.range });
      const f = head === 'files' ? g.files.find((x) => x.name === item.name) : undefined;
      // the binding names the file itself (`files.x = ...`, `files.x.secret = ...`, `x = ...` inside `files`)
      if (f && via && rest.length - via.own <= 1) (f.removals ??= []).push(removalRange(via.node, text));
      // `files.x = cfg.keyFile;`, `files.x = { } // extra;`: settings the syntax cannot read
      if (f && rest.length === 2 && !isSet) f.optionsUnknown = true;
    }
    if (rest.length === 0 && !g.insertAt && (inner.type === 'attrset_expression' || inner.type === 'rec_attrset_expression')) {
      g.insertAt = insertionPoint(inner, text);
      const moved = MOVED_FROM.exec(text.slice(inner.startIndex, inner.endIndex));
      if (moved) g.movedFrom = moved[1] as MovedFrom;
      const sops = moved?.[1] === 'sops-nix' ? movedSopsSource(text.slice(inner.startIndex, inner.endIndex), resolvePath) : null;
      if (sops) g.movedSops = sops;
    }
    // `files`, `prompts` and `files.<name>` themselves are containers, not options
    const container = rest.length === 0 || ((head === 'files' || head === 'prompts') && rest.length <= 2);
    if (!container) {
      const option = optionValue(rest, inner, scope, depth);
      if (via) option.removal = removalRange(via.node, text);
      g.options.push(option);
    }
    if (rest.length === 1 && head === 'share') {
      if (inner.type === 'variable_expression' && (inner.text === 'true' || inner.text === 'false')) g.share = inner.text === 'true';
    } else if (rest.length === 1 && head === 'dependencies') {
      for (const dep of listElements(n, scope, depth)) {
        const d = unparen(dep);
        if (!d) continue;
        const pattern = stringPattern(d);
        if (pattern !== null) g.dependencies.push(nameRefOf(d));
        else g.dependencies.push({ name: null, pattern: '*', range: rangeOf(d) });
      }
    } else if (rest.length === 1 && head === 'script') {
      g.script = { raw: inner.text, range: rangeOf(inner), kind: inner.type };
    }
    if ((inner.type === 'attrset_expression' || inner.type === 'rec_attrset_expression') && rest.length < 6) {
      for (const b of bindingsOf(inner)) {
        if (b.type === 'inherit' || b.type === 'inherit_from') {
          // `inherit runtimeInputs;` takes a let-bound value; `inherit (cfg) script;` and a function's argument are unknown
          for (const name of inheritedNames(b)) {
            if (name.name === null || (rest.length === 0 && (name.name === 'options' || name.name === 'config'))) continue;
            const value = b.type === 'inherit' ? scope.get(name.name) : undefined;
            if (value) generatorBody(g, [...rest, name], value, scope, depth + 1);
            else unknownValue(g, [...rest, name]);
          }
          continue;
        }
        if (b.type !== 'binding') continue;
        let parts = partsOf(b, scope, depth);
        // a submodule with its own options (`options.keyName = ...; config = { files.k = { }; };`):
        // what it sets under `config` is the generator's; its option declarations are not
        if (rest.length === 0 && parts[0]?.name === 'options') continue;
        if (rest.length === 0 && parts[0]?.name === 'config') parts = parts.slice(1);
        if (parts.length) generatorBody(g, [...rest, ...parts], b.childForFieldName('expression'), scope, depth + 1, { node: b, own: parts.length });
        else generatorBody(g, rest, b.childForFieldName('expression'), scope, depth + 1);
      }
    }
  }

  /**
   * What a generator declares at `path` with a value the syntax cannot read (`inherit (cfg) script;`,
   * `inherit runtimeInputs;` from a function's arguments): a file or prompt by its name with unknown
   * settings, unknown names or dependencies, or an option whose value is unknown.
   */
  function unknownValue(g: Generator, path: NameRef[]): void {
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

  function unknownOption(path: NameRef[]): OptionValue {
    const last = path[path.length - 1];
    return { path: path.map((r) => r.name ?? '*'), keyRange: last.range, valueRange: last.range, kind: 'unknown', literal: undefined, text: last.name ?? '*' };
  }

  function optionValue(rest: NameRef[], node: Node, scope: Scope, depth: number): OptionValue {
    const option: OptionValue = {
      path: rest.map((r) => r.name ?? '*'),
      keyRange: rest[rest.length - 1].range,
      valueRange: rangeOf(node),
      kind: node.type,
      literal: literalOf(node),
      text: node.text.length > 200 ? node.text.slice(0, 200) + '…' : node.text,
    };
    if (certainlyList(node, scope, depth)) option.list = true;
    const list = listParts(node, scope, depth);
    // only a list whose every element is known: a part that is not (`++ cfg.extra`) may hold anything
    if (list.complete) {
      option.elements = list.items.map((e) => {
        const u = unparen(e) ?? e;
        return { literal: literalOf(u), range: rangeOf(u), kind: u.type, text: u.text.length > 200 ? u.text.slice(0, 200) + '…' : u.text };
      });
    }
    return option;
  }

  /**
   * Whether a value is a list whatever it evaluates to: a list, `++`, a library function that returns
   * one (`map`, `lib.attrNames`, `lib.optionals`, ...), through `let`, `with`, `if` (both branches)
   * and let-bound names.
   */
  function certainlyList(node: Node | null, scope: Scope, depth: number): boolean {
    const n = node && unwrap(node, scope, depth);
    if (!n || depth > MAX_DEPTH) return false;
    switch (n.type) {
      case 'list_expression':
        return true;
      case 'binary_expression':
        return n.childForFieldName('operator')?.text === '++';
      case 'with_expression':
      case 'assert_expression':
        return certainlyList(n.childForFieldName('body'), scope, depth + 1);
      case 'let_expression':
        return certainlyList(n.childForFieldName('body'), letScope(n, scope), depth + 1);
      case 'if_expression':
        return certainlyList(n.childForFieldName('consequence'), scope, depth + 1) && certainlyList(n.childForFieldName('alternative'), scope, depth + 1);
      case 'variable_expression':
        return scope.has(n.text) && certainlyList(scope.get(n.text)!, scope, depth + 1);
      case 'apply_expression': {
        const { fn, args } = applyParts(n);
        const name = dottedName(fn);
        const last = name?.split('.').pop() ?? '';
        // `lib.x`, `builtins.x`, `lib.lists.x`, or `map` (a builtin in every scope) not hidden by a let binding
        const library = !!name && (/^(lib|builtins|pkgs\.lib)(\.(lists|attrsets|strings))?\.[^.]+$/.test(name) || (name === 'map' && !scope.has('map')));
        return library && Object.prototype.hasOwnProperty.call(LIST_FUNCTIONS, last) && args.length === LIST_FUNCTIONS[last];
      }
      default:
        return false;
    }
  }

  function unwrap(node: Node, scope: Scope, depth: number): Node | null {
    let n: Node | null = node;
    for (let i = 0; n && n.type === 'apply_expression' && i < 10; i++) {
      const { fn, args } = applyParts(n);
      const w = wrapperName(fn);
      if (!w || w === 'mkMerge' || !args.length) return n;
      n = resolve(args[args.length - 1], scope, depth + i);
    }
    return n;
  }

  function listElements(node: Node, scope: Scope, depth: number): Node[] {
    return listParts(node, scope, depth).items;
  }

  /**
   * The elements of a list value, through `++`, let-bound names, `with x;` and `let ... in`, each
   * element resolved when it is a let-bound name; `complete` false when some part is not a list
   * the syntax can enumerate (`cfg.extraInputs`, `lib.optional c x`).
   */
  function listParts(node: Node, scope: Scope, depth: number): { items: Node[]; complete: boolean } {
    const n = unwrap(node, scope, depth);
    if (!n || depth > MAX_DEPTH) return { items: [], complete: false };
    if (n.type === 'list_expression') {
      const items = n.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment').map((c) => (unparen(c)?.type === 'variable_expression' ? (resolve(c, scope, depth) ?? c) : c));
      return { items, complete: true };
    }
    if (n.type === 'binary_expression' && n.childForFieldName('operator')?.text === '++') {
      const [l, r] = [listParts(n.childForFieldName('left')!, scope, depth + 1), listParts(n.childForFieldName('right')!, scope, depth + 1)];
      return { items: [...l.items, ...r.items], complete: l.complete && r.complete };
    }
    if (n.type === 'with_expression') return listParts(n.childForFieldName('body')!, scope, depth + 1);
    if (n.type === 'let_expression') return listParts(n.childForFieldName('body')!, letScope(n, scope), depth + 1);
    const r = resolve(n, scope, depth);
    if (r && r !== n && r.id !== n.id) return listParts(r, scope, depth + 1);
    return { items: [], complete: false };
  }

  function finish(): GeneratorScan {
    for (const g of all) {
      for (const f of g.files) {
        const deploy = g.options.find((o) => o.path.length === 3 && o.path[0] === 'files' && o.path[1] === f.name && o.path[2] === 'deploy');
        if (deploy) f.deploy = typeof deploy.literal === 'boolean' ? deploy.literal : null;
        else if (f.optionsUnknown) f.deploy = null;
      }
    }
    return patternSets.length ? { generators: all, opaque, patternSets } : { generators: all, opaque };
  }

  return { visit, generatorFor, generatorBody, finish };
}

/** A binding's attribute path, computed parts read through let-bound strings (scopedName). */
function partsOf(b: Node, scope: Scope, depth: number): NameRef[] {
  const ap = b.childForFieldName('attrpath');
  const parts = attrPath(ap);
  if (!ap || depth > MAX_DEPTH || parts.every((p) => p.name !== null)) return parts;
  const nodes = ap.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
  return nodes.length === parts.length ? parts.map((p, i) => scopedName(p, nodes[i], scope)) : parts;
}

/**
 * A computed name with the let-bound strings it names substituted: `${appName}` with
 * `appName = "caddy";` is `caddy`, `"acme-${scope}"` with `scope` a function's argument the
 * pattern `acme-*`. The name as it was when nothing is let-bound.
 */
function scopedName(ref: NameRef, node: Node, scope: Scope): NameRef {
  if (ref.name !== null) return ref;
  const pattern = patternOf(node, scope, 0);
  if (pattern === null || pattern === (ref.pattern ?? '*')) return ref;
  return pattern.includes('*') ? { name: null, pattern, range: ref.range } : { name: pattern, pattern: null, range: ref.range };
}

/** The name a string, an interpolation or a let-bound name gives, `*` for each part that cannot be known; null for a name with a `*` or an escape of its own. */
function patternOf(node: Node | null, scope: Scope, hops: number): string | null {
  const n = unparen(node);
  if (!n || hops > 20) return '*';
  if (n.type === 'interpolation') return patternOf(n.namedChildren.find((c) => !!c && c.type !== 'comment') ?? null, scope, hops + 1);
  if (n.type === 'variable_expression') return scope.has(n.text) ? patternOf(scope.get(n.text)!, scope, hops + 1) : '*';
  if (n.type !== 'string_expression' && n.type !== 'indented_string_expression') return '*';
  let out = '';
  for (const child of n.namedChildren) {
    if (!child || child.type === 'comment') continue;
    if (child.type === 'string_fragment' && !/[*\n]/.test(child.text)) out += child.text;
    else if (child.type === 'interpolation') {
      const inner = patternOf(child, scope, hops + 1);
      if (inner === null) return null;
      out += inner;
    } else return null;
  }
  return out;
}

/** The last part of a function's dotted name (`lib.mapAttrs'` -> `mapAttrs'`). */
function lastName(fn: Node | null): string | undefined {
  return dottedName(fn)?.split('.').pop();
}
