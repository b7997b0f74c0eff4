// V8's code cache of the checker's bundle: the bundle's functions compiled to bytecode, made once by
// the build (scripts/build.mjs runs scripts/code-cache.ts: makeCodeCache) and read by the checker's
// entry (dist/cli.js, cli/launch.ts: runBundle), so that a check does not compile each function of
// the bundle when it first runs it. A check of a small clan is mostly that: RuboGubo+nix-config (48
// files) 0.87 of the wall time and 0.88 of the CPU (farm-bench -n 15, runs alternated, a prototype).
//
// The cache sits beside the bundle (checker.js.cache) and is as trusted as the bundle itself: it is
// made by the build, never by a check, and nothing from a workspace names it. V8 uses it only when
// this V8, with these flags, made it (else it compiles the bundle as usual: another Node, or
// NODE_OPTIONS with V8 flags). It checks only the length of the source it is given, and (outside
// debug builds) nothing of the data, so the cache begins with the SHA-256 of the bundle and the
// data together: a cache made of another bundle (a rebuild without the cache step, a bundle edited
// by hand) or damaged since is not given to V8 at all.
// The cache is made with every function compiled (--no-lazy at the build: 2 MB for the 1.2 MB
// bundle), not of one check's: the same figures on RuboGubo+nix-config, and no run of a clan at
// the build, whose flags (base/v8Tiering.ts) V8 would then require of every check.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

/** The first line of a cache file; the second is the SHA-256, in hex, of the bundle and the rest of the file (V8's data). */
const MAGIC = 'clan-vars code cache 2\n';
const HEADER_LENGTH = MAGIC.length + 64 + 1;

/** Where the code cache of `bundle` is kept. */
export function codeCacheOf(bundle: string): string {
  return `${bundle}.cache`;
}

function headerOf(source: Buffer, data: Buffer): string {
  return `${MAGIC}${createHash('sha256').update(source).update(data).digest('hex')}\n`;
}

function compile(file: string, source: Buffer, cachedData?: Buffer): vm.Script {
  return new vm.Script(Module.wrap(source.toString('utf8')), { filename: file, cachedData });
}

/** Writes the code cache of the CommonJS bundle `file` (every function compiled), replacing any. */
export function makeCodeCache(file: string): void {
  const source = fs.readFileSync(file);
  v8.setFlagsFromString('--no-lazy');
  let script: vm.Script;
  try {
    script = compile(file, source);
  } finally {
    v8.setFlagsFromString('--lazy');
  }
  const data = script.createCachedData();
  const bytes = Buffer.concat([Buffer.from(headerOf(source, data), 'latin1'), data]);
  const temporary = `${codeCacheOf(file)}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, bytes);
  fs.renameSync(temporary, codeCacheOf(file));
}

/** What became of the code cache when a bundle was started. */
export type CacheUse = 'used' | 'none' | 'not made of this bundle' | 'rejected by V8';

/**
 * Runs the CommonJS bundle `file` as `require` would, compiled from its code cache when there is
 * one made of it, whole (else as usual); what became of the cache.
 */
export function runBundle(file: string): CacheUse {
  const source = fs.readFileSync(file);
  let cache: Buffer | null = null;
  try {
    cache = fs.readFileSync(codeCacheOf(file));
  } catch {
    // none: compiled as usual
  }
  const data = cache && cache.length > HEADER_LENGTH ? cache.subarray(HEADER_LENGTH) : null;
  const fits = data !== null && cache!.toString('latin1', 0, HEADER_LENGTH) === headerOf(source, data);
  const script = compile(file, source, fits ? data : undefined);
  const use: CacheUse = cache === null ? 'none' : !fits ? 'not made of this bundle' : script.cachedDataRejected ? 'rejected by V8' : 'used';
  const module = new Module(file);
  module.filename = file;
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
  wrapper.call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
  module.loaded = true;
  return use;
}
