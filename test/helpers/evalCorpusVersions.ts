// Corpus cases for compareVersions, splitVersion, parseDrvName, floor, ceil and genericClosure
// (compared with nix-instantiate by test/unit/eval-nix.test.ts), from Nix's rules: versions split
// at `.` and `-` into runs of digits or of other characters; numbers (that fit a C int) compare as
// numbers, an empty component is older than a number, `pre` older than anything, strings older
// than numbers; a name ends at the first `-` not followed by a letter; floor and ceil give
// integers; genericClosure walks breadth first and keeps the first set for each key.
import type { UnknownCase } from './evalCorpus';

export const VERSION_CASES: string[] = [
  'map (v: builtins.compareVersions v "1.2.3") [ "1.2.3" "1.2" "1.2.3.0" "1.10" "1.2.3pre1" "1.2.3a" "1.2.3-rc1" "2" "" ]',
  'builtins.compareVersions "2.3a" "2.3.1"',
  'builtins.compareVersions "1.0pre1" "1.0"',
  'builtins.compareVersions "1-2" "1.2"',
  'builtins.compareVersions "2147483647" "2147483648"',
  'builtins.compareVersions "99999999999" "100"',
  'builtins.compareVersions "pre" ""',
  'builtins.compareVersions "alpha" "beta"',
  'builtins.compareVersions ./some-path "1"',
  'builtins.sort (a: b: builtins.compareVersions a b < 0) [ "1.10" "1.9" "1.9.1" "1.0pre" "1.0" ]',
  'map builtins.splitVersion [ "1.2.3-pre4a..b" "" "..-" "2022-01-05" "v1" ]',
  'map builtins.parseDrvName [ "hello-2.10" "foo-bar-baz" "foo-1-bar" "foo-" "-1" "nix-unstable-2022" "pkg-.1" "plain" ]',
  // a digit is 0 to 9 (9 too); other characters, below 0 as well, go with letters
  'map builtins.splitVersion [ "1.9a9b99" "1+2" "a+b" "x_9" ]',
  // equal components: pre and pre, two equal strings
  'map (v: builtins.compareVersions v "1.0pre2") [ "1.0pre2" "1.0pre1" "1.0pre3" "pre" ]',
  '[ (builtins.compareVersions "pre" "pre") (builtins.compareVersions "1.2.3-rc1" "1.2.3-rc1") (builtins.compareVersions "a" "a") ]',
  'map builtins.floor [ 1.5 (-1.5) 2 0.0 (-0.0) 1.0e18 9007199254740993 ]',
  'map builtins.ceil [ 1.5 (-1.5) 2 (-0.5) 0.1 ]',
  // the 64-bit range's ends: -2^63 converts, the largest doubles below 2^63 too
  'map builtins.floor [ (-9223372036854775808.0) (-9.2233720368547748e18) 9.2233720368547748e18 ]',
  'builtins.floor "1"',
  'builtins.genericClosure { startSet = [ { key = 1; } ]; operator = x: if x.key < 5 then [ { key = x.key + 1; } ] else [ ]; }',
  'builtins.genericClosure { startSet = [ { key = 1; } { key = 1.0; } { key = 2; v = "x"; } ]; operator = x: [ ]; }',
  'builtins.genericClosure { startSet = [ { key = "b"; n = 1; } { key = "a"; } { key = "b"; n = 2; } ]; operator = x: if x.key == "a" then [ { key = "c"; } { key = "b"; n = 3; } ] else [ ]; }',
  'builtins.genericClosure { startSet = [ { key = -0.0; } { key = 0; } ]; operator = x: [ ]; }',
  'builtins.genericClosure { startSet = [ { key = true; } ]; operator = x: [ ]; }',
  'builtins.genericClosure { startSet = [ { key = true; } { key = false; } ]; operator = x: [ ]; }',
  'builtins.genericClosure { startSet = [ { key = "a"; } { key = 1; } ]; operator = x: [ ]; }',
  'builtins.genericClosure { startSet = [ { } ]; operator = x: [ ]; }',
  'builtins.genericClosure { startSet = [ ]; operator = throw "the operator is forced first"; }',
  'builtins.genericClosure { startSet = [ { key = 1; } ]; operator = x: [ (throw "returned sets are forced") ]; }',
  'builtins.genericClosure { startSet = [ { key = 1; } ]; operator = x: 5; }',
  'builtins.genericClosure { operator = x: [ ]; }',
  // a dependency walk, as a generator helper might do it
  'let deps = { a = [ "b" "c" ]; b = [ "c" ]; c = [ ]; }; in map (x: x.key) (builtins.genericClosure { startSet = [ { key = "a"; } ]; operator = x: map (d: { key = d; }) deps.${x.key}; })',
];

export const VERSION_UNKNOWN: UnknownCase[] = [
  { expr: 'builtins.floor 1.0e19', why: 'outside the 64-bit range C++ leaves the conversion to the processor' },
  { expr: 'builtins.ceil 9223372036854775808.0', why: '2^63 is just outside the 64-bit range' },
  { expr: 'builtins.floor (-9223372036854777856.0)', why: 'the double below -2^63 is outside the 64-bit range' },
  { expr: 'builtins.genericClosure { startSet = [ { key = [ 1 ]; } { key = [ 2 ]; } ]; operator = x: [ ]; }', why: 'list keys: which pairs Nix compares depends on its tree' },
];
