// Equivalent survivors of the options a plain module's conditions read (model/optionValues.ts; the
// conditions themselves, facts/generatorConditions.ts, are in facts-values.mjs) and of an instance
// role's computed extraModules (moduleGraph.ts, moduleLookup.ts outputModules). See ../equivalent.mjs.
import { eq } from './eq.mjs';

const V = 'server/src/model/optionValues.ts';
const G = 'server/src/model/moduleGraph.ts';
const L = 'server/src/model/moduleLookup.ts';

const EVALUABLE = 'extraModulesEvaluable is set only beside a computed reference among the role\'s extraModules (facts/modules.ts roleExtraModules), so both are there whenever it is';
const CACHE = 'a cache: the option\'s value on the machine, computed again, is the same';
const MACHINES = "conditionsOn asks only of machines the module graph has (the places' machines, graph.machinesAt): mods is never undefined";
const FACTS = 'every file of a machine\'s modules has facts (a node is one only when its facts are read, ModuleLookup.moduleAt): files.get is never undefined, and a file without enableDefs has none';
const JOINED = "every service binding's instance was joined (joinInstance notes its members before it binds a machine), so roleMachinesOf, asked only of a binding's instance, always finds it in membersOf";
const OUTPUTS_PATH = "a set of NixOS modules computed in flake.nix that the extraction records is at outputs.nixosModules (plain outputs; flake-parts' flake.nixosModules written in flake.nix is inside mkFlake's argument, not recorded), and one at outputs.nixosModules is in flake.nix: either test alone decides";

export default [
  eq(V, 'ConditionalExpression', 'v === undefined', 'true', CACHE, 'optionValuesOn'),
  eq(V, 'ConditionalExpression', '!mods', 'false', MACHINES, 'valueOn'),
  eq(V, 'StringLiteral', "'on a machine whose modules are not known'", '""', MACHINES, 'valueOn'),
  eq(V, 'OptionalChaining', 'files.get(file)?.enableDefs', 'files.get(file).enableDefs', FACTS, 'readValue'),
  eq(V, 'ArrayDeclaration', '[]', '["Stryker was here"]', "a string in place of no definitions has no option, so it is passed over (`undefined !== option`)", 'readValue'),
  eq(G, 'ArrayDeclaration', '[]', '["Stryker was here"]', 'a role is joined only when it has extraModules or extraInline, and one with extraInline alone has extraModules too (the inline module is among the refs): the fallback is never taken', 'ClanModuleGraph.joinExtraModules'),
  eq(G, 'OptionalChaining', 'r.extraModules?.find', 'r.extraModules.find', EVALUABLE, 'ClanModuleGraph.evaluatedExtraModules'),
  eq(G, 'LogicalOperator', '!part || !at', '!part && !at', EVALUABLE, 'ClanModuleGraph.evaluatedExtraModules'),
  eq(L, 'LogicalOperator', "set.file !== flakeFile || set.def.path.join('.') !== `outputs.${output}`", "set.file !== flakeFile && set.def.path.join('.') !== `outputs.${output}`", OUTPUTS_PATH, 'ModuleLookup.outputModules'),
  eq(L, 'ConditionalExpression', 'set.file !== flakeFile', 'false', OUTPUTS_PATH, 'ModuleLookup.outputModules'),
  eq(L, 'ConditionalExpression', "set.def.path.join('.') !== `outputs.${output}`", 'false', OUTPUTS_PATH, 'ModuleLookup.outputModules'),
  eq(G, 'ArrayDeclaration', '[]', '["Stryker was here"]', JOINED, 'ClanModuleGraph.roleMachinesOf'),
];
