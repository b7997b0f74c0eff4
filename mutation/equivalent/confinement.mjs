// Equivalent survivors of the confinement folder (see ../equivalent.mjs).
import { eq } from './eq.mjs';

export default [
  eq('server/src/base/pathPrefix.ts', 'ConditionalExpression', 'full.length < prefix.length', 'false',
    'a shorter path then differs at its first missing part: undefined is never a part (a string or null)'),
];
