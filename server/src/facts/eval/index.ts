// The evaluator's public face: make a context, evaluate a file or a text, force a result to JSON,
// and run anything so that errors, unknowns and runaway input all come back as data.
import * as path from 'node:path';
import type { NixParser } from '../../syntax/nixParser';
import { UnknownArg } from './builtins/args';
import { makeGlobals } from './builtins/index';
import { Context, type EvalOptions } from './context';
import { evalNode } from './evalNode';
import { failOnUndefinedVariables, importFile } from './imports';
import { parseSource } from './parseSource';
import { Scope } from './thunk';
import { toJSON } from './toJson';
import { NixError, unknown, type UnknownValue, type Value } from './values';

export { Context, AstCache, type EvalOptions } from './context';
export { Thunk } from './thunk';
export { NixError, unknown, type Loc, type Value } from './values';
export { callFunction } from './evalFunction';
export { deepForce } from './builtins/control';
export { toJSON, jsonString } from './toJson';
export type { UndefinedVariable } from './undefinedVariables';

export function newContext(parser: NixParser, options: EvalOptions = {}): Context {
  const ctx = new Context(parser, options);
  ctx.globals = makeGlobals(ctx);
  return ctx;
}

export type Outcome<T> = { ok: T } | { error: NixError } | { unknown: UnknownValue };

/**
 * Runs `fn`, turning Nix errors into `{ error }`, and internal limits (a JS stack overflow on
 * pathological input, or anything unexpected) into `{ unknown }`. Never throws.
 */
export function run<T>(fn: () => T): Outcome<T> {
  try {
    return { ok: fn() };
  } catch (e) {
    if (e instanceof NixError) return { error: e };
    if (e instanceof UnknownArg) return { unknown: e.value.t === 'unknown' ? e.value : unknown('unknown') };
    if (e instanceof RangeError) return { unknown: unknown('stack') };
    return { unknown: unknown(`internal error: ${(e as Error)?.message ?? e}`) };
  }
}

/**
 * Evaluates Nix source text as if it were the file `file` (relative paths resolve from its
 * directory). An undefined variable is Nix's error, unless `freeVariables` is 'unknown': then the
 * text stands for code with more in scope (pkgs, lib, ...), and those variables are unknown.
 */
export function evalText(ctx: Context, text: string, file: string, freeVariables: 'error' | 'unknown' = 'error'): Value {
  if (!ctx.parser) return unknown('no parser', null);
  const ast = parseSource(ctx.parser, text);
  if (ast.syntaxError) return unknown('syntax error', null);
  if (freeVariables === 'error') failOnUndefinedVariables(ctx, ast, file);
  return evalNode(ctx, ast, new Scope(null, null, null, freeVariables === 'unknown'), { file, dir: path.dirname(file) });
}

/** Evaluates a file (cached per context, like `import`). */
export function evalFile(ctx: Context, file: string): Value {
  return importFile(ctx, file, null);
}

/** What `nix-instantiate --eval --strict --json` prints for a value: JSON text, an error, or unknown. */
export function strictJson(ctx: Context, fn: () => Value): Outcome<string> {
  const r = run(() => toJSON(ctx, fn(), null));
  if ('ok' in r && typeof r.ok !== 'string') return { unknown: r.ok };
  return r as Outcome<string>;
}
