// Equivalent survivors of rules/removedOption.ts (see ../equivalent.mjs).
import { eq } from './eq.mjs';

const REMOVED = 'server/src/rules/removedOption.ts';

export default [
  eq(REMOVED, 'ConditionalExpression', 'pin === undefined', 'true', "a cache: check is synchronous, so clanCorePin reads the same flake.lock for every finding of the run and gives the same pin; only the number of reads differs", '(class).check'),
  eq(REMOVED, 'ConditionalExpression', "g.origin !== 'module'", 'false', "the other generators are registry entries' declarations, made with options: [] (facts/file.ts and model/evaluatedFacts.ts registryGenerators): the loop over their options finds nothing", '(class).check'),
];
