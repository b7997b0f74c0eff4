// Equivalent survivors of secrets/ageDecrypt.ts and secrets/passage.ts (see ../equivalent.mjs); the
// other survivors of these files and of secrets/identities.ts are killed by
// test/unit/secrets-age-identities-edges.test.ts.
import { eq } from './eq.mjs';

const AGE = 'server/src/secrets/ageDecrypt.ts';
const PASSAGE = 'server/src/secrets/passage.ts';

export default [
  eq(AGE, 'ConditionalExpression', "typeof input === 'string'", 'false',
    "(the test setting text, line 11; elsewhere it is killed) text then comes from Buffer.from(input).toString('utf8'), the same string but for lone surrogates turned into U+FFFD (one code unit each): armor.decode rejects both alike, same line lengths and message", 'ageBytes'),
  eq(AGE, 'StringLiteral', "'string'", '""',
    "(the test setting text, line 11; elsewhere it is killed) text is then always null and comes from Buffer.from(input).toString('utf8'), the same string but for lone surrogates turned into U+FFFD (one code unit each): armor.decode rejects both alike, same line lengths and message", 'ageBytes'),
  eq(AGE, 'MethodExpression', "(text ?? Buffer.from(input as Uint8Array).toString('utf8')).trim()", "text ?? Buffer.from(input as Uint8Array).toString('utf8')",
    "age's armor.decode trims the text (the same String.prototype.trim) before it splits lines, so blank space around the armor is dropped either way", 'ageBytes'),
  eq(AGE, 'StringLiteral', "'\\n'", '""',
    "the final newline appended to the armor is dropped again by age's armor.decode, which trims the text first", 'ageBytes'),
  eq(AGE, 'ConditionalExpression', "typeof input === 'string'", 'true',
    "(the test in the binary return, line 21; elsewhere it is killed) Buffer.from of a Uint8Array ignores the 'latin1' encoding and copies the bytes: the same bytes are decrypted", 'ageBytes'),
  eq(AGE, 'StringLiteral', "'uint8array'", '""',
    "age's Decrypter.decrypt returns a string only for the format 'text' and bytes (a Uint8Array) for any other value", 'decryptAge'),
  eq(PASSAGE, 'EqualityOperator', 'a.name < b.name', 'a.name <= b.name',
    'the entries of one folder listing have distinct names, so no two compared names are equal and <= answers as < does', 'walk'),
];
