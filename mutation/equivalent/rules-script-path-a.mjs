// Equivalent survivors of rules/scriptPath.ts (first half; see ../equivalent.mjs).
import { eq } from './eq.mjs';

const SCRIPT_PATH = 'server/src/rules/scriptPath.ts';

export default [
  eq(SCRIPT_PATH, "StringLiteral", "''", "\"Stryker was here!\"", "an interpolation the count misses is read as a text no PATH pattern accepts either way: '' makes the entry unreadable at once and \"Stryker was here!\" matches neither BIN_PATH nor PACKAGE_DIR (both start with ${), so pathOfScript returns null for both", "entries"),
  eq(SCRIPT_PATH, "EqualityOperator", "close < 0", "close <= 0", "close is indexOf('}', i) with value[i] = $ and value[i + 1] = {, so it is -1 or at least i + 2 >= 2, never 0: < 0 and <= 0 agree", "entries"),
  eq(SCRIPT_PATH, "Regex", "/^\\$\\{\\s*(?:(?:pkgs\\.)?lib\\.(?:strings\\.)?)?makeBinPath\\s+(\\(\\s*with\\s+pkgs\\s*;\\s*)?\\[([^[\\]]*)\\]\\s*(\\)\\s*)?\\}$/", "/^\\$\\{\\s*(?:(?:pkgs\\.)?lib\\.(?:strings\\.)?)?makeBinPath\\s+(\\(\\s*with\\s+pkgs\\s*;\\s*)?\\[([^[\\]]*)\\]\\s*(\\)\\s*)?\\}/", "the list holds only package names (else null either way), so no brace or quote lies before the } after ] and ): by matchingBrace (nixString.ts) that } closes the hole, so it is the hole text's last character and $ adds nothing", "(module)"),
  eq(SCRIPT_PATH, "Regex", "/^\\$\\{\\s*(?:(?:lib\\.)?getBin\\s+)?(pkgs(?:\\.[A-Za-z_][\\w'-]*)+)\\s*\\}$/", "/\\$\\{\\s*(?:(?:lib\\.)?getBin\\s+)?(pkgs(?:\\.[A-Za-z_][\\w'-]*)+)\\s*\\}$/", "a match from a later ${ must end at the hole's closing }: by matchingBrace (nixString.ts) its { is counted (then its own } comes first and text follows it) or lies in a \" string that never closes (then the hole runs to the script's end and no /bin text follows it, so PACKAGE_DIR is not tried)", "(module)"),
  eq(SCRIPT_PATH, "Regex", "/^\\$\\{\\s*(?:(?:lib\\.)?getBin\\s+)?(pkgs(?:\\.[A-Za-z_][\\w'-]*)+)\\s*\\}$/", "/^\\$\\{\\s*(?:(?:lib\\.)?getBin\\s+)?(pkgs(?:\\.[A-Za-z_][\\w'-]*)+)\\s*\\}/", "between ${ and the } after the package path there is only whitespace, getBin and the path: no brace or quote, so by matchingBrace (nixString.ts) that } closes the hole and is the hole text's last character: $ adds nothing", "(module)"),
];
