// Equivalent survivors of the options a plain module's conditions read (facts/generatorConditions.ts
// conjunction, which the settings' tests share, optionPath, letBound; model/optionValues.ts) and of an
// instance role's computed extraModules (moduleGraph.ts, moduleLookup.ts outputModules). See ../equivalent.mjs.
import { eq } from './eq.mjs';

const C = 'server/src/facts/generatorConditions.ts';
const V = 'server/src/model/optionValues.ts';
const G = 'server/src/model/moduleGraph.ts';
const L = 'server/src/model/moduleLookup.ts';

const OPERATOR = 'tree-sitter gives every unary and binary expression its operator (a MISSING token in broken text): it is never null';
const ONLY_UNARY_BANG = 'only a unary expression has a `!` operator (binary ones have `!=`, a `?` test has `?`), and only a binary one `&&`: for any other node the operator test is false either way';
const SELECT_BASE = "a select always has its expression (a MISSING node in broken text), and one whose base is no variable has no text a let binds (a let's name is one identifier): letBound finds nothing either way";
const SELECT_PARTS = 'a select always has at least one attribute after its dot (tree-sitter: a MISSING one in broken text)';
const FUNCTION_PARAMS = 'parameters() of any node but a function is empty: the test is false either way';
const INHERIT = "an `inherit` has no attrpath field: attrPath gives no parts, so its path's length is not 1 and it is passed over either way";
const EVALUABLE = 'extraModulesEvaluable is set only beside a computed reference among the role\'s extraModules (facts/modules.ts roleExtraModules), so both are there whenever it is';
const CACHE = 'a cache: the option\'s value on the machine, computed again, is the same';
const MACHINES = "conditionsOn asks only of machines the module graph has (the places' machines, graph.machinesAt): mods is never undefined";
const FACTS = 'every file of a machine\'s modules has facts (a node is one only when its facts are read, ModuleLookup.moduleAt): files.get is never undefined, and a file without enableDefs has none';
const OUTPUTS_PATH = "a set of NixOS modules computed in flake.nix that the extraction records is at outputs.nixosModules (plain outputs; flake-parts' flake.nixosModules written in flake.nix is inside mkFlake's argument, not recorded), and one at outputs.nixosModules is in flake.nix: either test alone decides";

export default [
  eq(C, 'ConditionalExpression', "n.type === 'unary_expression'", 'true', ONLY_UNARY_BANG, 'conjunction'),
  eq(C, 'OptionalChaining', "n.childForFieldName('operator')?.text", "n.childForFieldName('operator').text", OPERATOR, 'conjunction'),
  eq(C, 'ConditionalExpression', "n.type === 'binary_expression'", 'true', ONLY_UNARY_BANG, 'conjunction'),
  eq(C, 'ConditionalExpression', "base?.type !== 'variable_expression'", 'false', SELECT_BASE, 'optionPath'),
  eq(C, 'OptionalChaining', 'base?.type', 'base.type', SELECT_BASE, 'optionPath'),
  eq(C, 'LogicalOperator', "base?.type !== 'variable_expression' || !parts.length", "base?.type !== 'variable_expression' && !parts.length", SELECT_PARTS, 'optionPath'),
  eq(C, 'ConditionalExpression', "base?.type !== 'variable_expression' || !parts.length", 'false', `${SELECT_BASE}; ${SELECT_PARTS}`, 'optionPath'),
  eq(C, 'ConditionalExpression', '!parts.length', 'false', SELECT_PARTS, 'optionPath'),
  eq(C, 'ConditionalExpression', "p.type === 'function_expression'", 'true', FUNCTION_PARAMS, 'letBound'),
  eq(C, 'ConditionalExpression', "b.type !== 'binding'", 'false', INHERIT, 'letBound'),
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
];
