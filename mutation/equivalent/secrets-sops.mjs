// Equivalent survivors of secrets/sopsDecrypt.ts (see ../equivalent.mjs).
import { eq } from './eq.mjs';

const SOPS = 'server/src/secrets/sopsDecrypt.ts';

export default [
  eq(SOPS, 'MethodExpression', '(await Promise.all(keys.map(recipientOf))).filter((r): r is string => !!r)', 'await Promise.all(keys.map(recipientOf))',
    "the null left in the set for a malformed identity matches no stanza: parseSopsFile keeps only stanzas whose recipient is a non-empty string, and Set.has(string) is never true for null", 'orderedStanzas'),
  eq(SOPS, 'StringLiteral', "'utf8'", '""',
    "Buffer.from(string, '') takes an empty encoding as utf8 (Node's fromString falls back to utf8 for a zero-length encoding): the AAD bytes are the same", 'aesDecrypt'),
  eq(SOPS, 'StringLiteral', "'utf8'", '""',
    "Buffer.from(string, '') takes an empty encoding as utf8 (Node's fromString falls back to utf8 for a zero-length encoding): the MAC bytes are the same", 'macBytes'),
  eq(SOPS, 'ConditionalExpression', "typeof value === 'string'", 'true',
    "the first one (plain): a clear number's or boolean's plain is read nowhere: decryptWithKey reads plain only when type is 'str', which the second conditional gives strings only, and walk keeps .value alone (the second one, type, is killed by secrets-sops-decrypt-edges)", 'leaf'),
  eq(SOPS, 'ConditionalExpression', "typeof value !== 'string'", 'false',
    "the other half of the test, value !== '' && !isEncValue(value), is true for every number and boolean (neither is '' and isEncValue needs a string): a non-string still gets the same error", 'leaf'),
];
