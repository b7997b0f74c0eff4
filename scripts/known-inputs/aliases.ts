// Other names a flake is locked under. What is shipped for a flake holds for a commit, and a commit
// hash names one tree in every copy of a repository: an alias can only make a commit known that was
// read, whichever name the lock gives it.
import type { FlakeEntry } from '../../server/src/model/inputs/knownInputs';
import { git, mirrorOf } from './git';
import type { Lock } from './locks';

/** Moved repositories and mirrors: the old or other name -> read under the main one. */
export const ALIASES: Record<string, string[]> = {
  'github:nix-darwin/nix-darwin': ['github:lnl7/nix-darwin'],
  'github:microvm-nix/microvm.nix': ['github:astro/microvm.nix'],
  'github:nix-community/stylix': ['github:danth/stylix'],
  'github:nix-community/srvos': ['github:numtide/srvos'],
  'github:nix-community/nixos-facter-modules': ['github:numtide/nixos-facter-modules'],
  'github:nix-community/nix-index-database': ['github:mic92/nix-index-database'],
};

/** `keys` that are aliases, by their main name. */
export function mainKeys(keys: Iterable<string>): string[] {
  const mainOf = new Map(Object.entries(ALIASES).flatMap(([main, as]) => as.map((a) => [a, main] as const)));
  return [...new Set([...keys].map((k) => mainOf.get(k) ?? k))].sort();
}

/**
 * Adds as an alias of a shipped flake each locked name with no entry of its own one of whose locked
 * commits that flake's mirror holds (git.thalheim.io/mic92/retiolum is mirrored on GitHub as
 * mic92/retiolum, commit for commit). `mirrorOfFlake`: the mirror each shipped flake was read from.
 */
export function bridgeAliases(flakes: Record<string, FlakeEntry>, locks: Map<string, Lock[]>, mirrorOfFlake: (flake: string) => string | null, log: (s: string) => void): void {
  const named = new Set(Object.entries(flakes).flatMap(([k, e]) => [k, ...(e.aliases ?? [])]));
  const orphans = [...locks].filter(([k]) => !named.has(k)).flatMap(([key, ls]) => ls.filter((l) => /^[0-9a-f]{40}$/.test(l.rev)).map((l) => ({ key, rev: l.rev })));
  if (!orphans.length) return;
  const input = orphans.map((o) => o.rev).join('\n') + '\n';
  for (const flake of Object.keys(flakes).sort()) {
    const gitDir = mirrorOfFlake(flake);
    if (!gitDir) continue;
    const found = (git(gitDir, ['cat-file', '--batch-check'], input) ?? '').split('\n');
    orphans.forEach((o, i) => {
      if (named.has(o.key) || !found[i] || found[i].endsWith('missing')) return;
      const entry = flakes[flake];
      entry.aliases = [...(entry.aliases ?? []), o.key];
      named.add(o.key);
      log(`${o.key}: its locked commit ${o.rev.slice(0, 12)} is in the mirror of ${flake}, shipped as a name of it`);
    });
  }
}

/** The mirror a shipped GitHub flake was read from. */
export function githubMirror(mirrors: string, flake: string): string | null {
  const m = /^github:(.+\/.+)$/.exec(flake);
  return m ? mirrorOf(mirrors, m[1]) : null;
}
