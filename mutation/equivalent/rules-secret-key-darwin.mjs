// Equivalent survivors of rules/unknownSecretKey.ts (see ../equivalent.mjs).
import { eq } from './eq.mjs';

const KEY = 'server/src/rules/unknownSecretKey.ts';

export default [
  eq(KEY, 'ConditionalExpression', '!selecting', 'true', "the key -> machines map built again on every call is built from the same matrix.keys of the one check, so selects answers the same: only the cost differs", 'selects'),
  eq(KEY, 'OptionalChaining', 'entries.get(use.key)?.generator', 'entries.get(use.key).generator', "reached only after keys.has(use.key), and keys is the set of entries' keys: entries.get(use.key) is always an entry", '(class).check'),
];
