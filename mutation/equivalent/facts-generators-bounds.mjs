// Equivalent survivors of the facts folder, generators.ts: bounds and unknown values (see ../equivalent.mjs).
import { eq } from './eq.mjs';

const G = 'server/src/facts/generators.ts';

export default [
  // unknownValue: the last test of `path.length > 2 || (path.length > 1 && !names) || (path.length === 1 && !names && ...)`
  eq(G, 'ConditionalExpression', 'path.length === 1', 'true', "in the last disjunct: path is [...rest, name], never empty, and where it is longer than 1 with !names the disjunct before it (path.length > 1 && !names) already holds, so dropping the length test adds no case (the other `path.length === 1` tests of unknownValue are killed by facts-survivors-generators.test.ts)", 'GeneratorReader.unknownValue'),
];
