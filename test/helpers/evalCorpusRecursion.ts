// Corpus cases for recursion, laziness and evaluation order (compared with nix-instantiate by
// test/unit/eval-nix.test.ts): recursive helpers a few hundred to a thousand and more levels deep
// in the shapes registries use (building lists and sets, counting, accumulating in thunks, tail
// calls), values that are never forced, and the order in which sets show their attributes.
import type { UnknownCase } from './evalCorpus';

export const RECURSION_CASES: string[] = [
  // recursion depth
  'let down = k: if k < 1 then [ ] else [ k ] ++ down (k - 1); in builtins.length (down 350)',
  'let f = n: if n == 0 then [ ] else [ n ] ++ f (n - 1); in builtins.foldl\' builtins.add 0 (f 1000)',
  'let count = n: if n == 0 then 0 else 1 + count (n - 1); in count 1200',
  'let build = n: if n == 0 then { } else { "k${toString n}" = n; } // build (n - 1); in builtins.length (builtins.attrNames (build 400))',
  'let nest = n: if n == 0 then "leaf" else { inner = nest (n - 1); }; dig = s: if builtins.isAttrs s then dig s.inner else s; in dig (nest 800)',
  'let acc = n: total: if n == 0 then total else acc (n - 1) (total + n); in acc 400 0',
  'let loop = n: total: if n == 0 then total else builtins.seq total (loop (n - 1) (total + 1)); in loop 500 0',
  'let even = n: if n == 0 then true else odd (n - 1); odd = n: if n == 0 then false else even (n - 1); in [ (even 1000) (odd 777) ]',
  'let range = a: b: if a > b then [ ] else [ a ] ++ range (a + 1) b; in builtins.length (range 1 700)',
  'let fib = n: if n < 2 then n else fib (n - 1) + fib (n - 2); in fib 18',
  'let chain = n: if n == 0 then [ ] else [ (chain (n - 1)) ]; depth = l: if l == [ ] then 0 else 1 + depth (builtins.head l); in depth (chain 500)',
  'let keys = builtins.genList (i: "key${toString i}") 2000; in builtins.length (builtins.attrNames (builtins.listToAttrs (map (k: { name = k; value = k; }) keys)))',
  "builtins.foldl' (acc: x: acc // { \${x} = builtins.stringLength x; }) { } (builtins.genList (i: \"n\${toString i}\") 300) == builtins.listToAttrs (builtins.genList (i: { name = \"n\${toString i}\"; value = builtins.stringLength \"n\${toString i}\"; }) 300)",
  // laziness: what is never forced does not fail
  'builtins.length [ (throw "never") (abort "never either") ]',
  '(x: "unused argument") (throw "not forced")',
  'builtins.attrNames { a = throw "not forced"; b = 1; }',
  '{ a = throw "not forced"; } ? a',
  'builtins.seq { a = throw "only the set is forced"; } "ok"',
  'builtins.head (builtins.genList (i: if i == 0 then "first" else throw "later") 5)',
  'let xs = [ 1 ] ++ builtins.genList (i: throw "lazy") 3; in builtins.length xs',
  'let s = { a = 1; b = s.a + 1; c = s.b * 2; }; in s.c',
  'let lazyDefault = { x ? throw "default not used" }: "given"; in lazyDefault { x = 1; }',
  'builtins.deepSeq [ 1 { a = [ 2 (throw "deep") ]; } ] 0',
  // order: names sort by bytes, later definitions win in //, the first in listToAttrs
  'builtins.attrNames { b = 1; a = 2; B = 3; "a b" = 4; "_" = 5; "10" = 6; "9" = 7; }',
  'builtins.attrValues ({ z = 1; a = 2; } // { m = 3; a = 4; })',
  'builtins.toJSON (builtins.mapAttrs (n: v: n) { y = 1; x = 2; })',
  'builtins.listToAttrs [ { name = "k"; value = "first"; } { name = "k"; value = "second"; } ]',
  'builtins.concatStringsSep "," (builtins.attrNames (builtins.groupBy (s: builtins.substring 0 1 s) [ "beta" "alpha" "bravo" "apple" ]))',
  // sort: stable, and with a comparator that is no strict ordering the pairs Nix compares decide
  'map (e: e.name) (builtins.sort (a: b: a.prio < b.prio) (builtins.genList (i: { name = "e${toString i}"; prio = builtins.bitAnd i 3; }) 23))',
  'builtins.sort (a: b: a <= b) [ 2 1 2 1 3 0 3 ]',
  'builtins.sort (a: b: true) (builtins.genList (i: i) 17)',
  'builtins.sort (a: b: builtins.elem (a * 10 + b) [ 1 12 20 23 31 34 40 42 ]) [ 4 0 3 1 2 4 0 1 3 2 0 4 1 3 2 4 0 2 1 3 4 0 ]',
  'builtins.sort (a: b: if a == 2 && b == 5 then throw "this pair is compared" else a < b) [ 5 2 9 ]',
  'builtins.length (builtins.sort (a: b: true) [ (throw "elements are forced first") ])',
];

export const RECURSION_UNKNOWN: UnknownCase[] = [
  { expr: 'let count = n: if n == 0 then 0 else 1 + count (n - 1); in count 50000', why: 'deeper than our JS stack allows (Nix, with a 64 MB stack, evaluates it)' },
  { expr: 'let count = n: if n == 0 then 0 else 1 + count (n - 1); in count 200000', why: 'too deep for both; Nix stops with a stack overflow' },
];
