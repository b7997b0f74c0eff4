// The clan-core revision a clan pins in its flake.lock: what several messages depend on (an option
// removed in clan-core only fails with a clan-core from after the removal).
import { readFlakeLock, type LockNode } from '../../base/flakeLock';

export interface ClanCorePin {
  /** Seconds since the epoch: the `lastModified` of the locked clan-core input. */
  lastModified: number;
  rev: string | null;
}

/** The clan-core input locked in `<root>/flake.lock`, or null when there is none or it cannot be read. */
export function clanCorePin(root: string): ClanCorePin | null {
  const lock = readFlakeLock(root);
  if (!lock) return null;
  const direct = lock.rootInputs().find(([name]) => name === 'clan-core')?.[1];
  const candidates = typeof direct === 'string' ? [lock.node(direct)] : lock.nodes().filter(isClanCore);
  const locked = candidates.find((n) => typeof n?.locked?.lastModified === 'number')?.locked;
  if (!locked) return null;
  return { lastModified: locked.lastModified as number, rev: typeof locked.rev === 'string' ? locked.rev : null };
}

function isClanCore(n: LockNode): boolean {
  const l = n.locked;
  return !!l && (/\/clan-core(\.git)?([/?#]|$)/.test(String(l.url ?? '')) || (l.repo === 'clan-core' && (l.owner === 'clan' || l.owner === 'clan-lol')));
}
