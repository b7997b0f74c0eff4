// Imports a module computes with a function of an argument the clan gives its machines through
// specialArgs: `imports = [ ... ] ++ (nflib.scanPaths ./. { });` with `specialArgs.nflib =
// config.flake.lib;` in the clan's configuration and `flake.lib = import ../../lib { inherit lib; };`
// in a flake-parts module (fosskar's nixfiles). Evaluated here, as computedModules.ts evaluates sets of
// flake modules: files of the clan may be imported and its folders listed (context.ts readsWithin and
// folderReads, inside the clan only), `lib` is nixpkgs' (nixLib.ts), `config` of a flake-parts module
// is the flake's as far as `flake.<x>` definitions tell, and every other argument is unknown. The
// result must be a list of paths; anything else, and anything unknown, is a reason, never a guess.
import * as path from 'node:path';
import { Confinement } from '../base/confinement';
import { newContext, run, Thunk, unknown, type Value } from '../facts/eval/index';
import { folderReads, readsWithin, type Context } from '../facts/eval/context';
import { evalNode } from '../facts/eval/evalNode';
import { nixLib } from '../facts/eval/nixLib';
import { parseSource } from '../facts/eval/parseSource';
import { Scope } from '../facts/eval/thunk';
import { mkOpenAttrs } from '../facts/eval/values';
import type { ArgValueDef, ModuleRef } from '../facts/types';
import type { NixParser } from '../syntax/nixParser';
import { sameRange } from '../syntax/syntax';
import { flakeSelf, nixpkgsInputs, nixpkgsIsInput, whyNot } from './computedModules';

/** A helper listing a folder or two: far below this. */
const MAX_STEPS = 300_000;

/** A definition of a value and the file it is written in. */
export interface ArgValueAt {
  file: string;
  def: ArgValueDef;
}

/** The clan's specialArgs and its flake-parts `flake.<x>` definitions, by name (`*`: given whole). */
export interface ArgValues {
  specialArgs: Map<string, ArgValueAt[]>;
  flakeValues: Map<string, ArgValueAt[]>;
}

export function emptyArgValues(): ArgValues {
  return { specialArgs: new Map(), flakeValues: new Map() };
}

/** Adds the definitions of a file of the clan's configuration. */
export function addArgValues(into: ArgValues, file: string, specialArgs: ArgValueDef[] = [], flakeValues: ArgValueDef[] = []): void {
  const add = (m: Map<string, ArgValueAt[]>, def: ArgValueDef) => {
    const list = m.get(def.name) ?? [];
    if (!list.some((d) => d.file === file && sameRange(d.def.range, def.range))) list.push({ file, def });
    m.set(def.name, list);
  };
  for (const d of specialArgs) add(into.specialArgs, d);
  for (const d of flakeValues) add(into.flakeValues, d);
}

/** The modules an import expression computed from a module argument names: paths, or why they cannot be told. */
export type ArgImport = { paths: string[] } | { reason: string };

