// Equivalent survivors of rules/enumOption.ts and small rules (see ../equivalent.mjs).
import { eq } from './eq.mjs';

const ENUM = 'server/src/rules/enumOption.ts';
const COMMANDS = 'server/src/rules/data/commandPackages.ts';

export default [
  eq(ENUM, 'ConditionalExpression', "g.origin === 'module'", 'true', "the other generators are registry entries' declarations, made with options: [] (facts/file.ts and model/evaluatedFacts.ts registryGenerators): they add no option site; the registry's computed values come from evaluatedOptionSites", 'optionSites'),
  eq(ENUM, 'ConditionalExpression', "typeof o.literal === 'string'", 'true', "the skip of allowed values: allowed holds strings only and includes compares with SameValueZero, so a number, boolean or null literal is never included either way (the same text in the message is killed by rules-enum-options)", 'checkEnum'),
  eq(COMMANDS, 'Regex', '/\\s+/', '/\\s/', 'the builtins and coreutils word lists have one whitespace character between words and none at either end: splitting on one or on a run gives the same words', '(module)'),
];
