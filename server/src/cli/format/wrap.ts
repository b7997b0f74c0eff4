// Wrapping of printable text (base/printable.ts) into lines of a width, for the text format.

/**
 * The text in lines of at most `firstWidth` columns for the first and `restWidth` for the others,
 * broken at spaces; a word longer than a whole line (a long path or name) is cut where the line
 * ends. A column is a UTF-16 code unit: the text is printable, so no control character is in it.
 */
export function wrapWords(text: string, firstWidth: number, restWidth: number): string[] {
  const lines: string[] = [];
  let line = '';
  const width = () => (lines.length === 0 ? firstWidth : restWidth);
  for (let word of text.split(' ').filter((w) => w !== '')) {
    if (line && line.length + 1 + word.length <= width()) {
      line += ' ' + word;
      continue;
    }
    if (line) lines.push(line);
    line = '';
    while (word.length > width()) {
      lines.push(word.slice(0, width()));
      word = word.slice(width());
    }
    line = word;
  }
  if (line || lines.length === 0) lines.push(line);
  return lines;
}

/** The width of the text format: the terminal's, else $COLUMNS, else 100; between 40 and 120. */
export function textWidth(stdout: { isTTY?: boolean; columns?: number }, env: NodeJS.ProcessEnv): number {
  const columns = stdout.isTTY && stdout.columns ? stdout.columns : Number(env.COLUMNS) || 100;
  return Math.max(40, Math.min(120, columns));
}
