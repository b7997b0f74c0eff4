// Which commits of a flake's git history hold no file that declares clan vars generators, decided
// for every commit reachable from the mirror's branches and tags, each exactly as if its whole tree
// were read with our extractor:
//   1. `git log --raw` lists each commit's changes against its first parent (a root commit's against
//      nothing): every (path, blob) a tree of that history holds appears there, merges included;
//   2. each distinct blob at a `.nix` path is read once: it declares when our extractor finds
//      generators or generator sets it cannot enumerate in it (as the runtime's scan of an input in
//      the Nix store decides, externalModules.ts); a blob that never says `generators` declares none;
//      one too big to read may (as at run time);
//   3. walking the commits parents first, each commit's set of declaring paths is its first parent's
//      with its own changes applied. A commit is empty when that set is.
// A submodule (a gitlink) counts as declaring: its files are not in the history. A `.nix` link
// declares nothing itself; what it points to inside the tree is read as its own file.
// Checking only the commits whose diff adds or removes a line with `generators` (`git log -G`) would
// miss a commit that turns an existing `generators = { };` into a declaration by editing other lines.
import { extractFile } from '../../server/src/facts/file';
import type { NixParser } from '../../server/src/syntax/nixParser';
import { blobReader, git, gitBytes } from './git';

export const MAX_FILE_BYTES = 2_000_000;
const ZERO = '0'.repeat(40);

export interface HistoryVerdict {
  /** Commits reachable from the branches and tags whose tree holds no declaring file. */
  empty: string[];
  /** The others, with (some of) the files that declare at that commit. */
  declaring: Map<string, string[]>;
  /** Distinct .nix blobs read, and those that declare (path of one occurrence). */
  blobs: number;
  declaringBlobs: Map<string, string>;
}

interface Change {
  mode: string;
  blob: string;
  path: string;
}

interface Commit {
  rev: string;
  firstParent: string | null;
  changes: Change[];
}

/** Every commit reachable from the branches and tags, parents first, with its changes against its first parent. */
export function commitsWithChanges(gitDir: string): Commit[] | null {
  const out = gitBytes(gitDir, ['log', '--branches', '--tags', '--topo-order', '--reverse', '--no-renames', '--raw', '-z', '--no-abbrev', '--root', '--diff-merges=first-parent', '--format=%x01%H %P']);
  if (out === null) return null;
  const commits: Commit[] = [];
  // records: "\x01<rev> <parents>\n" then, with -z, ":<mode> <mode> <old> <new> <status>\0<path>\0"...
  for (const record of out.toString('utf8').split('\x01').slice(1)) {
    const nl = record.indexOf('\n');
    const [rev, ...parents] = record.slice(0, nl === -1 ? record.length : nl).replace(/\0/g, '').trim().split(' ').filter(Boolean);
    const fields = nl === -1 ? [] : record.slice(nl + 1).split('\0');
    const changes: Change[] = [];
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i].replace(/^\n/, '');
      if (!f.startsWith(':')) continue;
      const [, dstMode, , dst, status] = f.slice(1).split(' ');
      const p = fields[++i];
      changes.push(status.startsWith('D') ? { mode: '000000', blob: ZERO, path: p } : { mode: dstMode, blob: dst, path: p });
    }
    commits.push({ rev, firstParent: parents[0] ?? null, changes });
  }
  return commits;
}

/** Whether a blob's text declares generators, as our extractor reads it (a throw: it may). */
export function textDeclares(path: string, text: string, parser: NixParser): boolean {
  if (!text.includes('generators')) return false;
  const tree = parser.parse(text);
  try {
    const f = extractFile(`/flake/${path}`, tree, { registry: false, matrix: false }, text, parser);
    return f.generators.length > 0 || f.opaqueGeneratorSources.length > 0;
  } catch {
    return true;
  } finally {
    tree.delete();
  }
}

export function readHistory(gitDir: string, parser: NixParser): HistoryVerdict | null {
  const commits = commitsWithChanges(gitDir);
  if (!commits?.length) return null;
  const isNix = (c: Change) => c.path.endsWith('.nix') && (c.mode === '100644' || c.mode === '100755');
  const firstPath = new Map<string, string>();
  for (const c of commits) for (const ch of c.changes) if (isNix(ch) && !firstPath.has(ch.blob)) firstPath.set(ch.blob, ch.path);
  const contents = blobReader(gitDir).read([...firstPath.keys()], MAX_FILE_BYTES);
  const declaringBlobs = new Map<string, string>();
  for (const [blob, p] of firstPath) {
    const bytes = contents.get(blob);
    if (bytes === null || bytes === undefined || textDeclares(p, bytes.toString('utf8'), parser)) declaringBlobs.set(blob, p);
  }
  const declares = (ch: Change) => ch.mode === '160000' || (isNix(ch) && declaringBlobs.has(ch.blob));
  // each commit's declaring paths; most are empty and share one set
  const NONE: ReadonlySet<string> = new Set();
  const state = new Map<string, ReadonlySet<string>>();
  const empty: string[] = [];
  const declaring = new Map<string, string[]>();
  for (const c of commits) {
    const before = c.firstParent === null ? NONE : state.get(c.firstParent);
    if (!before) {
      // a parent outside the listed history: nothing can be said of this commit
      declaring.set(c.rev, ['(first parent not in the mirror)']);
      state.set(c.rev, new Set(['?']));
      continue;
    }
    let now = before;
    for (const ch of c.changes) {
      const has = now.has(ch.path);
      const will = ch.blob !== ZERO && declares(ch);
      if (has === will) continue;
      const next = new Set(now);
      if (will) next.add(ch.path);
      else next.delete(ch.path);
      now = next.size ? next : NONE;
    }
    state.set(c.rev, now);
    if (now.size) declaring.set(c.rev, [...now].slice(0, 5));
    else empty.push(c.rev);
  }
  return { empty, declaring, blobs: firstPath.size, declaringBlobs };
}

/** Branch names a lock follows besides the default branch: releases (`release-25.11`, `nixos-26.05`, `stable`, `v2`). */
const RELEASE_BRANCH = /^(release|stable|nixos-|nixpkgs-|v\d)|\d+\.\d+/;

/**
 * The commits a lock pins, as far as shipping is concerned: the first-parent chains of the default
 * branch, of release branches (RELEASE_BRANCH) and of the tags, each commit of which was that
 * branch's or tag's head at some time. Commits only on other branches (pull requests, bots) are
 * not shipped: what is said of a commit does not depend on which are.
 */
export function lockableCommits(gitDir: string): Set<string> {
  const head = git(gitDir, ['symbolic-ref', '-q', 'HEAD'])?.trim();
  const refs = (git(gitDir, ['for-each-ref', '--format=%(refname)', 'refs/heads', 'refs/tags']) ?? '').split('\n').filter(Boolean);
  const wanted = refs.filter((r) => r === head || r.startsWith('refs/tags/') || RELEASE_BRANCH.test(r.slice('refs/heads/'.length)));
  const out = new Set<string>();
  for (const ref of wanted) for (const rev of (git(gitDir, ['rev-list', '--first-parent', ref]) ?? '').split('\n')) if (rev) out.add(rev);
  return out;
}
