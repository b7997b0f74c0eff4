// Equivalent survivors of rules/restartUnitsOnDarwin.ts, secretFiles.ts, sharedReference.ts and secretNotSharedWithMachine.ts (see ../equivalent.mjs).
import { eq } from './eq.mjs';

const DARWIN = 'server/src/rules/restartUnitsOnDarwin.ts';
const FILES = 'server/src/rules/secretFiles.ts';
const SHARED_REF = 'server/src/rules/sharedReference.ts';
const NOT_SHARED = 'server/src/rules/secretNotSharedWithMachine.ts';
const MACHINES = "every machine name machinesOfGenerator and machinesAt give is one of the machine infos the model builds a view for (model/machineModel.ts: graph and matrix machines come from the same discoverMachines), so the lookup is never undefined";

export default [
  eq(DARWIN, 'ConditionalExpression', "g.origin !== 'module'", 'false', "registry generators (origin 'registry', facts/file.ts and model/evaluatedFacts.ts) are built with options: [] and nothing adds a files.<f>.restartUnits option to them (persistUnread only adds prompts.<p>.persist to module generators), so the options loop skips them anyway", '(class).check'),
  eq(DARWIN, 'OptionalChaining', 'model.machines.get(m)?.cls', 'model.machines.get(m).cls', MACHINES, '(class).check'),
  eq(FILES, 'OptionalChaining', 'model.machines.get(m)?.generators', 'model.machines.get(m).generators', MACHINES, 'isSecretFileOn'),
  eq(SHARED_REF, 'StringLiteral', "'sharedReferences'", '""', "the Symbol's description of an Attached key: each Attached uses a fresh Symbol whatever it is called", '(module)'),
  eq(NOT_SHARED, 'ConditionalExpression', 'd.name.name === null', 'true', "the literal-named declarations in merged.possible are its certain ones, clan.byName of decls[0]'s literal name (literalsMatching is only asked for a pattern), and those declaredFor the machine are exactly decls, already in possible: a duplicate changes no some()", '(class).check'),
];
