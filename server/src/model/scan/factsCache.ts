// The on-disk cache of file facts, keyed by content (like ESLint's --cache): a second start of the
// server or the checker reads a file's facts instead of parsing it again when the file's path, role
// and text are those it had. A file's facts depend on nothing else (the per-file evaluation reads no
// other file), and the code that extracts them is part of the key: one cache file per workspace
// folder and build of Clan Vars.
//
// Where: $CLAN_VARS_CACHE_DIR, else $XDG_CACHE_HOME/clan-vars, else ~/.cache/clan-vars. Set
// CLAN_VARS_CACHE_DIR=off (or pass --no-cache to the checker) to use none; delete the folder to
// clear it. The newest 16 cache files are kept. A cache file that cannot be read is ignored and
// replaced; nothing else is ever written there, and never anything decrypted (facts come from .nix
// files). Only a file this user's Clan Vars wrote under that name is read (base/cacheFiles.ts).
import { createHash } from 'node:crypto';
import * as v8 from 'node:v8';
import type { FileFacts } from '../../facts/types';
import { cacheFileOf, readCacheFile, writeCacheFile } from '../../base/cacheFiles';
import { packFacts } from './factPool';

const SUFFIX = '.facts';
/** The keys of verdicts about texts (workspace/scanVerdicts.ts) start with this. */
const VERDICT = 'verdict:';
/** 20 times the 2x bench clan's (16,000 files, 34,000 generators: 92 MB). */
const MAX_CACHE_BYTES = 2_000_000_000;

/**
 * Facts are kept as packed JSON (model/scan/factPool.ts), which the scan's pool reads back: reading
 * 8,000 files' facts back with v8.deserialize took 1.25 s and made objects half again as large as
 * JSON.parse does in 0.5 s (its objects are their own size).
 */
export class FactsCache {
  /** What the cache file held: facts as packed JSON, by key. */
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
    const file = cacheFileOf(folder, SUFFIX, log, env);
    if (!file) return null;
    const cache = new FactsCache(file, log);
    cache.load();
    return cache;
  }

  /** The key of a file's facts: its path, role and text (by the text's digest, base/textDigest.ts). */
  static key(file: string, role: string, digest: string): string {
    return createHash('sha256').update(file).update('\0').update(role).update('\0').update(digest).digest('base64');
  }

  /**
   * Whether it holds facts from an earlier run: then most files are likely found in it, and a scan
   * starts workers only once the files it must parse are many (scanFolder.ts workersAtStart).
   */
  get warm(): boolean {
    return this.loaded.size > 0;
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

  /** Keeps a file's facts; `json` when they are at hand packed already (from a scan worker). */
  put(key: string, facts: FileFacts, json = packFacts(facts)): void {
    this.seen.set(key, json);
    this.added++;
  }

  /** A verdict about a text (workspace/scanVerdicts.ts: "too slow to parse"), by the text's SHA-256 in hex; kept for the next run. */
  verdict(digest: string): string | undefined {
    const value = this.loaded.get(VERDICT + digest) ?? this.seen.get(VERDICT + digest);
    if (value !== undefined) this.seen.set(VERDICT + digest, value);
    return value;
  }

  /** Keeps a verdict about a text, beside the facts (a facts key never holds a colon). */
  putVerdict(digest: string, value: string): void {
    if (this.loaded.get(VERDICT + digest) !== value) this.added++;
    this.seen.set(VERDICT + digest, value);
  }

  private load(): void {
    let bytes: Buffer;
    try {
      bytes = readCacheFile(this.file, MAX_CACHE_BYTES);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.log(`ignoring the cache ${this.file}: ${(e as Error).message}`);
      return; // else none yet
    }
    try {
      this.loaded = v8.deserialize(bytes) as Map<string, string>;
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
