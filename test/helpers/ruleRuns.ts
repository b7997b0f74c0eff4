// A clan scanned by a WorkspaceAnalysis that keeps the engine's log lines: with
// CLAN_VARS_DEBUG_RULES=1 the engine logs how many generators each run of a rule went over,
// which is how a test sees an edit re-run a rule over part of the clan or over all of it.
import * as path from 'node:path';
import { after } from 'node:test';
import { analyzeFolder } from '../../server/src/cli/analyzeFolder';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import type { Problem } from '../../server/src/base/types';
import { WorkspaceAnalysis } from '../../server/src/rules/workspaceAnalysis';
import { NixParser } from '../../server/src/syntax/nixParser';
import { removeTree, writeTree } from './tempClan';

/** Turns the engine's run log on for the rest of the test file (restored after it). */
export function logRuleRuns(): void {
  const previous = process.env.CLAN_VARS_DEBUG_RULES;
  process.env.CLAN_VARS_DEBUG_RULES = '1';
  after(() => {
    if (previous === undefined) delete process.env.CLAN_VARS_DEBUG_RULES;
    else process.env.CLAN_VARS_DEBUG_RULES = previous;
  });
}

/** These files (and an empty flake.nix unless given) in a fresh folder removed after the test file, scanned, with the log lines. */
export async function scannedClan(files: Record<string, string>): Promise<{ root: string; index: WorkspaceAnalysis; lines: string[] }> {
  const root = writeTree({ 'flake.nix': '{ }', ...files });
  after(() => removeTree(root));
  const lines: string[] = [];
  const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load(), (l) => lines.push(l));
  await index.scan();
  return { root, index, lines };
}

/** The findings of `code` on a clan of these files (a fresh folder removed after the test file), every file relative to its root (in every edit too), in file and position order. */
export async function relativeFindings(code: string, files: Record<string, string>): Promise<Problem[]> {
  const root = writeTree(files);
  after(() => removeTree(root));
  const report = await analyzeFolder(root, DEFAULT_SETTINGS, () => {});
  const rel = (f: string) => path.relative(root, f);
  return report.problems
    .filter((p) => p.code === code)
    .map((p) => ({ ...p, file: rel(p.file), fixes: p.fixes?.map((f) => ({ ...f, edits: f.edits.map((e) => ({ ...e, file: rel(e.file) })) })) }))
    .sort((a, b) => a.file.localeCompare(b.file) || a.range.start.line - b.range.start.line);
}
