// One workspace folder analysed: the index of its files' facts, the per-clan models built from
// them, and the rules run over those models. Server, checker and tests use this.
import * as path from 'node:path';
import { ClanModels } from '../model/clanModels';
import type { ClanModel } from '../model/clanModel';
import type { Problem } from '../base/types';
import type { NixParser } from '../syntax/nixParser';
import { RuleEngine } from './engine';
import type { AnalysisSettings } from '../base/settings';
import { WorkspaceIndex, type Log } from '../model/workspaceIndex';
import { atOrBelowAny, changesWalk, discoverNixFiles, inFolderNotWalked, isSkippedPath, noLinks, pathsThroughLinks } from '../base/discover';

export class WorkspaceAnalysis extends WorkspaceIndex {
  readonly models: ClanModels;
  readonly engine: RuleEngine;

  constructor(folder: string, settings: AnalysisSettings, parser: NixParser, log: Log = () => {}) {
    super(folder, settings, parser, log);
    this.models = new ClanModels(this);
    this.engine = new RuleEngine(this, this.models, log);
  }

  /**
   * The writer's last step (../shared/DESIGN.md, one writer): applies the evaluations that landed
   * and brings every clan's model up to date, its machines included, so that what handlers read
   * next is built already and a read changes no version, cache or shared structure. The server
   * runs it after it applied the editor's changes and before any handler (LanguageServer's
   * syncDocuments) and before it publishes; the checker before it reads. Without `landed`, the
   * evaluations that landed are left for the next full commit (the publish their landing schedules):
   * a request about one document does not rebuild the machines of a clan for them (40-65 ms at 500
   * machines), it is answered from the evaluation settled before.
   */
  commit(landed = true): void {
    if (landed) this.applyDue();
    // every clan the engine reads, one whose files are all gone too (its findings are cleared there)
    for (const root of this.filesByRoot().keys()) {
      this.settle(root);
      this.models.clan(root).machineModel();
    }
  }

  /** The model of one clan: after commit, the one it built (the checker and tests may read before it: the model is then built here). */
  clan(root: string): ClanModel {
    this.settle(root);
    return this.models.clan(root);
  }

  clanOf(file: string): ClanModel {
    return this.clan(this.clanRootOf(file));
  }

  /**
   * The editor's watcher saw `file` change on disk (saved, created or deleted; open in the editor or
   * not): when an evaluation of its clan's module structure read it or a folder above it (a file
   * that `import`s data, a folder listed with `builtins.readDir`), the structure is read again.
   * True when it was.
   */
  changedOnDisk(file: string): boolean {
    const root = this.clanRootOf(file);
    const reads = this.models.readsOnDisk(root);
    if (!reads?.size) return false;
    for (let p = file; p.startsWith(root); p = path.dirname(p)) {
      if (reads.has(p)) {
        this.structureChanged(root);
        return true;
      }
      if (p === root) break;
    }
    return false;
  }

  /**
   * One change the editor's watcher reports (`deleted`, or created or changed), as the server takes
   * it (watchedFilesChanged). True when a link came, went or changed: the open documents are to be
   * indexed again.
   */
  watchedFileChanged(file: string, deleted: boolean, isOpen: (file: string) => boolean = () => false): Promise<boolean> {
    return this.watchedFilesChanged([{ file, deleted }], isOpen);
  }

  /**
   * The changes the editor's watcher reports at once, each at the path reported and at every path
   * the scan found it under through a link (the watcher reports a path as it really is). Where a
   * link came, went or changed, the folder is listed again first, once for all of them
   * (linksChanged: `clan vars generate` makes a link per secret). True when it was:
   * the open documents are to be indexed again.
   */
  async watchedFilesChanged(changes: { file: string; deleted: boolean }[], isOpen: (file: string) => boolean = () => false): Promise<boolean> {
    // a link below a folder the discovery skips (`clan vars generate` makes one per secret and recipient) changes nothing it finds
    const walk = changes.filter((c) => !isSkippedPath(this.folder, c.file) && changesWalk(this.links, c.file)).map((c) => c.file);
    if (walk.length) await this.linksChanged(walk, isOpen);
    for (const { file, deleted } of changes) {
      await this.changedAt(file, deleted, isOpen);
      // what is found through a link to an open document is the editor's text too (updateFromDocument)
      const open = isOpen(file);
      for (const at of pathsThroughLinks(this.links, file)) await this.changedAt(at, deleted, (f) => open || isOpen(f));
    }
    return walk.length > 0;
  }

  /**
   * A link in the folder came, went or changed (base/discover.ts changesWalk) at the paths `changed`: the
   * folder's files are listed again, and where they are found through a link, or no longer found
   * (a folder now walked under another path, a link that leads nowhere now), each is read again or
   * forgotten, the open documents (`isOpen`) aside; a changed path itself is left to the change that
   * reports it (watchedFilesChanged reads it next). The open documents are then to
   * be indexed again (updateFromDocument: their texts may be other paths' now).
   */
  private async linksChanged(changed: string[], isOpen: (file: string) => boolean): Promise<void> {
    const next = noLinks();
    const found = new Set(await discoverNixFiles(this.folder, this.reads, this.log, undefined, next));
    const marks = new Set([...changed, ...[this.links, next].flatMap((l) => [...l.followed.keys(), ...l.dangling.keys(), ...l.notWalked])]);
    const changedHere = new Set(changed);
    this.links = next;
    for (const f of [...this.facts.keys()]) if (!found.has(f) && atOrBelowAny(f, marks) && !isOpen(f)) this.remove(f);
    for (const f of found) if (!changedHere.has(f) && atOrBelowAny(f, marks) && !isOpen(f) && (atOrBelowAny(f, changedHere) || !this.facts.has(f))) await this.updateFromDisk(f);
  }

  /**
   * A change at one path: the module structure read again when its evaluation read the file; an
   * open document (`isOpen`) is the editor's, its text on disk aside; else the clan's vars, machines
   * and structure files noted, a deleted folder's files and a deleted .nix file forgotten, a .nix
   * file read again, unless it lies in a folder the scan walked under another path.
   */
  private async changedAt(file: string, deleted: boolean, isOpen: (file: string) => boolean): Promise<void> {
    this.changedOnDisk(file);
    if (isOpen(file)) return;
    this.varsChanged(file);
    this.structureFileChanged(file);
    // a deleted directory takes everything below it (its name may end in .nix too), except the
    // open documents: like an open file deleted on its own, they live on in the editor
    if (deleted) for (const f of [...this.facts.keys()]) if (f.startsWith(file + path.sep) && !isOpen(f)) this.remove(f);
    if (!file.endsWith('.nix') || !this.contains(file)) return;
    if (deleted) this.remove(file);
    else if (!inFolderNotWalked(this.links, file)) await this.updateFromDisk(file);
  }

  /** Problems per file, for every file that has any. */
  allProblems(): Map<string, Problem[]> {
    this.commit();
    return this.engine.allProblems();
  }

  /** allProblems in steps, a rule at a time (RuleEngine.allProblemsSteps): null when the clan changed between two steps. */
  *allProblemsSteps(): Generator<void, Map<string, Problem[]> | null> {
    this.commit();
    return yield* this.engine.allProblemsSteps();
  }

  /** Every version and revision of the index and its models (a read changes none: test/server/reads-dont-write.test.ts). */
  override revisions(): string {
    return `${super.revisions()} ${this.models.revisions()}`;
  }

  override async reconfigure(settings: AnalysisSettings): Promise<void> {
    this.models.clear();
    this.engine.clear();
    await super.reconfigure(settings);
  }
}
