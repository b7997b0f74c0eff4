// Equivalent survivors of rules/generatorFacts.ts and rules/dependencyCycle.ts (see ../equivalent.mjs).
import { eq } from './eq.mjs';

const F = 'server/src/rules/generatorFacts.ts';
const C = 'server/src/rules/dependencyCycle.ts';

export default [
  // caches: what they hold is computed again from the same immutable facts, to the same value
  eq(F, 'BlockStatement', '{ scanned = new Map(); }', '{}', "the scans are keyed by the script object, which a file's new facts replace (never change): kept past the pass, a scan is the one the script would give again (memory only)", 'forgetScannedScripts'),
  eq(F, 'ConditionalExpression', 's === undefined', 'true', 'the script scanned again on every read: decodeNixString and scanShell give the same facts for the same script, and nothing compares scans by identity', 'scriptOf'),
  eq(F, 'StringLiteral', "'computedNames'", '""', "the Symbol's description of an Attached key: each Attached uses a fresh Symbol whatever it is called", '(module)'),
  eq(F, 'ConditionalExpression', 'had?.version === index.version', 'false', "computedNames built again on every call: the same declarations and globs of the same index (callers read d.g and d.glob.test only), and literalsMatching's memo starts empty and fills with the same lists", 'computedNames'),
  eq(F, 'ConditionalExpression', '!found', 'true', "literalsMatching's memo ignored: the declarations of the literal names the pattern matches are looked up again in the same clan.byName, in the same order", 'literalsMatching'),
  // lookups whose other branch gives the same result
  eq(F, 'ConditionalExpression', 'g.name.name !== null', 'true', 'for a computed name clan.byName.get(null) is undefined, so `?? [g]` gives [g], what the other branch gives', 'declarationsOf'),
  eq(F, 'ArrayDeclaration', '[g]', '[]', "the fallback of clan.byName.get(name) ?? [g], never taken: every declaration with a literal name the rules pass is in clan.byName (from clan.generators, whose literal names the GeneratorIndex lists all, or from byName itself; a part run keeps the whole clan's byName)", 'declarationsOf'),
  eq(F, 'ConditionalExpression', 'd.g !== g', 'true', "a computed-name generator reaches mergedDeclarations only with a script (scriptedGenerators, unknownInput's inputReadsOf, missingOutput), so `scripted && d.script` filters it out of its own others; a literal g is never among the computed-name declarations", 'mergedDeclarations'),
  eq(F, 'ConditionalExpression', '!others.length', 'false', 'a shortcut: with no others, filtering the empty list leaves it empty and possible is every declaration of the name all the same (machineModel is built lazily, the same model)', 'mergedDeclarations'),
  eq(F, 'ConditionalExpression', 'named.length === 1 && !others.length', 'false', "a shortcut: without it a name declared once with no others gets certain = named (not more than one) and possible = named (no others) all the same, after asking the machine model (built lazily, the same model) for machines it does not use", 'mergedDeclarations'),
  eq(F, 'ConditionalExpression', 'named.length > 1', 'true', "a shortcut: a name's one declaration is g itself (declarationsOf gives byName's list, which holds g, or [g]), and onMachinesOf keeps g (sameMachine of its machines with themselves, or with none); the machine model it asks is the one the rules read anyway (built lazily, the same model)", 'mergedDeclarations'),
  eq(F, 'EqualityOperator', 'named.length > 1', 'named.length >= 1', "a shortcut: a name's one declaration is g itself (declarationsOf gives byName's list, which holds g, or [g]), and onMachinesOf keeps g (sameMachine of its machines with themselves, or with none); declarationsOf never gives an empty list", 'mergedDeclarations'),
  // a computed generator name always has a pattern with a '*'
  eq(F, 'StringLiteral', "'*'", '""', "the fallback of g.name.pattern ?? '*', never taken: a computed name always has a pattern ('*' at least, syntax.ts nameRefOf; the evaluator's names are literal or contain '*'); the '*' of globsMeet and filesOfDeclarations are killed", 'mergedDeclarations'),
  eq(F, 'StringLiteral', "'?'", '""', "the fallback of g.name.name ?? g.name.pattern ?? '?', never taken: a generator has a literal name or a pattern ('*' at least, syntax.ts nameRefOf)", 'nameOf'),
  eq(F, 'ConditionalExpression', 'pa.length === 1', 'false', "globsMeet compares the patterns of two computed names (mergedDeclarations), each with a '*' (syntax.ts stringPattern puts one for each interpolation, nameRefOf '*' for the rest): a pattern without one never comes, so the general case below decides as the Glob would", 'globsMeet'),
  eq(F, 'ConditionalExpression', 'pb.length === 1', 'false', "globsMeet compares the patterns of two computed names (mergedDeclarations), each with a '*' (syntax.ts stringPattern puts one for each interpolation, nameRefOf '*' for the rest): a pattern without one never comes, so the general case below decides as the Glob would", 'globsMeet'),
  eq(F, 'ConditionalExpression', "g.origin !== 'module'", 'false', 'registry declarations (facts/file.ts, model/evaluatedFacts.ts registryGenerators) have no script, so scriptOf gives null and nothing is yielded for them either way', 'scriptedGenerators'),
  // dependencyCycle: edges that can lie on no cycle
  eq(C, 'ConditionalExpression', 'from === null', 'false', 'an edge from a computed-name generator: its node (null) has no edge into it (a dependency on a computed name, null, is skipped below), so it is on no cycle and findCycles reports the same cycles', '(class).check'),
  eq(C, 'ConditionalExpression', 'dep.name === null', 'false', "!clan.byName.has(null) is true, so a dependency on a computed name is skipped all the same", '(class).check'),
  eq(C, 'ConditionalExpression', 'dep.name === null || !clan.byName.has(dep.name)', 'false', "an edge to an undeclared name or to null: no generator declares it, so no edge leaves it (every literal name of clan.generators is in clan.byName) and it is on no cycle; edges from null are skipped above", '(class).check'),
  eq(C, 'LogicalOperator', 'dep.name === null || !clan.byName.has(dep.name)', 'dep.name === null && !clan.byName.has(dep.name)', 'an edge to an undeclared name: no generator declares it, so no edge leaves it (every literal name of clan.generators is in clan.byName) and it is on no cycle', '(class).check'),
];
