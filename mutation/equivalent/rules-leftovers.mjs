// Equivalent survivors of rules/factsLeftover.ts, evaluationError.ts and duplicateMatrixKey.ts (see ../equivalent.mjs).
import { eq } from './eq.mjs';

const F = 'server/src/rules/factsLeftover.ts';
const E = 'server/src/rules/evaluationError.ts';
const D = 'server/src/rules/duplicateMatrixKey.ts';

export default [
  eq(F, 'ConditionalExpression', '!pinned', 'true', "reading flake.lock's clan-core pin again for each finding of one check gives the same pin (the file does not change within a check): only the cost differs", 'found'),
  eq(F, 'ArrayDeclaration', '[]', '["Stryker was here"]', "the fallback of facts.legacySecrets?.reads: a string read from it has no kind, so r.kind !== 'facts-service' skips it (each other [] of check changes what it returns)", '(class).check'),
  eq(E, 'OptionalChaining', 'clan.matrix?.facts', 'clan.matrix.facts', 'reached only with throws, which come only from the machines of an evaluated matrix (evaluateClanSteps): the clan then merges that matrix into clan.matrix (mergeMatrix), which is never null', '(class).check'),
  eq(D, 'ConditionalExpression', 'earlier !== ref', 'true', "a key's place lists each machine once (addKeyRef adds a machine's keys together, and extractMatrix and evalMatrix walk each machine once), so a machine's earlier mention is never the same place", '(class).check'),
];
