// Surviving mutants that are equivalent: no behaviour of clan, Nix or the editor can tell them from
// the code as written. Each entry names the file, Stryker's mutator, the text it replaced and what
// it put there (whitespace does not matter), and the reason in one line. mutation/run.mjs counts a
// survivor that matches an entry as equivalent (outside the score); every other survivor is listed.
const eq = (file, mutator, original, replacement, reason) => ({ file, mutator, original, replacement, reason });

export const EQUIVALENT = [
  eq('server/src/base/pathPrefix.ts', 'ConditionalExpression', 'full.length < prefix.length', 'false',
    'a shorter path then differs at its first missing part: undefined is never a part (a string or null)'),
  eq('server/src/secrets/orderedJson.ts', 'ConditionalExpression', 'i < text.length', 'true',
    'past the end text[i] is undefined, which is no whitespace character: the loop stops there anyway'),
  eq('server/src/secrets/orderedJson.ts', 'EqualityOperator', 'i < text.length', 'i <= text.length',
    'at the end text[i] is undefined, which is no whitespace character: the loop stops there anyway'),
  eq('server/src/secrets/orderedJson.ts', 'EqualityOperator', 'j < text.length', 'j <= text.length',
    'one step past the end changes nothing: slice(i, j) stops at the end of the text'),
  eq('server/src/secrets/ageDecrypt.ts', 'ConditionalExpression', 'keys.length === 0', 'false',
    "with no identity age's decrypter fails with 'no identity matched', which is null as well"),
  eq('server/src/secrets/ageDecrypt.ts', 'ConditionalExpression', 'cached', 'false',
    'a cache miss computes the same recipient again'),
  eq('server/src/secrets/ageDecrypt.ts', 'StringLiteral', "'hex'", '""',
    'the digest as a Buffer makes every cache lookup miss; the recipient computed again is the same'),
  eq('server/src/secrets/sopsKeys.ts', 'ConditionalExpression', 'st.size < 4096', 'true',
    'a larger file is refused by the 4096-byte read that follows, with the same answer (not a link)'),
  eq('server/src/secrets/sopsKeys.ts', 'ConditionalExpression', 'depth > 0', 'false',
    "a group's members are read from its users/ and machines/ only, so a group is never resolved below the top"),
];

const MIGRATION_SCRIPT = 'server/src/ide/migrationScript.ts';
const COMMENT = 'a comment line of the script: what it says to its reader, no step of the run changes';
/** A line of the script (a string literal of migrationScript.ts) emptied. */
const scriptLine = (text, reason = COMMENT) => eq(MIGRATION_SCRIPT, 'StringLiteral', `'${text}'`, '""', reason);

EQUIVALENT.push(
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
  scriptLine('# Carries stored values of clan facts and plain sops-nix secrets over to clan vars.'),
  scriptLine('# No facts or sops-nix secrets of a known machine were found: nothing to move.'),
  scriptLine(' local real', "inside_clan sets real before every use: only the variable's scope changes"),
  eq(MIGRATION_SCRIPT, 'StringLiteral', '`# Written by Clan Vars for the clan in ${shellWord(clan.root)}. Review it, then run it from that directory:`', '``', COMMENT),
  eq(MIGRATION_SCRIPT, 'BooleanLiteral', '!steps.length', 'steps.length', 'it only chooses whether the comment "nothing to move" is written'),
  eq(MIGRATION_SCRIPT, 'ConditionalExpression', '!steps.length', 'true', 'it only chooses whether the comment "nothing to move" is written'),
  eq(MIGRATION_SCRIPT, 'ConditionalExpression', '!steps.length', 'false', 'it only chooses whether the comment "nothing to move" is written'),
  eq(MIGRATION_SCRIPT, 'StringLiteral', "''", '"Stryker was here!"', 'the last line, after exit: bash never reads it'),
);

const LISTS = 'server/src/facts/eval/builtins/lists.ts';
const STRINGS = 'server/src/facts/eval/builtins/strings.ts';
const UTF8 = "'utf8' is Buffer's default encoding";
const BUDGET = "only the work charged to the evaluation's step budget changes; every result is the same until that budget (millions of steps) runs out";
EQUIVALENT.push(
  eq(LISTS, 'StringLiteral', "'/'", '""', "arith takes every operator but +, - and * as division"),
  eq(LISTS, 'ArithmeticOperator', '1 + inner.items.length', '1 - inner.items.length', BUDGET),
  eq(LISTS, 'EqualityOperator', 'count > 10_000_000n', 'count >= 10_000_000n', 'at exactly ten million both charge ten million steps'),
  eq(STRINGS, 'StringLiteral', "'utf8'", '""', UTF8),
  eq(STRINGS, 'ConditionalExpression', "p === ''", 'false', "for '' the general path gives '' too (lastIndexOf finds nothing, the slice is empty)"),
  eq(STRINGS, 'ConditionalExpression', 'last > 0', 'true', "only '/' differs, and both ways give ''"),
  eq(STRINGS, 'EqualityOperator', 'last > 0', 'last >= 0', "only '/' differs, and both ways give ''"),
  eq(STRINGS, 'ConditionalExpression', 'pos === -1', 'false', 'pos + 1 is 0 when pos is -1: the same slice'),
  eq(STRINGS, 'ConditionalExpression', 'from + n > BigInt(text.length)', 'false', 'slice stops at the end of the text anyway'),
  eq(STRINGS, 'EqualityOperator', 'from + n > BigInt(text.length)', 'from + n >= BigInt(text.length)', 'slice stops at the end of the text anyway'),
  eq(STRINGS, 'ArithmeticOperator', 'from + n', 'from - n', 'in the bound check only: slice stops at the end of the text anyway, and the end is from + n'),
  eq(STRINGS, 'ConditionalExpression', '/^[\\x00-\\x7f]*$/.test(text)', 'false', 'the byte path gives the same substring of ASCII text'),
  eq(STRINGS, 'Regex', '/^[\\x00-\\x7f]*$/', '/^[\\x00-\\x7f]$/', 'the byte path gives the same substring of ASCII text'),
);


const ERROR_KIND = "the kind of an error tryEval cannot catch: it catches throw and assert only, and a kind is compared only with another error's of the same place";
EQUIVALENT.push(eq(LISTS, 'StringLiteral', "'error'", '""', ERROR_KIND), eq(STRINGS, 'StringLiteral', "'error'", '""', ERROR_KIND));
