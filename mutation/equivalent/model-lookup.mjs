// Equivalent survivors of the model folder in moduleLookup.ts, clanParts.ts, clanCoreToggles.ts and clanModel.ts (see ../equivalent.mjs).
import { eq } from './eq.mjs';

const L = 'server/src/model/moduleLookup.ts';
const P = 'server/src/model/clanParts.ts';
const T = 'server/src/model/clanCoreToggles.ts';
const M = 'server/src/model/clanModel.ts';
const NODES = 'every node of a machine has facts but inline ones (`<file>#<i>`, `<file>#@<l>:<c>`, # past 0), as a Nix path literal cannot hold #: !factsOf(node) alone decides; a flake module definition without # is a path, and that path less its last character is no analysed .nix file';
const NO_FILE = "a node that names no file has no facts: it brings no imports and no generators, as no node; importsOf's `?? []` are never taken (an inline node's file and flake module have their imports list)";
const EMPTY = 'an input\'s attribute path arrives unquoted (nixosModules."installer" as nixosModules.installer), and in inside() the empty relative path passes the other test too (it neither starts with .. nor is absolute)';
const INLINE_FACTS = "an inline node is made from its file's facts (modules read, flakeModules[i] one of them, alias an index too), so each step exists";

export default [
  eq(M, 'ConditionalExpression', '!this.list', 'true', "the list of every generator made again on each read: the same generators in the same order from the same byFile (a cache; nothing keys a result by that list's identity)", 'GeneratorIndex.generators'),
  eq(M, 'ConditionalExpression', 'c.g.name.pattern === null', 'false', "a computed name always has a pattern ('*' at least, syntax.ts nameRefOf; the evaluator's names are literal or contain '*'): the test of null is never true", 'GeneratorIndex.namePatterns'),
  eq(M, 'ConditionalExpression', 'g.name.pattern === null', 'false', "a computed name always has a pattern ('*' at least, syntax.ts nameRefOf; the evaluator's names are literal or contain '*'): the test of null is never true", 'GeneratorIndex.setFile'),
  eq(M, 'StringLiteral', "'*'", '""', "the fallback of g.name.pattern ?? '*' for a computed name, never taken: a computed name always has a pattern ('*' at least, syntax.ts nameRefOf; the evaluator's names are literal or contain '*')", 'GeneratorIndex.computed'),
  eq(L, 'LogicalOperator', 'own || inside(this.root, file)', 'own && inside(this.root, file)', "outside.read answers null for a file of the clan that is not analysed too: it reads only below an input's source or a shipped summary's root", 'ModuleLookup.factsOf'),
  eq(L, 'ConditionalExpression', '!this.outsideFiles.has(file)', 'true', "a cache: an input's file read again gives the same facts", 'ModuleLookup.factsOf'),
  eq(L, 'ConditionalExpression', '!f', 'false', 'a file that cannot be read is then kept as null, which every caller treats as undefined (truthiness, ?.)', 'ModuleLookup.factsOf'),
  eq(L, 'LogicalOperator', 'hash > 0 && !this.factsOf(node)', 'hash > 0 || !this.factsOf(node)', NODES, ['ModuleLookup.fileOfNode', 'ModuleLookup.importsOf']),
  eq(L, 'ConditionalExpression', 'hash > 0', 'true', NODES, ['ModuleLookup.fileOfNode', 'ModuleLookup.flakeModule', 'ModuleLookup.importsOf', 'ModuleLookup.show']),
  eq(L, 'EqualityOperator', 'hash > 0', 'hash >= 0', 'nodes and definitions are absolute paths: a # is never at index 0', ['ModuleLookup.fileOfNode', 'ModuleLookup.flakeModule', 'ModuleLookup.importsOf', 'ModuleLookup.show']),
  eq(L, 'LogicalOperator', 'hash > 0 && this.factsOf(d.slice(0, hash))', 'hash > 0 || this.factsOf(d.slice(0, hash))', 'with no # the definition is a path, and that path less its last character is no analysed .nix file, so it goes to moduleAt either way', 'ModuleLookup.flakeModule'),
  eq(L, 'ArrayDeclaration', '[]', '["Stryker was here"]', NO_FILE, ['ModuleLookup.computedFlakeModule', 'ModuleLookup.flakeModule', 'ModuleLookup.importsOf', 'ModuleLookup.resolveRef']),
  eq(L, 'StringLiteral', "''", '"Stryker was here!"', EMPTY, ['ModuleLookup.resolveRef', 'inside']),
  eq(L, 'ConditionalExpression', "rel === ''", 'false', EMPTY, 'inside'),
  eq(L, 'OptionalChaining', 'this.factsOf(inline.file)?.modules?.imports', 'this.factsOf(inline.file)?.modules.imports', INLINE_FACTS, 'ModuleLookup.importsOf'),
  eq(L, 'OptionalChaining', 'this.factsOf(inline.file)?.modules', 'this.factsOf(inline.file).modules', INLINE_FACTS, 'ModuleLookup.importsOf'),
  eq(L, 'OptionalChaining', 'this.factsOf(node.slice(0, hash))?.modules?.flakeModules[Number(node.slice(hash + 1))]?.imports', 'this.factsOf(node.slice(0, hash))?.modules?.flakeModules[Number(node.slice(hash + 1))].imports', INLINE_FACTS, 'ModuleLookup.importsOf'),
  eq(L, 'OptionalChaining', 'this.factsOf(node.slice(0, hash))?.modules?.flakeModules', 'this.factsOf(node.slice(0, hash))?.modules.flakeModules', INLINE_FACTS, 'ModuleLookup.importsOf'),
  eq(L, 'OptionalChaining', 'this.factsOf(node.slice(0, hash))?.modules', 'this.factsOf(node.slice(0, hash)).modules', INLINE_FACTS, 'ModuleLookup.importsOf'),
  eq(L, 'OptionalChaining', 'this.factsOf(node)?.modules', 'this.factsOf(node).modules', 'importsOf is asked only for nodes of a machine, and a file node is one because it has facts', 'ModuleLookup.importsOf'),
  eq(L, 'OptionalChaining', 'this.factsOf(file)?.modules?.flakeModules[i]?.name', 'this.factsOf(file)?.modules?.flakeModules[i].name', INLINE_FACTS, 'ModuleLookup.show'),
  eq(L, 'OptionalChaining', 'this.factsOf(file)?.modules?.flakeModules', 'this.factsOf(file)?.modules.flakeModules', INLINE_FACTS, 'ModuleLookup.show'),
  eq(L, 'OptionalChaining', 'this.factsOf(file)?.modules', 'this.factsOf(file).modules', INLINE_FACTS, 'ModuleLookup.show'),
  eq(L, 'ConditionalExpression', '!path.isAbsolute(node)', 'false', "a via text (clan.machines.a (flake.nix), instance 'x' (role r)) is under no input and relative to the clan it is itself: shown unchanged", 'ModuleLookup.show'),
  eq(L, 'StringLiteral', "'/'", '""', `no node but clan-core's unread ones starts with the reserved name ${"'/clan-vars-known/clan-core (not read)'"}`, 'ModuleLookup.show'),
  eq(P, 'StringLiteral', "'.'", '""', 'the key only tells parts apart: the prefixes (inventory, inventory.instances, inventory.machines, machines, imports) joined without dots still differ', 'clanPieces'),
  eq(P, 'BooleanLiteral', 'true', 'false', "every file with modules is a piece of its own already, whose flake modules are read; a part's reading adds none (flake.* and nixosModules.* are not clan options)", 'clanPieces'),
  eq(P, 'MethodExpression', 'parts.slice(0, -1)', 'parts', "the last part is the file's own name, and the files the model reads are named *.nix (the scan reads no other; only an editor document set to Nix by hand could be named test, tests or checks with no extension, which no clan names a file of its configuration)", 'isTestFile'),
  eq(P, 'ConditionalExpression', "parts[0] === '..'", 'false', "a clan is given only its files below its root (WorkspaceIndex.filesOf): the path relative to it never starts with '..'", 'isTestFile'),
  eq(P, 'StringLiteral', "'..'", '""', "a clan is given only its files below its root (WorkspaceIndex.filesOf): the path relative to it never starts with '..'", 'isTestFile'),
  eq(P, 'ConditionalExpression', "!file.includes('test') && !file.includes('checks')", 'false', 'the shortcut only saves splitting the path: a path naming neither word has no test folder or name, so the full check answers false too', 'isTestFile'),
  eq(P, 'StringLiteral', "'test'", '""', 'every path includes the empty string, so the shortcut is never taken and the full check answers', 'isTestFile'),
  eq(P, 'StringLiteral', "'checks'", '""', 'every path includes the empty string, so the shortcut is never taken and the full check answers', 'isTestFile'),
  eq(P, 'BooleanLiteral', 'false', 'true', "a clan is given only its files below its root (WorkspaceIndex.filesOf): the path relative to it never starts with '..'", 'isTestFile'),
  eq(T, 'ArrayDeclaration', '[]', '["Stryker was here"]', 'a string in place of a machine module or a definition has no ranges and no option: find and the filter by option skip it', 'toggleDefinitions'),
  eq(T, 'MethodExpression', 'mm.ranges?.some((r) => contains(r, d.range.start))', 'mm.ranges?.every(r => contains(r, d.range.start))', "a file writes one machine's module in one binding (Nix rejects a second machines.<m> = { ... } in a set, and a dotted machines.<m>.x is not a machine module), so ranges has one element", 'toggleDefinitions'),
  eq(T, 'ObjectLiteral', '{ on: false }', '{}', "the machine model reads an answer by 'unknown' in it and then answer.on: {} is off just the same", 'clanCoreToggles'),
  eq(T, 'ObjectLiteral', '{ on: false }', '{}', "the machine model reads an answer by 'unknown' in it and then answer.on: {} is off just the same", 'zerotier'),
  eq(T, 'LogicalOperator', 'x.generator === g.name.name && g.file.endsWith(path.sep + x.module)', 'x.generator === g.name.name || g.file.endsWith(path.sep + x.module)', 'toggleChain is asked only for declarations clanCoreToggles gave a machine: the name and the file of one TOGGLED entry, both match or neither', 'toggleChain'),
  eq(T, 'ConditionalExpression', 'x.generator === g.name.name && g.file.endsWith(path.sep + x.module)', 'true', 'toggleChain is asked only for declarations clanCoreToggles gave a machine: the name and the file of one TOGGLED entry, both match or neither', 'toggleChain'),
  eq(T, 'ConditionalExpression', 'x.generator === g.name.name', 'true', 'toggleChain is asked only for declarations clanCoreToggles gave a machine: the name and the file of one TOGGLED entry, both match or neither', 'toggleChain'),
  eq(T, 'ConditionalExpression', '!g.file.endsWith(path.sep + ZEROTIER.module)', 'false', 'toggleChain is asked only for declarations clanCoreToggles gave a machine: past the TOGGLED ones, only the zerotier module\'s', 'toggleChain'),
  eq(T, 'ConditionalExpression', '!g', 'true', 'a cache: each machine then gets an equal declaration of its own; no reader compares them by identity', 'unread'),
  eq(T, 'BooleanLiteral', 'true', 'false', 'evaluated: every reader ORs it with filesUnknown (true here), or reads it for shared generators or scripts, which this declaration has neither', 'unread'),
  eq(T, 'ObjectLiteral', '{ start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }', '{}', "the declaration's file is clan-core's, not read: no position in it is looked up or shown", 'unread'),
  eq(T, 'ObjectLiteral', '{ line: 0, character: 0 }', '{}', "the declaration's file is clan-core's, not read: no position in it is looked up or shown", 'unread'),
  eq(L, 'ConditionalExpression', '!r', 'true', "argImport's cache per place an import is written: evaluated again, the same specialArgs and the same files on disk give the same paths or reason (the lookup lives for one build of the module graph)", 'ModuleLookup.argImport'),
  // clanModel.ts, the generator index (test/unit/model-generator-index.test.ts checks it against a fresh index over random edits)
  ...[
    ['ObjectLiteral', '{ namesVersion: 0, byQuery: new Map<string, Closest | null>() }', '{}', 'GeneratorIndex.suggestions'],
    ['ConditionalExpression', 'this.suggestions.namesVersion !== this.namesVersion', 'true', 'GeneratorIndex.closestName'],
    ['ConditionalExpression', '!memo.has(name)', 'true', 'GeneratorIndex.closestName'],
    ['ConditionalExpression', 'memo.size >= 1024', 'true', 'GeneratorIndex.closestName'],
    ['ConditionalExpression', 'memo.size >= 1024', 'false', 'GeneratorIndex.closestName'],
    ['EqualityOperator', 'memo.size >= 1024', 'memo.size > 1024', 'GeneratorIndex.closestName'],
    ['EqualityOperator', 'memo.size >= 1024', 'memo.size < 1024', 'GeneratorIndex.closestName'],
  ].map(([mutator, original, replacement, where]) => eq(M, mutator, original, replacement, "the memo of name suggestions (its first state, when it is dropped, how much it keeps): closest() of the same names gives the same answer, kept or made again", where)),
  ...[
    ['ConditionalExpression', 'd.dir === null', 'false'],
    ['ArrayDeclaration', '[]', '["Stryker was here"]'],
  ].map(([mutator, original, replacement]) => eq(M, mutator, original, replacement, "the discover folders are tested with a file's absolute folder (path.dirname of an absolute path): a null, an undefined or a relative name in the set is never that", 'GeneratorIndex.constructor')),
  ...[
    ['ConditionalExpression', 'evaluation === this.evaluation && understood === this.registryUnderstood', 'false'],
    ['ConditionalExpression', '!closes', 'false'],
    ['ConditionalExpression', "facts.opaqueGeneratorSources.some((o) => o.importTarget === this.generatorsFile)", 'true'],
    ['MethodExpression', "facts.opaqueGeneratorSources.some((o) => o.importTarget === this.generatorsFile)", 'facts.opaqueGeneratorSources.every(o => o.importTarget === this.generatorsFile)'],
    ['ConditionalExpression', 'o.importTarget === this.generatorsFile', 'true'],
  ].map(([mutator, original, replacement]) => eq(M, mutator, original, replacement, "useRegistry's shortcuts: more files set again with the facts they have, which leaves every answer of the index as it was (only its version moves, and a moved version only makes a reader compute again)", 'GeneratorIndex.useRegistry')),
  eq(M, 'ArrayDeclaration', '[]', '["Stryker was here"]', "fileOrder's `?? []`, never taken: every generator it orders is listed under its file in byFile", 'GeneratorIndex.fileOrder'),
  eq(M, 'LogicalOperator', 'this.byFile.get(a.file) ?? []', 'this.byFile.get(a.file) && []', "fileOrder's `?? []`, never taken: every generator it orders is listed under its file in byFile", 'GeneratorIndex.fileOrder'),
  eq(M, 'LogicalOperator', 'this.byFile.get(b.file) ?? []', 'this.byFile.get(b.file) && []', "fileOrder's `?? []`, never taken: every generator it orders is listed under its file in byFile", 'GeneratorIndex.fileOrder'),
  eq(M, 'ConditionalExpression', 'g.name.name !== null', 'true', 'byName has no null key: a removal under a null name finds no list and changes nothing', 'GeneratorIndex.setFile'),
  eq(M, 'ConditionalExpression', 'd.name !== null', 'true', 'dependents is read only with the names of generators (strings): a null key, added or looked up, is never read', 'GeneratorIndex.setFile'),
  eq(M, 'ConditionalExpression', 'file === this.registryFile', 'true', "the registry's evaluated generators given to every file are taken out again for every other file by `counted` (registry entries count only in the registry file)", 'GeneratorIndex.setFile'),
  eq(M, 'ConditionalExpression', '!list', 'false', "remove's test of a missing list, never true: a generator the index removes was added under that key", 'remove'),
  eq(M, 'BooleanLiteral', 'false', 'true', "remove's answer for a missing list, never given: a generator the index removes was added under that key", 'remove'),
  eq(M, 'ConditionalExpression', 'i >= 0', 'true', 'a generator the index removes is in its list: indexOf is never -1', 'remove'),
];
