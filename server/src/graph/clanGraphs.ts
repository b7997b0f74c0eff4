// Which clans an index holds, and the graph of each: shared by the server's graph request and the
// checker's --graph option.
import { NixParser } from '../parse/nixParser';
import type { ClanModel } from '../model/clanModel';
import type { AnalysisSettings } from '../workspace/settings';
import { WorkspaceAnalysis } from '../workspaceAnalysis';
import type { Log } from '../workspace/workspaceIndex';
import { buildDependencyGraph } from './build';
import type { DependencyGraph } from './types';
import { machinesReport, type MachinesReport } from '../analysis/machinesReport';

/** Clan roots of an index with their generator declarations, most first (ties by path). */
export function clanRoots(index: WorkspaceAnalysis): { root: string; generators: number }[] {
  const counts = new Map<string, number>();
  for (const [file, facts] of index.facts) {
    const root = index.clanRootOf(file);
    counts.set(root, (counts.get(root) ?? 0) + facts.generators.length);
  }
  if (counts.size === 0) counts.set(index.folder, 0);
  return [...counts].map(([root, generators]) => ({ root, generators })).sort((a, b) => b.generators - a.generators || (a.root < b.root ? -1 : 1));
}

/** The generator whose name is written at or above `line` in `file` (the nearest one), if any. */
export function generatorAt(clan: ClanModel, file: string, line: number): string | null {
  let best: { line: number; name: string } | null = null;
  for (const g of clan.files.get(file)?.generators ?? []) {
    const l = g.name.range.start.line;
    const name = g.name.name ?? g.name.pattern;
    if (name === null || l > line) continue;
    if (!best || l >= best.line) best = { line: l, name };
  }
  return best?.name ?? null;
}

/** The graph of every clan under `folder` that declares generators (the folder's own clan when none does). */
export async function graphsOfFolder(folder: string, settings: AnalysisSettings, log: Log): Promise<DependencyGraph[]> {
  const index = new WorkspaceAnalysis(folder, settings, await NixParser.load(), log);
  index.useDiskCache = true;
  await index.scan();
  const problems = [...index.allProblems().values()].flat();
  const roots = clanRoots(index);
  const chosen = roots.filter((r) => r.generators > 0);
  return (chosen.length ? chosen : roots.slice(0, 1))
    .sort((a, b) => (a.root < b.root ? -1 : 1))
    .map(({ root }) => buildDependencyGraph(index.clan(root), problems.filter((p) => index.clanRootOf(p.file) === root)));
}

/** The per-machine model of every clan under `folder` that declares generators. */
export async function machinesOfFolder(folder: string, settings: AnalysisSettings, log: Log): Promise<MachinesReport[]> {
  const index = new WorkspaceAnalysis(folder, settings, await NixParser.load(), log);
  index.useDiskCache = true;
  await index.scan();
  const roots = clanRoots(index);
  const chosen = roots.filter((r) => r.generators > 0);
  return (chosen.length ? chosen : roots.slice(0, 1)).sort((a, b) => (a.root < b.root ? -1 : 1)).map(({ root }) => machinesReport(index.clan(root)));
}
