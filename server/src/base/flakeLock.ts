// A clan's flake.lock, read and parsed in one place for everything that needs it (the clan-core pin
// in workspace/clanCorePin.ts, the flake inputs in model/flakeInputs.ts). The file comes from the
// workspace, so it is read inside the clan (base/confinement.ts) with the bounded, regular-files-only
// reader: a FIFO, a link to a device or out of the clan, or a huge file is "no lock", at once. Node
// names are looked up as own properties only, so a lock naming `constructor` or `__proto__` finds
// nothing.
import * as path from 'node:path';
import { Confinement } from './confinement';

/** Far above any real lock file (nixpkgs-heavy flakes lock some 100 KB). */
export const MAX_LOCK_BYTES = 4_000_000;

/** One node of the lock: its inputs (name -> node name, or a `follows` path), what was locked, and what flake.nix asked for. */
export interface LockNode {
  inputs?: Record<string, unknown>;
  locked?: Record<string, unknown>;
  original?: Record<string, unknown>;
}

export interface FlakeLock {
  /** The node of a name, or of a `follows` path from the root (`[ "dotfiles" "stylix" ]`), when the lock has one (own properties only). */
  node(ref: unknown): LockNode | null;
  /** Every node of the lock. */
  nodes(): LockNode[];
  /** The root node's name. */
  root: string;
  /** The root node's inputs: input name -> what it refers to (a node name, or a `follows` path). */
  rootInputs(): [string, unknown][];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The text of `<root>/flake.lock`: null when there is none, `unreadable` (with why) when it is not a readable regular file. */
export function readFlakeLockText(root: string): string | null | { unreadable: string } {
  try {
    return Confinement.within(root).readText(path.join(root, 'flake.lock'), MAX_LOCK_BYTES);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? null : { unreadable: (e as Error).message };
  }
}

/** The parsed `<root>/flake.lock`; null when there is none, or it is not a readable regular file of lock JSON. */
export function readFlakeLock(root: string): FlakeLock | null {
  const text = readFlakeLockText(root);
  return typeof text === 'string' ? parseFlakeLock(text) : null;
}

/** A lock's text parsed; null when it is not lock JSON (an object with `nodes`). */
export function parseFlakeLock(text: string): FlakeLock | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObject(json) || !isObject(json.nodes)) return null;
  const all = json.nodes;
  const node = (name: unknown): LockNode | null => {
    if (typeof name !== 'string' || !Object.prototype.hasOwnProperty.call(all, name)) return null;
    const n = all[name];
    return isObject(n) ? (n as LockNode) : null;
  };
  const root = typeof json.root === 'string' ? json.root : 'root';
  const rootInputs = node(root)?.inputs;
  // a `follows` path (`[ "dotfiles" "stylix" ]`) names an input of an input, from the root; each step may follow again
  const resolve = (ref: unknown, depth: number): LockNode | null => {
    if (typeof ref === 'string') return node(ref);
    if (!Array.isArray(ref) || depth > 32) return null;
    let cur = node(root);
    for (const step of ref) {
      const inputs = cur?.inputs;
      if (typeof step !== 'string' || !isObject(inputs) || !Object.prototype.hasOwnProperty.call(inputs, step)) return null;
      cur = resolve(inputs[step], depth + 1);
    }
    return ref.length ? cur : null;
  };
  return {
    node: (ref: unknown) => resolve(ref, 0),
    nodes: () => Object.keys(all).map(node).filter((n): n is LockNode => n !== null),
    root,
    rootInputs: () => (isObject(rootInputs) ? Object.entries(rootInputs) : []),
  };
}
