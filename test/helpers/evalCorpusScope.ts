// Corpus cases for variables (compared with nix-instantiate by test/unit/eval-nix.test.ts): Nix
// binds every variable when it parses a file, so one that no function, `let`, `rec` set or global
// binds, outside any `with`, is an error before anything is evaluated, reached or not and caught
// or not; inside a `with` it is looked up when reached, and missing there is an error too.
import type { UnknownCase } from './evalCorpus';

export const SCOPE_CASES: string[] = [
  // undefined: an error wherever it is written
  'notDefinedAnywhere',
  'if true then 1 else notDefinedAnywhere',
  'let unused = notDefinedAnywhere; in 1',
  'builtins.tryEval notDefinedAnywhere',
  '{ a = 1; b = a; }.a',
  '{ inherit notDefinedAnywhere; }',
  '{ ${notDefinedAnywhere} = 1; }',
  'with notDefinedAnywhere; 1',
  '(x: x) y',
  '(f: 1) (x: x + notDefinedAnywhere)',
  'let f = { a ? b }: a; in 1',
  'import ./registry-misspelled.nix { }',
  'builtins.attrNames (import ./registry-misspelled.nix { })',
  // bound: by a function, a formal (defaults see the other formals), let, rec, inherit, globals
  'let a = 1; in let b = a; in b',
  '({ a ? b, b ? 2 }: a) { }',
  '(args@{ n ? args.m, ... }: n) { m = 4; }',
  'rec { a = b; b = 3; }.a',
  'let inherit ({ c = 5; }) c; in c',
  'let x = { y.z = 6; }; in x.y.z',
  'let { body = v; v = 7; }',
  '[ (__head [ 8 ]) (__length [ ]) (isNull null) (baseNameOf "/a/b") ]',
  // `with`: looked up when reached, innermost first after every lexical binding
  'with { a = 1; }; if true then a else missingButNotReached',
  'with { a = 1; }; missingInWith',
  'with { a = 1; }; with { b = 2; }; a + b',
  'let a = "lexical"; in with { a = "with"; }; a',
  'with builtins; with { length = 9; }; length',
];

export const SCOPE_UNKNOWN: UnknownCase[] = [
  { expr: '__notABuiltin', why: 'any __ name may be a built-in of some Nix version' },
  { expr: 'builtins.seq break 1', why: '`break` is a global of Nix after 2.8' },
];
