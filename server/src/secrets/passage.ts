// The passage store of the password-store backend (outside the repo): entries are
// `<store>/clan-vars/<rel_dir>/<file>.age`. Store: $PASSAGE_DIR, else ~/.passage/store. Listed inside
// the store (base/confinement.ts): a link in it leading elsewhere is not followed.
import type * as fs from 'node:fs';
import * as path from 'node:path';
import { Confinement } from '../base/confinement';
import { parseVarPath, type VarRef } from './varRef';

export interface PassageEntry {
  ref: VarRef;
  path: string;
}

export function passageStoreDir(env: Record<string, string | undefined>, home: string): string {
  return env.PASSAGE_DIR?.trim() || path.join(home, '.passage', 'store');
}

/** Every clan var in a passage store; [] when there is none. */
export function listPassageVars(store: string, limit = 5000): PassageEntry[] {
  const out: PassageEntry[] = [];
  const base = path.join(store, 'clan-vars');
  const reads = Confinement.within(store);
  const walk = (dir: string, rel: string[], depth: number) => {
    if (depth > 10 || out.length >= limit) return;
    let list: fs.Dirent[];
    try {
      list = reads.list(dir);
    } catch {
      return;
    }
    for (const e of list.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.isDirectory()) walk(path.join(dir, e.name), [...rel, e.name], depth + 1);
      else if (e.name.endsWith('.age') && !e.name.startsWith('.')) {
        const ref = parseVarPath([...rel, e.name.slice(0, -4)].join('/'));
        if (ref) out.push({ ref, path: path.join(dir, e.name) });
      }
    }
  };
  walk(base, [], 0);
  return out;
}