/** What `ref.applied`, written in `file`, evaluates to, with the clan at `root` as it is on disk now. */
export function evaluateArgImport(root: string, parser: NixParser | null, file: string, applied: NonNullable<ModuleRef['applied']>, values: ArgValues): ArgImport {
  if (!parser) return { reason: 'not evaluated here' };
  const whole = values.specialArgs.get('*');
  if (whole?.length) return { reason: `the clan's specialArgs are written in a way not known statically (${where(root, whole[0])})` };
  const defs = values.specialArgs.get(applied.arg) ?? [];
  if (!defs.length) return { reason: `'${applied.arg}' is not one of the clan's specialArgs` };
  if (defs.length > 1) return { reason: `specialArgs.${applied.arg} is defined more than once (${defs.map((d) => where(root, d)).join(', ')})` };
  const def = defs[0];
  if (def.def.source === null) return { reason: `specialArgs.${applied.arg} is written in a way not known statically (${where(root, def)})` };
  const confinement = Confinement.within(root);
  const ctx = newContext(parser, { maxSteps: MAX_STEPS, reads: { ...readsWithin(confinement), ...folderReads(confinement) } });
  const r = run((): ArgImport => {
    const config = def.def.given.includes('config') ? flakeConfig(ctx, root, values) : null;
    const arg = evalAt(ctx, def.file, def.def.source!, given(ctx, root, def.def, config));
    const list = evalAt(ctx, file, applied.source, new Map([[applied.arg, Thunk.of(arg)]]));
    if (list.t !== 'list') return { reason: whyNot(list, `it is a ${list.t}, not a list of modules`) };
    const paths: string[] = [];
    for (const t of list.items) {
      const p = t.force(ctx, null);
      if (p.t !== 'path') return { reason: whyNot(p, `it lists a ${p.t === 'lambda' ? 'function' : p.t}, not a path`) };
      paths.push(p.v);
    }
    return { paths };
  });
  if ('ok' in r) return r.ok;
  return { reason: 'error' in r ? `evaluating it fails: ${r.error.message}` : r.unknown.reason };
}

/**
 * `lib` (nixpkgs'), `config` (the flake's), `inputs` (`inputs.nixpkgs.lib`, where the clan's input
 * `nixpkgs` is nixpkgs) and `self` (the flake, its source the clan's folder: `"${self}/lib"`), where
 * the definition's file gives them, as computedModules.ts moduleArgs gives a flake-parts module's.
 */
function given(ctx: Context, root: string, def: ArgValueDef, config: Value | null): Map<string, Thunk> {
  const vars = new Map<string, Thunk>();
  const lib = Thunk.of(nixLib(ctx));
  if (def.given.includes('lib')) vars.set('lib', lib);
  if (config && def.given.includes('config')) vars.set('config', Thunk.of(config));
  if (def.given.includes('inputs') && nixpkgsIsInput(root)) vars.set('inputs', Thunk.of(nixpkgsInputs(lib)));
  if (def.given.includes('self')) vars.set('self', Thunk.of(flakeSelf(root)));
  return vars;
}

/** A flake-parts module's `config` as far as `flake.<x> = ...` definitions of the clan tell: each evaluated when selected. */
function flakeConfig(ctx: Context, root: string, values: ArgValues): Value {
  const flake = new Map<string, Thunk>();
  const whole = values.flakeValues.get('*');
  for (const [name, defs] of values.flakeValues) {
    if (name === '*') continue;
    const def = defs[0];
    flake.set(
      name,
      new Thunk(() => {
        if (defs.length > 1) return unknown(`flake.${name} is defined in parts (${defs.map((d) => where(root, d)).join(', ')})`, null);
        if (def.def.source === null) return unknown(`flake.${name} is written in a way not known statically (${where(root, def)})`, null);
        return evalAt(ctx, def.file, def.def.source, given(ctx, root, def.def, null));
      }),
    );
  }
  const flakeSet = mkOpenAttrs(flake);
  return mkOpenAttrs(new Map([['flake', Thunk.of(whole?.length ? unknown(`flake is given whole (${where(root, whole[0])})`, null) : flakeSet)]]));
}

/** An expression's text evaluated where it is written (`./.` is its file's folder), with `vars` bound and every other free variable unknown. */
function evalAt(ctx: Context, file: string, source: string, vars: Map<string, Thunk>): Value {
  const ast = parseSource(ctx.parser!, source);
  if (ast.syntaxError) return unknown(`a syntax error in ${path.basename(file)}`, null);
  const scope = new Scope(new Scope(null, null, null, true), vars);
  return evalNode(ctx, ast, scope, { file, dir: path.dirname(file) });
}

function where(root: string, d: ArgValueAt): string {
  return `${path.relative(root, d.file) || d.file}:${d.def.range.start.line + 1}`;
}
