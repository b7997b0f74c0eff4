// Equivalent survivors of the migration folder (see ../equivalent.mjs).
import { eq } from './eq.mjs';

const MIGRATION_SCRIPT = 'server/src/ide/migrationScript.ts';
const MIGRATION_STEPS = 'server/src/ide/migrationSteps.ts';
const COMMENT = 'a comment line of the script: what it says to its reader, no step of the run changes';
/** A line of the script (a string literal of migrationScript.ts, in its header unless `where` says) emptied. */
const scriptLine = (text, reason = COMMENT, where = '(module)') => eq(MIGRATION_SCRIPT, 'StringLiteral', `'${text}'`, '""', reason, where);

const entries = [
  scriptLine('# bash migrate-to-vars.sh --dry-run # says what it would do; sets nothing'),
  scriptLine('# bash migrate-to-vars.sh # each value goes through a pipe into `clan vars set`'),
  scriptLine('# Run it once the Nix is rewritten (the generators must exist). A var that already has a value'),
  scriptLine('# is left alone; nothing is deleted: remove the old secrets yourself once the machines run on vars.'),
  scriptLine('# It reads only files that resolve (links included) to regular files inside the directory it runs'),
  scriptLine('# from. A step it does not take is listed as "refused:" or "by hand:", and the run then exits 1.'),
  scriptLine('# inside_clan FILE: 0 when FILE resolves (links included) to a regular file inside $root,'),
  scriptLine('# 1 when it resolves outside $root, 2 when it does not resolve to a regular file'),
  scriptLine('# move MACHINE GENERATOR/FILE DESCRIPTION FILE COMMAND...: COMMAND prints the old value on stdout;'),
  scriptLine('# the file it reads, FILE, is checked with inside_clan first'),
  scriptLine('# move_if_stored MACHINE GENERATOR/FILE DESCRIPTION FILE COMMAND...: a fact of a generator none of whose'),
  scriptLine('# facts was stored when the script was written (it never ran, or is off on that machine): moved when'),
  scriptLine('# FILE exists, else there is nothing to move'),
  scriptLine('# by_hand MACHINE GENERATOR/FILE WHY: a value the script does not read; move it yourself'),
  scriptLine('# refused STEP WHY: a step not taken, its machine or var name is one clan or a shell could misread'),
  scriptLine('# Carries stored values of clan facts and plain sops-nix secrets over to clan vars.', COMMENT, 'migrationScript'),
  scriptLine(' local real', "inside_clan sets real before every use: only the variable's scope changes"),
  eq(MIGRATION_SCRIPT, 'StringLiteral', '`# Written by Clan Vars for the clan in ${shellWord(clan.root)}. Review it, then run it from that directory:`', '``', COMMENT, 'migrationScript'),
  eq(MIGRATION_SCRIPT, 'StringLiteral', "''", '"Stryker was here!"', 'the last line, after exit: bash never reads it', 'migrationScript'),
  // migrationSteps.ts
  eq(MIGRATION_STEPS, 'ArrayDeclaration', '[]', '["Stryker was here"]', "only for a machine the model does not have (never: each comes from machinesOfFile); the one element names no file of the clan, so clan.files.get misses it and nothing is added", 'defaultSopsFileOf'),
  eq(MIGRATION_STEPS, 'ConditionalExpression', 'o.path.length === 1', 'true', 'migrateFact is a string (nullOr str): clan rejects any option below it, so no option path starting with migrateFact runs on', 'migrationSteps'),
  eq(MIGRATION_STEPS, 'ConditionalExpression', 'o.path.length === 3', 'true', 'files.<f>.secret and prompts.<p>.persist (createFile) are booleans: clan rejects any option below them, and a shorter path has no third part', 'migrationSteps'),
  ...["o.path[2] === 'persist' || o.path[2] === 'createFile'", "o.path[2] === 'persist'", "o.path[2] === 'createFile'"].map((t) =>
    eq(MIGRATION_STEPS, 'ConditionalExpression', t, 'true', "persist and createFile (its name until 2025-01) are a prompt's only booleans at that depth: description and type are strings, display.* one deeper", 'migrationSteps'),
  ),
  ...[
    ['EqualityOperator', 'a.varId < b.varId', 'a.varId <= b.varId'],
    ['ConditionalExpression', 'a.varId > b.varId', 'true'],
    ['EqualityOperator', 'a.varId > b.varId', 'a.varId >= b.varId'],
  ].map(([mutator, original, replacement]) => eq(MIGRATION_STEPS, mutator, original, replacement, 'no two steps share machine and var (deduplicated just before the sort): the comparator never compares equal ones', 'migrationSteps')),
  ...[
    ['ConditionalExpression', 'false'],
    ['EqualityOperator', 'a.varId <= b.varId'],
  ].map(([mutator, replacement]) => eq(MIGRATION_STEPS, mutator, 'a.varId > b.varId', replacement, "it answers 0 instead of 1 for a greater var, and V8's sort (TimSort) only asks whether the answer is below 0: both sort alike", 'migrationSteps')),
  eq(MIGRATION_STEPS, 'MethodExpression', '[...machines.machines.keys()].sort()', '[...machines.machines.keys()]', "the machine model's machines are sorted by name already (discoverMachines; the incremental models only replace machines it has)", 'migrationSteps'),
  eq(MIGRATION_STEPS, 'ConditionalExpression', "parts.includes('..')", 'false', "no path reaches it with a '..' part past its first: a sops file's is path.relative's (normalized), and names with '/' or '..' are refused before a clan secret or public fact is read", 'ClanFiles.readProblem'),
  eq(MIGRATION_STEPS, 'StringLiteral', `"its path has a '..' part"`, '""', "no path reaches it with a '..' part past its first: a sops file's is path.relative's (normalized), and names with '/' or '..' are refused before a clan secret or public fact is read", 'ClanFiles.readProblem'),
];
entries.push(
  eq(MIGRATION_STEPS, 'OptionalChaining', 'machines.machines.get(m)?.modules', 'machines.machines.get(m).modules', "m is a machine of the model: sopsSecret asks for the machines of the file (machinesOfFile), each one it has", 'defaultSopsFileOf'),
  eq(MIGRATION_STEPS, 'OptionalChaining', 'clan.files.get(file)?.legacySecrets', 'clan.files.get(file).legacySecrets', "file is one of the clan's: a file of clan.files with sops-nix secrets, or the file of a generator our fixes moved (its comment is in the clan's own file)", 'sopsSecret'),
);
export default entries;
