// Equivalent survivors of rules/openMachineTypo.ts (see ../equivalent.mjs).
import { eq } from './eq.mjs';

const TYPO = 'server/src/rules/openMachineTypo.ts';
const VAR_READ = 'server/src/rules/unknownVarRead.ts';
const MACHINES = "every machine name its callers pass (machinesOfGenerator, machinesAt, resolveDependency's unreadOn, the open machines of a read) is one of the machine infos the model builds a view for (model/machineModel.ts: graph and matrix machines come from the same discoverMachines), so the lookup is never undefined";
const READERS = "every reader has a view with unknowns: in unknown-dependency resolveDependency gives unreadOn only as [machine] when its view has unknowns or as the machines whose views have unknowns, and unknown-var-read passes only machines it put on the open side (view.unknowns.length > 0)";
const LACKS = "every machine passed has a view and lacks the name: unknown-dependency passes machines resolveDependency left open (resolvesSurely found no generator of that name on the view, and a machine without a view gets no unreadOn), unknown-var-read those whose view.generators.get(gen) is undefined";

export default [
  eq(TYPO, 'OptionalChaining', 'model.machines.get(m)?.generators', 'model.machines.get(m).generators', MACHINES, 'generatorTypo'),
  eq(TYPO, 'ArrayDeclaration', '[]', '["Stryker was here"]', MACHINES, 'generatorTypo'),
  eq(TYPO, 'OptionalChaining', 'clan.machineModel().machines.get(m)?.unknowns', 'clan.machineModel().machines.get(m).unknowns', MACHINES, 'unreadParts'),
  eq(TYPO, 'ArrayDeclaration', '[]', '["Stryker was here"]', MACHINES, 'unreadParts'),
  eq(TYPO, 'ConditionalExpression', '!!view && view.unknowns.length > 0', 'true', READERS, 'onlyForeign'),
  eq(TYPO, 'ConditionalExpression', 'view.unknowns.length > 0', 'true', READERS, 'onlyForeign'),
  eq(TYPO, 'LogicalOperator', '!!view && view.unknowns.length > 0', '!!view || view.unknowns.length > 0', READERS, 'onlyForeign'),
  eq(TYPO, 'EqualityOperator', 'view.unknowns.length > 0', 'view.unknowns.length >= 0', READERS, 'onlyForeign'),
  eq(TYPO, 'ConditionalExpression', '!view || view.generators.has(name)', 'false', LACKS, 'perMachineElsewhere'),
  eq(TYPO, 'LogicalOperator', '!view || view.generators.has(name)', '!view && view.generators.has(name)', LACKS, 'perMachineElsewhere'),
  eq(VAR_READ, 'ConditionalExpression', '!view', 'false', MACHINES, '(class).check'),
  eq(VAR_READ, 'ConditionalExpression', 'noGen.open.length', 'true', "with no open machine lacking the generator, every machine of the read (never none: a read placed on no machine is unplacedRead's) has it declared, is clan-core's (CLAN_CORE_MACHINE_GENERATORS) or matches one of its view's patterns, and each source of those patterns (computed names of the clan's and of inputs' generators, registry entries of a form, clan-core's toggles) is one mayBeDeclared also consults: generatorTypo(clan, [], gen) answers null, and perMachineElsewhere finds no machine lacking it", '(class).check'),
];
