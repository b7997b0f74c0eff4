// The values of the evaluator. Every value remembers where it came from (`loc`): the literal or
// expression that produced it, so a diagnostic can point at what the user wrote. `unknown` stands
// for anything the evaluator cannot know (pkgs, lib, config, inputs, impure builtins, budget
// exhaustion); operations on it give `unknown` again instead of failing.
import type { Range } from '../../base/types';
import type { SNode } from './ast';
import type { Scope, Thunk } from './thunk';

export interface Loc {
  file: string;
  range: Range;
}

export type Value =
  | { t: 'null'; loc: Loc | null }
  | { t: 'bool'; v: boolean; loc: Loc | null }
  | { t: 'int'; v: bigint; loc: Loc | null }
  | { t: 'float'; v: number; loc: Loc | null }
  | StringValue
  | { t: 'path'; v: string; loc: Loc | null }
  | ListValue
  | AttrsValue
  | LambdaValue
  | PrimopValue
  | UnknownValue;

export interface StringValue {
  t: 'string';
  v: string;
  loc: Loc | null;
  /** Where the interpolated parts came from (`"${key}-x"` -> the location of `key`'s value). */
  origins?: Loc[];
}

export interface ListValue {
  t: 'list';
  items: Thunk[];
  loc: Loc | null;
}

export interface AttrsValue {
  t: 'attrs';
  attrs: Map<string, Thunk>;
  loc: Loc | null;
  /** Where each attribute's name was written, when it was. */
  nameLocs?: Map<string, Loc>;
  /** True for a set that may hold more attributes than we know of (`builtins`). */
  open?: boolean;
}

export interface LambdaValue {
  t: 'lambda';
  /** Applies the function; the evaluator fills this in for syntax lambdas. */
  call: (arg: Thunk, callLoc: Loc | null) => Value;
  /** For a lambda written in Nix: binds the argument and gives the body to evaluate, so an application can go on in the caller's loop. */
  bind?: (arg: Thunk, callLoc: Loc | null) => { node: SNode | undefined; scope: Scope; src: { file: string; dir: string } };
  /** Formal parameter names and whether each has a default (for functionArgs); null for `x: ...`. */
  formals: Map<string, boolean> | null;
  loc: Loc | null;
  /**
   * For a lambda with a set pattern: the kept result of a call with the same argument (evalFunction.ts),
   * undefined when there is none yet, null when the result of such a call is not kept.
   */
  recall?: (arg: Thunk, callLoc: Loc | null) => Value | null | undefined;
}

export interface PrimopValue {
  t: 'primop';
  name: string;
  arity: number;
  args: Thunk[];
  fn: (args: Thunk[], callLoc: Loc | null) => Value;
  loc: Loc | null;
}

export interface UnknownValue {
  t: 'unknown';
  /** Why the value is unknown, for logs and tests. */
  reason: string;
  loc: Loc | null;
}

export type Kind = Value['t'];

export function unknown(reason: string, loc: Loc | null = null): UnknownValue {
  return { t: 'unknown', reason, loc };
}

export const mkNull = (loc: Loc | null = null): Value => ({ t: 'null', loc });
export const mkBool = (v: boolean, loc: Loc | null = null): Value => ({ t: 'bool', v, loc });
export const mkInt = (v: bigint, loc: Loc | null = null): Value => ({ t: 'int', v: BigInt.asIntN(64, v), loc });
export const mkFloat = (v: number, loc: Loc | null = null): Value => ({ t: 'float', v, loc });
export const mkString = (v: string, loc: Loc | null = null, origins?: Loc[]): StringValue =>
  origins && origins.length ? { t: 'string', v, loc, origins } : { t: 'string', v, loc };
export const mkList = (items: Thunk[], loc: Loc | null = null): ListValue => ({ t: 'list', items, loc });
export const mkAttrs = (attrs: Map<string, Thunk>, loc: Loc | null = null): AttrsValue => ({ t: 'attrs', attrs, loc });
/** A set of which only these attributes are known (others may exist: selecting one gives unknown). */
export const mkOpenAttrs = (attrs: Map<string, Thunk>, loc: Loc | null = null): AttrsValue => ({ t: 'attrs', attrs, loc, open: true });

/** Nix's name of a value's type, as in its error messages ("a set", "an integer"). */
export function describe(v: Value): string {
  switch (v.t) {
    case 'null':
      return 'null';
    case 'bool':
      return 'a Boolean';
    case 'int':
      return 'an integer';
    case 'float':
      return 'a float';
    case 'string':
      return 'a string';
    case 'path':
      return 'a path';
    case 'list':
      return 'a list';
    case 'attrs':
      return 'a set';
    case 'lambda':
      return 'a function';
    case 'primop':
      return v.args.length ? 'a partially applied built-in function' : 'a built-in function';
    case 'unknown':
      return 'an unknown value';
  }
}

/** `builtins.typeOf`. */
export function typeOf(v: Value): string {
  switch (v.t) {
    case 'attrs':
      return 'set';
    case 'lambda':
    case 'primop':
      return 'lambda';
    default:
      return v.t;
  }
}

export type ErrorKind = 'throw' | 'abort' | 'assert' | 'error';

/**
 * A Nix evaluation error. `throw` and failed assertions can be caught by `tryEval`; `abort` and
 * other errors (type errors, missing attributes) cannot.
 */
export class NixError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly nixMessage: string,
    readonly loc: Loc | null,
    /** Locations of the values the message was built from (the interpolated parts of a `throw`). */
    readonly causes: Loc[] = [],
  ) {
    super(nixMessage);
  }
}

export function typeError(expected: string, got: Value, loc: Loc | null): NixError {
  return new NixError('error', `value is ${describe(got)} while ${expected} was expected`, loc);
}
