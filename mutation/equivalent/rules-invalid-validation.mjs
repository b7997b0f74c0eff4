// Equivalent survivors of rules/invalidValidation.ts (see ../equivalent.mjs).
import { eq } from './eq.mjs';

const VALIDATION = 'server/src/rules/invalidValidation.ts';

export default [
  eq(VALIDATION, 'ConditionalExpression', "g.origin !== 'module'", 'false', "the other generators are registry entries' declarations, made with options: [] (facts/file.ts and model/evaluatedFacts.ts registryGenerators; persistUnread adds only prompts.*.persist to module generators): they have no validation option, so they add no finding either way", '(class).check'),
  eq(VALIDATION, 'ConditionalExpression', "o.kind === 'list_expression'", 'false', "in `o.kind === 'list_expression' || o.list` (the reason and the fix's condition) the test is redundant: optionValue sets list on every list_expression value (certainlyList returns true for it, at any depth generatorBody reads), so o.list alone gives the same answer", '(class).check'),
  eq(VALIDATION, 'StringLiteral', "'list_expression'", '""', "in `o.kind === 'list_expression' || o.list` (the reason and the fix's condition) the kind test is redundant: optionValue sets list on every list_expression value, and no value's kind is the empty string; the third use (the fix text's parentheses) is killed by rules-invalid-validation", '(class).check'),
  eq(VALIDATION, 'EqualityOperator', 'depth > 2', 'depth >= 2', 'in the nested-too-deep test: at depth 2 the option itself has a path of three names starting with validation, so the last some() over g.options finds it and the branch is skipped either way (depth-2 values go to the attrset branch as before); the depth > 2 that drops the fixes is killed by rules-invalid-validation', '(class).check'),
];
