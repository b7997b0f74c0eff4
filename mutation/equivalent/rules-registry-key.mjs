// Equivalent survivors of rules/unknownRegistryKey.ts (see ../equivalent.mjs).
import { eq } from './eq.mjs';

const F = 'server/src/rules/unknownRegistryKey.ts';

export default [
  eq(F, 'ConditionalExpression', 'near === undefined', 'true', 'the cache only: closestName is a pure function of the key and the set of registry keys, so computing the suggestion again for a key seen before gives the same one', '(class).check'),
  eq(F, 'ConditionalExpression', 'near === null', 'false', 'registry keys are attribute names, always strings (facts/registry.ts entry, model/clanEvaluation.ts evalRegistry), so with no suggestion find(e.key === null) finds nothing: entry is undefined either way', 'relatedEntry'),
  eq(F, 'ConditionalExpression', 'entry.keyRange.end.line > 0', 'false', "the check tells the zero range of a key defined in another file (evalRegistry) from a real one; a real key's range ends after its last character (a name, a closing quote or brace, never a newline), so its end character is > 0 on whatever line it ends and the second half decides alone", 'relatedEntry'),
];
