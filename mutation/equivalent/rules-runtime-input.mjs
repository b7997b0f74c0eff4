// Equivalent survivors of rules/missingRuntimeInput.ts (see ../equivalent.mjs).
import { eq } from './eq.mjs';

const M = 'server/src/rules/missingRuntimeInput.ts';

export default [
  eq(M, "StringLiteral", "'.'", "\"\"", "the fallback of t.match is never taken: this branch needs head to start with pkgs. and t starts with head, so the match holds at least 'pkgs'", "runtimeInputs"),
  eq(M, "ArrayDeclaration", "[]", "[\"Stryker was here\"]", "the fallback of t.match is never taken: /^\\(?\\s*pkgs\\./ matched t, so the match holds at least 'pkgs'", "runtimeInputs"),
  eq(M, "ConditionalExpression", "DOTTED.test(head) && head.startsWith('pkgs.')", "false", "an entry whose head starts with pkgs. (t starts with head) passes the next test /^\\(?\\s*pkgs\\./ too, which pushes the same t.match (never null: t holds 'pkgs')", "runtimeInputs"),
  eq(M, "MethodExpression", "head.startsWith('pkgs.')", "head.endsWith('pkgs.')", "a head that passes DOTTED ends in a name character, never in 'pkgs.', so every entry goes on to /^\\(?\\s*pkgs\\./, which pushes the same t.match for a head starting with pkgs.", "runtimeInputs"),
  eq(M, "ArrayDeclaration", "[]", "[\"Stryker was here\"]", "writtenOutputs skips every mention whose variable is not 'out' (a string's .variable is undefined), so a list holding a string gives null exactly when an empty one does", "(class).check"),
  eq(M, "Regex", "/\\*$/", "/\\*/", "packagesOf only returns COMMAND_PACKAGES names, whose every * is the last character (a fixed table; its entries are not mutated), so removing the first * removes the trailing one", "(class).check"),
  eq(M, "Regex", "/^[\\w-]*[^\\W_]$/", "/[\\w-]*[^\\W_]$/", "packagesOf only returns COMMAND_PACKAGES names, all made of word characters and - once the trailing * is cut (a fixed table): on such a name [\\w-]* can always reach back to its first character, so the unanchored regex matches exactly the names the anchored one does", "(class).check"),
  eq(M, "Regex", "/^[\\w-]*[^\\W_]$/", "/^[\\w-]*[^\\W_]/", "of the COMMAND_PACKAGES names (a fixed table) the only one ending in _ or - once its * is cut is openssl_ (openssl_*), listed after openssl, which find returns first either way", "(class).check"),
];
