// Corpus cases (compared with nix-instantiate by test/unit/eval-nix.test.ts) for the attribute-set
// built-ins over sets that no literal made, genericClosure's keys, the control built-ins, and the
// global scope: which names `builtins` has, and which have a `__` twin.
import type { UnknownCase } from './evalCorpus';

// a set made by a built-in: it knows no place for its names
const argsSet = 'builtins.functionArgs ({ a, b ? 1 }: a)';
const closure = (keys: string) => `builtins.genericClosure { startSet = [ ${keys} ]; operator = x: [ ]; }`;

export const SETS_CONTROL_CASES: string[] = [
  // attribute sets over a set without name places
  `builtins.mapAttrs (n: v: v) (${argsSet})`,
  `builtins.mapAttrs (n: v: n) (${argsSet})`,
  `builtins.removeAttrs (${argsSet}) [ "a" ]`,
  `builtins.intersectAttrs { a = 1; } (${argsSet})`,
  'builtins.functionArgs 1',
  'builtins.functionArgs { __functor = self: x: x; }',
  '[ (builtins.functionArgs builtins.add) (builtins.functionArgs (builtins.add 1)) (builtins.functionArgs (x: x)) ]',
  // a function that is a set with __functor, and a predicate that is no Boolean
  'builtins.filter { __functor = self: x: x > 1; } [ 1 2 3 ]',
  'builtins.zipAttrsWith { __functor = self: n: vs: vs; } [ { a = 1; } { a = 2; } ]',
  'builtins.filter (x: 1) [ 1 ]',
  // the same error from two attributes: the error whichever Nix forces first
  'builtins.deepSeq { a = builtins.getAttr "x" { }; b = { }.x; } 1',
  'builtins.deepSeq { a = builtins.listToAttrs [ { } ]; b = { }.name; } 1',
  'builtins.deepSeq { a = builtins.listToAttrs [ { name = "a"; } ]; b = { }.value; } 1',
  `builtins.deepSeq { a = ${closure('{ key = 1; } { key = "a"; }')}; b = "a" < 1; } 1`,
  'builtins.deepSeq { a = builtins.genericClosure { startSet = [ { key = 1; } ]; operator = x: 1; }; b = builtins.length 1; } 1',
  // genericClosure: keys of every comparable kind, numbers up to 2^53 next to floats
  `builtins.length (${closure('{ key = ./a; } { key = ./b; } { key = ./a; }')})`,
  closure('{ key = 9007199254740992; } { key = -9007199254740992; } { key = 1.5; } { key = 1.0; } { key = 1; } { key = 2.5; }'),
  closure('{ key = 9007199254740993; } { key = -9007199254740993; } { key = 9007199254740993; }'),
  `builtins.length (${closure('{ key = 1.0e300; } { key = 1.0e300; } { key = 2.0e300; }')})`,
  `map (x: x.key) (${closure('{ key = 1; } { key = 1.0; } { key = -0.0; } { key = 0; } { key = 9007199254740992.0; } { key = 9007199254740992; } { key = 1.0e20; } { key = 0.1; } { key = 1.0e21; } { key = 1.0e21; } { key = 2.5; }')})`,
  `builtins.length (${closure('{ key = "a"; } { key = "a"; } { key = "1"; }')})`,
  '[ (' + closure('{ key = true; }') + ') (' + closure('{ key = [ 1 ]; }') + ') (' + closure('{ key = { }; }') + ') ]',
  'builtins.genericClosure { startSet = [ ]; }',
  'builtins.genericClosure { operator = x: [ ]; }',
  'builtins.genericClosure { startSet = [ { } ]; operator = x: [ ]; }',
  // control
  '[ (builtins.isFloat 1.5) (builtins.isFloat 1) (builtins.isInt 1.5) ]',
  'builtins.addErrorContext 1 (throw "x")',
  'builtins.addErrorContext "context" (throw "x")',
  // the global scope: the impure values and functions are there (unknown to us), `__` twins only for the others
  '[ (builtins ? currentSystem) (builtins ? currentTime) (builtins ? nixPath) (builtins ? nixVersion) (builtins ? langVersion) (builtins ? storeDir) ]',
  '[ (builtins ? getEnv) (builtins ? readFile) (builtins ? fetchurl) (builtins ? fetchTarball) (builtins ? fetchGit) (builtins ? fetchTree) (builtins ? fetchMercurial) (builtins ? derivation) ]',
  '[ (builtins ? derivationStrict) (builtins ? path) (builtins ? filterSource) (builtins ? toFile) (builtins ? storePath) (builtins ? findFile) (builtins ? placeholder) (builtins ? unsafeGetAttrPos) ]',
  '[ (builtins ? fromTOML) (builtins ? scopedImport) (builtins ? hashFile) (builtins ? toXML) (builtins ? getContext) (builtins ? hasContext) (builtins ? appendContext) (builtins ? unsafeDiscardOutputDependency) ]',
  '[ (__length [ 1 ]) (__isFunction __head) (__isFunction __getEnv) ]',
];

export const SETS_CONTROL_UNKNOWN: UnknownCase[] = [
  { expr: 'builtins.tryEval (builtins.deepSeq { a = throw "attribute \'y\' missing"; b = { }.y; } 1)', why: 'a throw and an error with the same message: which one Nix meets first (and tryEval catches only the throw) depends on its symbol order' },
  { expr: '[ __currentSystem __nixVersion ]', why: 'the impure values: the system and the Nix that evaluates are not known outside it' },
  { expr: '__getEnv "HOME"', why: 'the environment Nix runs in is not known outside it' },
  // a `__` name we do not have might be a built-in of a newer Nix; these are not built-ins in any
  { expr: '__true', why: 'a name with __ that we do not have may be a built-in of a newer Nix' },
  { expr: '__map (x: x) [ 1 ]', why: 'a name with __ that we do not have may be a built-in of a newer Nix' },
  { expr: '__builtins.true', why: 'a name with __ that we do not have may be a built-in of a newer Nix' },
  { expr: 'builtins.addErrorContext ./a (throw "x")', why: 'a path as the context would be copied to the store' },
];
