// Finds the .nix files under a folder, skipping VCS metadata, node_modules, nix build results
// (`result`, `result-*`), other output and the vars a clan generates (`vars/per-machine`,
// `vars/shared`: folders of secrets and values, with a link per recipient); follows links (to folders at most once per real path)
// only when they stay inside the folder (base/confinement.ts): a cloned repository is untrusted, a
// link to `/` must not index the machine, a link into /nix/store must not index the store (a flake
// input is read through the lock, model/inputs/flakeInputs.ts), and a link to a file outside must not be
// read. The scan is bounded by entries and time.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Confinement } from './confinement';

const SKIP_DIRS = new Set(['.git', '.hg', '.svn', '.jj', 'node_modules', '.direnv', '.vscode-test', '.cache']);
/** How far a discovery goes: .nix files found, directory entries looked at (.nix or not), and time (a test lowers them). */
export const DISCOVERY_LIMITS = { files: 200_000, entries: 2_000_000, ms: 30_000 };
/**
 * The walk reads folders synchronously and lets other work in (the server's requests, a
 * cancellation) when it has been busy this long: a read through the thread pool per folder cost
 * three times the walk's time (the 98 clans gathered and in the corpus, 2.4 s against 0.74 s).
 */
const PAUSE_EVERY_MS = 20;

export function isSkippedName(name: string): boolean {
  return SKIP_DIRS.has(name) || name === 'result' || name.startsWith('result-');
}

/**
 * Whether the folder `name` in the folder `parent` (a name) is not walked: a skipped name, or the
 * vars a clan generates (`vars/per-machine`, `vars/shared`: a folder per machine, generator and
 * file, never a .nix file; two thirds of the folders of the 100 public clans, 21,532 of 32,850).
 */
export function isSkippedFolder(parent: string, name: string): boolean {
  return isSkippedName(name) || (parent === 'vars' && (name === 'per-machine' || name === 'shared'));
}

/** True when `file` lies under a skipped directory of `root`. */
export function isSkippedPath(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return true;
  const folders = [path.basename(root), ...rel.split(path.sep).slice(0, -1)];
  for (let i = 1; i < folders.length; i++) if (isSkippedFolder(folders[i - 1], folders[i])) return true;
  return false;
}

/**
 * Where a discovery went through links: the links it followed (a file's or a folder's path as
 * found, to the real path it leads to), the links that lead nowhere (to the path they would lead
 * to), and the folders it did not walk because it had walked their real path under another path
 * already. A file is indexed under the path it was found at; the editor's watcher reports a change
 * under the real path.
 */
export interface FoundLinks {
  followed: Map<string, string>;
  dangling: Map<string, string>;
  notWalked: Set<string>;
}

