// Where a var lives: in the repository for each backend, and on the target machine for each
// `neededFor`. Pure string work over clan's `rel_dir` convention (per-machine/<m>/<g> or shared/<g>).
import * as path from 'node:path';
import type { ClanModel } from '../model/clanModel';

export type SecretBackend = 'sops' | 'age';

/** The clan's secret backend, as far as the files on disk tell (sops when nothing says otherwise). */
export function secretBackendOf(clan: ClanModel): { backend: SecretBackend; inferred: boolean } {
  const vars = clan.varsOnDisk().vars;
  if (vars.some((v) => v.kind === 'age')) return { backend: 'age', inferred: true };
  if (vars.some((v) => v.kind === 'sops')) return { backend: 'sops', inferred: true };
  return { backend: 'sops', inferred: false };
}

export function relDirOf(machine: string | null, generator: string): string {
  return machine === null ? `shared/${generator}` : `per-machine/${machine}/${generator}`;
}

/** The file holding a var in the repository, relative to the clan root. */
export function repoPathOf(relDir: string, file: string, secret: boolean, backend: SecretBackend): string {
  if (!secret) return `vars/${relDir}/${file}/value`;
  if (backend === 'age') return `secrets/clan-vars/${relDir}/${file}/${path.posix.basename(file)}.age`;
  return `vars/${relDir}/${file}/secret`;
}

/** Where the file is found on the machine (a description for public files, which live in the Nix store). */
export function targetPathOf(relDir: string, file: string, secret: boolean, neededFor: string, backend: SecretBackend): string {
  if (!secret) return `/nix/store/…-${relDir.replace(/\//g, '-')}_${file.replace(/\//g, '-')} (public files are copied to the Nix store)`;
  const sops = backend === 'sops';
  switch (neededFor) {
    case 'users':
      return sops ? `/run/secrets-for-users/vars/${relDir}/${file}` : `/run/user-secrets/${relDir}/${file}`;
    case 'activation':
      return sops ? `/var/lib/sops-nix/activation/${relDir}/${file}` : `/etc/secret-vars/activation/${relDir}/${file}`;
    case 'partitioning':
      return `/run/partitioning-secrets/${relDir}/${file} (only while installing)`;
    default:
      return sops ? `/run/secrets/vars/${relDir}/${file}` : `/run/secrets/${relDir}/${file}`;
  }
}

/** Absolute path of a repo-relative path of the clan. */
export function inClan(clan: ClanModel, rel: string): string {
  return path.join(clan.root, ...rel.split('/'));
}
