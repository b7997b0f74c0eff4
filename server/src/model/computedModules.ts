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
import { mkAttrs, mkOpenAttrs, mkString } from '../facts/eval/values';
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
 * A flake's value with its `outputs` function called on the flake's inputs, for a set its plain
 * outputs compute (`outputs = { self, ... }: { nixosModules = ...; }`): the flake itself as `self`
 * (flakeSelf), nixpkgs' `lib` where `nixpkgs` is nixpkgs, every other input unknown. Any other
 * value as it is.
 */
function withOutputs(ctx: Context, value: Value, path: string[], root: string): Value {
  if (path[0] !== 'outputs' || value.t !== 'attrs') return value;
  const fn = value.attrs.get('outputs')?.force(ctx, null);
  if (fn?.t !== 'lambda') return value;
  const inputs = new Map([['self', Thunk.of(flakeSelf(root))]]);
  if (nixpkgsIsInput(root)) inputs.set('nixpkgs', Thunk.of(nixpkgsOf(Thunk.of(nixLib(ctx)))));
  const outputs = callFunction(ctx, fn, Thunk.of(mkOpenAttrs(inputs)), null);
  return mkAttrs(new Map([...value.attrs, ['outputs', Thunk.of(outputs)]]));
}

/**
 * Reads the value of a file whose text the extractor kept (called with moduleArgs where it is a
 * function) with `read`, in an evaluation of `options`; a reason where the text was not kept or does
 * not parse, where there is no parser, and for a Nix error or an unknown `read` lets out.
 */
export function readFileValue<R extends object>(parser: NixParser | null, file: string, source: string | { unread: string }, options: EvalOptions, read: (ctx: Context, v: Value) => R, root: string | null = null, self?: FlakeOutputs): R | { reason: string } {
  if (typeof source !== 'string') return { reason: source.unread };
  if (!parser) return { reason: 'not evaluated here' };
  const ctx = newContext(parser, options);
  const r = run((): R | { reason: string } => {
    const ast = parseSource(parser, source);
    if (ast.syntaxError) return { reason: 'its file has a syntax error' };
    const v = evalNode(ctx, ast, new Scope(null, null, null, true), { file, dir: path.dirname(file) });
    return read(ctx, v.t === 'lambda' ? callFunction(ctx, v, Thunk.of(moduleArgs(ctx, v, root !== null && nixpkgsIsInput(root), root, self)), null) : v);
  });
  if ('ok' in r) return r.ok;
  return { reason: 'error' in r ? `evaluating it fails: ${r.error.message}` : r.unknown.reason };
}

/** The set `def` of `file` computes, with the folders of the clan at `root` as they are now. */
export function evaluateComputedSet(root: string, parser: NixParser | null, file: string, def: ComputedFlakeModules): ComputedSet {
  return readFileValue(parser, file, def.source, { maxSteps: MAX_STEPS, reads: { ...NO_READS, ...folderReads(Confinement.within(root)) } }, (ctx, value): ComputedSet => {
    const found = valueAt(ctx, withOutputs(ctx, value, def.path, root), def.path, 'its file is not a module of flake outputs');
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
export function moduleArgs(ctx: ReturnType<typeof newContext>, fn: Value, nixpkgs = false, root: string | null = null, self?: FlakeOutputs): Value {
  const lib = Thunk.of(nixLib(ctx));
  // a function of named arguments without `lib` among them (`{ self }: ...`, a part of the clan's
  // configuration imported with its arguments) may take no other: the body cannot name it anyway
  const args = new Map<string, Thunk>(fn.t !== 'lambda' || !fn.formals || fn.formals.has('lib') ? [['lib', lib]] : []);
  if (fn.t === 'lambda') for (const name of fn.formals?.keys() ?? []) if (name !== 'lib') args.set(name, Thunk.of(unknown(`argument ${name}`)));
  if (nixpkgs && args.has('inputs')) args.set('inputs', Thunk.of(nixpkgsInputs(lib)));
  if (root !== null && args.has('self')) args.set('self', Thunk.of(flakeSelf(root, self)));
  return mkOpenAttrs(args);
}

/** The flake's inputs as far as `inputs.nixpkgs.lib` (nixpkgs' `lib`) goes: for a clan whose input `nixpkgs` is nixpkgs (nixpkgsIsInput). */
export function nixpkgsInputs(lib: Thunk): Value {
  return mkOpenAttrs(new Map([['nixpkgs', Thunk.of(nixpkgsOf(lib))]]));
}

/** nixpkgs as far as its `lib` goes. */
function nixpkgsOf(lib: Thunk): Value {
  return mkOpenAttrs(new Map([['lib', lib]]));
}

/** Outputs of the flake known to the model (ModuleLookup.outputModules): each a set of modules by name, with the path each is (null: not a path). */
export type FlakeOutputs = Map<string, Map<string, string | null>>;

/** The flake itself: its source is the clan's folder (`"${self}/modules"`), and the `outputs` given; nothing else of it is known. */
export function flakeSelf(root: string, outputs?: FlakeOutputs): Value {
  const attrs = new Map([['outPath', Thunk.of(mkString(root))]]);
  for (const [name, modules] of outputs ?? []) {
    const set = new Map([...modules].map(([m, p]) => [m, Thunk.of(p === null ? unknown(`self.${name}.${m}, not a path`) : ({ t: 'path', v: p, loc: null } as Value))]));
    attrs.set(name, Thunk.of(mkAttrs(set)));
  }
  return mkOpenAttrs(attrs);
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
