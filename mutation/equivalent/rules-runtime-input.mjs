// Equivalent survivors of rules/missingRuntimeInput.ts (see ../equivalent.mjs).
import { eq } from './eq.mjs';

const M = 'server/src/rules/missingRuntimeInput.ts';
const EDITS = 'server/src/rules/scriptEdits.ts';

export default [
  eq(M, "ArrayDeclaration", "[]", "[\"Stryker was here\"]", "writtenOutputs skips every mention whose variable is not 'out' (a string's .variable is undefined), so a list holding a string gives null exactly when an empty one does", "(class).check"),
  eq(M, "Regex", "/\\*$/", "/\\*/", "packagesOf only returns COMMAND_PACKAGES names, whose every * is the last character (a fixed table; its entries are not mutated), so removing the first * removes the trailing one", "(class).check"),
  eq(M, "Regex", "/^[\\w-]*[^\\W_]$/", "/[\\w-]*[^\\W_]$/", "packagesOf only returns COMMAND_PACKAGES names, all made of word characters and - once the trailing * is cut (a fixed table): on such a name [\\w-]* can always reach back to its first character, so the unanchored regex matches exactly the names the anchored one does", "(class).check"),
  eq(M, "Regex", "/^[\\w-]*[^\\W_]$/", "/^[\\w-]*[^\\W_]/", "of the COMMAND_PACKAGES names (a fixed table) the only one ending in _ or - once its * is cut is openssl_ (openssl_*), listed after openssl, which find returns first either way", "(class).check"),
  eq(EDITS, 'ConditionalExpression', 'o.elements !== undefined', 'true', "addToList's two callers reach it only where every declaration's list is known: missing-runtime-input is silent on runtimeInputs with a part the syntax cannot enumerate (runtimeInputs(decls).open), unknown-input offers its fix only where every declaration's dependencies option is a list literal (depsKnown; elsewhere its warning has no fix); so a value that is not a list literal always has its elements here", 'addToList'),
];
