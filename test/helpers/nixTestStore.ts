// A clan whose flake input is a local `path:` flake, locked by the real nix, and a separate Nix
// store for the test (NIX_STORE_DIR and its state, log and config folders: nix runs as this user,
// without a daemon). The lock is written with a throwaway store, so the input is not in the test
// store until `nix flake archive` copies it there.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeTree } from './tempClan';

export interface NixTestClan {
  /** The temporary folder holding everything below. */
  base: string;
  clan: string;
  storeDir: string;
  /** The environment nix and the checker run with: the test store, no substituters, flakes on. */
  env: NodeJS.ProcessEnv;
}

export function nixEnv(base: string, store: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    HOME: path.join(base, 'home'),
    XDG_CACHE_HOME: path.join(base, 'cache'),
    NIX_STORE_DIR: path.join(base, store, 'store'),
    NIX_STATE_DIR: path.join(base, store, 'state'),
    NIX_LOG_DIR: path.join(base, store, 'log'),
    NIX_CONF_DIR: path.join(base, 'conf'),
    // no network: nothing to substitute, and nix would retry cache.nixos.org for seconds
    NIX_CONFIG: 'substituters =\nexperimental-features = nix-command flakes',
    CLAN_VARS_CACHE_DIR: 'off',
  };
}

/** `machine`: the machine's configuration.nix; the input `mod` has `module.nix` as its `nixosModules.default`. */
export function nixTestClan(files: { module: string; machine: string }): NixTestClan {
  const base = writeTree({
    'mod/flake.nix': '{ outputs = { self }: { nixosModules.default = ./module.nix; }; }\n',
    'mod/module.nix': files.module,
    'conf/nix.conf': '',
  });
  const clan = path.join(base, 'clan');
  fs.mkdirSync(path.join(clan, 'machines', 'a'), { recursive: true });
  fs.writeFileSync(path.join(clan, 'flake.nix'), `{ inputs.mod.url = "path:${base}/mod"; outputs = { self, mod }: { }; }\n`);
  fs.writeFileSync(path.join(clan, 'machines', 'a', 'configuration.nix'), files.machine);
  const lock = spawnSync('nix', ['flake', 'lock'], { cwd: clan, env: nixEnv(base, 'lock-store'), encoding: 'utf8', timeout: 60_000 });
  if (lock.status !== 0) throw new Error(`nix flake lock failed (${lock.error?.message ?? `exit ${lock.status}`}): ${lock.stderr}`);
  return { base, clan, storeDir: path.join(base, 'store', 'store'), env: nixEnv(base, 'store') };
}

/** Removes the tree; nix leaves its store read-only. */
export function removeNixTree(base: string): void {
  spawnSync('chmod', ['-R', 'u+w', base]);
  fs.rmSync(base, { recursive: true, force: true });
}
