// Reading bare git mirrors (the `fetch` tool's snapshots) for scripts/known-inputs.ts: argv only,
// no shell, no hooks or filters run (only plumbing commands that read objects).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A git command's stdout; null when it fails. */
export function git(gitDir: string, args: string[], input?: string | Buffer): string | null {
  const out = gitBytes(gitDir, args, input);
  return out === null ? null : out.toString('utf8');
}

export function gitBytes(gitDir: string, args: string[], input?: string | Buffer): Buffer | null {
  try {
    return execFileSync('git', ['--git-dir', gitDir, '-c', 'core.quotePath=false', ...args], { maxBuffer: 2 * 1024 ** 3, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'ignore'], input });
  } catch {
    return null;
  }
}

/** The full hash of a commit, when the mirror has it. */
export function commitOf(gitDir: string, rev: string): string | null {
  if (!/^[0-9a-f]{7,40}$/i.test(rev)) return null;
  const out = git(gitDir, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`])?.trim();
  return out && /^[0-9a-f]{40}$/.test(out) ? out : null;
}

export function commitTime(gitDir: string | null, rev: string): number | null {
  const t = gitDir ? git(gitDir, ['show', '-s', '--format=%ct', `${rev}^{commit}`]) : null;
  return t && /^\d+\s*$/.test(t) ? Number(t) : null;
}

export function commitDate(gitDir: string, rev: string): string {
  return git(gitDir, ['show', '-s', '--format=%cs', `${rev}^{commit}`])?.trim() ?? '';
}

/** The head of the mirror's default branch, and its date. */
export function snapshotHead(gitDir: string): { rev: string; date: string } | null {
  const line = git(gitDir, ['log', '-1', 'HEAD', '--format=%H %cs'])?.trim();
  const m = line && /^([0-9a-f]{40}) (\S+)$/.exec(line);
  return m ? { rev: m[1], date: m[2] } : null;
}

/**
 * The bare git directory of the mirror of `owner/name` in `mirrors` (`<owner>+<name>/repo` or the
 * folder itself; names compared without case); null when there is none.
 */
export function mirrorOf(mirrors: string, ownerName: string): string | null {
  if (!fs.existsSync(mirrors)) return null;
  const want = ownerName.replace('/', '+').toLowerCase();
  const folder = fs.readdirSync(mirrors).find((n) => n.toLowerCase() === want);
  if (!folder) return null;
  for (const d of [path.join(mirrors, folder, 'repo'), path.join(mirrors, folder)]) if (git(d, ['rev-parse', '--git-dir']) !== null) return d;
  return null;
}

export interface BlobReader {
  /** The contents of blobs by id; too big ones (over `maxBytes`) are reported as null. */
  read(ids: string[], maxBytes: number): Map<string, Buffer | null>;
}

/** Reads blobs with `git cat-file`, sizes first, then contents in chunks of at most 64 MiB. */
export function blobReader(gitDir: string): BlobReader {
  return {
    read(ids, maxBytes) {
      const out = new Map<string, Buffer | null>();
      if (!ids.length) return out;
      const sizes = new Map<string, number>();
      for (const line of (git(gitDir, ['cat-file', '--batch-check=%(objectname) %(objecttype) %(objectsize)'], ids.join('\n') + '\n') ?? '').split('\n')) {
        const [id, type, size] = line.split(' ');
        if (type === 'blob') sizes.set(id, Number(size));
      }
      let chunk: string[] = [];
      let bytes = 0;
      const flush = () => {
        if (!chunk.length) return;
        const data = gitBytes(gitDir, ['cat-file', '--batch'], chunk.join('\n') + '\n');
        let at = 0;
        while (data && at < data.length) {
          const nl = data.indexOf(10, at);
          const [id, , size] = data.subarray(at, nl).toString('latin1').split(' ');
          const n = Number(size);
          out.set(id, Buffer.from(data.subarray(nl + 1, nl + 1 + n)));
          at = nl + 1 + n + 1;
        }
        chunk = [];
        bytes = 0;
      };
      for (const id of ids) {
        const size = sizes.get(id);
        if (size === undefined || size > maxBytes) {
          out.set(id, null);
          continue;
        }
        if (bytes + size > 64 * 1024 * 1024) flush();
        chunk.push(id);
        bytes += size;
      }
      flush();
      return out;
    },
  };
}
