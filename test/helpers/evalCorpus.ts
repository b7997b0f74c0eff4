// Pure Nix expressions evaluated by both our evaluator and nix-instantiate (test/unit/eval-nix.test.ts).
// Relative paths resolve from test/fixtures/eval. Every expression of ALL_CASES must give a known
// result (or a Nix error) in our evaluator; UNKNOWN_CASES are ones Nix evaluates and we
// deliberately leave unknown. The test checks both. More cases by theme live in evalCorpus*.ts.
import { EQUALITY_CASES, EQUALITY_UNKNOWN } from './evalCorpusEquality';
import { ERROR_CASES, ERROR_UNKNOWN } from './evalCorpusErrors';
import { FROM_JSON_CASES, FROM_JSON_UNKNOWN } from './evalCorpusJson';
import { LIB_CASES } from './evalCorpusLib';
import { RECURSION_CASES, RECURSION_UNKNOWN } from './evalCorpusRecursion';
import { REGEX_CASES, REGEX_UNKNOWN } from './evalCorpusRegex';
import { SCOPE_CASES, SCOPE_UNKNOWN } from './evalCorpusScope';
import { SORT_CASES } from './evalCorpusSort';
import { BYTE_STRING_CASES, INDENTED_STRING_CASES, STRING_COERCION_CASES } from './evalCorpusStrings';
import { BUILTIN_EDGE_CASES, BUILTIN_UNKNOWN } from './evalCorpusBuiltins';
import { SETS_CONTROL_CASES, SETS_CONTROL_UNKNOWN } from './evalCorpusSetsControl';
import { VERSION_CASES, VERSION_UNKNOWN } from './evalCorpusVersions';

const q = "''"; // the indented-string delimiter, to keep these strings readable

export const FILE_CASES: string[] = [
  // the registry/matrix/generators pattern in several styles
  'import ./registry-helpers.nix { }',
  'import ./registry-plain.nix',
  'import ./registry-generated.nix',
  'import ./matrix-let.nix',
  'import ./matrix-envmatrix.nix',
  'builtins.attrNames (import ./registry-helpers.nix { pkgs = null; })',
  'builtins.mapAttrs (k: e: e.generator) (import ./registry-helpers.nix { })',
  'builtins.mapAttrs (k: e: e.envVar) (import ./registry-helpers.nix { })',
  'builtins.mapAttrs (k: e: { inherit (e) fileAttr secret files script; prompts = e.prompts or null; }) (import ./registry-plain.nix)',
  'builtins.mapAttrs (k: e: { inherit (e) fileAttr secret files prompts script; }) (import ./registry-plain.nix)',
  'builtins.mapAttrs (k: keys: import ./generators-listToAttrs.nix { inherit keys; }) (import ./matrix-let.nix)',
  'import ./generators-listToAttrs.nix { keys = (import ./matrix-let.nix).emily; }',
  'import ./generators-listToAttrs.nix { keys = null; }',
  'import ./generators-listToAttrs.nix { keys = (import ./matrix-envmatrix.nix).envMatrix.lea; registryFile = ./registry-plain.nix; }',
  'import ./generators-listToAttrs.nix { keys = [ "grafana-admin" "tempo-admin" ]; registryFile = ./registry-generated.nix; pkgs = { }; }',
  'import ./generators-listToAttrs.nix { keys = [ "openrouter" "nope" ]; }',
  'import ./generators-listToAttrs.nix { keys = (import ./matrix-envmatrix.nix).envMatrix.bad; registryFile = ./registry-plain.nix; }',
  'import ./generators-foldl.nix { keys = (import ./matrix-envmatrix.nix).envMatrix.lea; }',
  'import ./generators-foldl.nix { keys = [ "timezone" ]; }',
  'import ./generators-foldl.nix { keys = [ "hetzner" "hetzner2" ]; }',
  'builtins.attrNames (import ./generators-foldl.nix { keys = [ "grafana-admin" ]; registry = import ./registry-generated.nix; })',
  'builtins.mapAttrs (n: g: builtins.hashString "sha256" (builtins.toJSON g.validation)) (import ./generators-foldl.nix { keys = [ "grafana-admin" "loki-admin" ]; registry = import ./registry-generated.nix; })',
  'builtins.hashString "sha256" (builtins.toJSON { name = "cinnabar"; domains = builtins.listToAttrs (map (d: { name = d; value = d; }) [ "zt" ]); })',
  'let r = import ./registry-helpers.nix { }; in builtins.filter (k: r.${k}.secret) (builtins.attrNames r)',
  'let m = import ./matrix-let.nix; in builtins.concatLists (builtins.attrValues m)',
  'let m = import ./matrix-let.nix; in builtins.length (builtins.attrNames m)',
];

