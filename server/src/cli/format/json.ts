// `--format json`: {"diagnostics": [{file, line, column, endLine, endColumn, severity, code,
// message, explanation?}]}, paths relative to the folder checked, positions 1-based.
import { oneBased, type Check } from './findings';

export function jsonReport(check: Check): object {
  return {
    diagnostics: check.findings.map(({ shown, problem }) => ({
      file: shown,
      ...oneBased(problem),
      severity: problem.severity,
      code: problem.code,
      message: problem.message,
      ...(problem.explanation ? { explanation: problem.explanation } : {}),
    })),
  };
}
