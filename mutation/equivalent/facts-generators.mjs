// Equivalent survivors of the facts folder, generators.ts (see ../equivalent.mjs).
import { eq } from './eq.mjs';

const G = 'server/src/facts/generators.ts';
const COMMENT_SET = 'a comment at the top of a file is no set: topLevelSets gives nothing for it either way (and namedChildren never holds null, so `c ||` is always true)';
const COMMENT_VISIT = 'a comment matches no case of visit (default returns), so visiting it does nothing; namedChildren never holds null, so `||` is always true';
const PATH_THERE = "a binding's attrpath always has at least one name (tree-sitter-nix puts a MISSING identifier where none is written; no broken input of 3,000 fuzzed gave an empty one), so parts[0] is always there";
const NOT_BINDING = 'what bindingsOf gives is a binding, an inherit or an ERROR node; an inherit or an ERROR node has no attrpath, so its path is empty and it is refused (or skipped) as here';
const OWN = "own is read only as rest.length - own <= 1 (fileOrPrompt), with a rest one part shorter than the parts it counts: 0, or -2 under the mutant, both naming the file";
const NO_ARGS = 'on a node that is not a call applyParts gives no arguments, so the arity and argument checks that follow answer as this one does';
const NEVER_NULL = 'resolve of a node is never null: a name leads to a bound value, and parentheses always hold an expression (tree-sitter-nix fills a missing one with a MISSING identifier)';
const SET_OPS = 'the value of clan.core.vars.generators (and each part of it merged) is a set, and // is the only Nix operator that gives one: any other operator there is an error in Nix; no other node has an operator written //';
const MKMERGE = "mkMerge adds no condition (wrapperConds adds mkIf's and optionalAttrs' only), and its argument is a list in Nix (its contents are concatMap'ed), where the loop breaks next; a wrapper's value there is a set, an error in Nix";
const ARITY = "listToAttrs takes one argument and gives a set, map and forEach take two and give a list: with another count Nix fails (a set or a list applied, listToAttrs given a function); forEach with one argument has no second, so no lambda either way";
const BODY_THERE = 'a function always has its body and a let its body (tree-sitter-nix fills a missing one with a MISSING identifier), so body is never null in the loop';

