// What the server tells the client unasked: each file's diagnostics, the status (indexing, ready,
// counts) and which clans' generator views changed. A publish is scheduled, not run at once: a
// burst of messages costs one.
import type { Connection } from 'vscode-languageserver/node';
import { toDiagnostic } from './convert';
import { STATUS_NOTIFICATION, VIEWS_CHANGED_NOTIFICATION, type Notification, type StatusParams } from './protocol';
import { stampChanged, type ViewStamp } from '../model/clanModels';
import type { Problem } from '../base/types';
import { Attached } from '../base/attached';
import { slowWatch } from './serverProcess';
import { inTurns } from '../base/turns';
import type { ClientCapabilities } from './clientCapabilities';
import type { EditorDocuments } from './editorDocuments';
import type { WorkspaceFolders } from './workspaceFolders';
import type { HandlerActivity } from './handlerActivity';
import type { WorkspaceAnalysis } from '../rules/workspaceAnalysis';

/**
 * What was last published for a file: the engine keeps the list of a file whose problems did not
 * change, so a publish after a keystroke looks again only at the files whose lists are new.
 */
interface Published {
  list: Problem[];
  /** EditorDocuments.epoch when it was published. */
  docs: number;
  uri: string;
  json: string;
  errors: number;
  warnings: number;
  hints: number;
}

/** The problems of the files published, by severity. */
interface Counts {
  errors: number;
  warnings: number;
  hints: number;
}

export class Publisher {
  private scheduled = false;
  /** A publish runs (in turns: requests are answered between its rules), and whether another was asked for meanwhile. */
  private running = false;
  private again = false;
  private published = new Map<string, Published>();
  /** What each clan's generator views were last told from: a change is sent to the client (its vars view). */
  private viewStamps = new Map<string, ViewStamp>();
  /**
   * Each problem's diagnostic as JSON, kept while the problem object lives (rule results are reused
   * across keystrokes) and the open documents are the same (their URIs name related locations).
   */
  private readonly diagnosticJson = new Attached<Problem, { docs: number; json: string }>('diagnosticJson');

  constructor(
    private readonly connection: Connection,
    private readonly parts: { documents: EditorDocuments; folders: WorkspaceFolders; caps: ClientCapabilities; activity: HandlerActivity; log(line: string): void },
  ) {}

  /** Whether a publish is scheduled and has not run. */
  get pending(): boolean {
    return this.scheduled || this.again;
  }

  schedule(): void {
    if (this.running) this.again = true;
    if (this.scheduled || this.running) return;
    this.scheduled = true;
    setImmediate(
      this.parts.activity.guard('publish', async () => {
        this.scheduled = false;
        this.running = true;
        try {
          await this.publish();
        } finally {
          this.running = false;
          if (this.again) {
            this.again = false;
            this.schedule();
          }
        }
      }),
    );
  }

  status(s: Partial<StatusParams> & { state: StatusParams['state'] }): void {
    this.notify(STATUS_NOTIFICATION, { files: 0, generators: 0, errors: 0, warnings: 0, ...s });
  }

  /** Sends a notification of the protocol with the params its declaration names. */
  private notify<P>(type: Notification<P>, params: P): void {
    void this.connection.sendNotification(type.method, params);
  }

  private async publish(): Promise<void> {
    const watch = slowWatch();
    try {
      await this.publishNow();
    } finally {
      watch?.stop(this.parts.log, 'publish');
    }
  }

  /**
   * Publishes what changed. The rules run in turns (base/turns.ts), so that a request is never held
   * for a whole pass; when an edit comes in meanwhile, the pass stops (its findings would be stale)
   * and the publish the edit asked for follows.
   */
  private async publishNow(): Promise<void> {
    const { documents, folders } = this.parts;
    documents.sync();
    // the versions of the texts the problems are found in (edits that come in meanwhile are the next publish's)
    const versions = new Map<string, number>();
    for (const doc of documents.open.all()) versions.set(doc.uri, doc.version);
    const taken = documents.taken;
    const current = new Map<string, Published>();
    const counts: Counts = { errors: 0, warnings: 0, hints: 0 };
    let files = 0;
    let generators = 0;
    // every index's problems first (a rule at a time, requests answered between), then what changed is sent
    const problemsOf = new Map<WorkspaceAnalysis, Map<string, Problem[]>>();
    for (const index of folders.all()) {
      const problems = await inTurns(index.allProblemsSteps());
      // a request took a newer text of an open document meanwhile: a clan checked after it would be found in a text of another version than the one sent
      if (!problems || documents.taken !== taken) return void this.schedule();
      problemsOf.set(index, problems);
    }
    for (const [index, problemsByFile] of problemsOf) {
      files += index.facts.size;
      generators += index.generatorCount();
      for (const [file, problems] of problemsByFile) {
        const before = this.published.get(file);
        if (before && documents.open.get(before.uri)?.parseDeferred) {
          current.set(file, before); // its parse is deferred: what the editor shows stays until it runs
          continue;
        }
        const entry = this.publishFile(file, problems, before, versions);
        current.set(file, entry);
        counts.errors += entry.errors;
        counts.warnings += entry.warnings;
        counts.hints += entry.hints;
      }
    }
    for (const [file, entry] of this.published) if (!current.has(file)) void this.connection.sendDiagnostics({ uri: entry.uri, diagnostics: [] });
    this.published = current;
    const evaluationPending = folders.folderIndexes().some((i) => i.evaluations.pending()) || documents.parseDeferred();
    this.status({ state: 'ready', files, generators, ...counts, evaluationPending });
    this.noteChangedViews();
  }

  /** Sends a file's diagnostics if they changed since `entry` was published; what is published for it now. */
  private publishFile(file: string, problems: Problem[], entry: Published | undefined, versions: Map<string, number>): Published {
    const { documents } = this.parts;
    if (entry && entry.list === problems && entry.docs === documents.epoch) return entry;
    const uri = documents.uriOf(file);
    const json = `[${problems.map((p) => this.diagnosticOf(p)).join(',')}]`;
    if (entry && entry.uri !== uri) void this.connection.sendDiagnostics({ uri: entry.uri, diagnostics: [] });
    if (entry?.json !== json || entry.uri !== uri) {
      const version = versions.get(uri);
      void this.connection.sendDiagnostics({ uri, version, diagnostics: JSON.parse(json) });
    }
    return {
      list: problems,
      docs: documents.epoch,
      uri,
      json,
      errors: problems.filter((p) => p.severity === 'error').length,
      warnings: problems.filter((p) => p.severity === 'warning').length,
      hints: problems.filter((p) => p.severity === 'hint').length,
    };
  }

  private diagnosticOf(p: Problem): string {
    const { documents, caps } = this.parts;
    const hit = this.diagnosticJson.get(p);
    if (hit && hit.docs === documents.epoch) return hit.json;
    const json = JSON.stringify(toDiagnostic(p, (f) => documents.uriOf(f), caps.related, caps.codeDescription));
    this.diagnosticJson.set(p, { docs: documents.epoch, json });
    return json;
  }

  private noteChangedViews(): void {
    const current = new Map<string, ViewStamp>();
    const roots: string[] = [];
    for (const index of this.parts.folders.folderIndexes()) {
      for (const [root, stamp] of index.models.viewStamps()) {
        if (stampChanged(this.viewStamps.get(root), stamp)) roots.push(root);
        current.set(root, stamp);
      }
    }
    this.viewStamps = current;
    if (roots.length) this.notify(VIEWS_CHANGED_NOTIFICATION, { roots });
  }
}
