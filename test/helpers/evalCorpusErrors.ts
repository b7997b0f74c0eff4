// Corpus cases for errors (compared with nix-instantiate by test/unit/eval-nix.test.ts): when two
// parts of an expression fail, the one Nix evaluates first decides the message, so these follow
// Nix's order: operands left to right, list elements in order, set attributes by name (toJSON),
// and for built-ins the order in which Nix forces their arguments (the index of elemAt before the
// list, the function of zipAttrsWith before the list, the message of trace before the value, the
// context of addErrorContext only when the value fails).
import type { UnknownCase } from './evalCorpus';
export const ERROR_CASES: string[] = [
  '[ (throw "one") (throw "two") ]',
  'builtins.toJSON { zz = throw "last by name"; aa = throw "first by name"; }',
  '(throw "left") + (throw "right")',
  '(throw "left") == (throw "right")',
  '"${throw "first part"}${throw "second part"}"',
  '(throw "left set") // (throw "right set")',
  'if throw "condition" then throw "branch" else 0',
  'builtins.add (throw "first") (throw "second")',
  'builtins.lessThan (throw "first") (throw "second")',
  'builtins.elemAt (throw "the list") (throw "the index")',
  'builtins.elemAt (throw "the list") [ 0 ]',
  'builtins.getAttr (throw "the name") (throw "the set")',
  'builtins.substring (throw "start") (throw "length") (throw "string")',
  'builtins.replaceStrings (throw "from") (throw "to") (throw "string")',
  "builtins.foldl' (throw \"op\") (throw \"nul\") (throw \"list\")",
  "builtins.foldl' (throw \"op not needed\") 0 [ ]",
  'builtins.map (throw "f") (throw "list")',
  'builtins.filter (throw "f not needed") [ ]',
  'builtins.sort (a: b: throw "not compared") [ 1 ]',
  'builtins.zipAttrsWith (throw "the function") (throw "the list")',
  'builtins.zipAttrsWith 1 [ ]',
  'builtins.trace (throw "the message") "value"',
  'builtins.addErrorContext "context" (throw "the value")',
  'builtins.addErrorContext (throw "not needed") "value"',
  'builtins.addErrorContext (throw "context fails too") (throw "the value")',
  'builtins.tryEval (builtins.addErrorContext "context" (throw "caught"))',
  'builtins.match (throw "the regex") (throw "the string")',
  'builtins.seq (throw "first") (throw "second")',
  'builtins.genericClosure { startSet = throw "start set"; operator = throw "operator"; }',
  'builtins.catAttrs "a" [ { a = throw "not forced"; } ]',
  'let s = { a = throw "a"; b = throw "b"; }; in s.b + s.a',
  'let f = { a, b }: a; in f { a = throw "not reached"; c = 1; }',
  'builtins.listToAttrs [ { value = 1; } ]',
  'builtins.tryEval (builtins.tryEval (throw "inner"))',
  'assert throw "condition"; 1',
  'builtins.length (builtins.partition (x: true) [ (throw "partition forces elements") ]).right',
  'builtins.length (builtins.filter (x: true) [ (throw "filter does not") ])',
  'builtins.deepSeq [ (throw "first element") (throw "second element") ] 0',
  'builtins.deepSeq { fine = 1; bad = throw "the only failing attribute"; list = [ 2 ]; } 0',
  'builtins.deepSeq { b = throw "same message"; a = throw "same message"; } 0',
];

export const ERROR_UNKNOWN: UnknownCase[] = [
  { expr: 'builtins.replaceStrings [ "" ] [ "|" ] "né"', why: 'Nix inserts between the bytes of é: not UTF-8 any more' },
  { expr: 'builtins.deepSeq { b = throw "b"; a = throw "a"; } 0', why: 'which attribute Nix forces first depends on its symbol table' },
];
