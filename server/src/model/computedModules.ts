// Flake modules defined by a set computed from the file tree (`flake.nixosModules = lib.mapAttrs'
// (name: _: ...) (builtins.readDir ./nixos-modules)`), evaluated here, where the folders of the clan
// may be listed (context.ts folderReads: inside the clan only). The extractor keeps the file's text
// (facts/modules.ts); a flake-parts module is called with nixpkgs' `lib` and every other
// argument unknown. Each module of the set is a path (a file, or a folder's default.nix) or an inline
// module that only imports paths; anything else, and anything the evaluator cannot know (a folder
// outside the clan, a function of `config`), is a reason, never a guess.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readFlakeLock } from '../base/flakeLock';
import { inputKey } from './inputs/lockIdentity';
import { Confinement } from '../base/confinement';
import { callFunction, run, Thunk, unknown, type Value } from '../facts/eval/index';
import { newContext } from '../facts/eval/index';
import { folderReads, NO_READS, readsWithin, type Context, type EvalOptions } from '../facts/eval/context';
import { evalNode } from '../facts/eval/evalNode';
import { nixLib } from '../facts/eval/nixLib';
import { Scope } from '../facts/eval/thunk';
import { mkOpenAttrs, mkString } from '../facts/eval/values';
import { parseSource } from '../facts/eval/parseSource';
import type { ComputedFlakeModules } from '../facts/types';
import type { NixParser } from '../syntax/nixParser';

/** A few folders of a few dozen files: far below this. */
const MAX_STEPS = 200_000;

/** One module of a computed set: the paths it is made of, or why they cannot be told. */
export type ComputedModule = { paths: string[] } | { reason: string };
/** A computed set of flake modules by name, or why its names cannot be told. */
export type ComputedSet = { modules: Map<string, ComputedModule> } | { reason: string };

/**
 * Reads the value of a file whose text the extractor kept (called with moduleArgs where it is a
 * function) with `read`, in an evaluation of `options`; a reason where the text was not kept or does
 * not parse, where there is no parser, and for a Nix error or an unknown `read` lets out.
 */
export function readFileValue<R extends object>(parser: NixParser | null, file: string, source: string | { unread: string }, options: EvalOptions, read: (ctx: Context, v: Value) => R, root: string | null = null): R | { reason: string } {
  if (typeof source !== 'string') return { reason: source.unread };
  if (!parser) return { reason: 'not evaluated here' };
  const ctx = newContext(parser, options);
  const r = run((): R | { reason: string } => {
    const ast = parseSource(parser, source);
    if (ast.syntaxError) return { reason: 'its file has a syntax error' };
    const v = evalNode(ctx, ast, new Scope(null, null, null, true), { file, dir: path.dirname(file) });
    return read(ctx, v.t === 'lambda' ? callFunction(ctx, v, Thunk.of(moduleArgs(ctx, v, root !== null && nixpkgsIsInput(root), root)), null) : v);
  });
  if ('ok' in r) return r.ok;
  return { reason: 'error' in r ? `evaluating it fails: ${r.error.message}` : r.unknown.reason };
}

/** The set `def` of `file` computes, with the folders of the clan at `root` as they are now. */
export function evaluateComputedSet(root: string, parser: NixParser | null, file: string, def: ComputedFlakeModules): ComputedSet {
  return readFileValue(parser, file, def.source, { maxSteps: MAX_STEPS, reads: { ...NO_READS, ...folderReads(Confinement.within(root)) } }, (ctx, value): ComputedSet => {
    const found = valueAt(ctx, value, def.path, 'its file is not a module of flake outputs');
    if ('reason' in found) return found;
    const v = found.at;
    if (v.t !== 'attrs' || v.open) return { reason: whyNot(v, 'its names are not known') };
    const modules = new Map<string, ComputedModule>();
    for (const [name, t] of v.attrs) modules.set(name, moduleOf(ctx, t.force(ctx, null)));
    return { modules };
  }, root);
}

/**
 * A module file's own `imports` where it computes them (`imports = lib.filter (x: x != null)
 * featureModules` over `builtins.readDir ./.`): the paths it lists, read inside the clan at `root` as
 * it is now. A module written inline in the file is the file's own (its facts have it); one of
 * another file's making, and anything not known, is a reason.
 */
export function evaluateOwnImports(root: string, parser: NixParser | null, file: string, source: string | { unread: string }): ComputedModule {
  const within = Confinement.within(root);
  return readFileValue(parser, file, source, { maxSteps: MAX_STEPS, reads: { ...readsWithin(within), ...folderReads(within) } }, (ctx, v): ComputedModule => {
    if (v.t !== 'attrs') return { reason: whyNot(v, `its value is ${v.t === 'lambda' ? 'a function' : `a ${v.t}`}, not a module`) };
    const imports = v.attrs.get('imports')?.force(ctx, null);
    if (!imports) return { reason: v.open ? 'its imports are not known' : 'it has no imports' };
    if (imports.t !== 'list') return { reason: whyNot(imports, 'its imports are not a list') };
    const paths: string[] = [];
    for (const t of imports.items) {
      const m = t.force(ctx, null);
      if (m.t === 'path') paths.push(m.v);
      else if ((m.t === 'attrs' || m.t === 'lambda') && m.loc?.file === file) continue;
      else return { reason: whyNot(m, `it imports ${m.t === 'attrs' || m.t === 'lambda' ? 'a module made in another file' : `a ${m.t}`}`) };
    }
    return { paths };
  }, root);
}

/** The clan's own services a computed set gives (name -> the file or folder of each), or why they cannot be told. */
export type ServiceSet = { services: Map<string, string> } | { reason: string };

