// The on-disk cache of file facts, keyed by content (like ESLint's --cache): a second start of the
// server or the checker reads a file's facts instead of parsing it again when the file's path, role
// and text are those it had. A file's facts depend on nothing else (the per-file evaluation reads no
// other file), and the code that extracts them is part of the key: one cache file per workspace
// folder and build of Clan Vars.
//
// Where: $CLAN_VARS_CACHE_DIR, else $XDG_CACHE_HOME/clan-vars, else ~/.cache/clan-vars. Set
// CLAN_VARS_CACHE_DIR=off (or pass --no-cache to the checker) to use none; delete the folder to
// clear it. The newest 16 cache files are kept. A cache file that cannot be read is ignored and
// replaced; nothing else is ever written there, and never anything decrypted (facts come from .nix files).
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import type { FileFacts } from '../model/types';

const KEEP = 16;
const SUFFIX = '.facts';

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

/**
 * Facts are kept as JSON: reading 8,000 files' facts back with v8.deserialize took 1.25 s and made
 * objects half again as large as JSON.parse does in 0.5 s (its objects are their own size).
 */
export class FactsCache {
  /** What the cache file held: facts as JSON, by key. */
  private loaded = new Map<string, string>();
  /** What this run saw: what is saved (files gone or changed drop out). */
  private seen = new Map<string, string>();
  private added = 0;
  hits = 0;

  private constructor(
    private readonly file: string,
    private readonly log: (line: string) => void,
  ) {}

  /** The cache of a workspace folder, loaded; null when caching is off or not possible here. */
  static open(folder: string, log: (line: string) => void, env: NodeJS.ProcessEnv = process.env): FactsCache | null {
    const dir = cacheDirectory(env);
    const id = buildId();
    if (!dir || !id) return null;
    const name = createHash('sha256').update(path.resolve(folder)).digest('hex').slice(0, 24);
    const cache = new FactsCache(path.join(dir, `${name}-${id}${SUFFIX}`), log);
    cache.load();
    return cache;
  }

  /** The key of a file's facts: its path, role and text. */
  static key(file: string, role: string, text: string): string {
    return createHash('sha1').update(file).update('\0').update(role).update('\0').update(text).digest('base64');
  }

  get(key: string): FileFacts | undefined {
    const json = this.loaded.get(key) ?? this.seen.get(key);
    if (json === undefined) return undefined;
    let facts: FileFacts;
    try {
      facts = JSON.parse(json) as FileFacts;
    } catch {
      return undefined; // not ours: the file is parsed again
    }
    this.hits++;
    this.seen.set(key, json);
    return facts;
  }

  /** Keeps a file's facts; `json` when they are at hand as JSON already (from a scan worker). */
  put(key: string, facts: FileFacts, json = JSON.stringify(facts)): void {
    this.seen.set(key, json);
    this.added++;
  }

  private load(): void {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(this.file);
    } catch {
      return; // none yet
    }
    try {
      const value = v8.deserialize(bytes) as unknown;
      if (value instanceof Map && [...value.values()].every((v) => typeof v === 'string')) this.loaded = value as Map<string, string>;
      else this.log(`ignoring the cache ${this.file}: not a cache file`);
    } catch (e) {
      this.log(`ignoring the cache ${this.file}: ${(e as Error).message}`);
    }
  }

  /** Writes what this run saw, when it differs from what was loaded (atomically), and drops the oldest cache files. */
  save(): void {
    if (this.added === 0 && this.seen.size === this.loaded.size) return;
    const dir = path.dirname(this.file);
    const tmp = `${this.file}.${process.pid}.tmp`;
    try {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      fs.writeFileSync(tmp, v8.serialize(this.seen), { mode: 0o600 });
      fs.renameSync(tmp, this.file);
      this.loaded = this.seen;
      this.seen = new Map(this.loaded);
      this.added = 0;
      pruneCacheFiles(dir, SUFFIX);
    } catch (e) {
      fs.rmSync(tmp, { force: true });
      this.log(`cannot write the cache ${this.file}: ${(e as Error).message}`);
    }
  }
}

/** Keeps the newest KEEP cache files of a kind (by suffix) in the cache folder. */
export function pruneCacheFiles(dir: string, suffix: string): void {
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
