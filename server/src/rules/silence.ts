// Silencing: codes ignored by setting, and `# clan-vars: ignore <code>...` comments, which cover
// their own line and the line below.
import type { Problem } from '../base/types';
import type { FileFacts } from '../facts/types';

export function isSilenced(p: Problem, ignore: ReadonlySet<string>, facts: FileFacts | undefined): boolean {
  if (ignore.has(p.code)) return true;
  const line = p.range.start.line;
  for (const c of facts?.ignoreComments ?? []) {
    if ((c.line === line || c.line === line - 1) && (c.codes.includes(p.code) || c.codes.includes('all'))) return true;
  }
  return false;
}
