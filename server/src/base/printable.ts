// Text from the workspace as it is shown: the one escaping of names (of generators, files,
// machines, folders, keys) for every place that prints them, the checker's output and the editor's
// alike. `printable` writes each character that ends a line, that a terminal acts on, or that
// changes how text is shown as an escape; the functions below it add what one medium needs on top.
// Plain TypeScript: the client imports it too.

/**
 * Characters that end a line somewhere (\n, \r, \v, \f, U+0085, U+2028, U+2029: bash, VS Code,
 * JavaScript, Python's splitlines), that a terminal acts on (C0 and C1 controls: ESC, BEL, CSI,
 * DEL, ...), or that change how text is shown (bidirectional overrides, isolates and marks,
 * zero-width and tag characters: the format characters), and lone surrogates.
 */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;
const UNSAFE_ALL = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

/** Whether the text holds a character of UNSAFE. */
export function hasUnsafeCharacter(text: string): boolean {
  return UNSAFE.test(text);
}

const SHORT_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** The text with each character of UNSAFE written as an escape (`\n`, `\x1b`, `\u202e`, `\u{e0041}`): one printable line. */
export function printable(text: string): string {
  if (!UNSAFE.test(text)) return text;
  return text.replace(UNSAFE_ALL, (c) => {
    const code = c.codePointAt(0)!;
    return SHORT_ESCAPES[c] ?? (code < 0x100 ? `\\x${hex(code, 2)}` : code < 0x10000 ? `\\u${hex(code, 4)}` : `\\u{${code.toString(16)}}`);
  });
}

/** Text of several lines, each made printable: the line breaks between them are the only ones left. */
export function printableLines(text: string): string {
  return UNSAFE.test(text) ? text.split('\n').map(printable).join('\n') : text;
}

/**
 * A value as JSON that holds no character of UNSAFE but the line breaks of its indentation: those
 * in strings are written as `\u` escapes (JSON.stringify leaves DEL, C1 controls, bidi and format
 * characters, U+2028 and U+2029 as they are), so the data is exact (a name is read back as it is)
 * while the bytes are safe to print.
 */
export function printableJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(UNSAFE_ALL, (c) => (c === '\n' ? c : c.length === 1 ? `\\u${hex(c.charCodeAt(0), 4)}` : `\\u${hex(c.charCodeAt(0), 4)}\\u${hex(c.charCodeAt(1), 4)}`));
}

/**
 * Text for Markdown, shown as it is: printable (so it cannot start a line of its own), and with a
 * backslash before each mark that could make a link, an image, emphasis, code, HTML, an entity, a
 * table cell, or on GitHub a mention, a reference, an emoji or math (backslash, backtick and
 * `* _ [ ] < > & | ~ ! # $ @ :`), and before a list marker it starts with; a space it starts with is
 * an entity (four would start a code block). Other punctuation (`/ . , - ( ) ' "`) is inert there and
 * stays as it is, so paths stay readable in the Markdown source. A bare domain may still be shown
 * as a link to itself where a viewer links those (VS Code's preview does).
 */
export function markdownText(text: string): string {
  return printable(text)
    .replace(/[\\`*_[\]<>&|~!#$@:]/g, '\\$&')
    .replace(/^(?:[-+]|\d+[.)])/, (m) => `${m.slice(0, -1)}\\${m.slice(-1)}`)
    .replace(/^ /, '&#32;');
}

/**
 * Text as Markdown inline code, shown as it is: printable (a code span cannot end at a line
 * break), between runs of backticks longer than any inside it.
 */
export function markdownCode(text: string): string {
  return codeSpan(printable(text));
}

/** markdownCode for a table cell, where GitHub and markdown-it end the cell at a `|` not right after a backslash, even in code. */
export function markdownCodeInTable(text: string): string {
  return codeSpan(printable(text).replace(/\|/g, '\\|'));
}

function codeSpan(t: string): string {
  const fence = '`'.repeat(Math.max(0, ...[...t.matchAll(/`+/g)].map((m) => m[0].length)) + 1);
  // a space each side keeps a backtick at either end, or spaces at both, from being read as part of the fence
  const pad = /^[` ]|[` ]$/.test(t) ? ' ' : '';
  return `${fence}${pad}${t}${pad}${fence}`;
}

/**
 * Text for a VS Code notification, which shows `[text](target)` as a link (a `command:` target
 * runs the command when clicked): printable, with a space put in each `](` so that no name quoted
 * in the message makes a link.
 */
export function noticeText(text: string): string {
  return printable(text).replace(/\]\(/g, '] (');
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}
