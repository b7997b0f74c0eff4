// Equivalent survivors of the model folder in machineModel.ts and sharing.ts (see ../equivalent.mjs).
import { eq } from './eq.mjs';

const M = 'server/src/model/machineModel.ts';

export default [
  // the names of Attached's symbols: a description only a debugger shows; each Attached keys by its own fresh Symbol
  eq(M, 'StringLiteral', "'modelState'", '""', "the Symbol's description of an Attached key: each Attached uses a fresh Symbol whatever it is called"),
  eq(M, 'StringLiteral', "'instantiated'", '""', "the Symbol's description of an Attached key: each Attached uses a fresh Symbol whatever it is called"),
  eq(M, 'StringLiteral', "'structureIndex'", '""', "the Symbol's description of an Attached key: each Attached uses a fresh Symbol whatever it is called"),
  eq(M, 'ConditionalExpression', '!clan.namesOpen', 'false', 'a shortcut: namesOpen is false only when no file has an opaque generator source other than the read registry pipeline (clanModel setFile), so the loop after it finds no machine either'),
  eq(M, 'UpdateOperator', '++serials', '--serials', 'serials only tell models apart (delta.from is compared for equality): counting down keeps every one distinct'),
  eq(M, 'ConditionalExpression', '!kept', 'true', "structureIndex's cache per module structure: built again it holds the same flake inputs' generators and patterns"),
  eq(M, 'ConditionalExpression', '!made', 'true', "instantiated's cache: made again, a service's concrete declaration has the same fields, and nothing compares instance-made declarations by identity (no declaration of the clan has their names)"),
  // a computed generator name always has a pattern: syntax nameRefOf gives '*' at least, and the evaluator's names are literal or contain '*'
  eq(M, 'StringLiteral', "'*'", '""', "the fallback of g.name.pattern ?? '*', never taken: a computed name always has a pattern ('*' at least, syntax.ts nameRefOf); the other '*' of the file are killed by model-resolution"),
  eq(M, 'ConditionalExpression', 'g.name.pattern === null', 'false', "a computed name always has a pattern ('*' at least, syntax.ts nameRefOf), so only g.name.pattern === '*' decides"),
  eq(M, 'ConditionalExpression', "g.origin === 'registry'", 'false', "in chainOf, the registry file is no module of any machine (the generators file imports it as a value): chainTo and toggleChain give null too; in updateRegistry, machinesOfGenerator of a registry generator reads the same registryMachines; in machinesOfGeneratorWith it is killed"),
  eq(M, 'ObjectLiteral', '{ files: new Set<string>(), unknowns: [] }', '{}', "never taken: the module graph follows the imports of every machine of infos (moduleGraph's entries are made from machineInfo's keys, vars-only machines too), so graph.machines has each"),
];
