// `--format gitlab`: a GitLab Code Quality report (artifacts:reports:codequality), the subset of the
// Code Climate issue format GitLab reads: per finding a description, check_name (the code), a
// fingerprint, a severity and location.path with location.lines.begin. Paths are relative to the
// working folder (in a job, the project's folder; reportBase). The fingerprint is what GitLab
// compares between the merge request and its target: it hashes the code, the path, the message and
// the finding's rank among equal ones, not the line, so a finding that only moves stays the same.
import { createHash } from 'node:crypto';
import type { Severity } from '../../base/types';
import { fullMessage } from '../../base/types';
import { oneBased, relativePath, reportBase, type Check } from './findings';

const SEVERITY: Record<Severity, 'major' | 'minor' | 'info'> = { error: 'major', warning: 'minor', information: 'info', hint: 'info' };

export function gitlabReport(check: Check): object[] {
  const base = reportBase(check.roots, check.cwd);
  const seen = new Map<string, number>();
  return check.findings.map(({ problem }) => {
    const { line, endLine } = oneBased(problem);
    const file = relativePath(base, problem.file) ?? problem.file;
    const key = [problem.code, file, problem.message].join('\0');
    const rank = seen.get(key) ?? 0;
    seen.set(key, rank + 1);
    return {
      description: fullMessage(problem),
      check_name: problem.code,
      fingerprint: createHash('sha256').update(`${key}\0${rank}`).digest('hex').slice(0, 32),
      severity: SEVERITY[problem.severity],
      location: { path: file, lines: { begin: line, end: endLine } },
    };
  });
}
