// Words of a generated bash script that stay on their line wherever the script is shown or run:
// bash breaks lines at \n only, but VS Code's editor also breaks at a lone \r (and saves it as \n),
// and other viewers at U+2028, U+2029, U+0085, \v or \f. A word holding any character that ends a
// line somewhere, or that a terminal or editor acts on, is written with bash's $'...' escapes, so
// every generated line is one line of printable text that bash reads back as the exact string.
import { hasUnsafeCharacter } from '../base/printable';

/** A word for bash: bare when plainly safe, single-quoted when it holds no unsafe character, else $'...' with escapes. */
export function shellWord(word: string): string {
  if (/^[\w@%+=:,./-]+$/.test(word)) return word;
  if (!hasUnsafeCharacter(word)) return `'${word.replace(/'/g, `'\\''`)}'`;
  let out = '';
  for (const c of word) {
    if (c === '\\' || c === "'") out += `\\${c}`;
    else if (hasUnsafeCharacter(c)) for (const byte of Buffer.from(c, 'utf8')) out += `\\x${byte.toString(16).padStart(2, '0')}`;
    else out += c;
  }
  return `$'${out}'`;
}
