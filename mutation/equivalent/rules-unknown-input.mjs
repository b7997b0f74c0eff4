// Equivalent survivors of rules/unknownInput.ts (see ../equivalent.mjs).
import { eq } from './eq.mjs';

const F = 'server/src/rules/unknownInput.ts';

export default [
  eq(F, 'StringLiteral', "'registry'", '""', "every registry fact the rule reads is a registry generator's name or name pattern (byName, mergedDeclarations, mayBeDeclared), and those are in the registry file's generators, so an edit changing them bumps 'generators' too (facts/file.ts registryGenerators, clanEvaluations' bump); which machines a registry generator is on (registry-only) changes nothing here: typo suggestions come from every name (generatorTypo's generatorIndex), and the per-machine checks are for names no module or registry declares", '(module)'),
  eq(F, 'ConditionalExpression', "g.origin !== 'module'", 'false', "registry generators are made without a script (facts/file.ts and model/evaluatedFacts.ts registryGenerators), so inputReadsOf gives null and the loop goes on at !s?.reads.length anyway", '(class).check'),
  eq(F, 'ConditionalExpression', "x.path.length === 1", 'true', "clan's dependencies option is a list of strings: no generator clan evaluates has an option below it (`dependencies.x = ...`), so every option whose path starts with dependencies has length 1", '(class).check'),
  eq(F, 'ConditionalExpression', "o.path.length === 1", 'true', "clan's dependencies option is a list of strings: no generator clan evaluates has an option below it (`dependencies.x = ...`), so every option whose path starts with dependencies has length 1", '(class).check'),
  eq(F, 'OptionalChaining', 'clan.machineModel().machines.get(x)?.unknowns', 'clan.machineModel().machines.get(x).unknowns', "machinesOfGenerator of a module generator gives the module graph's machines (graph.machinesAt), and the graph and model.machines are built from the same machine infos: every machine it names has a view", '(class).check'),
  eq(F, 'ConditionalExpression', '!view', 'false', "machinesOfGenerator of a module generator gives the module graph's machines (graph.machinesAt), and the graph and model.machines are built from the same machine infos: every machine it names has a view", 'inputFileOfMachines'),
  eq(F, 'ArrayDeclaration', '[]', '["Stryker was here"]', "the fallback is taken only when the view has no declaration of dep, and then the next line continues at !view.generators.has(dep) before the files are used", 'inputFileOfMachines'),
  eq(F, 'BooleanLiteral', 'false', 'true', "NO_READS is returned only for a script without $in reads, and signs is read only while checking a read (reads), so NO_READS.signs is never read", '(module)'),
  eq(F, 'StringLiteral', "'inputReads'", '""', "the name is only the description of the Symbol keying the cache (base/attached.ts): a new Symbol is distinct whatever its description", '(module)'),
  eq(F, 'ConditionalExpression', 'kept === undefined', 'true', "the cache only: digest of the same script gives the same reads, probes and signs each time (scriptOf scans it again when its scan was dropped)", 'inputReadsOf'),
  eq(F, 'ConditionalExpression', '!reads.length', 'false', "without reads the object built has reads [] like NO_READS, and check goes on at !s?.reads.length before reading probed or signs", 'digest'),
];
