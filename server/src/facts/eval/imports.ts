// `import <path>`: reads a file (the workspace's text for open documents, else the disk), parses
// it once per text (AstCache), and evaluates it once per evaluation (Context.imports). A file that
// imports itself while being evaluated is Nix's infinite recursion; a file with an undefined
// variable is Nix's error; a missing or unreadable file, one with a syntax error, or anything
// outside the clan (context.ts EvalReads: never read), or out of reach (<nixpkgs>, store paths), is
// unknown. `builtins.readDir` and `builtins.pathExists` read the file tree where the evaluation may
// (EvalReads: the model's, inside the clan); elsewhere they are unknown.
import * as path from 'node:path';
import type { Context } from './context';
import { evalNode } from './evalNode';
import { Scope, Thunk } from './thunk';
import type { SNode } from './ast';
import { undefinedVariables } from './undefinedVariables';
import { mkAttrs, mkBool, mkString, NixError, unknown, type Loc, type Value } from './values';
import { known, type PrimopDef } from './builtins/args';

/** The file `import p` reads: `p` itself, or `p/default.nix` for a directory (not on disk: maybe an unsaved document). */
export function importTarget(ctx: Context, p: string): string {
  return ctx.reads.isDirectory(p) ? path.join(p, 'default.nix') : p;
}

export function importFile(ctx: Context, file: string, loc: Loc | null): Value {
  let t = ctx.imports.get(file);
  if (!t) {
    t = new Thunk(() => {
      const ast = ctx.load(file);
      if (!ast) return unknown(`cannot read ${file}`, loc);
      if (ast.syntaxError) return unknown(`syntax error in ${file}`, loc);
      failOnUndefinedVariables(ctx, ast, file);
      return evalNode(ctx, ast, new Scope(null, null), { file, dir: path.dirname(file) });
    });
    ctx.imports.set(file, t);
  }
  return t.force(ctx, loc);
}

/** Nix rejects a file with an undefined variable before evaluating any of it; the context keeps them for diagnostics. */
export function failOnUndefinedVariables(ctx: Context, ast: SNode, file: string): void {
  const undefinedVars = undefinedVariables(ast);
  if (!undefinedVars.length) return;
  ctx.undefinedVariables.set(file, undefinedVars);
  const first = undefinedVars[0];
  throw new NixError('error', `undefined variable '${first.name}'`, { file, range: first.range });
}

/** The absolute path a path-like argument names (a path, or a string starting with `/`), or why it has none. */
function pathArg(v: Value, fn: string, loc: Loc | null): string | Value {
  if (v.t === 'path') return v.v;
  if (v.t === 'string' && v.v.startsWith('/')) return v.v;
  return v.t === 'attrs' && v.attrs.has('outPath') ? unknown(`${fn} of a derivation`, loc) : unknown(`${fn} of something that is not a path`, loc);
}

export const importBuiltins: Record<string, PrimopDef> = {
  readDir: {
    arity: 1,
    fn: (ctx, [p], loc) => {
      const target = pathArg(known(ctx, p, loc), 'builtins.readDir', loc);
      if (typeof target !== 'string') return target;
      if (!ctx.reads.readDir) return unknown('builtins.readDir', loc);
      const entries = ctx.reads.readDir(target);
      if (!entries) return unknown(`builtins.readDir of ${target}: not a folder that may be read (outside the clan, or missing)`, loc);
      if (!ctx.tick(entries.size)) return unknown('budget', loc);
      return mkAttrs(new Map([...entries].map(([name, type]) => [name, Thunk.of(mkString(type))])), loc);
    },
  },
  pathExists: {
    arity: 1,
    fn: (ctx, [p], loc) => {
      const target = pathArg(known(ctx, p, loc), 'builtins.pathExists', loc);
      if (typeof target !== 'string') return target;
      const exists = ctx.reads.pathExists?.(target) ?? null;
      return exists === null ? unknown(`builtins.pathExists of ${target}`, loc) : mkBool(exists, loc);
    },
  },
  import: {
    arity: 1,
    fn: (ctx, [p], loc) => {
      const v = known(ctx, p, loc);
      let target: string | null = null;
      if (v.t === 'path') target = v.v;
      else if (v.t === 'string' && v.v.startsWith('/')) target = v.v;
      else if (v.t === 'attrs' && v.attrs.has('outPath')) return unknown('import of a derivation', loc);
      if (target === null) return unknown('import of something that is not a path', loc);
      if (target.startsWith('/nix/store/')) return unknown('import from the store', loc);
      return importFile(ctx, importTarget(ctx, target), loc);
    },
  },
};
