// Generator sets the syntax alone cannot enumerate (`lib.genAttrs`, `lib.mapAttrs'`,
// `builtins.listToAttrs`, names interpolated from `let`-bound values, helper functions), computed by
// evaluating the module with the static evaluator: the module's function is called with `lib`
// (the subset in eval/nixLib.ts) and every other argument (`config`, `pkgs`, ...) unknown, and the
// value of `clan.core.vars.generators` is read as the module system reads it (through mkIf, mkMerge,
// mkDefault/mkForce, `config = ...`). What cannot be computed stays unknown: a set whose names are
// not all known is "open", a generator whose files cannot be computed has `files: null`.
import type { FlatTree as Tree } from '../syntax/flatTree';
import type { NixParser } from '../syntax/nixParser';
import type { Range } from '../base/types';
import { toAst } from './eval/ast';
import { Context } from './eval/context';
import { callFunction } from './eval/evalFunction';
import { evalNode } from './eval/evalNode';
import { makeGlobals } from './eval/builtins/index';
import { nixLib } from './eval/nixLib';
import { run, Thunk } from './eval/index';
import { Scope } from './eval/thunk';
import { mkAttrs, unknown, type AttrsValue, type Value } from './eval/values';
import * as path from 'node:path';

const GENERATORS_PATH = ['clan', 'core', 'vars', 'generators'];
/** Small: a module's generator set is a few functions over a few lists. */
const MAX_STEPS = 200_000;

export interface EvaluatedName {
  name: string;
  /** Where the name was written in this file (the string, or the attribute), when it was. */
  range: Range | null;
}

export interface EvaluatedGenerator {
  name: EvaluatedName;
  /** Names of `files` / `prompts`; null when they cannot be computed. `share`: false when not set, null when unknown. */
  files: string[] | null;
  prompts: string[] | null;
  dependencies: EvaluatedName[] | null;
  share: boolean | null;
  /**
   * Where its definitions are written in this file (the attrsets the module system merges), so the
   * syntax can read what evaluation leaves alone (script, options); null when one of them is not an
   * attrset written here (built by a function elsewhere, merged with `//`).
   */
  sources: Range[] | null;
}

export interface EvaluatedGenerators {
  generators: EvaluatedGenerator[];
  /** Every name of the module's generator set is known (no part of it unknown). */
  closed: boolean;
}

/** null: the module sets no generators the evaluator can see (or is not a module it understands). */
export function evaluateGenerators(tree: Tree, file: string, parser: NixParser): EvaluatedGenerators | null {
  if (tree.rootNode.hasError) return null;
  const ctx = new Context(parser, { maxSteps: MAX_STEPS });
  ctx.globals = makeGlobals(ctx);
  const r = run(() => read(ctx, tree, file));
  return 'ok' in r ? r.ok : null;
}

function read(ctx: Context, tree: Tree, file: string): EvaluatedGenerators | null {
  const ast = toAst(tree);
  let v = evalNode(ctx, ast, new Scope(null, null, null, true), { file, dir: path.dirname(file) });
  if (v.t === 'lambda') {
    const lib = Thunk.of(nixLib(ctx));
    const args = new Map<string, Thunk>();
    for (const name of v.formals?.keys() ?? []) args.set(name, name === 'lib' ? lib : Thunk.of(unknown(`argument ${name}`)));
    if (!v.formals) args.set('lib', lib);
    const arg = mkAttrs(args);
    arg.open = true;
    v = callFunction(ctx, v, Thunk.of(arg), null);
  }
  const state = { closed: true };
  const modules = definitions(ctx, v, state);
  // a module with `config` or `options` keeps its settings under `config`; otherwise the whole set is settings
  let defs: Value[] = [];
  for (const m of modules) {
    if (m.t !== 'attrs') continue;
    if (m.attrs.has('config') || m.attrs.has('options')) defs.push(...(m.attrs.has('config') ? definitions(ctx, force(ctx, m.attrs.get('config')!), state) : []));
    else defs.push(m);
  }
  let found = false;
  for (const key of GENERATORS_PATH) {
    const next: Value[] = [];
    found = false;
    for (const d of defs) {
      if (d.t === 'unknown') {
        state.closed = false;
        continue;
      }
      if (d.t !== 'attrs') continue;
      const t = d.attrs.get(key);
      if (t) {
        found = true;
        next.push(...definitions(ctx, force(ctx, t), state));
      }
      else if (d.open) state.closed = false;
    }
    defs = next;
  }
  if (!found) return null;
  const byName = new Map<string, { name: EvaluatedName; defs: Value[] }>();
  for (const d of defs) {
    if (d.t !== 'attrs') {
      state.closed = false;
      continue;
    }
    if (d.open) state.closed = false;
    for (const [name, t] of d.attrs) {
      const entry = byName.get(name) ?? byName.set(name, { name: { name, range: nameRange(d, name, file) }, defs: [] }).get(name)!;
      entry.defs.push(...definitions(ctx, force(ctx, t), { closed: true }));
    }
  }
  const generators: EvaluatedGenerator[] = [];
  for (const { name, defs: gdefs } of byName.values()) generators.push(generatorOf(ctx, name, gdefs, file));
  return { generators, closed: state.closed };
}

