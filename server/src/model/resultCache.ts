// The checker's result cache: a second check of a clan that nothing changed in prints the result
// of the first without parsing or evaluating anything. The result is kept with everything its
// analysis read (workspace/inputRecorder.ts: files, directories, stats, outside the workspace too)
// and is used only while every one of those reads gives what it gave then, and the build of Clan
// Vars, the settings and the environment variables that name places are the same. One file change
// and the check runs as before (with the facts cache: workspace/factsCache.ts).
//
// Beside the facts cache, one file per folder and build: <folder hash>-<build>.result. A result is
// printed as it was stored, so only a file this user's Clan Vars wrote under that name is read
// (base/cacheFiles.ts: an HMAC with this user's key); anything else there is ignored and replaced.
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { cacheFileOf, readCacheFile, writeCacheFile } from '../base/cacheFiles';
import { changedInput, type RecordedInput } from '../base/inputRecorder';

const SUFFIX = '.result';
/** A result with its recorded reads: 1.5 MB for the 2x bench clan (16,000 files). */
const MAX_RESULT_BYTES = 500_000_000;
/** The variables that can change what an analysis reads or finds (where the Nix store is, whose home). */
const ENVIRONMENT = ['HOME', 'NIX_STORE_DIR', 'XDG_CONFIG_HOME', 'PASSAGE_DIR', 'PASSWORD_STORE_DIR', 'SOPS_AGE_KEY_FILE', 'SOPS_AGE_KEY'];

interface Stored<R> {
  key: string;
  inputs: RecordedInput[];
  result: R;
  logs: string[];
}

export class ResultCache<R> {
  private constructor(
    private readonly file: string,
    private readonly key: string,
    readonly ignored: string[],
    private readonly log: (line: string) => void,
  ) {}

  /** The result cache of a folder analysed with `settings`; null when caching is off or not possible here (`log` tells why when it is refused). */
  static open<R>(folder: string, settings: unknown, log: (line: string) => void, env: NodeJS.ProcessEnv = process.env): ResultCache<R> | null {
    const file = cacheFileOf(folder, SUFFIX, log, env);
    if (!file) return null;
    const key = JSON.stringify([path.resolve(folder), settings, ENVIRONMENT.map((v) => env[v] ?? null)]);
    // what the analysis reads of Clan Vars itself and of the caches is covered by the build and the
    // keys; a thread's CPU clock (parse budgets, parse/nixParser.ts) is no input
    const ownFiles = ['dist', 'grammars', 'node_modules'].map((d) => path.join(path.dirname(__dirname), d));
    return new ResultCache<R>(file, key, [path.dirname(file), ...ownFiles, '/proc/thread-self'], log);
  }

  /**
   * The stored result and the lines its analysis logged, when the key matches and nothing it read
   * has changed; else why not (for CLAN_VARS_DEBUG_CACHE).
   */
  lookup(): { result: R; logs: string[] } | { miss: string } {
    let stored: Stored<R>;
    try {
      stored = v8.deserialize(readCacheFile(this.file, MAX_RESULT_BYTES)) as Stored<R>;
    } catch (e) {
      // none yet, forged or damaged: the check runs (and its result replaces what is there)
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.log(`ignoring the cache ${this.file}: ${(e as Error).message}`);
      return { miss: `no readable result in ${this.file} (${(e as Error).message})` };
    }
    if (stored.key !== this.key) return { miss: 'the stored result is for other settings' };
    const changed = changedInput(stored.inputs);
    if (changed) return { miss: `${changed[0]} ${changed[1]} changed` };
    return { result: stored.result, logs: stored.logs };
  }

  /** Keeps a result with what its analysis read (atomically; a failure only means no cache next time). */
  store(result: R, inputs: RecordedInput[], logs: string[], log: (line: string) => void): void {
    // an analysis reads at least the folder it lists: a result that depends on nothing recorded would be kept whatever changes
    if (inputs.length === 0) return;
    writeCacheFile(this.file, v8.serialize({ key: this.key, inputs, result, logs } satisfies Stored<R>), log);
  }
}
