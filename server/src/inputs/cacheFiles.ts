// The files of the on-disk caches (workspace/factsCache.ts, resultCache.ts): where they live, the
// build of Clan Vars that wrote them, one file per workspace folder, build and kind, written
// atomically and readable only by their owner, the newest 16 of each kind kept.
//
// A cache file decides what the checker prints (a stored result is printed as it is), so only a
// cache folder no repository can have written is used: not inside a folder being checked or the
// repository it is in (CI that keeps its caches with the checkout), owned by this process's user
// and writable by no one else; each file is read as a regular file of that user's, writable by no
// one else, through the bounded reader (a FIFO or a device never blocks), and written under a
// random temporary name that nothing planted can redirect (workspace/safeWrite.ts).
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readWorkspaceFile, WorkspaceReadError } from '../base/readWorkspaceFile';
import { writeFileAtomic } from '../base/safeWrite';

const KEEP = 16;
/** The names this code gives cache files (nothing else in the folder is ever pruned). */
const CACHE_NAME = /^[0-9a-f]{24}-[0-9a-f]{16}\.[a-z]+$/;

export function cacheDirectory(env: NodeJS.ProcessEnv = process.env): string | null {
  const set = env.CLAN_VARS_CACHE_DIR;
  if (set !== undefined) return set === '' || set === 'off' ? null : path.resolve(set);
  const base = env.XDG_CACHE_HOME ? env.XDG_CACHE_HOME : path.join(os.homedir(), '.cache');
  return path.join(base, 'clan-vars');
}

let build: string | null | undefined;

/** The running build: this bundle and the grammar. null when running from sources (tests under tsx), where no cache is used. */
export function buildId(): string | null {
  if (build !== undefined) return build;
  try {
    if (!__filename.endsWith('.js')) return (build = null);
    const h = createHash('sha256').update(fs.readFileSync(__filename));
    const grammar = path.join(path.dirname(__filename), '..', 'grammars', 'tree-sitter-nix.wasm');
    if (fs.existsSync(grammar)) h.update(fs.readFileSync(grammar));
    return (build = h.digest('hex').slice(0, 16));
  } catch {
    return (build = null);
  }
}

/** The folders analysed by this process, real paths: a cache folder inside one of them, or its repository, is not used. */
const analysed = new Map<string, { real: string; repository: string | null }>();

/** Notes a folder this process analyses (the checker notes all its folders before the first is checked). */
export function noteAnalysedFolder(folder: string): void {
  const key = path.resolve(folder);
  if (analysed.has(key)) return;
  const real = realPath(key);
  analysed.set(key, { real, repository: repositoryOf(real) });
}

/** The real path of `p`, or of its nearest existing ancestor joined with the rest (a cache folder may not exist yet). */
function realPath(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    const parent = path.dirname(p);
    return parent === p ? p : path.join(realPath(parent), path.basename(p));
  }
}

/** The nearest folder at or above `dir` holding `.git`: the repository a checkout is in. */
function repositoryOf(dir: string): string | null {
  for (let d = dir; ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, '.git'))) return d;
    if (path.dirname(d) === d) return null;
  }
}

const within = (p: string, dir: string) => p === dir || p.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);

/** Why an existing file or folder must not be trusted as a cache (another user's, or writable by others), or null. */
export function ownershipProblem(st: fs.Stats): string | null {
  if (process.platform === 'win32') return null; // no owners or group bits to check there
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) return `it belongs to user ${st.uid}, not to this process's user ${uid}`;
  if (st.mode & 0o022) return `it is writable by its group or others (mode ${(st.mode & 0o777).toString(8)})`;
  return null;
}

/** Why the cache folder `dir` must not be used, or null. */
function distrust(dir: string): string | null {
  const real = realPath(dir);
  for (const { real: folder, repository } of analysed.values()) {
    if (within(real, folder)) return `it is inside the folder checked (${folder}), where a repository could have put its files`;
    if (repository && within(real, repository)) return `it is inside ${repository}, the repository of the folder checked, where the repository could have put its files`;
  }
  let st: fs.Stats;
  try {
    st = fs.statSync(real);
  } catch {
    return null; // made (mode 0700) when the first cache file is written
  }
  return st.isDirectory() ? ownershipProblem(st) : 'it is not a folder';
}

/** What was logged already: a refused folder is told once per process, not once per cache kind. */
const told = new Set<string>();

/**
 * `<cache dir>/<folder hash>-<build><suffix>`: the cache file of a folder, or null when caching is
 * off, not possible here, or the cache folder cannot be trusted (then `log` tells why, once).
 */
export function cacheFileOf(folder: string, suffix: string, log: (line: string) => void, env: NodeJS.ProcessEnv = process.env): string | null {
  const dir = cacheDirectory(env);
  const id = buildId();
  if (!dir || !id) return null;
  noteAnalysedFolder(folder);
  const refused = distrust(dir);
  if (refused) {
    const line = `not using the cache folder ${dir}: ${refused}; checking without a cache`;
    if (!told.has(line)) log(line);
    told.add(line);
    return null;
  }
  const name = createHash('sha256').update(path.resolve(folder)).digest('hex').slice(0, 24);
  return path.join(dir, `${name}-${id}${suffix}`);
}

/**
 * The bytes of a cache file: a regular file (not a link) of this process's user, writable by no
 * one else, of at most `max` bytes. Throws an Error whose message says why not; `code` ENOENT when
 * there is none yet.
 */
export function readCacheFile(file: string, max: number): Buffer {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(file);
  } catch (e) {
    throw new WorkspaceReadError((e as NodeJS.ErrnoException).code ?? 'EIO', 'no such file');
  }
  if (!st.isFile()) throw new WorkspaceReadError('ENOTREG', 'not a regular file');
  const problem = ownershipProblem(st);
  if (problem) throw new WorkspaceReadError('EPERM', problem);
  try {
    return readWorkspaceFile(file, max);
  } catch (e) {
    const code = (e as WorkspaceReadError).code;
    throw new WorkspaceReadError(code, code === 'ENOTREG' ? 'not a regular file' : code === 'EFBIG' ? `larger than ${max} bytes` : (e as Error).message);
  }
}

/** Writes a cache file atomically (mode 0600) and drops the oldest of its kind; false, with a log line, when it cannot. */
export function writeCacheFile(file: string, data: Uint8Array, log: (line: string) => void): boolean {
  const dir = path.dirname(file);
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const problem = ownershipProblem(fs.statSync(dir));
    if (problem) throw new Error(`the folder: ${problem}`);
    writeFileAtomic(file, data, 0o600);
    pruneCacheFiles(dir, path.extname(file));
    return true;
  } catch (e) {
    log(`cannot write the cache ${file}: ${(e as Error).message}`);
    return false;
  }
}

/** Keeps the newest KEEP cache files of a kind (by suffix) in the cache folder. */
function pruneCacheFiles(dir: string, suffix: string): void {
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(suffix) && CACHE_NAME.test(f))
    .map((f) => {
      const full = path.join(dir, f);
      try {
        return { full, at: fs.lstatSync(full).mtimeMs };
      } catch {
        return null;
      }
    })
    .filter((f): f is { full: string; at: number } => f !== null)
    .sort((a, b) => b.at - a.at);
  for (const f of files.slice(KEEP)) fs.rmSync(f.full, { force: true });
}
