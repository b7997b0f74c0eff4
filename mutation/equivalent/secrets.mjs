// Equivalent survivors of the secrets folder (see ../equivalent.mjs).
import { eq } from './eq.mjs';
import age from './secrets-age.mjs';
import sops from './secrets-sops.mjs';
import sopsKeys from './secrets-sops-keys.mjs';

export default [
  ...age,
  ...sops,
  ...sopsKeys,
  eq('server/src/secrets/orderedJson.ts', 'ConditionalExpression', 'i < text.length', 'true',
    'past the end text[i] is undefined, which is no whitespace character: the loop stops there anyway', 'ws'),
  eq('server/src/secrets/orderedJson.ts', 'EqualityOperator', 'i < text.length', 'i <= text.length',
    'at the end text[i] is undefined, which is no whitespace character: the loop stops there anyway', 'ws'),
  eq('server/src/secrets/orderedJson.ts', 'EqualityOperator', 'j < text.length', 'j <= text.length',
    'one step past the end changes nothing: slice(i, j) stops at the end of the text', 'value'),
  eq('server/src/secrets/ageDecrypt.ts', 'ConditionalExpression', 'keys.length === 0', 'false',
    "with no identity age's decrypter fails with 'no identity matched', which is null as well", 'decryptAge'),
  eq('server/src/secrets/ageDecrypt.ts', 'ConditionalExpression', 'cached', 'false',
    'a cache miss computes the same recipient again', 'recipientOf'),
  eq('server/src/secrets/ageDecrypt.ts', 'StringLiteral', "'hex'", '""',
    'the digest as a Buffer makes every cache lookup miss; the recipient computed again is the same', 'recipientOf'),
  eq('server/src/secrets/sopsKeys.ts', 'ConditionalExpression', 'depth > 0', 'false',
    "a group's members are read from its users/ and machines/ only, so a group is never resolved below the top", 'resolveOne'),
];
