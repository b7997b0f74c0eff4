// The secret that authenticates the cache files (base/cacheFiles.ts): 32 random bytes, made on
// first use, that only this user on this machine has. A cache file is used only if it carries an
// HMAC made with it, so a repository cannot supply a cache entry, wherever the cache folder is.
//
// The key must live where no repository can put a file: not in the cache folder
// ($CLAN_VARS_CACHE_DIR, $XDG_CACHE_HOME: CI may point them into the checkout, and a tarball or
// some CI checkouts have no `.git` to say where the checkout ends), not under $HOME (the same), but
// in the home the system's user database gives this user: ~/.cache/clan-vars/key. It is used only
// as a regular file (not a link) of this user that no one else can read or write, in a folder of
// this user's that no one else can write.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readWorkspaceFile } from './readWorkspaceFile';
import { writeNewFile } from './safeWrite';

const KEY_BYTES = 32;
const KEY_NAME = 'key';

/** The folder of the key: in this user's home from the user database, never from the environment. */
export function keyFolder(): string {
  return path.join(os.userInfo().homedir, '.cache', 'clan-vars');
}

/** Why an existing file or folder may not hold the key: another user's, or open to others (the `mode` bits in `others`), or null. */
function ownershipProblem(st: fs.Stats, others: number, open: string): string | null {
  if (process.platform === 'win32') return null; // no owners or group bits to check there
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) return `it belongs to user ${st.uid}, not to this process's user ${uid}`;
  if (st.mode & others) return `it is ${open} by its group or others (mode ${(st.mode & 0o777).toString(8)})`;
  return null;
}

/**
 * The key in `folder` (made, mode 0600, when there is none), or an Error saying why it cannot be
 * used: the folder is another user's or writable by others, the key is a link, not a regular file,
 * another user's, readable or writable by others, or not 32 bytes.
 */
export function loadKey(folder: string): Buffer {
  fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
  const dir = fs.statSync(folder);
  const dirProblem = dir.isDirectory() ? ownershipProblem(dir, 0o022, 'writable') : 'it is not a folder';
  if (dirProblem) throw new Error(`its folder ${folder}: ${dirProblem}`);
  const file = path.join(folder, KEY_NAME);
  // a key made by another process at the same moment appears whole (a link, never a rename over it)
  if (!fs.lstatSync(file, { throwIfNoEntry: false })) writeNewFile(file, randomBytes(KEY_BYTES), 0o600);
  const st = fs.lstatSync(file);
  const problem = st.isSymbolicLink() ? 'it is a link' : !st.isFile() ? 'it is not a regular file' : (ownershipProblem(st, 0o077, 'readable or writable') ?? (st.size !== KEY_BYTES ? `it has ${st.size} bytes, not ${KEY_BYTES}` : null));
  if (problem) throw new Error(`${file}: ${problem}`);
  const key = readWorkspaceFile(file, KEY_BYTES);
  if (key.length !== KEY_BYTES) throw new Error(`${file}: it has ${key.length} bytes, not ${KEY_BYTES}`);
  return key;
}
