// Writes a small clan tree into a fresh temporary directory.
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { sourceStorePath } from '../../server/src/model/inputs/flakeInputs';

/**
 * A clan of `machines` machine files, enough for the scan's workers from 300 on: machine i declares
 * generator g<i>, which depends on g<i+1>, so the last one's dependency is its one finding.
 */
export function generatorChainFiles(machines: number): Record<string, string> {
  const files: Record<string, string> = { 'flake.nix': '{ outputs = _: { }; }\n' };
  for (let i = 0; i < machines; i++) files[`machines/m${i}.nix`] = `{ clan.core.vars.generators.g${i}.dependencies = [ "g${i + 1}" ]; }\n`;
  return files;
}

/** A new empty folder under the system's temporary folder, by its real path (for CLAN_VARS_CACHE_DIR). */
export function tempCacheDir(prefix: string): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
}

/** The built checker (dist/cli.js) on `root` with JSON output and the facts cache in `cache`, `env` added; it is expected to find the one unknown dependency of generatorChainFiles (exit 1). */
export function checkChain(root: string, cache: string, env: NodeJS.ProcessEnv): SpawnSyncReturns<string> {
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), '--format', 'json', root], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, CLAN_VARS_CACHE_DIR: cache, ...env } });
  assert.equal(r.status, 1, r.stderr);
  return r;
}

export function writeTree(files: Record<string, string | Buffer>, prefix = 'clan-vars-test-'): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  for (const [rel, content] of Object.entries(files)) {
    const full = path.join(root, rel);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, content);
  }
  return root;
}

export function removeTree(root: string): void {
  fs.rmSync(root, { recursive: true, force: true });
}

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const EXAMPLE_CLAN = path.join(REPO_ROOT, 'examples', 'clan');

/** Runs `fn` with NIX_STORE_DIR set to `store` (where the model looks for locked inputs), then restores it. */
export async function withNixStore<T>(store: string, fn: () => Promise<T>): Promise<T> {
  const previous = process.env.NIX_STORE_DIR;
  process.env.NIX_STORE_DIR = store;
  try {
    return await fn();
  } finally {
    if (previous === undefined) delete process.env.NIX_STORE_DIR;
    else process.env.NIX_STORE_DIR = previous;
  }
}

/**
 * A Nix store (a temporary folder) holding a clan-core source with `files`, and the flake.lock
 * text that locks input `clan-core` at it (by NAR hash, as the model finds a locked input's source).
 */
export function clanCoreInStore(files: Record<string, string>): { store: string; lock: string } {
  const narHash = `sha256-${createHash('sha256').update('clan-core').digest('base64')}`;
  const store = writeTree({ keep: '' });
  const source = sourceStorePath(narHash, store)!;
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(source, rel)), { recursive: true });
    fs.writeFileSync(path.join(source, rel), text);
  }
  const lock = { version: 7, root: 'root', nodes: { root: { inputs: { 'clan-core': 'clan-core' } }, 'clan-core': { locked: { type: 'github', owner: 'clan', repo: 'clan-core', rev: '1'.repeat(40), narHash }, original: {} } } };
  return { store, lock: JSON.stringify(lock) };
}

/** A flake.lock pinning clan-core (a git input of git.clan.lol) at commit time `lastModified`: what the rules that date clan-core's behaviour read. */
export function clanCorePinnedAt(lastModified: number): string {
  return JSON.stringify({ root: 'root', version: 7, nodes: { root: { inputs: { 'clan-core': 'clan-core' } }, 'clan-core': { locked: { type: 'git', url: 'https://git.clan.lol/clan/clan-core', rev: 'r', lastModified } } } });
}

/** A registry pipeline's `lib/vars-generators.nix`: every key looked up in the registry, a throw for an unknown key and for an entry without a generator. */
export const REGISTRY_PIPELINE = `{ keys, pkgs ? null }:
let
  registry = import ./secret-registry.nix { inherit pkgs; };
  entryFor = key:
    if !(registry ? \${key}) then throw "Unknown secret key in envMatrix: \${key}"
    else if registry.\${key}.generator or null == null then throw "Registry entry \${key} has no generator"
    else registry.\${key};
in
builtins.listToAttrs (map (key: { name = (entryFor key).generator; value = { inherit (entryFor key) files; }; }) keys)
`;
