// Equivalent survivors of rules/matrixRuns.ts (see ../equivalent.mjs).
import { eq } from './eq.mjs';

const R = 'server/src/rules/matrixRuns.ts';

export default [
  eq(R, 'ConditionalExpression', 'mostChanged(run.keys, keys, diff)', 'false', 'a shortcut: with most keys changed, the names found again are those of most keys (every key outside the changed part is the object it was, its finding still right): the same findings, found more slowly', 'MatrixRuns.since'),
];
