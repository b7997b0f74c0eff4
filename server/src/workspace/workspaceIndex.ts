// The cross-file index of one workspace folder: the facts of every .nix file, which clan each file
// belongs to, and the problems the rules find. Files are parsed once, summarised, and their trees
// deleted; after that, only changed files are re-read.
import * as path from 'node:path';
import { extractFile, type FileRoles } from '../extract/file';
import type { FileFacts, Problem } from '../model/types';
import type { NixParser, Tree } from '../parse/nixParser';
import { runRules } from '../rules';
import { buildClanModel, type ClanModel } from './clanModel';
import { discoverNixFiles, isSkippedPath } from './discover';
import { checkEditorText, readNixFile } from './readNixFile';
import type { AnalysisSettings } from './settings';
import { invalidateVarsOnDisk, isVarsPath } from './varsOnDisk';

export type Log = (line: string) => void;

const READ_CONCURRENCY = 32;

export class WorkspaceIndex {
  readonly facts = new Map<string, FileFacts>();
  private flakeDirs = new Set<string>();
  private models = new Map<string, ClanModel>();
  private problems = new Map<string, Problem[]>();
  private dirty = new Set<string>();
  private allDirty = true;

  constructor(
    readonly folder: string,
    private settings: AnalysisSettings,
    private readonly parser: NixParser,
    private readonly log: Log = () => {},
  ) {}

  getSettings(): AnalysisSettings {
    return this.settings;
  }

  contains(file: string): boolean {
    return !isSkippedPath(this.folder, file);
  }

  /** Reads and indexes every .nix file of the folder. */
  async scan(): Promise<void> {
    invalidateVarsOnDisk();
    const files = await discoverNixFiles(this.folder, this.log);
    let next = 0;
    const texts = new Map<string, string>();
    const worker = async () => {
      while (next < files.length) {
        const file = files[next++];
        const r = await readNixFile(file, this.settings.maxFileSize);
        if ('text' in r) texts.set(file, r.text);
        else this.skip(file, r.skipped);
      }
    };
    await Promise.all(Array.from({ length: READ_CONCURRENCY }, worker));
    for (const file of files) {
      const text = texts.get(file);
      if (text !== undefined) this.updateFromText(file, text);
    }
    this.allDirty = true;
  }

  /** Settings changed: roles of files may change, so everything is read again. */
  async reconfigure(settings: AnalysisSettings): Promise<void> {
    this.settings = settings;
    this.facts.clear();
    this.flakeDirs.clear();
    await this.scan();
  }

  /** Indexes `text` as the content of `file`. With `tree` (an open document's), that tree is used and kept. */
  updateFromText(file: string, text: string, tree?: Tree): void {
    const tooBig = checkEditorText(text, this.settings.maxFileSize);
    if (tooBig) return this.skip(file, tooBig);
    let own: Tree | undefined;
    try {
      const t = tree ?? (own = this.parser.parse(text));
      this.set(file, extractFile(file, t, this.roles(file)));
    } catch (e) {
      this.skip(file, `could not be analysed: ${(e as Error).message}`);
    } finally {
      own?.delete();
    }
  }

  async updateFromDisk(file: string): Promise<void> {
    const r = await readNixFile(file, this.settings.maxFileSize);
    if ('text' in r) this.updateFromText(file, r.text);
    else if (r.skipped.startsWith('cannot be read: ENOENT')) this.remove(file);
    else this.skip(file, r.skipped);
  }

  remove(file: string): void {
    if (!this.facts.has(file)) return;
    this.markDirty(file);
    this.facts.delete(file);
    if (path.basename(file) === 'flake.nix') {
      this.flakeDirs.delete(path.dirname(file));
      this.allDirty = true;
    }
  }

  /** A file changed on disk: when it is under a clan's vars/, sops/ or secrets/, that clan's on-disk view is read again. */
  varsChanged(file: string): boolean {
    const root = this.clanRootOf(file);
    if (!isVarsPath(root, file)) return false;
    invalidateVarsOnDisk(root);
    this.dirty.add(root);
    return true;
  }

  private skip(file: string, reason: string): void {
    this.log(`skipping ${file}: ${reason}`);
    this.set(file, { file, generators: [], opaqueGeneratorSources: [], importApplies: [], skipped: reason });
  }

  private set(file: string, facts: FileFacts): void {
    this.facts.set(file, facts);
    if (path.basename(file) === 'flake.nix' && !this.flakeDirs.has(path.dirname(file))) {
      this.flakeDirs.add(path.dirname(file));
      this.allDirty = true;
    }
    this.markDirty(file);
  }

  private markDirty(file: string): void {
    this.dirty.add(this.clanRootOf(file));
  }

  private roles(file: string): FileRoles {
    const ends = (rel: string) => file.endsWith(path.sep + path.normalize(rel));
    return { registry: ends(this.settings.registryPath), matrix: ends(this.settings.matrixPath) };
  }

  /** The clan a file belongs to: the nearest directory with a flake.nix, else the folder. */
  clanRootOf(file: string): string {
    for (let dir = path.dirname(file); dir.startsWith(this.folder); dir = path.dirname(dir)) {
      if (this.flakeDirs.has(dir)) return dir;
      if (dir === this.folder || dir === path.dirname(dir)) break;
    }
    return this.folder;
  }

  /** The model of one clan, rebuilt when one of its files changed. */
  clan(root: string): ClanModel {
    this.refresh();
    return this.models.get(root) ?? buildClanModel(root, this.settings, new Map());
  }

  clanOf(file: string): ClanModel {
    return this.clan(this.clanRootOf(file));
  }

  /** Problems per file, for every file that has any. */
  allProblems(): Map<string, Problem[]> {
    this.refresh();
    return this.problems;
  }

  private refresh(): void {
    if (!this.allDirty && this.dirty.size === 0) return;
    const roots = new Map<string, Map<string, FileFacts>>();
    const wanted = this.allDirty ? null : this.dirty;
    for (const [file, facts] of this.facts) {
      const root = this.clanRootOf(file);
      if (wanted && !wanted.has(root)) continue;
      let m = roots.get(root);
      if (!m) roots.set(root, (m = new Map()));
      m.set(file, facts);
    }
    if (this.allDirty) {
      this.models.clear();
      this.problems = new Map();
    } else {
      for (const root of this.dirty) this.models.delete(root);
      for (const [file] of this.problems) if (this.dirty.has(this.clanRootOf(file))) this.problems.delete(file);
    }
    for (const root of wanted ?? []) if (!roots.has(root)) roots.set(root, new Map());
    for (const [root, files] of roots) {
      const model = buildClanModel(root, this.settings, files);
      this.models.set(root, model);
      for (const p of runRules(model, (code, e) => this.log(`rule ${code} failed in ${root}: ${(e as Error).stack ?? e}`))) {
        const list = this.problems.get(p.file);
        if (list) list.push(p);
        else this.problems.set(p.file, [p]);
      }
    }
    this.dirty.clear();
    this.allDirty = false;
  }
}
