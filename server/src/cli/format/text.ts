// `--format text`, the default: the findings for a person at a terminal, in the manner of rustc,
// clippy and ruff. Each finding: its severity and code, the message wrapped to the width, where it
// is (a path from the working folder, which a terminal can open), the line with a caret under what
// it is about, then its explanation (clan's own error text) the first time that explanation comes
// for its code, and its quick fix. The findings come by file; the summary counts them by severity
// and by code. Every name is printable (base/printable.ts) before colour is put around it, and
// no line but a code frame's is wider than the width.
import { printable } from '../../base/printable';
import type { Severity } from '../../base/types';
import type { Paint } from './color';
import { codeFrame, type SourceLines } from './codeFrame';
import { oneBased, relativePath, SEVERITIES, SEVERITY_WORD, summaryLine, type Check, type Finding } from './findings';
import { wrapWords } from './wrap';

export interface TextStyle {
  paint: Paint;
  /** The columns a line may take. */
  width: number;
  source: SourceLines;
}

/** The text format of a check, as lines. */
export function textReport(check: Check, style: TextStyle): string[] {
  const out: string[] = [];
  const explained = new Set<string>();
  for (const finding of check.findings) {
    out.push(...findingLines(finding, check.cwd, style, explained), '');
  }
  out.push(...byCode(check.findings, style.paint, style.width));
  const summary = summaryLine(check.findings, check.counts);
  const worst = SEVERITIES.find((s) => check.findings.some((f) => f.problem.severity === s));
  out.push(worst ? style.paint.severity(worst, summary) : style.paint.bold(summary));
  return out;
}

function findingLines(finding: Finding, cwd: string, style: TextStyle, explained: Set<string>): string[] {
  const { problem } = finding;
  const { paint, width } = style;
  const { line, column } = oneBased(problem);
  const lines: string[] = [];
  const head = `${SEVERITY_WORD[problem.severity]}[${problem.code}]`;
  const message = wrapWords(printable(problem.message), width - head.length - 2, width - 2);
  lines.push(`${paint.severity(problem.severity, head)}: ${paint.bold(message[0])}`);
  for (const rest of message.slice(1)) lines.push(`  ${paint.bold(rest)}`);
  const source = style.source.of(problem.file, finding.root);
  const gutter = Math.max(2, String(problem.range.start.line + 1).length);
  const pad = ' '.repeat(gutter);
  // from the working folder where the file is in it, else the whole path
  const where = relativePath(cwd, problem.file) ?? problem.file;
  lines.push(`${pad}${paint.frame('-->')} ${printable(where)}:${line}:${column}`);
  if (source) lines.push(...codeFrame(problem, source, gutter, width, paint));
  const note = (label: string, text: string) => {
    const prefix = `${pad} = ${label}: `;
    const wrapped = wrapWords(printable(text), width - prefix.length, width - prefix.length);
    lines.push(`${pad} ${paint.frame('=')} ${paint.bold(label)}: ${wrapped[0]}`, ...wrapped.slice(1).map((l) => ' '.repeat(prefix.length) + l));
  };
  if (problem.explanation && !explained.has(`${problem.code}\0${problem.explanation}`)) {
    explained.add(`${problem.code}\0${problem.explanation}`);
    note('note', problem.explanation);
  }
  const fix = problem.fixes?.find((f) => f.safe) ?? problem.fixes?.[0];
  if (fix) note('help', fix.safe ? `${fix.title} (safe: clan-vars-lint --fix applies it)` : `${fix.title} (a quick fix in the editor)`);
  return lines;
}

/** The findings counted by code, most severe first: `  17 hint     sops-nix-secret`. */
function byCode(findings: Finding[], paint: Paint, width: number): string[] {
  if (findings.length === 0) return [];
  const counts = new Map<string, { severity: Severity; code: string; n: number }>();
  for (const { problem } of findings) {
    const key = `${problem.severity} ${problem.code}`;
    const entry = counts.get(key) ?? counts.set(key, { severity: problem.severity, code: problem.code, n: 0 }).get(key)!;
    entry.n++;
  }
  const rows = [...counts.values()].sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || b.n - a.n || (a.code < b.code ? -1 : 1));
  const digits = String(Math.max(...rows.map((r) => r.n))).length;
  return [
    ...wrapWords('by code (clan-vars-lint --explain CODE says more):', width, width),
    ...rows.map((r) => `  ${String(r.n).padStart(digits)} ${paint.severity(r.severity, SEVERITY_WORD[r.severity].padEnd(7))}  ${r.code}`),
  ];
}
