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
import * as v8 from 'node:v8';
import type { FileFacts } from '../model/types';
import { cacheFileOf, writeCacheFile } from './cacheFiles';

const SUFFIX = '.facts';

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
    const file = cacheFileOf(folder, SUFFIX, env);
    if (!file) return null;
    const cache = new FactsCache(file, log);
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
    if (!writeCacheFile(this.file, v8.serialize(this.seen), this.log)) return;
    this.loaded = this.seen;
    this.seen = new Map(this.loaded);
    this.added = 0;
  }
}
