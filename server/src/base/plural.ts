// A count with its noun: "1 machine", "2 machines" (the checker's summaries and --machines text).
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
