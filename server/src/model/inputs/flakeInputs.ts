// Where a clan's flake inputs are on this machine. A locked input (`flake.lock`) was fetched into
// the Nix store at a path computed from its `narHash` alone: `/nix/store/<hash>-source`, Nix's
// fixed-output path of a recursively hashed (NAR) source named "source". When that path is a real
// folder of the store (not a link: nix archives a `path:` input that is a link as a link, and
// following it would read wherever it points), the input's modules can be read like the clan's own,
// each read staying inside that folder (base/confinement.ts). A setting may point at a clan-core
// checkout instead (`clanVars.clanCorePath`, chosen by the user), used for the `clan-core` input.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readFlakeLock } from '../../base/flakeLock';
import { lockedInput, type LockedInput } from './lockIdentity';

/** Nix's base-32 alphabet (no e, o, u, t). */
const BASE32 = '0123456789abcdfghijklmnpqrsvwxyz';

/** Nix's base-32 encoding (from the last bit group of the last byte, as `printHash32` does). */
export function nixBase32(bytes: Uint8Array): string {
  const len = Math.ceil((bytes.length * 8) / 5);
  let out = '';
  for (let n = len - 1; n >= 0; n--) {
    const b = n * 5;
    const i = Math.floor(b / 8);
    const j = b % 8;
    const c = (bytes[i] >> j) | (i + 1 < bytes.length ? bytes[i + 1] << (8 - j) : 0);
    out += BASE32[c & 0x1f];
  }
  return out;
}

/** The store path of a locked input's source: its `narHash` as SRI (`sha256-<base64>`); null when it is not one. */
export function sourceStorePath(narHash: string, storeDir = '/nix/store'): string | null {
  const m = /^sha256-([A-Za-z0-9+/]{43}=)$/.exec(narHash);
  if (!m) return null;
  const hex = Buffer.from(m[1], 'base64').toString('hex');
  // makeFixedOutputPath for recursive sha256: makeStorePath("source", narHash, name)
  const fingerprint = `source:sha256:${hex}:${storeDir}:source`;
  const digest = createHash('sha256').update(fingerprint).digest();
  const compressed = new Uint8Array(20);
  for (let i = 0; i < digest.length; i++) compressed[i % 20] ^= digest[i];
  return `${storeDir}/${nixBase32(compressed)}-source`;
}

export interface FlakeInputs {
  /** Input name (as the clan's flake.nix names it) -> the directory holding its source, when it is on this machine. */
  dirs: Map<string, string>;
  /** Input names that are locked but whose source is not on this machine. */
  missing: string[];
  /** Input name -> what the lock says it is (every root input with a locked node). */
  locked: Map<string, LockedInput>;
  /** Input name -> what the extension ships about it, for inputs not on this machine (set by the reader). */
  shipped: Map<string, string>;
}

/** The clan's direct flake inputs found on this machine (store paths that exist), plus a clan-core checkout from the settings. */
export function flakeInputs(root: string, clanCorePath: string | null, storeDir = process.env.NIX_STORE_DIR || '/nix/store'): FlakeInputs {
  const out: FlakeInputs = { dirs: new Map(), missing: [], locked: new Map(), shipped: new Map() };
  const lock = readFlakeLock(root); // null: no lock file (or not a readable regular file of lock JSON), no inputs known
  for (const [name, ref] of lock?.rootInputs() ?? []) {
    const node = lock!.node(ref);
    if (!node) continue;
    out.locked.set(name, lockedInput(name, node.locked ?? {}));
    const narHash = node.locked?.narHash;
    const dir = typeof narHash === 'string' ? sourceStorePath(narHash, storeDir) : null;
    if (dir && isStoreFolder(dir, storeDir)) out.dirs.set(name, dir);
    else out.missing.push(name);
  }
  if (clanCorePath) {
    const dir = path.resolve(root, clanCorePath);
    if (isDir(dir)) {
      out.dirs.set('clan-core', dir);
      out.missing = out.missing.filter((n) => n !== 'clan-core');
    }
  }
  return out;
}

/** Whether `dir` is a folder right in the store: not a link, and resolving to itself in the store's real folder. */
function isStoreFolder(dir: string, storeDir: string): boolean {
  try {
    if (!fs.lstatSync(dir).isDirectory()) return false;
    return fs.realpathSync.native(dir) === path.join(fs.realpathSync.native(storeDir), path.basename(dir));
  } catch {
    return false;
  }
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
