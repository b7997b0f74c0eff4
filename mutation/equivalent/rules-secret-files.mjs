// Equivalent survivors of rules/secretFiles.ts (see ../equivalent.mjs).
import { eq } from './eq.mjs';

const S = 'server/src/rules/secretFiles.ts';

export default [
  eq(S, 'OptionalChaining', 'clan.registry?.facts', 'clan.registry.facts', "a declaration with origin 'registry' is counted only for the clan's registry file (GeneratorIndex.setFile), made from that file's facts.registry or from evaluation.registry, and buildClanModel then sets clan.registry from mergeRegistry of the same (non-null): it is never null when the branch runs", 'secretOf'),
  // isSecretFileOn's false and null: its one caller (secretValueAccess) reports only a result that is true
  eq(S, 'ConditionalExpression', 'secret === false', 'true', "found becomes false also for a machine where secretOf gives null: the function still returns only false or null there, and its only caller (secretValueAccess) reports a file only when the result is true", 'isSecretFileOn'),
  eq(S, 'ConditionalExpression', 'secret === false', 'false', "found stays null where a machine says false: null and false are both not true, the only result its only caller (secretValueAccess) reports on", 'isSecretFileOn'),
  eq(S, 'EqualityOperator', 'secret === false', 'secret !== false', "reached only when secret is not true, so found becomes false for null and stays null for false: both not true, the only result its only caller (secretValueAccess) reports on", 'isSecretFileOn'),
  eq(S, 'BooleanLiteral', 'false', 'true', "the `secret === true` test is reached only when secret is not true, so found is never set and the function returns null where it returned false: both not true, the only result its only caller (secretValueAccess) reports on (the `found = false` literal's mutant, true, is killed by rules-secret-files)", 'isSecretFileOn'),
];