export const CONSTRUCT_CASES: string[] = [
  // literals
  '1', '-5', '0', '9223372036854775807', '1.5', '0.1', '.5', '1.0e3', '2.5e-3', '123456.789', '1234567.0', 'true', 'false', 'null',
  '"hello"', '"a\\nb\\tc\\rd\\\\e\\"f\\$g\\qh"', '"$${x}"', '"\\${x}"', '"a$"', '"é ü 😀"', 'http://example.org/a?b=c',
  '[ ]', '{ }', '[ 1 "two" [ 3 ] { four = 4; } null ]',
  // indented strings
  `${q}
    hello
      world
  ${q}`,
  `${q}  first line kept${q}`,
  `${q}
	tab stays
  ${q}`,
  `${q}
    a
    ${q}${q}b
    c${q}\${d}
  ${q}`,
  `${q}
    x ${q}\\n y ${q}\\t z
  ${q}`,
  `${q}
      ${'${"interp"}'} indented
    less
  ${q}`,
  `${q}
    line1

    line3
  ${q}`,
  `${q}a$${q}`,
  `${q}
      keep trailing spaces   
  ${q}`,
  `${q}
    last line no newline${q}`,
  `${q}${q}`,
  `${q}
  ${q}`,
  `${q}  ${'${"a"}'}
    b${q}`,
  `${q}
    ${q}$ and ${q}\${x}
  ${q}`,
  `let x = "X"; in ${q}
    pre ${'${x}'} post
      ${'${x}'}
  ${q}`,
  // strings and interpolation
  'let x = "world"; in "hello ${x}!"',
  'let a = { b = "c"; }; in "${a.b}${a.b}"',
  '"${toString 42}-${toString true}-${toString false}-${toString null}"',
  '"x" + "y"',
  'let s = { __toString = self: "S${toString self.n}"; n = 3; }; in "${s}"',
  'let s = { outPath = "/some/where"; }; in "${s}"',
  '"${"nested ${"deep"}"}"',
  // attrsets
  '{ a.b.c = 1; a.b.d = 2; a.e = 3; }',
  '{ a = { x = 1; }; a.y = 2; }',
  '{ "quoted name" = 1; "a.b" = 2; }',
  'let n = "dyn"; in { ${n} = 1; "${n}2" = 2; }',
  '{ ${null} = 1; b = 2; }',
  'let k = "x"; in { a.${k}.b = 1; }',
  'rec { a = 1; b = a + 1; c = { d = b * 2; }; }',
  'rec { x = y; y = "late"; }',
  'let x = 1; in rec { inherit x; y = x + 1; }',
  'let s = { a = 1; b = 2; }; in { inherit (s) a b; }',
  'let s = { a = 1; }; x = 5; in { inherit x; inherit (s) a; }',
  '{ a = 1; } // { b = 2; } // { a = 3; }',
  '{ a = { x = 1; }; } // { a = { y = 2; }; }',
  '({ a = 1; }).a',
  '{ a.b = 1; }.a.b',
  '{ a = 1; }.b or "default"',
  '{ a = 1; }.a.b or "deep default"',
  '({ a = { b = null; }; }).a.b or 5',
  'let s = { a = { b = 1; }; }; in [ (s ? a) (s ? a.b) (s ? a.c) (s ? x.y) (1 ? a) ]',
  'let n = "b"; s = { a.b = 1; }; in s.a.${n}',
  'let n = "b"; s = { a.b = 1; }; in s ? a.${n}',
  'let s = { "x y" = 1; }; in s."x y"',
  'let f = x: x; in { __functor = self: x: x + self.n; n = 10; } 5',
  // let / with / inherit
  'let a = 1; b = a + 1; in let a = 10; in a + b',
  'let a.b = 1; a.c = 2; in a',
  'let inherit (builtins) length; in length [ 1 2 3 ]',
  'with { a = 1; b = 2; }; a + b',
  'let a = 1; in with { a = 2; }; a',
  'with { a = 1; }; with { a = 2; }; a',
  'with { map = 1; }; map (x: x) [ 1 ]',
  'with builtins; length (attrNames { a = 1; b = 2; })',
  'let { x = 1; body = x + 1; }',
  // functions
  '(x: x * 2) 21',
  '(x: y: x - y) 10 3',
  '({ a, b ? 2 }: a + b) { a = 1; }',
  '({ a, b ? a * 10 }: b) { a = 4; }',
  '({ a, ... }: a) { a = 1; b = 2; }',
  '(args@{ a, ... }: args.b) { a = 1; b = 2; }',
  '({ a, ... }@args: builtins.attrNames args) { a = 1; b = 2; }',
  '(args@{ a ? 5 }: args) { }',
  'let f = { a ? b, b ? 3 }: a; in f { }',
  'let fix = f: let x = f x; in x; in (fix (self: { a = 1; b = self.a + 1; })).b',
  'let fac = n: if n == 0 then 1 else n * fac (n - 1); in fac 20',
  'let fib = n: if n < 2 then n else fib (n - 1) + fib (n - 2); in fib 15',
  'builtins.functionArgs ({ a, b ? 1, ... }: a)',
  'builtins.functionArgs (x: x)',
  '({ a }: a) { a = 1; b = 2; }',
  '({ a }: a) { }',
  '(x: x) 1 2',
  // if / assert
  'if 1 < 2 then "yes" else "no"',
  'if false then throw "never" else "lazy"',
  'assert 1 + 1 == 2; "ok"',
  'assert false; 1',
  'if 1 then 2 else 3',
  // arithmetic and comparison
  '1 + 2 * 3 - 4 / 2', '7 / 2', '(-7) / 2', '7 / (-2)', '2 * 3.5', '1 / 4.0', '0.1 + 0.2', '10 - 0.5', '-(3)', '- 2.5',
  '9223372036854775807 + 1', '3000000000 * 3000000000', '1 / 0', '1.0 / 0',
  '[ (1 < 2) (2 <= 2) (3 > 4) (4 >= 4) (1.5 < 2) (2 < 1.5) ("a" < "b") ("B" < "a") ("abc" < "ab") ]',
  '[ ([ 1 2 ] < [ 1 3 ]) ([ 1 ] < [ 1 0 ]) ([ 2 ] < [ 1 5 ]) ]',
  '[ (1 == 1.0) (1 == 2) ("a" == "a") (null == null) ([ 1 2 ] == [ 1 2 ]) ({ a = 1; } == { a = 1; }) ({ a = 1; } == { a = 2; }) (1 != "1") ((x: x) == (x: x)) ]',
  '[ (true && false) (true || false) (false -> true) (true -> false) (!true) ]',
  'false && throw "short circuit"',
  'true || throw "short circuit"',
  '"a" < 1',
  '1 + "a"',
  '"a" + 1',
  '[ 1 ] ++ [ 2 3 ] ++ [ ]',
  // lists and builtins
  'map (x: x + 1) [ 1 2 3 ]',
  'builtins.filter (x: x > 1) [ 1 2 3 ]',
  "builtins.foldl' (a: b: a + b) 0 [ 1 2 3 4 ]",
  "builtins.foldl' (a: b: a ++ [ b ]) [ ] [ 1 2 3 ]",
  "builtins.foldl' (a: b: a) 7 [ ]",
  '[ (builtins.elem 2 [ 1 2 3 ]) (builtins.elem 5 [ 1 2 3 ]) (builtins.elem { a = 1; } [ { a = 1; } ]) ]',
  'builtins.length [ 1 2 3 ]',
  'builtins.head [ "first" "second" ]',
  'builtins.tail [ 1 2 3 ]',
  'builtins.head [ ]',
  'builtins.tail [ ]',
  'builtins.elemAt [ 10 20 30 ] 1',
  'builtins.elemAt [ 10 ] 3',
  'builtins.concatLists [ [ 1 ] [ ] [ 2 3 ] ]',
  'builtins.concatMap (x: [ x x ]) [ 1 2 ]',
  'builtins.genList (i: i * i) 5',
  '[ (builtins.all (x: x > 0) [ 1 2 ]) (builtins.any (x: x > 1) [ 1 2 ]) (builtins.all (x: x) [ ]) (builtins.any (x: x) [ ]) ]',
  'builtins.sort builtins.lessThan [ 3 1 2 10 (-1) ]',
  'builtins.sort (a: b: a.k < b.k) [ { k = 2; v = "a"; } { k = 1; v = "b"; } { k = 2; v = "c"; } { k = 1; v = "d"; } ]',
  'builtins.partition (x: x > 2) [ 1 2 3 4 ]',
  'builtins.groupBy (x: if x > 2 then "big" else "small") [ 1 2 3 4 ]',
  '[ (builtins.add 1 2) (builtins.sub 5 3) (builtins.mul 4 5) (builtins.div 9 2) (builtins.add 1 0.5) ]',
  '[ (builtins.bitAnd 12 10) (builtins.bitOr 12 10) (builtins.bitXor 12 10) ]',
  'builtins.map (builtins.add 1) [ 1 2 ]',
  // attrset builtins
  'builtins.listToAttrs [ { name = "a"; value = 1; } { name = "b"; value = 2; } { name = "a"; value = 3; } ]',
  'builtins.attrNames { b = 1; a = 2; c = 3; B = 4; _x = 5; }',
  'builtins.attrValues { b = 1; a = 2; }',
  '[ (builtins.hasAttr "a" { a = 1; }) (builtins.hasAttr "b" { a = 1; }) ]',
  'builtins.getAttr "a" { a = 1; }',
  'builtins.getAttr "b" { a = 1; }',
  'builtins.mapAttrs (name: value: "${name}=${toString value}") { a = 1; b = 2; }',
  'builtins.removeAttrs { a = 1; b = 2; c = 3; } [ "a" "c" "z" ]',
  'builtins.intersectAttrs { a = null; c = null; } { a = 1; b = 2; c = 3; }',
  'builtins.catAttrs "a" [ { a = 1; } { b = 2; } { a = 3; } ]',
  'builtins.zipAttrsWith (name: values: values) [ { a = 1; } { a = 2; b = 3; } ]',
  // types
  'map builtins.typeOf [ 1 1.5 "s" true null [ ] { } (x: x) builtins.map ]',
  '[ (builtins.isAttrs { }) (builtins.isList [ ]) (builtins.isString "") (builtins.isInt 1) (builtins.isFloat 1) (builtins.isBool false) (builtins.isFunction (x: x)) (builtins.isNull null) (builtins.isPath ./x) (isNull 1) ]',
  // strings builtins
  'map toString [ 1 "s" true false null [ 1 [ 2 "x" ] ] 1.5 ]',
  'builtins.toString ./relative/path',
  'toString { __toString = self: "custom"; }',
  '[ (builtins.stringLength "hello") (builtins.stringLength "é") (builtins.stringLength "") ]',
  '[ (builtins.substring 1 3 "hello") (builtins.substring 3 100 "hello") (builtins.substring 10 2 "hello") (builtins.substring 0 (-1) "hello") ]',
  'builtins.concatStringsSep ", " [ "a" "b" "c" ]',
  'builtins.concatStringsSep "-" [ ]',
  'builtins.replaceStrings [ "a" "b" ] [ "A" "B" ] "aabbcc"',
  'builtins.replaceStrings [ "" ] [ "-" ] "abc"',
  'builtins.replaceStrings [ "aa" "a" ] [ "X" "Y" ] "aaa"',
  'builtins.replaceStrings [ "o" ] [ "0" ] "foo bar boo"',
  '[ (builtins.hashString "sha256" "abc") (builtins.hashString "sha1" "") (builtins.hashString "md5" "é") (builtins.hashString "sha512" "x") ]',
  '[ (baseNameOf "/a/b/c.nix") (baseNameOf "/a/b/") (baseNameOf "plain") (dirOf "/a/b/c") (dirOf "c") (dirOf "/c") ]',
  'toString (dirOf ./a/b)',
  'builtins.concatStringsSep "," [ 1 ]',
  // JSON
  'builtins.toJSON { b = [ 1 2.5 "x" ]; a = { c = null; d = true; }; }',
  'builtins.toJSON "quote \\" backslash \\\\ newline \\n tab \\t cr \\r unicode é"',
  'builtins.toJSON [ 0.1 (0.1 + 0.2) 1.0 100000.0 1000000.0 123456789.0 (1 / 3.0) 1.0e-5 0.0001 ]',
  'builtins.toJSON { __toString = self: "str"; }',
  'builtins.toJSON { outPath = "/out"; other = 1; }',
  'builtins.toJSON (x: x)',
  'builtins.fromJSON "{\\"a\\": [1, 2.5, \\"x\\", null, true], \\"b\\": {\\"c\\": -3}}"',
  'builtins.fromJSON (builtins.toJSON { x = [ 1 "two" { three = 3; } ]; })',
  // control
  'builtins.tryEval (throw "caught")',
  'builtins.tryEval 42',
  'builtins.tryEval (assert false; 1)',
  '(builtins.tryEval (builtins.head (builtins.tail [ 1 (throw "lazy") ]))).success',
  'builtins.seq 1 2',
  'builtins.deepSeq [ 1 { a = 2; } ] "done"',
  'builtins.deepSeq [ 1 (throw "deep") ] "never"',
  'builtins.seq [ (throw "not forced") ] "shallow"',
  'builtins.trace "message" 5',
  'throw "plain throw"',
  'throw "with ${"interpolation"} and ${toString 3}"',
  'abort "stop here"',
  'let f = key: throw "Unknown secret key in envMatrix: ${key}"; in f "x"',
  '{ a = 1; b = throw "in attr"; }',
  '[ 1 (throw "in list") ]',
  '{ a = 1; }.b',
  'let x = x; in x',
  '{ a = 1; a = 2; }',
  'builtins.attrNames (builtins.listToAttrs (map (n: { name = n; value = null; }) [ "z" "y" "x" ]))',
  'builtins.length (builtins.genList (x: x) 1000)',
  "builtins.foldl' (acc: x: acc + x) 0 (builtins.genList (x: x) 10000)",
  'let xs = builtins.genList (x: 100 - x) 100; in builtins.head (builtins.sort builtins.lessThan xs)',
  'builtins.typeOf builtins',
  'builtins ? map',
  '[ (builtins.isFunction builtins.map) (builtins.isFunction (builtins.map (x: x))) ]',
  // edge cases
  'builtins.toJSON [ 0.5 2.5 1234565.0 999999.5 9999995.0 0.000015 2.2250738585072014e-308 1.7976931348623157e308 0.00001 ]',
  'map toString [ 0.0000005 0.0000015 2.5e-7 1.0e22 (-1.5) 1234.5678 ]',
  '{ a = { x = 1; }; a = { y = 2; }; }',
  'rec { a.b = c; c = 1; }',
  'rec { x = 1; y = { x = 2; z = x; }; }.y.z',
  'let x = 1; in { x = 2; y = x; }',
  '{ inherit ({ a = 1; }) a; }',
  'with { x = 1; }; let y = x; in y',
  'let f = { a ? 1, ... }@args: args; in f { b = 2; }',
  'builtins.functionArgs builtins.map',
  `${q}
    ${q}\\n  x
  ${q}`,
  `${q}
    $foo 'quoted' it's
  ${q}`,
  `${q}
      ${q}\\ttabbed
    next
  ${q}`,
  '-9223372036854775807 - 2',
  'builtins.genList (x: x) 0',
  'builtins.listToAttrs [ ]',
  'builtins.attrNames { "é" = 1; z = 2; A = 3; "_" = 4; "0" = 5; }',
  'builtins.toJSON { "é" = 1; "b\\n" = 2; }',
  'builtins.tryEval (abort "not caught")',
  'builtins.tryEval { a = throw "shallow"; }',
  '(builtins.tryEval (throw "x")).value',
  'toString [ "a" [ ] "b" ]',
  'toString [ null ]',
  'toString [ [ ] ]',
  'builtins.replaceStrings [ "" ] [ "x" ] ""',
  'builtins.elemAt [ 1 ] (-1)',
  'builtins.hasAttr "a" (builtins.removeAttrs { a = 1; } [ "a" ])',
  'let x = { a = 1; }; in x ? "a"',
  '{ a = 1; } ? a.b',
  'assert true; assert 1 == 1; "ok"',
  'let a = 5; in a - -a',
  '[ (2 - 1 - 1) (8 / 2 / 2) (1 + 2 == 3) (!false && true) (true || false && false) (1 + 2 * 3 == 7) ]',
  '(import ./matrix-let.nix) == (import ./matrix-let.nix)',
  'let l = [ 1 2 ]; in l == l',
  '[ (builtins.fromJSON "1.0") (builtins.fromJSON "[1e2, -0, 12]") (builtins.fromJSON "\\"\\\\u00e9\\"") ]',
  '"a" + toString 1.5',
  'let s = "x"; in { "${s}" = 1; }.x',
  '{ ${"a" + "b"} = 1; }',
  'let f = x: { inherit x; }; in map f [ 1 2 ]',
  'builtins.attrNames (builtins.listToAttrs (builtins.genList (i: { name = "k${toString i}"; value = i; }) 12))',
  'builtins.sort (a: b: a < b) [ "b" "a" "c" "B" ]',
  'throw 1',
  'builtins.length (builtins.genList (x: x) 100000)',
  'let f = n: if n == 0 then 0 else f (n - 1); in f 100',
  'let s = { a = 1; }; in s.a or 2 + 1',
  '{ a = 1; }.a or 2 + 1',
  'builtins.toJSON [ 1.0e20 1.0e-10 123456.5 0.000123456 (-2.5) ]',
  'map (x: x * 1.5) [ 1 2 3 ]',
  '[ (1.0 == 1) (2.5 < 3) (builtins.lessThan 1 1.5) ]',
  'builtins.toJSON (builtins.fromJSON "{\\"z\\":1,\\"a\\":{\\"y\\":[true,false]}}")',
  'let x = { a = 1; }; y = x // { }; in y == x',
  '"${let x = "in let"; in x}"',
  'builtins.concatStringsSep "/" [ "a" "${"b"}" "c" ]',
  'builtins.mapAttrs (n: v: v.generator) (import ./registry-generated.nix)',
  'builtins.attrNames (import ./generators-listToAttrs.nix { keys = (import ./matrix-let.nix).zoe; })',
];

export const ALL_CASES: string[] = [...FILE_CASES, ...CONSTRUCT_CASES, ...INDENTED_STRING_CASES, ...BYTE_STRING_CASES, ...FROM_JSON_CASES, ...EQUALITY_CASES, ...SCOPE_CASES, ...REGEX_CASES, ...VERSION_CASES, ...RECURSION_CASES, ...LIB_CASES, ...ERROR_CASES, ...BUILTIN_EDGE_CASES, ...SETS_CONTROL_CASES, ...SORT_CASES, ...STRING_COERCION_CASES];

/** Expressions Nix evaluates (to a value or an error) that our evaluator deliberately leaves unknown, and why. */
export interface UnknownCase {
  expr: string;
  why: string;
}

export const UNKNOWN_CASES: UnknownCase[] = [...FROM_JSON_UNKNOWN, ...EQUALITY_UNKNOWN, ...SCOPE_UNKNOWN, ...REGEX_UNKNOWN, ...VERSION_UNKNOWN, ...RECURSION_UNKNOWN, ...ERROR_UNKNOWN, ...BUILTIN_UNKNOWN, ...SETS_CONTROL_UNKNOWN];