export default [
  // topLevelSets: comments at the top of a set file
  eq(G, 'ConditionalExpression', "c && c.type !== 'comment'", 'true', COMMENT_SET, 'topLevelSets'),
  eq(G, 'LogicalOperator', "c && c.type !== 'comment'", "c || c.type !== 'comment'", COMMENT_SET, 'topLevelSets'),
  eq(G, 'ConditionalExpression', "c.type !== 'comment'", 'true', COMMENT_SET, 'topLevelSets'),
  eq(G, 'StringLiteral', "'comment'", '""', COMMENT_SET, 'topLevelSets'),

  // isGeneratorSetShape
  eq(G, 'ConditionalExpression', "b.type !== 'binding'", 'false', NOT_BINDING, 'isGeneratorSetShape'),
  eq(G, 'OptionalChaining', 'parts[0]?.name', 'parts[0].name', PATH_THERE, 'isGeneratorSetShape'),
  eq(G, 'OptionalChaining', 'value?.type', 'value.type', 'a binding always has its value (tree-sitter-nix puts a MISSING identifier where none is written) and parentheses always hold an expression, so value is never null', 'isGeneratorSetShape'),
  eq(G, 'ConditionalExpression', "c.type === 'binding'", 'true', "an inherit in a generator's set has no attrpath: its first name is undefined, read as '', which is none of a generator's options", 'isGeneratorSetShape'),
  eq(G, 'OptionalChaining', "attrPath(c.childForFieldName('attrpath'))[0]?.name", "attrPath(c.childForFieldName('attrpath'))[0].name", PATH_THERE, 'isGeneratorSetShape'),
  eq(G, 'StringLiteral', "''", '"Stryker was here!"', "the fallback for a computed name: neither '' nor 'Stryker was here!' is one of a generator's options", 'isGeneratorSetShape'),

  // generatorFor: byName never holds null
  eq(G, 'ConditionalExpression', 'name.name !== null', 'true', 'byName is set only for a name that is not null (the check below), so get(null) finds nothing and a new generator is made, as when it is not asked', 'GeneratorReader.generatorFor'),

  // importTarget
  eq(G, 'ConditionalExpression', "node.type !== 'apply_expression'", 'false', NO_ARGS + ': args.length === 0 returns null', 'GeneratorReader.importTarget'),
  eq(G, 'ConditionalExpression', 'args.length === 0', 'false', 'a call always has an argument (the grammar requires it), and with none args[0] would be undefined, which unparen keeps and !p returns null for', 'GeneratorReader.importTarget'),

  // visit
  eq(G, 'ConditionalExpression', "c && c.type !== 'comment'", 'true', COMMENT_VISIT, 'GeneratorReader.visit'),
  eq(G, 'LogicalOperator', "c && c.type !== 'comment'", "c || c.type !== 'comment'", COMMENT_VISIT, 'GeneratorReader.visit'),
  eq(G, 'ConditionalExpression', "c.type !== 'comment'", 'true', COMMENT_VISIT, 'GeneratorReader.visit'),
  eq(G, 'StringLiteral', "'comment'", '""', COMMENT_VISIT, 'GeneratorReader.visit'),
  eq(G, 'ConditionalExpression', "case 'binary_expression': this.visit(n.childForFieldName('left'), path, scope, depth + 1, conds); return this.visit(n.childForFieldName('right'), path, scope, depth + 1, conds);", "case 'binary_expression':", "without its own case a binary expression falls into the list's, which visits its named children: its left and right operands (the operator is an anonymous token, comments are skipped), in that order, with the same path, scope, depth and conditions", 'GeneratorReader.visit'),
  eq(G, 'ConditionalExpression', "e && e.type !== 'comment'", 'true', COMMENT_VISIT, 'GeneratorReader.visit'),
  eq(G, 'LogicalOperator', "e && e.type !== 'comment'", "e || e.type !== 'comment'", COMMENT_VISIT, 'GeneratorReader.visit'),
  eq(G, 'ConditionalExpression', "e.type !== 'comment'", 'true', COMMENT_VISIT, 'GeneratorReader.visit'),
  eq(G, 'ConditionalExpression', 'default: return;', 'default:', 'the last case of the switch: falling off its end returns too', 'GeneratorReader.visit'),

  // visitBinding
  eq(G, 'StringLiteral', "'\\0'", '""', 'a computed part of the path is only compared with fixed names (config, clan, core, vars, generators, machines, flake, modules, a class, an aspect option), none of them empty or NUL, and the machine or module found is used only for its index', 'GeneratorReader.visitBinding'),
  eq(G, 'ArithmeticOperator', 'past.length - 1', 'past.length + 1', OWN, 'GeneratorReader.visitBinding'),

  // valueConds
  eq(G, 'ConditionalExpression', "n.type === 'let_expression'", 'true', 'letScope of a with expression adds nothing (it has no binding set of its own): the scope keeps the same names', 'GeneratorReader.valueConds'),
  eq(G, 'ConditionalExpression', "n.type !== 'apply_expression'", 'false', NO_ARGS + ': !args.length breaks', 'GeneratorReader.valueConds'),
  eq(G, 'ConditionalExpression', "w === 'mkMerge'", 'false', MKMERGE, 'GeneratorReader.valueConds'),
  eq(G, 'StringLiteral', "'mkMerge'", '""', MKMERGE, 'GeneratorReader.valueConds'),

  // generatorSet
  eq(G, 'ConditionalExpression', "b.type !== 'binding'", 'false', 'past the inherits, what bindingsOf gives that is not a binding is an ERROR node, which has no attrpath: partsOf gives no parts and nothing is read', 'GeneratorReader.generatorSet'),
  eq(G, 'ConditionalExpression', 'parts.length', 'true', "a binding's attrpath always has at least one name (tree-sitter-nix puts a MISSING identifier where none is written), so parts is never empty here", 'GeneratorReader.generatorSet'),
  eq(G, 'ArithmeticOperator', 'parts.length - 1', 'parts.length + 1', OWN, 'GeneratorReader.generatorSet'),
  eq(G, 'ConditionalExpression', "n.type === 'apply_expression'", 'true', NO_ARGS + ': both wrapper branches need some', 'GeneratorReader.generatorSet'),
  eq(G, 'OptionalChaining', 'list?.type', 'list.type', NEVER_NULL, 'GeneratorReader.generatorSet'),
  eq(G, 'LogicalOperator', "n.type === 'binary_expression' && n.childForFieldName('operator')?.text === '//'", "n.type === 'binary_expression' || n.childForFieldName('operator')?.text === '//'", SET_OPS, 'GeneratorReader.generatorSet'),
  eq(G, 'ConditionalExpression', "n.type === 'binary_expression'", 'true', SET_OPS, 'GeneratorReader.generatorSet'),
  eq(G, 'ConditionalExpression', "n.childForFieldName('operator')?.text === '//'", 'true', SET_OPS, 'GeneratorReader.generatorSet'),
  eq(G, 'OptionalChaining', "n.childForFieldName('operator')?.text", "n.childForFieldName('operator').text", 'a binary expression always has its operator token (the grammar requires it)', 'GeneratorReader.generatorSet'),

  // patternSet
  eq(G, 'ConditionalExpression', 'args.length === 1', 'true', ARITY, 'GeneratorReader.patternSet'),
  eq(G, 'ConditionalExpression', "list?.type !== 'apply_expression'", 'false', 'applyParts of a value that is not a call gives no arguments: neither map nor forEach matches with two, the lambda stays null and it answers false as here', 'GeneratorReader.patternSet'),
  eq(G, 'OptionalChaining', 'list?.type', 'list.type', NEVER_NULL + ' (args[0] is a node)', 'GeneratorReader.patternSet'),
  eq(G, 'ConditionalExpression', 'm.args.length === 2', 'true', ARITY, 'GeneratorReader.patternSet'),
  eq(G, 'ConditionalExpression', "body?.type !== 'function_expression'", 'false', "a lambda not written as a function gives a pair only as nameValuePair's result or a { name; value; } set, which Nix cannot apply (no __functor): for any other one nameValue finds no pair, and false, either way", 'GeneratorReader.patternSet'),
  eq(G, 'OptionalChaining', 'body?.type', 'body.type', BODY_THERE, 'GeneratorReader.patternSet'),
  eq(G, 'StringLiteral', "'*'", '""', "read only when ref.name is null, and such a name always has a pattern (nameRefOf, scopedName), so the fallback is never used; '' would match /^\\**$/ as '*' does", 'GeneratorReader.patternSet'),

  // generatorField
  eq(G, 'ConditionalExpression', "inner.type === 'variable_expression'", 'true', 'only a variable has the text true or false: a string keeps its quotes, and parentheses are gone (resolve)', 'GeneratorReader.generatorField'),
  eq(G, 'ConditionalExpression', '!d', 'false', 'a list element is a node, and unparen of it is never null (parentheses always hold an expression)', 'GeneratorReader.generatorField'),
  eq(G, 'ConditionalExpression', 'pattern !== null', 'true', "for a dependency that is not a string nameRefOf gives { name: null, pattern: '*', range } (an element is never a bare identifier node), as the else branch does", 'GeneratorReader.generatorField'),

  // bodyBinding
  eq(G, 'ConditionalExpression', "b.type !== 'binding'", 'false', 'past the inherits, what bindingsOf gives that is not a binding is an ERROR node, with no attrpath and no value: generatorBody of a missing value returns at once', 'GeneratorReader.bodyBinding'),
  eq(G, 'OptionalChaining', 'parts[0]?.name', 'parts[0].name', PATH_THERE, 'GeneratorReader.bodyBinding'),
  eq(G, 'ConditionalExpression', 'parts.length', 'true', "parts is empty only for `config = ...` at the generator's top (rest empty): there the value is a container, and via is read only for an option, a file or a prompt, none of which an empty rest is (bodyBinding gives deeper bindings their own via)", 'GeneratorReader.bodyBinding'),

  // unknownValue
  eq(G, 'ConditionalExpression', 'item.name !== null', 'true', 'item is the inherited name itself (rest is files or prompts), and bodyBinding skips an inherited name that is null before it calls unknownValue', 'GeneratorReader.unknownValue'),

  // generatorBody: the scope behind `let` or `with`
  eq(G, 'ConditionalExpression', "n.type === 'let_expression'", 'true', "letScope of a with adds nothing: it reads the binding_set among the node's own children, and a with has none (its children are the set it opens and its body)", 'GeneratorReader.generatorBody'),

  // letBody
  eq(G, 'LogicalOperator', 'unparen(n) ?? n', 'unparen(n) && n', 'n is never in parentheses (resolve and unwrap take them off), so unparen(n) is n itself, never null', 'letBody'),
];
