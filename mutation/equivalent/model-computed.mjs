// Equivalent survivors of model/computedInstances.ts (see ../equivalent.mjs).
import { eq } from './eq.mjs';

const COMPUTED = 'server/src/model/computedInstances.ts';

export default [
  eq(COMPUTED, 'EqualityOperator', 'i < 8', 'i <= 8', 'the bound only stops a wrapper that holds itself (model-computed-values.test.ts): one more unwrapping gives the same wrapper, read the same way', 'plain'),
  eq(COMPUTED, 'ConditionalExpression', "m.t === 'string'", 'true', "sourceOfCopy of anything but a string looks up its v (a number, or undefined), whose text is no store path: null, as for the guard's own null", 'extraModules'),
  eq(COMPUTED, 'Regex', '/^(\\/nix\\/store\\/[0-9a-df-np-sv-z]{32}-[^/]+)(\\/.*)?$/', '/^(\\/nix\\/store\\/[0-9a-df-np-sv-z]{32}-[^/]+)(\\/.*)?/', 'the name takes every character up to a slash and (\\/.*)? the rest: a match always ends at the end of the string', 'sourceOfCopy'),
];
