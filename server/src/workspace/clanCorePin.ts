// The clan-core revision a clan pins in its flake.lock: what several messages depend on (an option
// removed in clan-core only fails with a clan-core from after the removal).
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface ClanCorePin {
  /** Seconds since the epoch: the `lastModified` of the locked clan-core input. */
  lastModified: number;
  rev: string | null;
}

interface LockNode {
  inputs?: Record<string, string | string[]>;
  locked?: { lastModified?: unknown; rev?: unknown; url?: unknown; repo?: unknown; owner?: unknown };
}

/** The clan-core input locked in `<root>/flake.lock`, or null when there is none or it cannot be read. */
export function clanCorePin(root: string): ClanCorePin | null {
  let lock: { root?: string; nodes?: Record<string, LockNode> };
  try {
    lock = JSON.parse(fs.readFileSync(path.join(root, 'flake.lock'), 'utf8'));
  } catch {
    return null;
  }
  const nodes = lock?.nodes;
  if (!nodes || typeof nodes !== 'object') return null;
  const direct = nodes[lock.root ?? 'root']?.inputs?.['clan-core'];
  const candidates = typeof direct === 'string' ? [nodes[direct]] : Object.values(nodes).filter(isClanCore);
  const locked = candidates.find((n) => typeof n?.locked?.lastModified === 'number')?.locked;
  if (!locked) return null;
  return { lastModified: locked.lastModified as number, rev: typeof locked.rev === 'string' ? locked.rev : null };
}

function isClanCore(n: LockNode): boolean {
  const l = n?.locked;
  return !!l && (/\/clan-core(\.git)?([/?#]|$)/.test(String(l.url ?? '')) || (l.repo === 'clan-core' && (l.owner === 'clan' || l.owner === 'clan-lol')));
}
