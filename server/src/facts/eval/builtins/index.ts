// The global scope: `builtins` (an "open" set: names we do not implement give unknown rather than
// an error), the built-ins Nix also exposes without the prefix, and true/false/null.
import type { Context } from '../context';
import { importBuiltins } from '../imports';
import { Scope, Thunk } from '../thunk';
import { mkAttrs, mkBool, mkNull, unknown, type Value } from '../values';
import { primop, type PrimopDef } from './args';
import { attrBuiltins } from './attrs';
import { controlBuiltins, IMPURE, IMPURE_FUNCTIONS } from './control';
import { jsonBuiltins } from './fromJson';
import { listBuiltins } from './lists';
import { closureBuiltins } from './closure';
import { numberBuiltins } from './numbers';
import { regexBuiltins } from './regex';
import { versionBuiltins } from './versions';
import { stringBuiltins } from './strings';
import { NIX_GLOBALS } from '../undefinedVariables';

const GLOBAL_NAMES = NIX_GLOBALS;

const ALL: Record<string, PrimopDef> = {
  ...listBuiltins,
  ...attrBuiltins,
  ...stringBuiltins,
  ...regexBuiltins,
  ...versionBuiltins,
  ...numberBuiltins,
  ...closureBuiltins,
  ...controlBuiltins,
  ...jsonBuiltins,
  ...importBuiltins,
};

export function makeGlobals(ctx: Context): Scope {
  const attrs = new Map<string, Thunk>();
  // an impure function we implement after all is ours
  for (const name of IMPURE_FUNCTIONS) attrs.set(name, Thunk.of(primop(ctx, name, { arity: 1, fn: (_c, _a, loc) => unknown(`builtins.${name}`, loc) })));
  for (const [name, def] of Object.entries(ALL)) attrs.set(name, Thunk.of(primop(ctx, name, def)));
  for (const name of IMPURE) attrs.set(name, Thunk.of(unknown(`builtins.${name}`)));
  attrs.set('true', Thunk.of(mkBool(true)));
  attrs.set('false', Thunk.of(mkBool(false)));
  attrs.set('null', Thunk.of(mkNull()));
  const builtins = mkAttrs(attrs);
  builtins.open = true;
  attrs.set('builtins', Thunk.of(builtins));
  const globals = new Map<string, Thunk>();
  // NIX_GLOBALS holds builtins, true, false and null too
  for (const name of GLOBAL_NAMES) {
    const t = attrs.get(name);
    if (t) globals.set(name, t);
  }
  // every other built-in is also a global with the `__` prefix (`__head`)
  for (const [name, t] of attrs) if (!globals.has(name)) globals.set(`__${name}`, t);
  return new Scope(null, globals);
}

export type { Value };
