// The flake inputs clans lock: every root input of each clan folder's flake.lock, by identity.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseFlakeLock } from '../../server/src/base/flakeLock';
import { inputKey, lockedRev } from '../../server/src/model/inputs/lockIdentity';

export interface Lock {
  key: string;
  rev: string;
  lastModified: number | null;
  /** The clan folder that locks it. */
  clan: string;
}

/** The clan folders under each of `parents` (folders holding a flake.lock). */
export function clanFolders(parents: string[]): string[] {
  return parents.flatMap((p) =>
    fs.existsSync(p)
      ? fs
          .readdirSync(p)
          .sort()
          .map((n) => path.join(p, n))
          .filter((d) => fs.existsSync(path.join(d, 'flake.lock')))
      : [],
  );
}

/** Every root input of the clans' locks that names a revision, by identity (each revision once per clan). */
export function rootLocks(clans: string[]): Map<string, Lock[]> {
  const out = new Map<string, Lock[]>();
  for (const clan of clans) {
    const lock = parseFlakeLock(fs.readFileSync(path.join(clan, 'flake.lock'), 'utf8'));
    for (const [, ref] of lock?.rootInputs() ?? []) {
      const locked = lock!.node(ref)?.locked;
      const key = locked && inputKey(locked);
      const rev = locked && lockedRev(locked);
      if (!key || !rev) continue;
      const list = out.get(key) ?? out.set(key, []).get(key)!;
      if (!list.some((l) => l.rev === rev && l.clan === clan)) list.push({ key, rev, lastModified: typeof locked.lastModified === 'number' ? locked.lastModified : null, clan });
    }
  }
  return out;
}
