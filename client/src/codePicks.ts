// The choices of "Clan Vars: Explain a Diagnostic Code" from the command palette: each code with
// its severity and the first sentence of its meaning (the table of docs/diagnostics.md), so the
// list can be read and searched by what a code is about. Plain node: no vscode import, tested.
import type { CodeDoc } from '../../server/src/base/diagnosticDocs';

export interface CodePick {
  label: string;
  description: string;
  detail: string;
}

/** The first sentence of a table cell, as plain text (its code, emphasis and link marks dropped). */
function firstSentence(markdown: string): string {
  const text = markdown
    .replace(/`([^`]*)`/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\*([^*]+)\*/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
  return /^(.+?\.)(?:\s+[A-Z(]|$)/.exec(text)?.[1] ?? text;
}

/** One choice per code the docs have, sorted by code. */
export function codePicks(docs: Map<string, CodeDoc>): CodePick[] {
  return [...docs]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([code, d]) => ({ label: code, description: d.severity ?? '', detail: d.meaning ? firstSentence(d.meaning) : (firstSentence(d.section ?? '') || 'See its section of the docs.') }));
}
