// The store path Nix gives a path of the workspace that a string interpolates (`"${./tags}/a.nix"`
// is "/nix/store/l401…-tags/a.nix"): the file or folder serialised as a NAR, its sha256, and the
// name made by Nix's rule for a source added to the store (makeFixedOutputPath, recursive sha256:
// the fingerprint "source:sha256:<hex>:/nix/store:<name>", hashed, folded to 20 bytes, in Nix's
// base32). Computed from the files, as Nix does (test/unit/store-path.test.ts compares it with
// nix-instantiate); nothing is copied anywhere.
import { createHash, type Hash } from 'node:crypto';
import * as path from 'node:path';
import type { Confinement } from './confinement';

const STORE_DIR = '/nix/store';
/** A folder of modules is a few files: past these, the answer is not worth the reads. */
export const STORE_PATH_LIMITS = { bytes: 16 << 20, entries: 5_000 };
/** Nix's base32 alphabet (no e, o, t, u). */
const BASE32 = '0123456789abcdfghijklmnpqrsvwxyz';
/** The characters Nix allows in a store path's name (checkName), which may not start with a dot. */
const NAME = /^(?!\.)[A-Za-z0-9+\-._?=]+$/;

/** Nix's base32 of `bytes` (printHash32: the last 5-bit group first). */
export function nixBase32(bytes: Uint8Array): string {
  const len = Math.floor((bytes.length * 8 - 1) / 5) + 1;
  let out = '';
  for (let n = len - 1; n >= 0; n--) {
    const b = n * 5;
    const i = Math.floor(b / 8);
    const j = b % 8;
    const c = (bytes[i]! >> j) | (i + 1 < bytes.length ? bytes[i + 1]! << (8 - j) : 0);
    out += BASE32[c & 0x1f];
  }
  return out;
}

/** The store path of a source whose NAR has sha256 `narHash` (hex), named `name`. */
export function sourceStorePath(narHash: string, name: string): string {
  const fingerprint = createHash('sha256').update(`source:sha256:${narHash}:${STORE_DIR}:${name}`).digest();
  const folded = new Uint8Array(20);
  fingerprint.forEach((b, i) => (folded[i % 20]! ^= b));
  return `${STORE_DIR}/${nixBase32(folded)}-${name}`;
}

/**
 * Writes the NAR serialisation of `p` into `hash`; false when it holds what a NAR cannot (a fifo, a
 * socket) or is over the limits. Throws WorkspaceReadError where it cannot be read inside.
 */
function dump(reads: Confinement, p: string, hash: Hash, budget: { bytes: number; entries: number }): boolean {
  const str = (s: string | Buffer) => narString(hash, s);
  if (--budget.entries < 0) return false;
  const link = reads.linkText(p);
  str('(');
  const st = link === null ? reads.stat(p) : null;
  if (link !== null) {
    str('type'), str('symlink'), str('target'), str(link);
  } else if (st?.isDirectory()) {
    str('type'), str('directory');
    // by their bytes, as Nix orders them (libuv lists them so already; the order must not rest on it)
    const names = reads.list(p).map((e) => e.name).sort((a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
    for (const name of names) {
      str('entry'), str('('), str('name'), str(name), str('node');
      if (!dump(reads, path.join(p, name), hash, budget)) return false;
      str(')');
    }
  } else if (st?.isFile()) {
    budget.bytes -= st.size;
    if (budget.bytes < 0) return false;
    const bytes = reads.read(p, st.size + 1);
    str('type'), str('regular');
    if (st.mode & 0o100) str('executable'), str('');
    str('contents'), str(bytes);
  } else return false;
  str(')');
  return true;
}

/**
 * The store path `"${p}"` gives in Nix, for a file or folder `p` inside `reads`; null when it cannot
 * be told: outside, missing, a link itself, a name Nix refuses, something unreadable or over the limits.
 */
export function storePathOf(reads: Confinement, p: string): string | null {
  const name = path.basename(p);
  if (!NAME.test(name) || reads.linkText(p) !== null || !('real' in reads.confine(p))) return null;
  const hash = createHash('sha256');
  narString(hash, 'nix-archive-1');
  try {
    if (!dump(reads, p, hash, { ...STORE_PATH_LIMITS })) return null;
  } catch {
    return null; // a folder or file that cannot be read inside (WorkspaceReadError)
  }
  return sourceStorePath(hash.digest('hex'), name);
}

/** A string of a NAR: its length (64 bits, little-endian), its bytes, zeros to a multiple of 8. */
function narString(hash: Hash, s: string | Buffer): void {
  const b = typeof s === 'string' ? Buffer.from(s, 'utf8') : s;
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(b.length));
  hash.update(len).update(b);
  if (b.length % 8) hash.update(Buffer.alloc(8 - (b.length % 8)));
}
