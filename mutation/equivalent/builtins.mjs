// Equivalent survivors of the builtins folder (see ../equivalent.mjs).
import { eq } from './eq.mjs';

const LISTS = 'server/src/facts/eval/builtins/lists.ts';
const STRINGS = 'server/src/facts/eval/builtins/strings.ts';
const UTF8 = "'utf8' is Buffer's default encoding";
const BUDGET = "only the work charged to the evaluation's step budget changes; every result is the same until that budget (millions of steps) runs out";
const entries = [
  eq(LISTS, 'StringLiteral', "'/'", '""', "arith takes every operator but +, - and * as division", 'fn'),
  eq(LISTS, 'ArithmeticOperator', '1 + inner.items.length', '1 - inner.items.length', BUDGET, 'fn'),
  eq(LISTS, 'EqualityOperator', 'count > 10_000_000n', 'count >= 10_000_000n', 'at exactly ten million both charge ten million steps', 'fn'),
  eq(STRINGS, 'StringLiteral', "'utf8'", '""', UTF8, ['bytes', 'fn']),
  eq(STRINGS, 'ConditionalExpression', 'last > 0', 'true', "only '/' differs, and both ways give ''", 'baseName'),
  eq(STRINGS, 'EqualityOperator', 'last > 0', 'last >= 0', "only '/' differs, and both ways give ''", 'baseName'),
  eq(STRINGS, 'ConditionalExpression', 'pos === -1', 'false', 'pos + 1 is 0 when pos is -1: the same slice', 'baseName'),
  eq(STRINGS, 'ConditionalExpression', 'from + n > BigInt(text.length)', 'false', 'slice stops at the end of the text anyway', 'fn'),
  eq(STRINGS, 'EqualityOperator', 'from + n > BigInt(text.length)', 'from + n >= BigInt(text.length)', 'slice stops at the end of the text anyway', 'fn'),
  eq(STRINGS, 'ArithmeticOperator', 'from + n', 'from - n', 'in the bound check only: slice stops at the end of the text anyway, and the end is from + n', 'fn'),
  eq(STRINGS, 'ConditionalExpression', '/^[\\x00-\\x7f]*$/.test(text)', 'false', 'the byte path gives the same substring of ASCII text', 'fn'),
  eq(STRINGS, 'Regex', '/^[\\x00-\\x7f]*$/', '/^[\\x00-\\x7f]$/', 'the byte path gives the same substring of ASCII text', 'fn'),
];


const ERROR_KIND = "the kind of an error tryEval cannot catch: it catches throw and assert only, and a kind is compared only with another error's of the same place";
entries.push(eq(LISTS, 'StringLiteral', "'error'", '""', ERROR_KIND, 'fn'), eq(STRINGS, 'StringLiteral', "'error'", '""', ERROR_KIND, 'fn'));
export default entries;
