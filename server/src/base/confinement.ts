// The one rule for every read a workspace names (DESIGN.md, round four): a path is read only when,
// its links resolved, it lies inside the root it is named under. A clan's reads have the clan's
// folder as their root; the scan, the workspace folder; a flake input's files, the input's store
// path (model/inputs/flakeInputs.ts decides which store paths are roots). Anything else is outside: a read
// of it fails with a WorkspaceReadError of code EOUTSIDE whose message names the path, never what is
// in it, and a listing or a stat of it finds nothing. A file that is never read cannot be quoted by a
// parse error, an "undefined variable" or a `throw`.
//
// Links that stay inside are followed (a clan may link its files to each other). The check is made on
// the real path (realpath) before anything is opened, so nothing outside is ever opened (a link to a
// device included); the file read is that real path, opened without following a link and, on Linux,
// checked on its descriptor (base/readWorkspaceFile.ts readResolvedFile). Every read resolves its
// path anew: a folder's real path remembered from an earlier read is no check of where the path
// leads now (the folder may have been swapped for a link out since, by a checkout), and opening
// through it would open what is out there (a FIFO, a device, a socket) before any check could refuse it.
import type * as FS from 'node:fs';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MAX_WORKSPACE_READ, readResolvedFile, readResolvedFileAsync, WorkspaceReadError } from './readWorkspaceFile';

/** A folder reads may stay in: as paths name it, and as it resolves (null: it does not, nothing is inside). */
export interface ReadRoot {
  dir: string;
  real: string | null;
}

/**
 * Where a path leads: its real path (which may not exist yet) inside its root, or why it is
 * outside, with the real path it leads to when it resolves (null: named under no root, or a link
 * that resolves nowhere).
 */
export type Confined = { real: string } | { outside: string; leadsTo: string | null };

function isUnder(p: string, dir: string): boolean {
  return p === dir || p.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);
}

/** The real path of `p`, links resolved; null when it does not resolve (missing, a loop, no access). */
function realPath(p: string): string | null {
  try {
    return fs.realpathSync.native(p);
  } catch {
    return null;
  }
}

export class Confinement {
  private constructor(readonly roots: readonly ReadRoot[]) {}

  /** Reads inside these folders, each resolved now. */
  static within(...dirs: string[]): Confinement {
    return new Confinement(dirs.map((d) => path.resolve(d)).map((dir) => ({ dir, real: realPath(dir) })));
  }

  /**
   * The innermost root `p` is named under, and the folder it is named under: the deepest of the roots'
   * folders as they are named and as they resolve (by the folder's length: all are prefixes of `p`).
   */
  private rootOf(p: string): { root: ReadRoot; under: string } | null {
    let best: { root: ReadRoot; under: string } | null = null;
    for (const root of this.roots) {
      for (const under of [root.dir, root.real]) {
        if (under !== null && isUnder(p, under) && (!best || under.length > best.under.length)) best = { root, under };
      }
    }
    return best;
  }

  /**
   * Where `p` leads, links resolved: inside its root, or outside (named under no root, or leading out
   * of its root through a link). A path that does not exist is placed by its nearest existing folder.
   */
  confine(file: string): Confined {
    const c = this.place(file);
    return 'real' in c ? c : { outside: c.outside, leadsTo: c.leadsTo };
  }

  /** `confine`, with the code a read of an outside path fails with: ENOENT through a dangling link, else EOUTSIDE. */
  private place(file: string): { real: string } | { outside: string; leadsTo: string | null; code: string } {
    const p = path.resolve(file);
    const found = this.rootOf(p);
    if (!found) return { outside: `${p} is outside ${this.describe()}`, leadsTo: null, code: 'EOUTSIDE' };
    const { root, under } = found;
    if (root.real === null) return { outside: `${under} does not resolve`, leadsTo: null, code: 'ENOENT' };
    let existing = p;
    const missing: string[] = [];
    let real = realPath(existing);
    while (real === null) {
      // missing (or a file where a folder should be) below an existing folder, or a link that resolves nowhere
      if (existing === under || existing === path.dirname(existing)) return { outside: `${under} does not resolve`, leadsTo: null, code: 'ENOENT' };
      if (isLink(existing)) return { outside: `${p} goes through a link that does not resolve`, leadsTo: null, code: 'ENOENT' };
      missing.unshift(path.basename(existing));
      existing = path.dirname(existing);
      real = realPath(existing);
    }
    const full = missing.length ? path.join(real, ...missing) : real;
    if (!isUnder(full, root.real)) return { outside: `${p} leads to ${full}, outside ${under}`, leadsTo: full, code: 'EOUTSIDE' };
    return { real: full };
  }

