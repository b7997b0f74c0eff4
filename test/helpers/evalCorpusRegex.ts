// Corpus cases for builtins.match and builtins.split (compared with nix-instantiate by
// test/unit/eval-nix.test.ts), from the rules of Nix's regular expressions: POSIX extended syntax
// as libstdc++ reads it, matched over bytes; `match` must cover the whole string and returns the
// groups (null for a group that took no part), `split` alternates the text between matches with
// the groups of each match; `|` keeps the longer of its branches, a quantifier stops trying
// shorter choices once it found a solution, and a group keeps its last text.
import type { UnknownCase } from './evalCorpus';

const m = (re: string, s: string) => `builtins.match ${JSON.stringify(re)} ${JSON.stringify(s)}`;
const sp = (re: string, s: string) => `builtins.split ${JSON.stringify(re)} ${JSON.stringify(s)}`;

export const REGEX_CASES: string[] = [
  // helpers that validate and take apart names, as registries do
  `map (n: ${m('[a-z][a-z0-9-]*', '').replace('""', 'n')} != null) [ "grafana-admin" "Grafana" "9lives" "" "ok-2" ]`,
  m('([a-z]+)-(api-key|password|token)', 'openrouter-api-key'),
  m('([^=]+)=(.*)', 'KEY=a=b'),
  m('(.*)-(.*)', 'a-b-c'),
  m('(.*)\\.nix', 'vars-generators.nix'),
  m('[[:upper:]_][[:upper:][:digit:]_]*', 'OPENROUTER_API_KEY'),
  m('[[:alpha:]]+', 'abc1'),
  m('([[:alnum:]]+)@([[:alnum:].]+)', 'me@example.org'),
  sp(',', 'a,b,,c'),
  sp('[[:space:]]+', ' lea  emily zoe '),
  sp('(-)|(_)', 'a-b_c'),
  sp('x', 'no match here'),
  `builtins.filter builtins.isString (${sp('[.-]', 'host-1.example.org')})`,
  // groups: not taking part, repeated, nested
  m('(a)|b', 'b'),
  m('(a){0}b', 'b'),
  m('(a|b)*c', 'abc'),
  m('(a|(b))+', 'ba'),
  m('((a)|b)*', 'ab'),
  m('(a(b)?)+', 'aba'),
  m('()', ''),
  m('(a*)*', 'aa'),
  m('(a|)+', 'aa'),
  m('(a?)+', 'aa'),
  m('(a|ab)(c|bcd)(d*)', 'abcd'),
  // `|` in a search keeps the longer match; quantifiers stop at the first solution
  sp('a|ab', 'xabc'),
  sp('(a|ab)(c)?', 'abc'),
  sp('b|bb|bbb', 'abbbbc'),
  // empty matches: split moves on one byte, after trying a non-empty match at the same place
  sp('', 'ab'),
  sp('b*', 'abbc'),
  sp('(x*)', 'ab'),
  sp('a|', 'ab'),
  sp('a*', 'bba'), // the empty match between the b's counts: the retry after an empty match stays where it is
  // long searches, counted against the budget in steps of 1024
  `builtins.length (builtins.split "b" (builtins.concatStringsSep "" (builtins.genList (i: "ab") 2000)))`,
  `builtins.match "[ab]*" (builtins.concatStringsSep "" (builtins.genList (i: "ab") 2000))`,
  // anchors
  sp('^a', 'aaa'),
  sp('a$', 'aaa'),
  m('a^b', 'ab'),
  m('(^a)', 'a'),
  // syntax: what is literal, what is an error
  m(']}', ']}'),
  m('a\\.b\\*', 'a.b*'),
  m('a{2}b{1,}c{0,1}', 'aabbb'),
  m('a+?', 'aa'),
  m('a**', 'aaa'),
  m('[]a]+', ']a]'),
  m('[^]a]+', 'bcd'),
  m('[a-]+', 'a-a'),
  m('[%--]+', '+,-'),
  m('[\\]+', '\\\\'),
  m('[[:digit:]-]+', '1-2'),
  m('[[:w:]]+', 'a_1'),
  m('.', '\n'),
  m('\\d', 'd'),
  m('\\]', ']'),
  m('a{', 'a{'),
  m('a{,2}', 'a'),
  m('a{2,1}', 'aa'),
  m('*a', 'a'),
  m('(?:a)', 'a'),
  m('[a-c-e]', 'd'),
  m('[z-a]', 'a'),
  m('[[:word:]]', 'a'),
  m('(a', 'a'),
  m('a)', 'a)'),
  `builtins.match "(" (throw "the regex is checked first")`,
  `builtins.match "a" (throw "then the string")`,
  // bytes: a multi-byte character is several bytes
  m('.', 'é'),
  m('..', 'é'),
  m('(é+)', 'éé'),
  m('[^a]+', 'éè'),
  sp('é', 'aéb'),
];

export const REGEX_UNKNOWN: UnknownCase[] = [
  { expr: m('(.)(.)', 'é'), why: 'a group that cuts a UTF-8 character in two' },
  { expr: m('[[=e=]]', 'e'), why: 'equivalence classes' },
  { expr: m('[[.space.]]', ' '), why: 'collating element names' },
  { expr: m('(a|a)*b', 'a'.repeat(20)), why: 'a search longer than the budget (exponential backtracking, as in Nix)' },
];
