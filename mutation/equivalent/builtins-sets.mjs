// Equivalent survivors of the builtins folder (see ../equivalent.mjs) in args.ts, attrs.ts,
// closure.ts, control.ts and index.ts.
import { eq } from './eq.mjs';

const CLOSURE = 'server/src/facts/eval/builtins/closure.ts';
const CONTROL = 'server/src/facts/eval/builtins/control.ts';
const INDEX = 'server/src/facts/eval/builtins/index.ts';
const ONLY_NIX_ERRORS = "forcing lets only Nix's errors out: Thunk.force and ctx.enter turn a stack overflow into unknown, and a built-in's wrapper turns UnknownArg into its value";

export default [
  eq(CLOSURE, 'StringLiteral', "'number'", '""', "a key's class is only compared with another key's and with 'list' and 'incomparable': numbers are one class by any other name", 'classOf'),
  eq(CLOSURE, 'StringLiteral', "'error'", '""', "the kind of the errors of a missing startSet, operator or key: tryEval catches throw and assert only, and their messages are made here alone, so a kind is only compared with one of the same kind", 'attr'),
  eq(CLOSURE, 'ConditionalExpression', "key.t === 'float'", 'true', 'floats is read only together with bigInts, which only integer keys set, and integers meet no other kind of key than floats (another is an error first)', 'Keys.idOf'),
  eq(CONTROL, 'ConditionalExpression', '!(e instanceof NixError)', 'false', ONLY_NIX_ERRORS, ['deepForce', 'fn']),
  eq(CONTROL, 'ConditionalExpression', '!(other instanceof NixError)', 'false', ONLY_NIX_ERRORS, 'failsTheSame'),
  eq(CONTROL, 'ConditionalExpression', 'other !== t', 'true', 'the failing attribute is also compared with itself: a thunk that failed is not kept as done, and forcing it again fails the same way (only work is added)', 'deepForce'),
  eq(CONTROL, 'ConditionalExpression', 'o !== s.loc', 'false', "without origins originsOf gives s.loc alone, which both drop; with origins both keep them all", 'fn'),
  eq(INDEX, 'ConditionalExpression', 't', 'true', "a name of NIX_GLOBALS the built-ins lack (break) would be mapped to undefined, which lexical lookup takes for absent; the __ names come from the built-ins' own", 'makeGlobals'),
];
