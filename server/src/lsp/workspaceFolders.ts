// The server's workspace indexes: one per workspace folder, and one per directory of an open file
// outside every folder (a loose index, with the default settings).
import * as path from 'node:path';
import type { NixParser } from '../syntax/nixParser';
import { withDefaults, type AnalysisSettings } from '../base/settings';
import { WorkspaceAnalysis } from '../rules/workspaceAnalysis';
import { slowParseTotalMs } from '../model/scan/scanBudget';

/** Evaluating the registry pipeline waits for a pause in typing this long (see WorkspaceAnalysis). */
const EVALUATION_DELAY_MS = 300;

/** What the indexes need from the rest of the server. */
export interface FolderHooks {
  log(line: string): void;
  /** The grammar, loaded before the first folder is added. */
  parser(): NixParser;
  settingsFor(folder: string): Promise<AnalysisSettings>;
  /** Whether a file is open in the editor: the indexes take its facts from the editor's text only. */
  isOpen(file: string): boolean;
  /** Something an index learned later (a slow parse ended, an evaluation landed) is to be published. */
  schedulePublish(): void;
}

export class WorkspaceFolders {
  private readonly indexes = new Map<string, WorkspaceAnalysis>();
  private readonly looseIndexes = new Map<string, WorkspaceAnalysis>();
  /** Scans in progress, per folder: removing the folder stops its scan. */
  private readonly scanCancels = new Map<string, { isCancellationRequested: boolean }>();

  constructor(private readonly hooks: FolderHooks) {}

  /** The workspace folders' indexes. */
  folderIndexes(): WorkspaceAnalysis[] {
    return [...this.indexes.values()];
  }

  /** Every index: the workspace folders', then the loose ones. */
  all(): WorkspaceAnalysis[] {
    return [...this.indexes.values(), ...this.looseIndexes.values()];
  }

  /** The index of a workspace folder, not scanned yet. */
  async add(folder: string): Promise<WorkspaceAnalysis> {
    const index = new WorkspaceAnalysis(folder, await this.hooks.settingsFor(folder), this.hooks.parser(), this.hooks.log);
    index.openInEditor = this.hooks.isOpen;
    index.evaluations.deferMs = EVALUATION_DELAY_MS;
    index.useDiskCache = true;
    index.useWorkers = true;
    // files tree-sitter is slow on do not hold the first diagnostics past the scan's time for slow parses
    index.slowLaneWaitMs = slowParseTotalMs();
    index.onIndexedLater = this.hooks.schedulePublish;
    index.evaluations.onDeferredChange = this.hooks.schedulePublish;
    this.indexes.set(folder, index);
    return index;
  }

  /** Forgets a workspace folder, and stops its scan. */
  remove(folder: string): void {
    const scan = this.scanCancels.get(folder);
    if (scan) scan.isCancellationRequested = true;
    this.indexes.delete(folder);
  }

  async scan(index: WorkspaceAnalysis, progress?: (done: number, total: number) => void): Promise<void> {
    const cancel = { isCancellationRequested: false };
    this.scanCancels.set(index.folder, cancel);
    try {
      await index.scan({ cancel, progress });
    } finally {
      if (this.scanCancels.get(index.folder) === cancel) this.scanCancels.delete(index.folder);
    }
  }

  /** The index of the workspace folder containing `file`, or one for the file's own directory. */
  indexFor(file: string): WorkspaceAnalysis {
    let best: WorkspaceAnalysis | undefined;
    for (const index of this.indexes.values()) {
      if ((file.startsWith(index.folder + path.sep) || file === index.folder) && (!best || index.folder.length > best.folder.length)) best = index;
    }
    if (best) return best;
    const dir = path.dirname(file);
    let loose = this.looseIndexes.get(dir);
    if (!loose) {
      this.looseIndexes.set(dir, (loose = new WorkspaceAnalysis(dir, withDefaults(null), this.hooks.parser(), this.hooks.log)));
      loose.openInEditor = this.hooks.isOpen;
    }
    return loose;
  }

  /** A line for the log after the first scan: how many files, how many from the cache, how many still being parsed. */
  indexedSummary(ms: number): string {
    const indexes = this.folderIndexes();
    const files = indexes.reduce((n, i) => n + i.facts.size, 0);
    const cached = indexes.reduce((n, i) => n + i.cachedFiles, 0);
    const workers = Math.max(0, ...indexes.map((i) => i.scanWorkers));
    const later = indexes.reduce((n, i) => n + i.laterFiles, 0);
    const taken = indexes.reduce((n, i) => n + i.scanTaken, 0);
    return (
      `indexed ${files} .nix files in ${Math.round(ms)} ms (${cached} from the facts cache${workers ? `, the others parsed in ${workers} worker threads${taken ? ` and ${taken} of them on the main thread` : ''}` : ''})` +
      (later ? `; ${later} still being parsed, indexed when their parses end` : '')
    );
  }
}
