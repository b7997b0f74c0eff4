// A folder opened by the checker: scanned once, with the facts cache, then asked for its clans'
// problems, graphs, machines or migration. The server keeps its folders open instead (lsp/server.ts).
import type { ClanModel } from '../model/clanModel';
import type { Log } from '../model/workspaceIndex';
import { buildDependencyGraph } from '../ide/graph/build';
import type { DependencyGraph } from '../ide/graph/types';
import { machinesReport, type MachinesReport } from '../ide/machinesReport';
import { migrationScript } from '../ide/migrationScript';
import type { AnalysisSettings } from '../base/settings';
import { WorkspaceAnalysis } from '../rules/workspaceAnalysis';
import { NixParser } from '../syntax/nixParser';
import { tierUpAsUsual, tierUpLater, wasmTierFor } from '../base/v8Tiering';
import { discoverNixFiles, noLinks } from '../base/discover';
import { Confinement } from '../base/confinement';
import { ScanPool } from '../model/scan/scanPool';
import { FactsCache } from '../model/scan/factsCache';
import { workersAtStart } from '../model/scan/scanFolder';

/**
 * The folder scanned, a large one in worker threads (model/scan/scanPool.ts); the scan's code is
 * optimized late and without inlining, what follows it as V8 does by default (base/v8Tiering.ts).
 */
export async function openFolder(folder: string, settings: AnalysisSettings, log: Log, options: { onScanText?: (file: string, text: string, digest: string) => void } = {}): Promise<WorkspaceAnalysis> {
  tierUpLater({ inline: false });
  // the files first: their number decides how V8 compiles the parser (wasmTierFor), before the
  // first folder's parser and workers compile theirs
  const links = noLinks();
  const files = await discoverNixFiles(folder, Confinement.within(folder), log, undefined, links);
  wasmTierFor(files.length);
  // the workers start while this thread loads the parser, unless the facts cache holds an earlier
  // run's facts: then they start once the scan meets enough files to parse (workersAtStart)
  const cache = FactsCache.open(folder, log);
  const index = await ScanPool.startingEarly(
    log,
    async () => {
      const scanned = new WorkspaceAnalysis(folder, settings, await NixParser.load(), log);
      scanned.useDiskCache = true;
      scanned.useWorkers = true;
      scanned.onScanText = options.onScanText ?? null;
      await scanned.scan({ found: { files, links }, cache });
      return scanned;
    },
    workersAtStart(files.length, cache),
  );
  tierUpAsUsual();
  index.onScanText = null;
  return index;
}

/** The clans of a folder that declare generators, by path (the folder's main clan when none does). */
function clansWithGenerators(index: WorkspaceAnalysis): string[] {
  const roots = index.clanRoots();
  const chosen = roots.filter((r) => r.generators > 0);
  return (chosen.length ? chosen : roots.slice(0, 1)).map((r) => r.root).sort();
}

/** The graph of every clan under `folder` that declares generators. */
export async function graphsOfFolder(folder: string, settings: AnalysisSettings, log: Log): Promise<DependencyGraph[]> {
  const index = await openFolder(folder, settings, log);
  const problems = [...index.allProblems().values()].flat();
  return clansWithGenerators(index).map((root) => buildDependencyGraph(index.clan(root), problems.filter((p) => index.clanRootOf(p.file) === root)));
}

/** The per-machine model of every clan under `folder` that declares generators. */
export async function machinesOfFolder(folder: string, settings: AnalysisSettings, log: Log): Promise<MachinesReport[]> {
  const index = await openFolder(folder, settings, log);
  return clansWithGenerators(index).map((root) => machinesReport(index.clan(root)));
}

/** The clan at `folder` (or, when the folder holds several, the one with the most generators). */
export async function clanOfFolder(folder: string, settings: AnalysisSettings, log: Log): Promise<ClanModel> {
  const index = await openFolder(folder, settings, log);
  const roots = index.clanRoots();
  return index.clan(roots.find((r) => r.root === folder)?.root ?? roots[0].root);
}

/** The migration script of the clan at `folder` (see clanOfFolder). */
export async function migrationScriptOfFolder(folder: string, settings: AnalysisSettings, log: Log): Promise<string> {
  return migrationScript(await clanOfFolder(folder, settings, log));
}
