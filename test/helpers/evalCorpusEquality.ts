// Corpus cases for `==`, `elem` and list ordering (compared with nix-instantiate by
// test/unit/eval-nix.test.ts), from Nix 2.8's eqValues: both sides are forced, then a list element
// or attribute value that is the very same value cell is equal (a function too), functions are
// otherwise never equal, sets that are both derivations compare their outPath only, and attributes
// are compared in the symbol table's order. A cell is shared where Nix reuses a binding: a variable
// as element, attribute, argument or `inherit`, not a selection, a `with` variable or a call.
import type { UnknownCase } from './evalCorpus';

export const EQUALITY_CASES: string[] = [
  // the same cell: a variable (lexical, a global, a parameter, a default, `inherit`) used twice
  'let id = x: x; in [ id ] == [ id ]',
  'let id = x: x; in { k = id; } == { k = id; }',
  'let id = x: x; in [ (id) ] == [ id ]',
  '[ toString ] == [ toString ]',
  '(fn: [ fn ] == [ fn ]) (y: y)',
  '({ fn ? (y: y) }: { k = fn; } == { k = fn; }) { }',
  'let id = x: x; in { inherit id; } == { inherit id; }',
  'rec { id = x: x; same = [ id ] == [ id ]; }.same',
  'let id = x: x; holder = { k = id; }; in builtins.attrValues holder == [ id ]',
  'let id = x: x; in builtins.tail [ 0 id ] == [ id ]',
  'let id = x: x; in builtins.filter (f: [ f ] == [ id ]) [ id (x: x) ] == [ id ]',
  'let id = x: x; in builtins.listToAttrs [ { name = "k"; value = id; } ] == { k = id; }',
  'let id = x: x; s = { inherit id; }; in s // { } == s',
  'let id = x: x; in builtins.attrValues (builtins.tryEval id) == [ true id ]',
  'let id = x: x; in map (f: [ f ] == [ id ]) [ id ]',
  // separate cells: never equal when they hold functions
  '[ (x: x) ] == [ (x: x) ]',
  'let id = x: x; in [ id ] == [ (x: x) ]',
  'with { id = x: x; }; [ id ] == [ id ]',
  '[ builtins.head ] == [ builtins.head ]',
  'let s = { id = x: x; }; in [ s.id ] == [ s.id ]',
  'let s = { id = x: x; }; in { inherit (s) id; } == { inherit (s) id; }',
  'let id = x: x; in [ id ] == map (x: x) [ id ]',
  'let id = x: x; in [ (builtins.tryEval id).value ] == [ id ]',
  'let id = x: x; in id == id',
  // the same set compared with itself compares its attributes' cells
  'let s = { id = x: x; n = 1; }; in s == s',
  'let l = [ (x: x) ]; in l == l',
  // both sides are forced before cells are compared
  'let l = [ (throw "forced first") ]; in l == l',
  'let s = { k = throw "forced too"; }; in s == s',
  'let bad = throw "both forced"; in [ bad ] == [ bad ]',
  // derivations compare by outPath
  '{ type = "derivation"; outPath = "/p"; extra = 1; } == { type = "derivation"; outPath = "/p"; }',
  '{ type = "derivation"; outPath = "/p"; } == { type = "derivation"; outPath = "/q"; }',
  '{ type = "derivation"; } == { type = "derivation"; }',
  '{ type = "derivation"; outPath = "/p"; } == { type = "package"; outPath = "/p"; }',
  '{ type = throw "type is forced"; } == { type = 1; }',
  // elem compares the needle's cell with each element's, in order, and only when there are elements
  'builtins.elem (throw "never forced") [ ]',
  'builtins.elem 1 [ 1 (throw "not reached") ]',
  'builtins.elem 2 [ 1 (throw "reached") ]',
  'let id = x: x; in builtins.elem id [ 1 id ]',
  'builtins.elem (x: x) [ (x: x) ]',
  // list ordering compares elements for equality first
  'let id = x: x; in [ id 1 ] < [ id 2 ]',
  'let id = x: x; in [ id ] < [ id ]',
  '[ (x: x) ] < [ (x: x) ]',
  // sets: sizes and names first, order only matters between errors and differences
  '{ a = 1; } == { b = 1; }',
  '{ a = 1; b = 2; } == { a = 1; }',
  '{ a = 1; b = throw "same everywhere"; } == { a = 1; b = throw "same everywhere"; }',
  '{ a = 1; b = 2; } == { a = 1; b = 3; }',
];

export const EQUALITY_UNKNOWN: UnknownCase[] = [
  { expr: 'let id = x: x; alias = id; in [ id ] == [ alias ]', why: 'whether the alias shares the cell depends on the order Nix fills the bindings' },
  { expr: 'let alias = id; id = x: x; in [ id ] == [ alias ]', why: 'whether the alias shares the cell depends on the order Nix fills the bindings' },
  { expr: '({ a, b ? a }: [ a ] == [ b ]) { a = x: x; }', why: 'a default naming another formal: same as above' },
  { expr: '{ a = 1; b = throw "x"; } == { a = 2; b = throw "x"; }', why: 'false or an error, depending on the order Nix compares attributes in' },
  // an element that may equal the needle: neither true nor false (Nix says true on x86_64-linux)
  { expr: 'builtins.elem "x86_64-linux" [ 1 builtins.currentSystem ]', why: 'the system Nix runs on is not known outside it' },
];
