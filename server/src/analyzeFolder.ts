// One-shot analysis of a directory, as the checker runs it: the same index and rules as the server.
import type { Problem } from './model/types';
import { NixParser } from './parse/nixParser';
import type { AnalysisSettings } from './workspace/settings';
import { WorkspaceAnalysis } from './workspaceAnalysis';
import type { Log } from './workspace/workspaceIndex';

export interface FolderReport {
  problems: Problem[];
  files: number;
  skipped: number;
  generators: number;
  /** Files the parser found syntax errors in (`--fix` leaves them alone). */
  syntaxErrors: Set<string>;
}

export async function analyzeFolder(folder: string, settings: AnalysisSettings, log: Log): Promise<FolderReport> {
  const parser = await NixParser.load();
  const index = new WorkspaceAnalysis(folder, settings, parser, log);
  index.useDiskCache = true;
  index.useWorkers = true;
  await index.scan();
  const problems = [...index.allProblems().values()].flat();
  problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character));
  let generators = 0;
  let skipped = 0;
  const syntaxErrors = new Set<string>();
  for (const f of index.facts.values()) {
    generators += f.generators.length;
    if (f.skipped) skipped++;
    if (f.hasSyntaxErrors || f.skipped) syntaxErrors.add(f.file);
  }
  return { problems, files: index.facts.size, skipped, generators, syntaxErrors };
}
