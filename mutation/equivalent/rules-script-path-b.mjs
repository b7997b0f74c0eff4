// Equivalent survivors of rules/scriptPath.ts, second half (see ../equivalent.mjs).
import { eq } from './eq.mjs';

const SCRIPT_PATH = 'server/src/rules/scriptPath.ts';

export default [
  eq(SCRIPT_PATH, 'BooleanLiteral', 'false', 'true', "ScriptPath.set is read nowhere: its only user, missingRuntimeInput, reads replaced and packages (a script that sets no PATH has neither)", 'pathOfScript'),
  eq(SCRIPT_PATH, 'BooleanLiteral', 'true', 'false', "ScriptPath.set is read nowhere: its only user, missingRuntimeInput, reads replaced and packages (a script that sets no PATH has neither)", 'pathOfScript'),
  eq(SCRIPT_PATH, 'MethodExpression', 'binPath[2].trim()', 'binPath[2]', "the whitespace at either end of the list only adds empty names to the split, which .filter((n) => n) drops", 'pathOfScript'),
  eq(SCRIPT_PATH, 'Regex', '/\\s+/', '/\\s/', "splitting a run of whitespace one character at a time only adds empty names, which .filter((n) => n) drops", 'pathOfScript'),
  eq(SCRIPT_PATH, 'ConditionalExpression', "entry[1].kind === 'text'", 'true', "a part of any other kind never is /bin or /bin/: a shell part starts with $ and a Nix part is its hole's source, which starts with ${ (nixString.ts decodeString)", 'pathOfScript'),
  eq(SCRIPT_PATH, 'ConditionalExpression', "kind === 'text'", 'true', "it only merges a shell or Nix part into the text before it, in the same entry: no readable entry has a part after a text part, and the merged entry is unreadable too (text first, or a second part /bin… followed by $ or ${, never exactly /bin or /bin/)", 'add'),
  eq(SCRIPT_PATH, 'ConditionalExpression', "c === '$'", 'true', "it makes any character before a { start a shell part; without it that { is text, which no readable entry holds (only /bin or /bin/), and with it the entry has a shell part not starting with $, which no readable entry holds either: the value is unreadable (null) both ways", 'entries'),
  eq(SCRIPT_PATH, 'Regex', '/^\\$([A-Za-z_]\\w*|.)?/', '/\\$([A-Za-z_]\\w*|.)?/', "it runs on value.slice(i) with value[i] === '$', so the unanchored search also matches at index 0 first", 'entries'),
];