function force(ctx: Context, t: Thunk): Value {
  const r = run(() => t.force(ctx));
  return 'ok' in r ? r.ok : unknown('error');
}

/** A value as the module system sees its definitions: mkIf/mkMerge/mkOverride/mkOrder unwrapped. */
function definitions(ctx: Context, v: Value, state: { closed: boolean }, depth = 0): Value[] {
  if (depth > 50) return [unknown('depth')];
  if (v.t !== 'attrs' || !v.attrs.has('_type')) return [v];
  const type = force(ctx, v.attrs.get('_type')!);
  if (type.t !== 'string') return [unknown('_type')];
  const field = (n: string) => (v.attrs.has(n) ? force(ctx, v.attrs.get(n)!) : unknown(n));
  switch (type.v) {
    case 'if': {
      const cond = field('condition');
      if (cond.t === 'bool' && !cond.v) return [];
      return definitions(ctx, field('content'), state, depth + 1);
    }
    case 'merge': {
      const list = field('contents');
      if (list.t !== 'list') return [unknown('mkMerge')];
      return list.items.flatMap((t) => definitions(ctx, force(ctx, t), state, depth + 1));
    }
    case 'override':
    case 'order':
      return definitions(ctx, field('content'), state, depth + 1);
    default:
      return [v];
  }
}

function nameRange(set: AttrsValue, name: string, file: string): Range | null {
  const loc = set.nameLocs?.get(name);
  return loc && loc.file === file ? loc.range : null;
}

function generatorOf(ctx: Context, name: EvaluatedName, defs: Value[], file: string): EvaluatedGenerator {
  const g: EvaluatedGenerator = { name, files: [], prompts: [], dependencies: [], share: false, sources: [] };
  for (const d of defs) {
    if (d.t !== 'attrs') {
      g.files = g.prompts = g.dependencies = g.sources = null;
      continue;
    }
    if (d.loc?.file === file && !d.open) g.sources?.push(d.loc.range);
    else g.sources = null;
    for (const key of ['files', 'prompts'] as const) {
      const t = d.attrs.get(key);
      if (!t) {
        if (d.open) g[key] = null;
        continue;
      }
      for (const set of definitions(ctx, force(ctx, t), { closed: true })) {
        if (set.t !== 'attrs' || set.open) g[key] = null;
        else if (g[key]) for (const k of set.attrs.keys()) if (!g[key]!.includes(k)) g[key]!.push(k);
      }
    }
    const deps = d.attrs.get('dependencies');
    if (deps) {
      for (const list of definitions(ctx, force(ctx, deps), { closed: true })) {
        if (list.t !== 'list') {
          g.dependencies = null;
          continue;
        }
        for (const item of list.items) {
          const s = force(ctx, item);
          if (s.t !== 'string') g.dependencies = null;
          else g.dependencies?.push({ name: s.v, range: s.loc?.file === file ? s.loc.range : (s.origins?.find((o) => o.file === file)?.range ?? null) });
        }
      }
    } else if (d.open) g.dependencies = null;
    const share = d.attrs.get('share');
    if (share) {
      const s = definitions(ctx, force(ctx, share), { closed: true })[0];
      g.share = s?.t === 'bool' ? s.v || g.share : null;
    } else if (d.open) g.share = null;
  }
  return g;
}
