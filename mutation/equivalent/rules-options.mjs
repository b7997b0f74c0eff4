// Equivalent survivors of rules/enumOption.ts and small rules (see ../equivalent.mjs).
import { eq } from './eq.mjs';

const ENUM = 'server/src/rules/enumOption.ts';
const COMMANDS = 'server/src/rules/data/commandPackages.ts';
const SITES_AGAIN = 'the sites are then found again from the same model: the same sites, in the same order';
const PART_SITES =
  "a model never changes its generators or its evaluation once made (model/clanModel.ts buildClanModel makes a new one); only a part of it (withGenerators: the files an edit reaches) inherits its cached sites, and the rule's findings over the part are kept for the part's files only (rules/engine.ts runOver), the same from all the model's sites as from the part's: the check of both identities keeps such a run from reading every site";

export default [
  eq(ENUM, 'ConditionalExpression', "g.origin === 'module'", 'true', "the other generators are registry entries' declarations, made with options: [] (facts/file.ts and model/evaluatedFacts.ts registryGenerators): they add no option site; the registry's computed values come from evaluatedOptionSites", 'optionSites'),
  eq(ENUM, 'ConditionalExpression', "typeof o.literal === 'string'", 'true', "the skip of allowed values: allowed holds strings only and includes compares with SameValueZero, so a number, boolean or null literal is never included either way (the same text in the message is killed by rules-enum-options)", 'checkEnum'),
  // the model's option sites found once (optionSites): a cache, whose mutants change only how often the sites are found
  eq(ENUM, 'StringLiteral', "'optionSites'", '""', "the name of the cache's symbol, shown only by a debugger", '(module)'),
  eq(ENUM, 'ConditionalExpression', 'kept && kept.generators === clan.generators && kept.evaluation === clan.evaluation', 'false', SITES_AGAIN, 'optionSites'),
  eq(ENUM, 'EqualityOperator', 'kept.generators === clan.generators', 'kept.generators !== clan.generators', SITES_AGAIN, 'optionSites'),
  eq(ENUM, 'EqualityOperator', 'kept.evaluation === clan.evaluation', 'kept.evaluation !== clan.evaluation', SITES_AGAIN, 'optionSites'),
  eq(ENUM, 'ObjectLiteral', '{ generators: clan.generators, evaluation: clan.evaluation, sites }', '{}', SITES_AGAIN, 'optionSites'),
  eq(ENUM, 'ConditionalExpression', 'kept.generators === clan.generators', 'true', PART_SITES, 'optionSites'),
  eq(ENUM, 'ConditionalExpression', 'kept.evaluation === clan.evaluation', 'true', PART_SITES, 'optionSites'),
  eq(COMMANDS, 'Regex', '/\\s+/', '/\\s/', 'the builtins and coreutils word lists have one whitespace character between words and none at either end: splitting on one or on a run gives the same words', '(module)'),
];
