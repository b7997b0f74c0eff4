// Text from a workspace shown in a message or a generated line: a name or path that holds a line
// break, a control or format character is written with escapes, so one message stays one printable
// line. Plain TypeScript: the client and the server both import it.

/**
 * Characters that end a line somewhere (\n, \r, \v, \f, U+0085, U+2028, U+2029: bash, VS Code,
 * JavaScript, Python's splitlines), that a terminal acts on (ESC, BEL, ...), or that change how
 * text is shown (bidirectional overrides, zero-width characters), and lone surrogates.
 */
export const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;
const UNSAFE_ALL = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

/** Whether the text holds a character of UNSAFE. */
export function hasUnsafeCharacter(text: string): boolean {
  return UNSAFE.test(text);
}

const SHORT_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** The text with each character of UNSAFE written as an escape (`\n`, `\x1b`, `\u2028`): one printable line. */
export function printable(text: string): string {
  return text.replace(UNSAFE_ALL, (c) => {
    const code = c.charCodeAt(0);
    return SHORT_ESCAPES[c] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
  });
}

/** A name for a message: as it is when it is plain, else in double quotes with its unsafe characters escaped. */
export function shownName(name: string): string {
  return /^[\w@%+=:,./-]+$/.test(name) && !name.startsWith('-') ? name : `"${printable(name)}"`;
}