/** `reads`: the folder's confinement (Confinement.within(root)); `links`, when given, is filled with where the walk went through links. */
export async function discoverNixFiles(
  root: string,
  reads: Confinement,
  log: (line: string) => void = () => {},
  cancel?: { readonly isCancellationRequested: boolean },
  links?: FoundLinks,
): Promise<string[]> {
  const out: string[] = [];
  const seenDirs = new Set<string>();
  const queue = [root];
  /** The real path of a path found in the folder; null when it does not resolve, or leads out of the folder (logged). */
  const inside = (p: string): string | null => {
    const c = reads.confine(p);
    if ('real' in c) return c.real;
    if (c.leadsTo !== null) log(`not following ${p}: it leads to ${c.leadsTo}, outside the workspace folder`);
    return null;
  };
  const { files: maxFiles, entries: maxEntries, ms: maxMs } = DISCOVERY_LIMITS;
  const deadline = performance.now() + maxMs;
  let looked = 0;
  let pauseAt = performance.now() + PAUSE_EVERY_MS;
  for (let head = 0; head < queue.length; head++) {
    if (performance.now() > pauseAt) {
      await new Promise((resolve) => setImmediate(resolve));
      pauseAt = performance.now() + PAUSE_EVERY_MS;
    }
    if (cancel?.isCancellationRequested) break;
    const dir = queue[head];
    const real = inside(dir);
    if (real === null) continue;
    if (seenDirs.has(real)) {
      links?.notWalked.add(dir);
      continue;
    }
    seenDirs.add(real);
    if (looked > maxEntries || performance.now() > deadline) {
      log(`stopped scanning ${root} after ${looked} entries (${Math.round(maxMs / 1000)} s or ${maxEntries} entries at most); ${out.length} .nix files found`);
      return out;
    }
    let entries: import('node:fs').Dirent[];
    try {
      entries = fs.readdirSync(real, { withFileTypes: true });
    } catch (e) {
      log(`skipping directory ${dir}: ${(e as NodeJS.ErrnoException).code ?? e}`);
      continue;
    }
    looked += entries.length;
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const folderName = path.basename(dir);
    for (const entry of entries) {
      if (isSkippedFolder(folderName, entry.name)) continue;
      const full = path.join(dir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        const target = inside(full);
        if (target === null) {
          if (links) noteDangling(links, reads, full, path.join(real, entry.name));
          continue;
        }
        links?.followed.set(full, target);
        try {
          const st = fs.statSync(target);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch {
          continue; // dangling link
        }
      }
      if (isDir) queue.push(full);
      else if (isFile && entry.name.endsWith('.nix')) {
        out.push(full);
        if (out.length >= maxFiles) {
          log(`stopped after ${maxFiles} .nix files under ${root}`);
          return out;
        }
      }
    }
  }
  return out;
}

export function noLinks(): FoundLinks {
  return { followed: new Map(), dangling: new Map(), notWalked: new Set() };
}

/** Notes the link found at `full` (at the real path `at`) when it leads nowhere, with where it would lead. */
function noteDangling(links: FoundLinks, reads: Confinement, full: string, at: string): void {
  const c = reads.confine(full);
  if ('real' in c || c.leadsTo !== null) return; // it leads somewhere: outside
  let text: string;
  try {
    text = fs.readlinkSync(at);
  } catch {
    return; // not a link after all, or gone
  }
  links.dangling.set(full, path.resolve(path.dirname(at), text));
}

/** Every link a discovery met, to where it leads or would lead. */
function* linkTargets(links: FoundLinks): Iterable<[string, string]> {
  yield* links.followed;
  yield* links.dangling;
}

/** `p` and each folder above it. */
function* pathAndFolders(p: string): Iterable<string> {
  for (let at = p, up = path.dirname(at); ; at = up, up = path.dirname(at)) {
    yield at;
    if (up === at) return;
  }
}

/** Whether `p` is one of `paths` or lies below one (its folders looked up: a clan's sops secrets bring a link each). */
export function atOrBelowAny(p: string, paths: ReadonlySet<string>): boolean {
  for (const at of pathAndFolders(p)) if (paths.has(at)) return true;
  return false;
}

/**
 * What the questions below look up in, made from a discovery's notes once it is done (on the first
 * question): the links by where they lead or would lead, by each folder above that, and every link,
 * place a link to nothing would lead to, and folder above them (changesWalk).
 */
interface LinkLookup {
  byTarget: Map<string, string[]>;
  byFolderAboveTarget: Map<string, string[]>;
  changingWalk: Set<string>;
}

const lookups = new WeakMap<FoundLinks, LinkLookup>();

function lookupOf(links: FoundLinks): LinkLookup {
  const had = lookups.get(links);
  if (had) return had;
  const l: LinkLookup = { byTarget: new Map(), byFolderAboveTarget: new Map(), changingWalk: new Set() };
  const add = (m: Map<string, string[]>, k: string, v: string) => (m.get(k) ?? m.set(k, []).get(k)!).push(v);
  for (const [link, target] of linkTargets(links)) {
    add(l.byTarget, target, link);
    // (a link is noted only when it leads, or would lead, inside the folder: never to / itself)
    for (const dir of pathAndFolders(path.dirname(target))) add(l.byFolderAboveTarget, dir, link);
    for (const at of pathAndFolders(link)) l.changingWalk.add(at);
  }
  for (const target of links.dangling.values()) for (const at of pathAndFolders(target)) l.changingWalk.add(at);
  lookups.set(links, l);
  return l;
}

/**
 * The other paths a discovery with `links` found what is at `p` under, through a link it followed:
 * for `p` at or below where a link leads, the same place below the link; for `p` above where it
 * leads (a folder holding its target), the link itself.
 */
export function pathsThroughLinks(links: FoundLinks, p: string): string[] {
  const { byTarget, byFolderAboveTarget } = lookupOf(links);
  const out: string[] = [];
  for (const at of pathAndFolders(p)) for (const link of byTarget.get(at) ?? []) out.push(link + p.slice(at.length));
  out.push(...(byFolderAboveTarget.get(p) ?? []));
  return out;
}

/** Whether `p` lies in a folder the discovery with `links` did not walk (it walked its real path under another path). */
export function inFolderNotWalked(links: FoundLinks, p: string): boolean {
  return atOrBelowAny(p, links.notWalked);
}

/**
 * Whether a change at `p` may change which paths a discovery finds: `p` is a link now, or is (or
 * holds) a link the discovery with `links` met, or where one that led nowhere would lead. A change
 * where a followed link leads, or below, is a change of what is found under the link too
 * (pathsThroughLinks): its target gone, the link leads nowhere and what was found under it is gone.
 */
export function changesWalk(links: FoundLinks, p: string): boolean {
  if (lookupOf(links).changingWalk.has(p)) return true;
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * The order discoverNixFiles finds files in (folder by folder, breadth first, each folder's entries
 * by name), as a comparison of two paths under one root: fewer folders deep first, then part by
 * part by name. The clan's order of files and declarations (model/workspaceIndex.ts filesByRoot).
 */
export function discoveryOrder(a: string, b: string): number {
  const depth = depthOf(a) - depthOf(b);
  if (depth !== 0) return depth;
  // the same depth: the first part that differs decides; a part that ends first comes first
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x === SLASH) return -1;
    if (y === SLASH) return 1;
    return x - y;
  }
  return a.length - b.length;
}

const SLASH = 47;

function depthOf(p: string): number {
  let n = 0;
  for (let i = p.indexOf('/'); i !== -1; i = p.indexOf('/', i + 1)) n++;
  return n;
}

/** Puts a map keyed by file in the order a scan finds the files, in place (whoever holds the map sees it so); nearly in order already, it is one pass. */
export function inScanOrder<T>(files: Map<string, T>): void {
  const sorted = [...files].sort(([a], [b]) => discoveryOrder(a, b));
  files.clear();
  for (const [file, v] of sorted) files.set(file, v);
}

/**
 * Keeps a map in scan order after `file` was added to it (appended): `last` is the file placed last
 * (or one after it, once that file is gone). A file after it stays where it is, the scan's case;
 * one among the others puts the map in order again. The file placed last now, and whether the
 * map was ordered again.
 */
export function addedInScanOrder<T>(files: Map<string, T>, file: string, last: string | undefined): { last: string; reordered: boolean } {
  if (last === undefined || discoveryOrder(last, file) <= 0) return { last: file, reordered: false };
  inScanOrder(files);
  return { last, reordered: true };
}
