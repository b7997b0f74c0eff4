// Flakes known to declare no clan vars generators, at every commit of their mirror's history whose
// tree holds no declaring file (history.ts). Shipped: those a lock pins (history.ts lockableCommits).
import { encodeCommits } from '../../server/src/model/inputs/commitSet';
import type { FlakeEntry } from '../../server/src/model/inputs/knownInputs';
import type { NixParser } from '../../server/src/syntax/nixParser';
import { commitOf, mirrorOf, snapshotHead } from './git';
import { lockableCommits, readHistory } from './history';
import { ALIASES, mainKeys } from './aliases';
import type { Lock } from './locks';

/** Flakes commonly imported, read when a mirror is there even if no clan here locks them. nixpkgs is too large to read here. */
export const COMMON = [
  'github:nix-community/home-manager', 'github:nix-community/disko', 'github:nix-community/srvos', 'github:nixos/nixos-hardware',
  'github:determinatesystems/determinate', 'github:microvm-nix/microvm.nix', 'github:mic92/sops-nix', 'github:ryantm/agenix',
  'github:nix-community/nix-index-database', 'github:nix-community/stylix', 'github:nix-community/nixvim',
  'github:nix-community/impermanence', 'github:nix-community/lanzaboote', 'github:nix-darwin/nix-darwin', 'github:hercules-ci/flake-parts',
];

/** An entry for each GitHub flake of `keys` (and COMMON) with a mirror in `mirrors` and at least one empty commit. */
export function emptyEntries(keys: string[], mirrors: string, locks: Map<string, Lock[]>, parser: NixParser, log: (s: string) => void): Record<string, FlakeEntry> {
  const out: Record<string, FlakeEntry> = {};
  for (const key of mainKeys([...COMMON, ...keys])) {
    const m = /^github:(.+\/.+)$/.exec(key);
    const gitDir = m && mirrorOf(mirrors, m[1]);
    if (!m || !gitDir) {
      log(`${key}: no mirror, not known`);
      continue;
    }
    const head = snapshotHead(gitDir);
    const history = readHistory(gitDir, parser);
    if (!head || !history) {
      log(`${key}: the mirror's history could not be read, not known`);
      continue;
    }
    const chains = lockableCommits(gitDir);
    const empty = history.empty.filter((c) => chains.has(c));
    const emptySet = new Set(history.empty);
    // what the clans here lock of it, for the log
    const locked = [key, ...(ALIASES[key] ?? [])].flatMap((k) => locks.get(k) ?? []);
    const seen = new Set<string>();
    const said: string[] = [];
    for (const l of locked) {
      if (seen.has(l.rev)) continue;
      seen.add(l.rev);
      const rev = commitOf(gitDir, l.rev);
      said.push(`${l.rev.slice(0, 12)} ${!rev ? 'not in the mirror' : emptySet.has(rev) ? 'empty' : `declares (${history.declaring.get(rev)?.join(', ') ?? 'not on a branch or tag'})`}`);
    }
    const declaring = [...new Set(history.declaringBlobs.values())];
    log(`${key}: ${empty.length} empty commits shipped of ${history.empty.length + history.declaring.size} read (head ${head.rev.slice(0, 12)} ${head.date}); ${declaring.length ? `declaring files: ${declaring.slice(0, 4).join(', ')}${declaring.length > 4 ? ', ...' : ''}` : 'no file ever declares'}${said.length ? `; locked: ${said.join('; ')}` : ''}`);
    if (!empty.length) continue;
    const entry: FlakeEntry = {
      kind: 'empty',
      source: `git mirror of ${m[1]}: each commit of its branches and tags read whole (every .nix file of its tree, by our extractor); shipped, the commits of its default and release branches and tags whose tree declares no generators`,
      checked: [],
      history: { ...encodeCommits(empty), snapshot: `${m[1]} at ${head.rev.slice(0, 12)} (${head.date})` },
    };
    if (ALIASES[key]?.length) entry.aliases = ALIASES[key];
    out[key] = entry;
  }
  return out;
}
