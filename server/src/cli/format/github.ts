// `--format github`: a GitHub Actions workflow command per finding, which the runner turns into an
// annotation on the file and lines (in the job's summary and on the pull request's diff):
//
//   ::error file=lib/m.nix,line=11,col=5,endLine=11,endColumn=14,title=unknown-registry-key::Unknown…
//
// then the summary line. Paths are relative to the working folder (in a job, the repository's root;
// reportBase). A property value escapes `%`, CR, LF, `:` and `,`, the message `%`, CR and LF, as the
// runner reads them; a name is printable first (base/printable.ts), so no name can end the command
// or start another.
import { printable } from '../../base/printable';
import type { Severity } from '../../base/types';
import { oneBased, relativePath, reportBase, summaryLine, type Check } from './findings';

const COMMAND: Record<Severity, 'error' | 'warning' | 'notice'> = { error: 'error', warning: 'warning', information: 'notice', hint: 'notice' };

function data(text: string): string {
  return printable(text).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function property(text: string): string {
  return data(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function githubReport(check: Check): string[] {
  const base = reportBase(check.roots, check.cwd);
  const lines = check.findings.map(({ problem }) => {
    const { line, column, endLine, endColumn } = oneBased(problem);
    const file = relativePath(base, problem.file) ?? problem.file;
    const props = `file=${property(file)},line=${line},col=${column},endLine=${endLine},endColumn=${endColumn},title=${property(problem.code)}`;
    // the explanation on a line of its own in the annotation
    const message = data(problem.message) + (problem.explanation ? `%0A${data(problem.explanation)}` : '');
    return `::${COMMAND[problem.severity]} ${props}::${message}`;
  });
  return [...lines, summaryLine(check.findings, check.counts)];
}
