// The files of the on-disk caches (model/scan/factsCache.ts, model/resultCache.ts): where they live, the
// build of Clan Vars that wrote them, one file per workspace folder, build and kind, written
// atomically and readable only by their owner, the newest 16 of each kind kept.
//
// A cache file decides what the checker prints (a stored result is printed as it is), so each one
// begins with an HMAC-SHA256 of its name and the rest of its bytes, made with this user's key
// (base/cacheKey.ts). A file this user's Clan Vars did not write, or wrote under another name
// (for another folder, build or kind), is ignored with one log line and replaced: wherever the cache
// folder is, even inside the checkout being checked, a repository cannot supply a cache entry. Cache
// folders inside a folder being checked or the repository it is in (where `.git` shows one) are
// still not used, so that nothing is written into a checkout, and neither is a key there. Files are
// read through the bounded reader (a FIFO or a device never blocks) and written under a random
// temporary name that nothing planted can redirect (base/safeWrite.ts).
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readWorkspaceFile, WorkspaceReadError } from './readWorkspaceFile';
import { writeFileAtomic } from './safeWrite';
import { keyFolder, loadKey } from './cacheKey';

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

/** The folders analysed by this process (as named, and real): a cache folder or key inside one of them, or its repository, is not used. */
const analysed = new Map<string, { real: string; repositories: string[] }>();

/** Notes a folder this process analyses (the checker notes all its folders before the first is checked). */
export function noteAnalysedFolder(folder: string): void {
  const key = path.resolve(folder);
  if (analysed.has(key)) return;
  const real = realPath(key);
  analysed.set(key, { real, repositories: [...new Set([repositoryOf(real), repositoryOf(key)])].filter((r) => r !== null) });
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

/**
 * Where a cache folder or key folder is when it must not be used (inside a folder analysed, or its
 * repository), or null. Both its path as named and its real path count: a folder named inside a
 * checkout is refused even when the checkout makes a part of it a link to a folder elsewhere (a
 * repository could otherwise have the caches written and pruned in any folder of the user's).
 */
function placementProblem(dir: string): string | null {
  const named = path.resolve(dir);
  for (const p of new Set([named, realPath(named)])) {
    for (const [as, { real: folder, repositories }] of analysed) {
      for (const f of new Set([as, folder])) if (within(p, f)) return `inside the folder checked (${f})`;
      for (const r of repositories) if (within(p, r)) return `inside ${r}, the repository of the folder checked`;
    }
  }
  return null;
}

/** This user's key (base/cacheKey.ts): its folder and that folder's real path, and its bytes once loaded; or why there is none. */
let key: { folder: string; bytes?: Buffer } | { problem: string } | undefined;

/**
 * The key of the cache files, or why the caches cannot be used. Where it is is checked each time
 * (the server adds folders), without reading anything again: an analysis that opens the facts
 * cache records what it reads (base/inputRecorder.ts).
 */
function userKey(): Buffer | string {
  if (!key) {
    try {
      const folder = keyFolder();
      key = { folder };
    } catch (e) {
      key = { problem: `this user has no home in the user database (${(e as Error).message})` };
    }
  }
  if ('problem' in key) return key.problem;
  const placed = placementProblem(key.folder);
  if (placed) return `their key's folder ${key.folder} is ${placed}`;
  try {
    key.bytes ??= loadKey(key.folder);
  } catch (e) {
    key = { problem: `their key in ${key.folder} cannot be used: ${(e as Error).message}` };
    return key.problem;
  }
  return key.bytes;
}

/** What was logged already: a refused folder is told once per process, not once per cache kind. */
const told = new Set<string>();

/**
 * `<cache dir>/<folder hash>-<build><suffix>`: the cache file of a folder, or null when caching is
 * off, not possible here, or the cache folder or key cannot be used (then `log` tells why, once).
 */
export function cacheFileOf(folder: string, suffix: string, log: (line: string) => void, env: NodeJS.ProcessEnv = process.env): string | null {
  const dir = cacheDirectory(env);
  const id = buildId();
  if (!dir || !id) return null;
  noteAnalysedFolder(folder);
  const placed = placementProblem(dir);
  const keyed = placed ? null : userKey();
  const refused = placed ? `not using the cache folder ${dir}: it is ${placed}` : typeof keyed === 'string' ? `not using the caches: ${keyed}` : null;
  if (refused) {
    const line = `${refused}; checking without a cache`;
    if (!told.has(line)) log(line);
    told.add(line);
    return null;
  }
  const name = createHash('sha256').update(path.resolve(folder)).digest('hex').slice(0, 24);
  return path.join(dir, `${name}-${id}${suffix}`);
}

const TAG_BYTES = 32;

/** The HMAC of a cache file: its name (folder hash, build, kind) and its data, with this user's key. */
function tagOf(file: string, data: Uint8Array): Buffer {
  const keyed = userKey();
  if (typeof keyed === 'string') throw new Error(keyed); // cacheFileOf gave no file then
  return createHmac('sha256', keyed).update(path.basename(file)).update('\0').update(data).digest();
}

/**
 * The data of a cache file, at most `max` bytes: a regular file whose HMAC (tagOf) matches. Throws
 * a WorkspaceReadError whose message says why not; `code` ENOENT when there is none yet.
 */
export function readCacheFile(file: string, max: number): Buffer {
  let bytes: Buffer;
  try {
    bytes = readWorkspaceFile(file, max + TAG_BYTES);
  } catch (e) {
    const code = (e as WorkspaceReadError).code;
    throw new WorkspaceReadError(code, code === 'ENOENT' ? 'no such file' : code === 'ENOTREG' ? 'not a regular file' : code === 'EFBIG' ? `larger than ${max} bytes` : (e as Error).message);
  }
  const data = bytes.subarray(TAG_BYTES);
  if (bytes.length < TAG_BYTES || !timingSafeEqual(bytes.subarray(0, TAG_BYTES), tagOf(file, data)))
    throw new WorkspaceReadError('EAUTH', "its HMAC does not match: Clan Vars did not write it under this name, for this user on this machine");
  return data;
}

/** Writes a cache file with its HMAC, atomically (mode 0600), and drops the oldest of its kind; false, with a log line, when it cannot. */
export function writeCacheFile(file: string, data: Uint8Array, log: (line: string) => void): boolean {
  const dir = path.dirname(file);
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileAtomic(file, [tagOf(file, data), data], 0o600);
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