  /** The real path of `file`, inside; throws WorkspaceReadError (EOUTSIDE, or ENOENT through a dangling link) otherwise. */
  private resolved(file: string): string {
    const c = this.place(file);
    if ('outside' in c) throw new WorkspaceReadError(c.code, c.outside);
    return c.real;
  }

  /** The bytes of a regular file inside, of at most `max` bytes; throws WorkspaceReadError otherwise. */
  read(file: string, max = MAX_WORKSPACE_READ): Buffer {
    return readResolvedFile(this.resolved(file), max);
  }

  /** `read`, decoded as UTF-8 (invalid sequences become U+FFFD). */
  readText(file: string, max = MAX_WORKSPACE_READ): string {
    return this.read(file, max).toString('utf8');
  }

  /** `read`, asynchronously. */
  async readAsync(file: string, max = MAX_WORKSPACE_READ): Promise<Buffer> {
    return readResolvedFileAsync(this.resolved(file), max);
  }

  /** The entries of a folder inside; throws WorkspaceReadError otherwise. */
  list(dir: string): FS.Dirent[] {
    return this.listing(dir).entries;
  }

  /** The entries of a folder inside, and the real path they were listed at; throws WorkspaceReadError otherwise. */
  private listing(dir: string): { real: string; entries: FS.Dirent[] } {
    const real = this.resolved(dir);
    try {
      return { real, entries: fs.readdirSync(real, { withFileTypes: true }) };
    } catch (e) {
      throw new WorkspaceReadError((e as NodeJS.ErrnoException).code ?? 'EIO', (e as Error).message);
    }
  }

  /** The entries of a folder inside, sorted by name; none when it is outside or cannot be listed. */
  entries(dir: string): FS.Dirent[] {
    try {
      return this.list(dir).sort(byName);
    } catch {
      return [];
    }
  }

  /** What `p` is, links followed; null when it is outside or does not exist. */
  stat(p: string): FS.Stats | null {
    const c = this.confine(p);
    if ('outside' in c) return null;
    try {
      return fs.statSync(c.real);
    } catch {
      return null;
    }
  }

  isFile(p: string): boolean {
    return this.stat(p)?.isFile() ?? false;
  }

  isDirectory(p: string): boolean {
    return this.stat(p)?.isDirectory() ?? false;
  }

  /**
   * `entries`, each with what it says when it is a link (its text, not followed; null for anything
   * else): what `linkText` answers for each, from one look at where the folder leads.
   */
  entriesWithLinks(dir: string): ListedEntry[] {
    let listed: { real: string; entries: FS.Dirent[] };
    try {
      listed = this.listing(dir);
    } catch {
      return [];
    }
    const { real, entries } = listed;
    return entries.sort(byName).map((entry) => ({ entry, link: entry.isSymbolicLink() ? linkAt(path.join(real, entry.name)) : null }));
  }

  /** The names of the folders in `dir` (not hidden ones, not links); none when it is outside or cannot be read. */
  folderNames(dir: string): string[] {
    return this.entries(dir)
      .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
      .map((e) => e.name);
  }

  /** The Nix file a path names: the file itself, or a folder's `default.nix`; null when there is none inside. */
  nixFileAt(p: string): string | null {
    if (this.isFile(p)) return p;
    const def = path.join(p, 'default.nix');
    return this.isDirectory(p) && this.isFile(def) ? def : null;
  }

  /**
   * What the link at `p` says (its text, not followed), when `p` is a link in a folder inside; null
   * when it is not a link, or its folder is outside.
   */
  linkText(p: string): string | null {
    const dir = this.confine(path.dirname(path.resolve(p)));
    if ('outside' in dir) return null;
    const at = path.join(dir.real, path.basename(p));
    return linkAt(at);
  }

  private describe(): string {
    return this.roots.length === 1 ? this.roots[0].dir : `the ${this.roots.length} folders reads may go to`;
  }
}

/** A folder's entry as its listing shows it, with its text when it is a link (Confinement.entriesWithLinks). */
export interface ListedEntry {
  entry: FS.Dirent;
  link: string | null;
}

function byName(a: FS.Dirent, b: FS.Dirent): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** What the link at the real path `at` says; null when it is no link (EINVAL), is not there, or cannot be read. */
function linkAt(at: string): string | null {
  try {
    return fs.readlinkSync(at);
  } catch {
    return null;
  }
}

function isLink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}
