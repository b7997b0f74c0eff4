// Equivalent survivors of rules/invalidMode.ts and rules/invalidOptionType.ts (see ../equivalent.mjs).
import { eq } from './eq.mjs';

const MODE = 'server/src/rules/invalidMode.ts';
const OPTION_TYPE = 'server/src/rules/invalidOptionType.ts';

export default [
  eq(MODE, 'ConditionalExpression', "g.origin !== 'module'", 'false', "the other generators are registry entries' declarations, made with options: [] (facts/file.ts and model/evaluatedFacts.ts registryGenerators): they have no mode to check", '(class).check'),
  eq(OPTION_TYPE, 'StringLiteral', "'name'", '""', "without a reach the engine re-runs the rule over the whole clan after an edit or a new evaluation instead of over the names and evaluated sites it touched: the same findings (rules-incremental compares the two; rules-mode-type-prompt checks the findings after edits), only more work", '(module)'),
  eq(OPTION_TYPE, 'ConditionalExpression', "typeof o.literal === 'string'", 'true', 'the other literals reaching it are numbers and null (booleans were skipped): JSON.stringify writes them as String does (a Nix literal is never NaN, Infinity or -0)', '(class).check'),
];
