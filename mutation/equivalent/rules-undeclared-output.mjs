// Equivalent survivors of rules/undeclaredOutput.ts and rules/importApplyGenerators.ts (see ../equivalent.mjs).
import { eq } from './eq.mjs';

const U = 'server/src/rules/undeclaredOutput.ts';
const IA = 'server/src/rules/importApplyGenerators.ts';

export default [
  eq(U, 'ConditionalExpression', 'm.command !== undefined', 'true', 'WRITERS holds command names only, so WRITERS.has(undefined) is false: a mention with no command is a write only as a redirection target either way', 'isWrite'),
  eq(U, 'ConditionalExpression', 'm.command !== undefined', 'true', 'REMOVERS holds command names only, so REMOVERS.has(undefined) is false: a mention with no command never deletes a file either way', '(class).check'),
  // the skip of registry entries and computed names: either way they are skipped a step later
  eq(U, 'ConditionalExpression', "g.origin !== 'module' || g.name.name === null", 'false', "a registry entry's declaration has no script (facts/file.ts and model/evaluatedFacts.ts registryGenerators), so scriptOf gives null; a computed name is no key of byName (only literal names are inserted), so knownFiles gives null: both skipped by !s || !files", '(class).check'),
  eq(U, 'LogicalOperator', "g.origin !== 'module' || g.name.name === null", "g.origin !== 'module' && g.name.name === null", "a registry entry's declaration has no script (facts/file.ts and model/evaluatedFacts.ts registryGenerators), so scriptOf gives null; a computed name is no key of byName (only literal names are inserted), so knownFiles gives null: both skipped by !s || !files", '(class).check'),
  eq(U, 'ConditionalExpression', "g.origin !== 'module'", 'false', "a registry entry's declaration has no script (facts/file.ts and model/evaluatedFacts.ts registryGenerators): scriptOf gives null and !s skips it", '(class).check'),
  eq(U, 'ConditionalExpression', 'g.name.name === null', 'false', 'a computed name is no key of byName (GeneratorIndex inserts literal names only): knownFiles(clan, null) gives null and !files skips it', '(class).check'),
  // the delete after the last write
  eq(U, 'EqualityOperator', 'm.start > (lastWrite.get(m.path) ?? -1)', 'm.start >= (lastWrite.get(m.path) ?? -1)', "a mention with a REMOVERS command is no write (a redirection target carries no command, REMOVERS and WRITERS are disjoint), so its start is never that of the write lastWrite holds: distinct mentions start at distinct offsets", '(class).check'),
  eq(U, 'UnaryOperator', '-1', '+1', 'the fallback is for a path lastWrite lacks, one no $out write names: the report loop reports writes only, so marking that path as moved or not changes no finding', '(class).check'),
  eq(IA, 'ConditionalExpression', '!use.target', 'false', 'a null target is no key of clan.files (get gives undefined) and never equals clan.generatorsFile (a resolved path): bringsGenerators is false and the use is skipped as before', '(class).check'),
];
