// Text tree-sitter cannot parse in its time: lines of `a.a.a.`, on which its error recovery is
// quadratic (a 19,000-character line takes seconds, under the 20,000-character line limit). Its
// comment names `imports`, a word the extraction looks for, so that the scan parses it (a text with
// none has its facts without a parse: facts/file.ts unparsedFacts).

/** `lines` lines of 19,000 characters that tree-sitter needs seconds each for; `n` makes the text its own. */
export function slowText(n: number, lines = 3): string {
  return `# slow ${n} (imports)\n` + ('a.'.repeat(9500) + '\n').repeat(lines);
}
