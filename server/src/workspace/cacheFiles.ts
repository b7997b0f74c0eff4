// The files of the on-disk caches (workspace/factsCache.ts, resultCache.ts): where they live, the
// build of Clan Vars that wrote them, one file per workspace folder, build and kind, written
// atomically and readable only by their owner, the newest 16 of each kind kept.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const KEEP = 16;

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

/** `<cache dir>/<folder hash>-<build><suffix>`: the cache file of a folder, or null when caching is off or not possible here. */
export function cacheFileOf(folder: string, suffix: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const dir = cacheDirectory(env);
  const id = buildId();
  if (!dir || !id) return null;
  const name = createHash('sha256').update(path.resolve(folder)).digest('hex').slice(0, 24);
  return path.join(dir, `${name}-${id}${suffix}`);
}

/** Writes a cache file atomically (mode 0600) and drops the oldest of its kind; false, with a log line, when it cannot. */
export function writeCacheFile(file: string, data: Uint8Array, log: (line: string) => void): boolean {
  const dir = path.dirname(file);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(tmp, data, { mode: 0o600 });
    fs.renameSync(tmp, file);
    pruneCacheFiles(dir, path.extname(file));
    return true;
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    log(`cannot write the cache ${file}: ${(e as Error).message}`);
    return false;
  }
}

/** Keeps the newest KEEP cache files of a kind (by suffix) in the cache folder. */
function pruneCacheFiles(dir: string, suffix: string): void {
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(suffix))
    .map((f) => {
      const full = path.join(dir, f);
      try {
        return { full, at: fs.statSync(full).mtimeMs };
      } catch {
        return null;
      }
    })
    .filter((f): f is { full: string; at: number } => f !== null)
    .sort((a, b) => b.at - a.at);
  for (const f of files.slice(KEEP)) fs.rmSync(f.full, { force: true });
}