/**
 * The clan's own services where a file computes their set (`modules = import "${self}/services" {
 * inherit inputs; }`): each a path (a folder: its default.nix), or a service module imported from a
 * file (the file it was read from); anything else, and anything not known, is a reason.
 */
export function evaluateServiceSet(root: string, parser: NixParser | null, file: string, def: { path: string[]; source: string | { unread: string } }): ServiceSet {
  const within = Confinement.within(root);
  return readFileValue(parser, file, def.source, { maxSteps: MAX_STEPS, reads: { ...readsWithin(within), ...folderReads(within) } }, (ctx, value): ServiceSet => {
    const found = valueAt(ctx, value, def.path, 'its file is not a module of the clan');
    if ('reason' in found) return found;
    const v = found.at;
    if (v.t !== 'attrs' || v.open) return { reason: whyNot(v, 'its names are not known') };
    const services = new Map<string, string>();
    for (const [name, t] of v.attrs) {
      const m = t.force(ctx, null);
      if (m.t === 'path') services.set(name, m.v);
      else if ((m.t === 'attrs' || m.t === 'lambda') && m.loc && m.loc.file !== file) services.set(name, m.loc.file);
      else return { reason: whyNot(m, `service '${name}' is computed as ${m.t === 'attrs' || m.t === 'lambda' ? 'a module written in the set' : `a ${m.t}`}`) };
    }
    return { services };
  }, root);
}

/**
 * A flake-parts module's arguments: `lib` is nixpkgs', every other one unknown; where the flake's
 * input `nixpkgs` is nixpkgs (`nixpkgs`), `inputs.nixpkgs.lib` is its lib too (`inherit (inputs.nixpkgs) lib;`).
 */
export function moduleArgs(ctx: ReturnType<typeof newContext>, fn: Value, nixpkgs = false, root: string | null = null): Value {
  const lib = Thunk.of(nixLib(ctx));
  const args = new Map<string, Thunk>([['lib', lib]]);
  if (fn.t === 'lambda') for (const name of fn.formals?.keys() ?? []) if (name !== 'lib') args.set(name, Thunk.of(unknown(`argument ${name}`)));
  if (nixpkgs && args.has('inputs')) args.set('inputs', Thunk.of(nixpkgsInputs(lib)));
  if (root !== null && args.has('self')) args.set('self', Thunk.of(flakeSelf(root)));
  return mkOpenAttrs(args);
}

/** The flake's inputs as far as `inputs.nixpkgs.lib` (nixpkgs' `lib`) goes: for a clan whose input `nixpkgs` is nixpkgs (nixpkgsIsInput). */
export function nixpkgsInputs(lib: Thunk): Value {
  return mkOpenAttrs(new Map([['nixpkgs', Thunk.of(mkOpenAttrs(new Map([['lib', lib]])))]]));
}

/** The flake itself: its source is the clan's folder (`"${self}/modules"`), nothing else of it is known. */
export function flakeSelf(root: string): Value {
  return mkOpenAttrs(new Map([['outPath', Thunk.of(mkString(root))]]));
}


const nixpkgsChecked = new Map<string, { mtime: number; is: boolean }>();

/** Whether the clan's flake input `nixpkgs` is locked to nixpkgs (github:nixos/nixpkgs, a channel tarball), as its flake.lock says. */
export function nixpkgsIsInput(root: string): boolean {
  let mtime = -1;
  try {
    mtime = fs.statSync(path.join(root, 'flake.lock')).mtimeMs;
  } catch {
    return false;
  }
  const known = nixpkgsChecked.get(root);
  if (known?.mtime === mtime) return known.is;
  const lock = readFlakeLock(root);
  const name = lock?.rootInputs().find(([n]) => n === 'nixpkgs')?.[1];
  const locked = lock?.node(name)?.locked;
  const is = !!locked && inputKey(locked) === 'github:nixos/nixpkgs';
  nixpkgsChecked.set(root, { mtime, is });
  return is;
}

/** The value at `path` of a file's value; `notSet`: why, where a step is not a set. */
function valueAt(ctx: Context, value: Value, path: string[], notSet: string): { at: Value } | { reason: string } {
  let v = value;
  for (const key of path) {
    if (v.t !== 'attrs') return { reason: whyNot(v, notSet) };
    const t = v.attrs.get(key);
    if (!t) return { reason: v.open ? 'its file is not read that far' : `its file sets no ${path.join('.')}` };
    v = t.force(ctx, null);
  }
  return { at: v };
}

/** A module of the set: a path, or `{ imports = [ <paths> ]; }`. */
function moduleOf(ctx: ReturnType<typeof newContext>, v: Value): ComputedModule {
  if (v.t === 'path') return { paths: [v.v] };
  if (v.t !== 'attrs') return { reason: whyNot(v, `a module computed as ${v.t === 'lambda' ? 'a function' : `a ${v.t}`}`) };
  const other = [...v.attrs.keys()].filter((k) => k !== 'imports' && k !== '_file' && k !== 'key');
  if (other.length || v.open) return { reason: `a module computed inline with ${other.length ? other.join(', ') : 'attributes not known'}` };
  const imports = v.attrs.get('imports')?.force(ctx, null);
  if (!imports) return { paths: [] };
  if (imports.t !== 'list') return { reason: whyNot(imports, 'its imports are not a list') };
  const paths: string[] = [];
  for (const t of imports.items) {
    const p = t.force(ctx, null);
    if (p.t !== 'path') return { reason: whyNot(p, 'it imports a module that is not a path') };
    paths.push(p.v);
  }
  return { paths };
}

/** An unknown value's own reason, else `otherwise`. */
export function whyNot(v: Value, otherwise: string): string {
  return v.t === 'unknown' ? v.reason : otherwise;
}
