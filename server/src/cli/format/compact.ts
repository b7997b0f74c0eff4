// `--format compact`: one line per finding, `path:line:column: severity code message explanation`,
// then the summary line; for editors' problem matchers and tools. The format `--format text` had
// before it became the format for a person. Paths relative to the folder checked.
import { fullMessage } from '../../base/types';
import { oneBased, summaryLine, type Check } from './findings';

/** The lines of the compact format (the checker makes each printable as it writes it). */
export function compactReport(check: Check): string[] {
  return [
    ...check.findings.map(({ shown, problem }) => {
      const { line, column } = oneBased(problem);
      return `${shown}:${line}:${column}: ${problem.severity} ${problem.code} ${fullMessage(problem)}`;
    }),
    summaryLine(check.findings, check.counts),
  ];
}
