// The machines of the tags a clan defines in `inventory.tags`: a set of machine lists, or a function
// `{ config, ... }: { ... }` where `config.all`, `config.nixos`, `config.darwin` are the machines by
// class and `config.<t>` the other tags (clan-core's modules/inventoryClass/inventory.nix and
// modules/clan/computed-tags.nix). The definitions are kept as ASTs by the extractor and evaluated
// here with the evaluator, now that the machines and their classes are known. Definitions of one
// tag merge as lists do (concatenated). What cannot be computed (a free variable, a function of
// the machines' other options, an import) leaves that tag unknown, never empty.
import * as path from 'node:path';
import { callFunction, Context, run, Thunk } from '../facts/eval/index';
import { makeGlobals } from '../facts/eval/builtins/index';
import { needList, primop } from '../facts/eval/builtins/args';
import { evalNode } from '../facts/eval/evalNode';
import { Scope } from '../facts/eval/thunk';
import { mkAttrs, mkList, mkString, unknown, type AttrsValue, type Value } from '../facts/eval/values';
import { fromPortableAst } from '../facts/eval/ast';
import type { InventoryTagDef } from '../facts/types';

/** A few filters over a few dozen machines: far below this. */
const MAX_STEPS = 100_000;

export interface ComputedTags {
  /** Tag -> its machines as `inventory.tags` computes them; null: defined, but not computable. */
  tags: Map<string, string[] | null>;
  /** Some definition's tag names are not known: any tag may have machines we cannot tell. */
  open: boolean;
}

/** `defs` with the file each is written in; `classes`: every machine with its class (nixos unless said otherwise). */
export function computeInventoryTags(defs: { file: string; def: InventoryTagDef }[], classes: Map<string, 'nixos' | 'darwin'>): ComputedTags {
  const out: ComputedTags = { tags: new Map(), open: false };
  if (!defs.length) return out;
  const ctx = new Context(null, { maxSteps: MAX_STEPS });
  ctx.globals = makeGlobals(ctx);
  const names = [...classes.keys()];
  const strings = (list: string[]) => mkList(list.map((m) => Thunk.of(mkString(m))));
  // `config`: the tags by name; the class tags are clan's defaults, which a definition replaces
  const config = new Map<string, Thunk>([
    ['all', Thunk.of(strings(names))],
    ['nixos', Thunk.of(strings(names.filter((m) => classes.get(m) === 'nixos')))],
    ['darwin', Thunk.of(strings(names.filter((m) => classes.get(m) === 'darwin')))],
  ]);
  // `machines`: the inventory's machines; only their names and classes are known here
  const machines = mkAttrs(new Map(names.map((m) => [m, Thunk.of(openAttrs([['name', mkString(m)], ['machineClass', mkString(classes.get(m)!)]]))])));
  const lib = Thunk.of(listLib(ctx));
  const args = Thunk.of(openAttrs([['config', mkAttrs(config)], ['machines', machines], ['lib', lib.peek()!]]));
  // a definition's own free `lib` is nixpkgs' (a `let lib = nixpkgs.lib;` around it); other free variables are unknown
  const scope = new Scope(null, new Map([['lib', lib]]), null, true);

  const byTag = new Map<string, Thunk[]>();
  const add = (tag: string, t: Thunk) => (byTag.get(tag) ?? byTag.set(tag, []).get(tag)!).push(t);
  for (const { file, def } of defs) {
    if (!def.ast) {
      if (def.tag === null) out.open = true;
      else add(def.tag, Thunk.of(unknown('too large')));
      continue;
    }
    // evaluation caches its work on the AST's nodes: a new one, never the facts themselves
    const ast = fromPortableAst(def.ast);
    const src = { file, dir: path.dirname(file) };
    if (def.tag !== null) {
      add(def.tag, new Thunk(() => evalNode(ctx, ast, scope, src)));
      continue;
    }
    const r = run(() => {
      const v = evalNode(ctx, ast, scope, src);
      return v.t === 'lambda' ? callFunction(ctx, v, args, null) : v;
    });
    if (!('ok' in r) || r.ok.t !== 'attrs' || r.ok.open) {
      out.open = true;
      continue;
    }
    for (const [tag, t] of r.ok.attrs) add(tag, t);
  }
  for (const [tag, thunks] of byTag) {
    config.set(
      tag,
      new Thunk(() => {
        const items: Thunk[] = [];
        for (const t of thunks) {
          const v = t.force(ctx, null);
          if (v.t !== 'list') return v.t === 'unknown' ? v : unknown(`tag '${tag}' is not a list`);
          items.push(...v.items);
        }
        return mkList(items);
      }),
    );
  }
  for (const tag of byTag.keys()) {
    const r = run(() => {
      const list = config.get(tag)!.force(ctx, null);
      if (list.t !== 'list') return null;
      const machines: string[] = [];
      for (const t of list.items) {
        const v = t.force(ctx, null);
        if (v.t !== 'string') return null;
        machines.push(v.v);
      }
      return machines;
    });
    out.tags.set(tag, 'ok' in r ? r.ok : null);
  }
  return out;
}

function openAttrs(entries: [string, Value][]): AttrsValue {
  const set = mkAttrs(new Map(entries.map(([k, v]) => [k, Thunk.of(v)])));
  set.open = true;
  return set;
}

/** The list functions of nixpkgs' `lib` that tag definitions use; any other attribute is unknown. */
function listLib(ctx: Context): AttrsValue {
  const builtins = ctx.globals.lexical('builtins')!.peek() as AttrsValue;
  const elem = builtins.attrs.get('elem')!.peek()!;
  /** `subtractLists e l` / `intersectLists e l`: the items of `l` (not) in `e`. */
  const sieve = (name: string, keep: boolean) =>
    primop(ctx, name, {
      arity: 2,
      fn: (c, [e, l], loc) => {
        const items: Thunk[] = [];
        for (const x of needList(c, l, loc).items) {
          const found = callFunction(c, callFunction(c, elem, x, loc), e, loc);
          if (found.t !== 'bool') return found.t === 'unknown' ? found : unknown(`${name}: elem gave ${found.t}`, loc);
          if (found.v === keep) items.push(x);
        }
        return mkList(items, loc);
      },
    });
  const lib = mkAttrs(new Map<string, Thunk>());
  for (const name of ['filter', 'elem', 'concatLists', 'concatMap', 'length', 'head', 'tail', 'attrNames', 'map']) lib.attrs.set(name, builtins.attrs.get(name)!);
  lib.attrs.set('subtractLists', Thunk.of(sieve('subtractLists', false)));
  lib.attrs.set('intersectLists', Thunk.of(sieve('intersectLists', true)));
  lib.open = true;
  return lib;
}
