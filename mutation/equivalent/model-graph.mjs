// Equivalent survivors of the model folder in moduleGraph.ts (see ../equivalent.mjs).
import { eq } from './eq.mjs';

const G = 'server/src/model/moduleGraph.ts';

export default [
  eq(G, 'Regex', '/^\\+(\\d+) more$/', '/^\\+(\\d+) more/', 'unknowns[20] only ever holds the "+N more" addReason writes there: the end anchor never turns a match away', '(module)'),
  eq(G, 'Regex', '/^\\+(\\d+) more$/', '/\\+(\\d+) more$/', 'unknowns[20] only ever holds the "+N more" addReason writes there: the start anchor never turns a match away', '(module)'),
  eq(G, 'StringLiteral', "''", '"Stryker was here!"', "none of these texts is a count, a via or a node: MORE finds no count in it (the first '+1 more' either way), every ref is entered with its via, and a definition with a target is filtered out as no node of the machine", ['ClanModuleGraph.chainTo', 'ClanModuleGraph.followImports', 'addReason']),
  eq(G, 'ArrayDeclaration', '[]', '["Stryker was here"]', 'the string is no input, node, file, tag or computed set anything reads: it has no imports, no class, no tag, no target; the other sites cannot be reached (a role with extraInline has extraModules; moduleAt gives files or a reason)', ['(module)', 'ClanModuleGraph.chainTo', 'ClanModuleGraph.constructor', 'ClanModuleGraph.followImports', 'ClanModuleGraph.instanceService', 'ClanModuleGraph.joinExtraModules', 'ClanModuleGraph.joinInstance', 'ClanModuleGraph.machinesAt', 'ClanModuleGraph.readPiece', 'ClanModuleGraph.serviceBindingsAt']),
  eq(G, 'ArrowFunction', '() => null', '() => undefined', 'without flake inputs, what read and moduleGenerators answer is only tested for truth (if (!f), names && ...)', ['declaresGenerators', 'moduleGenerators', 'read']),
  eq(G, 'ConditionalExpression', '!list.includes(file)', 'true', "every list addTo builds is read as a set: a machine is added to a file or node once, and a module or service defined twice at one target gives a file the closure's parents map takes once", 'addTo'),
  eq(G, 'ConditionalExpression', 'this.files.has(f)', 'true', "a machine file that does not exist (a template's path, configuration.nix) declares and imports nothing: its node changes no machine's generators, chains or reasons", ['ClanModuleGraph.addMachineFolderEntries', 'ClanModuleGraph.readPiece']),
  eq(G, 'OptionalChaining', 'this.machineInfo.get(m)?.cls', 'this.machineInfo.get(m).cls', "the entries are made from machineInfo's keys: every machine has its info", 'ClanModuleGraph.addMachineFolderEntries'),
  eq(G, 'OptionalChaining', 'this.machines.get(m)?.files', 'this.machines.get(m).files', 'folderMachine answers only machines of machineInfo, each of which followImports gave its closure', 'ClanModuleGraph.addFolderFiles'),
  eq(G, 'OptionalChaining', 'this.machines.get(machine)?.files', 'this.machines.get(machine).files', "past chainTo's check of the machine's chain the machine has its closure: followImports sets both", 'ClanModuleGraph.chainTo'),
  eq(G, 'OptionalChaining', '(this.positions.get(file) ?? this.external.get(file))?.modules', '(this.positions.get(file) ?? this.external.get(file)).modules', "machinesAt and serviceBindingsAt are asked about declarations' and reads' files, all of them the clan's files useFiles sets", ['ClanModuleGraph.machinesAt', 'ClanModuleGraph.serviceBindingsAt']),
  eq(G, 'ConditionalExpression', '!e', 'false', "every clan.machines.<m> the clan's files name is one of its machines (discoverMachines), so has its entry", 'ClanModuleGraph.readPiece'),
  eq(G, 'ConditionalExpression', '!parents', 'false', 'chainTo is asked only for machines of the model, each of which followImports gave its chain', 'ClanModuleGraph.chainTo'),
  eq(G, 'ConditionalExpression', 'reason', 'true', 'a hint kept under null is asked about by no reason: hintOf is given reason texts', 'ClanModuleGraph.instanceService'),
  eq(G, 'ConditionalExpression', '!r.extraModules?.length && !r.extraInline?.length', 'false', 'a role without extraModules adds nothing: both loops over them and the inline ones are empty', 'ClanModuleGraph.joinExtraModules'),
  eq(G, 'ConditionalExpression', 'file', 'true', "an instance without a file is inventory.json's, whose roles have no extraModules (readInventoryJson reads none): the check at the loop's head skipped it", 'ClanModuleGraph.joinExtraModules'),
  eq(G, 'ConditionalExpression', 'u.name !== undefined', 'true', "every 'machine' part is made with the machine's name (modulePaths.ts)", 'ClanModuleGraph.addUnreadable'),
  eq(G, 'OptionalChaining', 'ref?.input', 'ref.input', 'take is given a reason only with the ref it came from (files come without one and return before)', 'take'),
  eq(G, 'ConditionalExpression', 'd.target === null', 'true', 'a definition with a target is a path (nothing is written inside it) whose node is the target: <file>#<i> of it is no node and has no machines', ['ClanModuleGraph.chainTo', 'ClanModuleGraph.machinesAt']),
  eq(G, 'ConditionalExpression', 'n && parents.has(n)', 'true', "chainTo is asked for the machines machinesAt gives at that position: those have the inline module holding it, and the other modules are filtered out by the position", 'ClanModuleGraph.chainTo'),
  eq(G, 'LogicalOperator', 'n && parents.has(n)', 'n || parents.has(n)', "chainTo is asked for the machines machinesAt gives at that position: those have the inline module holding it, and the other modules are filtered out by the position", 'ClanModuleGraph.chainTo'),
  eq(G, 'Regex', '/\\.nix$/', '/\\.nix/', "a machine's name is its host name (NixOS's networking.hostName takes no '.'), so a machine's file name holds '.nix' only at its end", 'folderMachine'),
  eq(G, 'ConditionalExpression', "parts[0] === '..'", 'false', "folderMachine is asked only about the clan's own files, all inside its root", 'folderMachine'),
  eq(G, 'StringLiteral', "'..'", '""', "folderMachine is asked only about the clan's own files, all inside its root", 'folderMachine'),
  eq(G, 'EqualityOperator', 'i + 1 < parts.length', 'i + 1 <= parts.length', "the last part is a file's name (.nix), never 'machines' or 'hosts': the loop's step past it reads nothing", 'folderMachine'),
  eq(G, 'ArithmeticOperator', 'i + 1', 'i - 1', "in the loop's bound: the last part is a file's name (.nix), never 'machines' or 'hosts', so the steps past it read nothing", 'folderMachine'),
];
