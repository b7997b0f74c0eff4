// Runs the analysis core over a directory and returns its problems in a compact, comparable form.
import * as path from 'node:path';
import { analyzeFolder } from '../../server/src/cli/analyzeFolder';
import { fullMessage } from '../../server/src/base/types';
import { DEFAULT_SETTINGS, type AnalysisSettings } from '../../server/src/base/settings';

export interface Found {
  file: string;
  line: number; // 1-based
  code: string;
  severity?: string;
  /** The message with its explanation (what the checker prints). */
  message: string;
}

export async function analyze(root: string, settings: Partial<AnalysisSettings> = {}): Promise<{ found: Found[]; log: string[]; generators: number; files: number }> {
  const log: string[] = [];
  const report = await analyzeFolder(root, { ...DEFAULT_SETTINGS, ...settings }, (l) => log.push(l));
  const found = report.problems.map((p) => ({ file: path.relative(root, p.file), line: p.range.start.line + 1, code: p.code, severity: p.severity, message: fullMessage(p) }));
  return { found, log, generators: report.generators, files: report.files };
}

/** `file:line code` strings, sorted: easy to compare with expectations. */
export function brief(found: Found[]): string[] {
  return found.map((f) => `${f.file}:${f.line} ${f.code}`).sort();
}
