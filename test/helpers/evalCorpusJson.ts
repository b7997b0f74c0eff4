// Corpus cases for builtins.fromJSON (compared with nix-instantiate by test/unit/eval-nix.test.ts),
// from how Nix 2.8 reads JSON with nlohmann::json: a number without fraction or exponent is a
// signed 64-bit integer, or an unsigned one (stored in Nix's signed integer, so it wraps), or else
// a double; a double that overflows is an error, one that underflows is zero; strings follow the
// JSON grammar strictly (escaped control characters, paired surrogates), and Nix keeps string
// values as C strings (a NUL ends them).
import type { UnknownCase } from './evalCorpus';

const fromJSON = (json: string) => `builtins.fromJSON ${JSON.stringify(json)}`;

export const FROM_JSON_CASES: string[] = [
  // integers at and beyond the 64-bit limits
  fromJSON('[ 9223372036854775807, -9223372036854775808 ]'),
  fromJSON('9223372036854775808'),
  fromJSON('[ 18446744073709551615, 18446744073709551614 ]'),
  fromJSON('10000000000000000000'),
  fromJSON('18446744073709551616'),
  fromJSON('-9223372036854775809'),
  fromJSON('123456789012345678901234567890'),
  `builtins.typeOf ${fromJSON('18446744073709551615')}`,
  `builtins.typeOf ${fromJSON('18446744073709551616')}`,
  // floats: overflow is an error, underflow is (signed) zero
  fromJSON('[ 1e308, 1.7976931348623157e308, 5e-324 ]'),
  fromJSON('1e309'),
  fromJSON('[ -4e400 ]'),
  fromJSON('1' + '0'.repeat(320)),
  fromJSON('[ 1e-500, -1e-500, -0.0, -0, 0e0 ]'),
  fromJSON('0.' + '0'.repeat(400) + '25'),
  // strings
  fromJSON('"ends\\u0000here"'),
  fromJSON('{ "k": "v\\u0000ignored" }'),
  fromJSON('"\\ud83d\\ude03 and \\u00e9"'),
  fromJSON('"\\ud83d"'),
  fromJSON('"\\ude03"'),
  fromJSON('"\\ud83d\\u0041"'),
  fromJSON('"raw\ttab"'),
  fromJSON('"raw\nnewline"'),
  fromJSON('"\\/\\b\\f\\n\\r\\t\\"\\\\"'),
  fromJSON('"\\e"'),
  fromJSON('"\\u12g4"'),
  fromJSON('"\\x0041"'), // an unknown escape, even before four hex digits
  fromJSON('"unterminated'),
  // surrogates: a high one (D800-DBFF) must be followed by \u and a low one (DC00-DFFF), at both ends of each range
  fromJSON('[ "\\ud800\\udc00", "\\udbff\\udfff", "\\ud83d\\udfff", "\\ue000", "\\ud7ff" ]'),
  fromJSON('"\\udc00"'),
  fromJSON('"\\udfff"'),
  fromJSON('"\\ud800"'),
  fromJSON('"\\ud83d\\ue000"'),
  fromJSON('"\\ud83d\\xde03"'),
  fromJSON('"\\ud83dxude03"'),
  fromJSON('"\\ud83dxxde03"'),
  // grammar
  fromJSON('{ "dup": 1, "other": 2, "dup": 3 }'),
  fromJSON('[ 1, ]'),
  fromJSON('{ "a": 1, }'),
  fromJSON('+1'),
  fromJSON('.5'),
  fromJSON('1.'),
  fromJSON('01'),
  fromJSON('NaN'),
  fromJSON(' \t\r\n[ { } , [ ] ]\n'),
  fromJSON('{x": 1}'),
  fromJSON('{ "a": 1 ]'),
  fromJSON('[ 1 }'),
  // as deep as the parser follows (nlohmann's has no limit)
  fromJSON('['.repeat(501) + ']'.repeat(501)),
];

export const FROM_JSON_UNKNOWN: UnknownCase[] = [
  { expr: fromJSON('['.repeat(800) + ']'.repeat(800)), why: 'nesting deeper than the parser follows' },
  { expr: fromJSON('{"a":'.repeat(800) + '1' + '}'.repeat(800)), why: 'nesting deeper than the parser follows' },
  { expr: `builtins.attrNames (${fromJSON('{ "a\\u0000b": 1 }')})`, why: 'a name with NUL is whole in the set but cut in attrNames' },
];
