// Equivalent survivors of rules/sandboxHostile.ts and rules/invalidPromptType.ts (see ../equivalent.mjs).
import { eq } from './eq.mjs';

const SANDBOX = 'server/src/rules/sandboxHostile.ts';
const PROMPT_TYPE = 'server/src/rules/invalidPromptType.ts';

export default [
  eq(SANDBOX, 'StringLiteral', "'name'", '""', "without a reach the engine re-runs the rule over the whole clan after an edit instead of over the names the edit touched: the same findings (rules-incremental compares the two; rules-sandbox-hostile checks the findings after edits), only more work", '(module)'),
  eq(PROMPT_TYPE, 'StringLiteral', "'name'", '""', "without a reach the engine re-runs the rule over the whole clan after an edit or a new evaluation instead of over the names and evaluated sites it touched: the same findings (rules-incremental compares the two; rules-sandbox-hostile checks the findings after edits), only more work", '(module)'),
];
