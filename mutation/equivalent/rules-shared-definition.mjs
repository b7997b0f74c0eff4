// Equivalent survivors of rules/sharedDefinitionMismatch.ts (see ../equivalent.mjs).
import { eq } from './eq.mjs';

const SHARED = 'server/src/rules/sharedDefinitionMismatch.ts';

export default [
  // the three [] of check: the names' fallback, the declarations' fallback and named's fallback
  eq(SHARED, 'ArrayDeclaration', '[]', '["Stryker was here"]', "a computed name's extra name is looked up in the whole clan's byName, so it adds only the findings a full run has for a generator of that name, which the engine keeps per file; the declarations' extra string is dropped by the origin filter right after it; named's fallback is never taken: !at means the same declarations on both machines, and a signature depends on its machine only through validation_hash, so a non-empty differ holds it", '(class).check'),
  eq(SHARED, 'ArrayDeclaration', '[]', '["Stryker was here"]', "describe starts every machine's part with the same extra element: two parts that were equal stay equal and two that differed still differ", 'describe'),
  eq(SHARED, 'StringLiteral', "'prompts'", '""', "describe tells its kinds apart only by kind === 'files': describe('') lists and fills in the prompts as describe('prompts') does (computed('prompts') is the other 'prompts', and is killed)", 'signature'),
  eq(SHARED, 'ConditionalExpression', 'g.name.name === null', 'false', "a computed name adds null to the names: clan.byName has only string keys, so get(null) is undefined and the loop goes on", '(class).check'),
  eq(SHARED, 'OptionalChaining', 'o.text.match(MACHINE_VALUE)?.[0]', 'o.text.match(MACHINE_VALUE)[0]', 'o passed perMachine, which is MACHINE_VALUE.test(o.text): the match is never null', '(class).check'),
  eq(SHARED, 'StringLiteral', "'name'", '""', "without a reach the engine re-runs the rule over the whole clan after an edit instead of over the names the edit touched: the same findings (rules-incremental compares the two), only more work", '(module)'),
  eq(SHARED, 'StringLiteral', "'/'", '""', "every declaration's file is one the folder scan read under root (root + '/…') or a flake input's in the Nix store: none starts with root's text without the slash after it (a sibling folder's modules are not read)", 'relative'),
  eq(SHARED, 'StringLiteral', "'files'", '""', "computed('') differs from computed('files') only for an option under a computed file name (files.*.…): the syntax marks its generator filesUnknown, and once evaluation clears that, fillFrom marks every file the evaluation names that the declaration did not list optionsUnknown, so value() already makes that file's settings, and the files part, null (a file both literal and computed in one set is a Nix error)", 'signature'),
  eq(SHARED, 'StringLiteral', "','", '""', "a file's or prompt's values are JSON of booleans, null and strings (secret, deploy, persist: bool; neededFor, type, description: strings), which concatenate without ambiguity; only numbers could run together, and they are type errors clan and invalid-option-type report", 'describe'),
  // names: the files a machine has, its persisted prompts among them
  eq(SHARED, 'ArrayDeclaration', '[]', '["Stryker was here"]', "the persisted list's extra name is added to every machine's files alike, so parts that were equal stay equal and parts that differed still differ; a prompts list made of a made-up name finds no persist for it (the default, false) and adds nothing", 'names'),
  eq(SHARED, 'ConditionalExpression', "kind === 'files'", 'true', "for the prompts, the persisted prompts it adds are prompts already (one set); a persist that is not a literal makes the prompts' part null anyway, through describe's value of persist", 'names'),
  eq(SHARED, 'StringLiteral', "'prompts'", '""', "declared tells its kinds apart only by kind === 'files': declared('') lists the prompts as declared('prompts') does", 'names'),
  eq(SHARED, 'StringLiteral', "'false'", '""', "only 'true' makes a prompt's file: an unset persist is not 'true' with either fallback", 'names'),
];
