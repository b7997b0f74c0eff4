// Equivalent survivors of rules/publicFileOwnership.ts, invalidNeededFor.ts and silence.ts (see ../equivalent.mjs).
import { eq } from './eq.mjs';

const PUBLIC = 'server/src/rules/publicFileOwnership.ts';
const NEEDED_FOR = 'server/src/rules/invalidNeededFor.ts';
const SILENCE = 'server/src/rules/silence.ts';

export default [
  eq(PUBLIC, 'ArrayDeclaration', '[g]', '[]', "the fallback of byName.get for a literal name is never taken: ClanModel.update inserts every counted generator with a non-null name into byName, and a partial run's model (withGenerators) shares the whole model's byName over a subset of its generators", '(class).check'),
  eq(PUBLIC, 'ConditionalExpression', "g.origin !== 'module'", 'false', "the other generators are registry entries' declarations, made with options: [] (facts/file.ts and model/evaluatedFacts.ts registryGenerators): optionAt finds no owner, group or mode on them, so they add no finding either way", '(class).check'),
  eq(PUBLIC, 'ConditionalExpression', "typeof o.literal === 'string'", 'true', "the skip of clan's defaults: DEFAULTS holds strings only and includes compares with SameValueZero, so a number, boolean, null or undefined literal is never included either way (a number mode is reported: rules-public-ownership)", '(class).check'),
  eq(NEEDED_FOR, 'ObjectLiteral', "{ user: 'users', service: 'services' }", '{}', 'without aliases checkEnum falls back to closestName, which gives "users" for "user" and "services" for "service" (edit distance 1, no other allowed value as close), and the fix is safe at distance 1 either way: same message and fix (rules-public-ownership pins both)', '(class).check'),
  eq(SILENCE, 'ArrayDeclaration', '[]', '["Stryker was here"]', "with no ignore comments the loop visits a string, whose .line is undefined: neither undefined === line nor undefined === line - 1 holds for a number line, so nothing is silenced either way", 'isSilenced'),
  eq(PUBLIC, 'OptionalChaining', 'model.machines.get(m)?.cls', 'model.machines.get(m).cls', "the rule reads module declarations only, whose machines come from graph.machinesAt (machineModel.ts machinesOfGeneratorWith): machines of the module graph, each of which the model builds (model.machines has every one), so get(m) is never undefined", '(class).check'),
  eq(PUBLIC, 'ArrayDeclaration', '[]', '["Stryker was here"]', 'on machines of both classes no group is accepted; the mutant accepts only the group "Stryker was here", which names no group of NixOS or nix-darwin', 'groupDefault'),
];
