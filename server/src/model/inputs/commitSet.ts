// A set of git commits, shipped compactly: the first 64 bits of each commit hash, sorted, as base64.
// Membership is asked with a lock's full hash. 64 bits: among the some 10^5 commits shipped, a commit
// not in the set shares a prefix with one of them by chance with odds under 10^-14; making one on
// purpose takes some 2^64 SHA-1 computations per target. 48 bits (git's 12-character
// abbreviations) would be a third smaller and some 2^48 computations: a few GPU-hours.

export const PREFIX_BYTES = 8;
/** Hex digits a revision must have to be looked up: all of the prefix. */
export const PREFIX_HEX = PREFIX_BYTES * 2;

export interface CommitSet {
  /** How many commits. */
  count: number;
  /** base64 of `count` sorted, distinct big-endian PREFIX_BYTES-byte prefixes of the commit hashes. */
  prefixes: string;
}

/** The set of the given commits (full or abbreviated to at least PREFIX_HEX hex digits). */
export function encodeCommits(revs: Iterable<string>): CommitSet {
  const hex = [...new Set([...revs].map((r) => r.toLowerCase().slice(0, PREFIX_HEX)))].filter((h) => /^[0-9a-f]+$/.test(h) && h.length === PREFIX_HEX).sort();
  return { count: hex.length, prefixes: Buffer.from(hex.join(''), 'hex').toString('base64') };
}

/** The decoded prefixes; null when the set is malformed (wrong length, not sorted and distinct). */
export function decodeCommits(set: CommitSet): Buffer | null {
  if (!Number.isInteger(set.count) || set.count < 0 || typeof set.prefixes !== 'string') return null;
  const bytes = Buffer.from(set.prefixes, 'base64');
  // the base64 encodeCommits writes, exactly: Buffer.from skips what is not base64 (a regular
  // expression over the some 550,000 characters shipped cost 2.6 ms of every check's start)
  if (bytes.length !== set.count * PREFIX_BYTES || bytes.toString('base64') !== set.prefixes) return null;
  // each prefix above the one before, byte by byte (a view of each pair cost the checker's start 14 ms
  // for the some 50,000 commits shipped)
  for (let i = PREFIX_BYTES; i < bytes.length; i += PREFIX_BYTES) {
    let j = 0;
    while (j < PREFIX_BYTES && bytes[i - PREFIX_BYTES + j] === bytes[i + j]) j++;
    if (j === PREFIX_BYTES || bytes[i - PREFIX_BYTES + j] > bytes[i + j]) return null;
  }
  return bytes;
}

/** Whether the decoded set holds the commit `rev` (at least PREFIX_HEX hex digits; a shorter one is never held). */
export function commitsHold(bytes: Buffer, rev: string): boolean {
  if (!/^[0-9a-fA-F]+$/.test(rev) || rev.length < PREFIX_HEX) return false;
  const want = Buffer.from(rev.slice(0, PREFIX_HEX), 'hex');
  let lo = 0;
  let hi = bytes.length / PREFIX_BYTES;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const c = Buffer.compare(bytes.subarray(mid * PREFIX_BYTES, (mid + 1) * PREFIX_BYTES), want);
    if (c === 0) return true;
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return false;
}
