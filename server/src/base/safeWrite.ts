// The one way to replace a file in a folder a workspace controls (`--fix`, caches): a repository
// may plant links where a writer puts its temporary file, hoping the writer follows them and
// overwrites something outside. Here the temporary file has a random name and is created with
// O_CREAT|O_EXCL|O_NOFOLLOW, so whatever already sits at that name (a link, a FIFO, a file) makes
// the open fail instead of being written through; the data then replaces the target with one
// rename, so a reader sees the old file or the new one, never half of it. A file that must not be
// replaced (a key) is linked to its name instead: it appears whole, or not at all if one is there.
//
// A file is replaced in the folder it was found in (inFolderOf): the folder is reached once and
// held, so a folder on the way that is swapped for a link meanwhile cannot send the write elsewhere.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

const CREATE_FLAGS =
  fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW;

/** How many random names are tried before giving up (a clash needs 2^64 luck or a full folder). */
const ATTEMPTS = 8;

/** The temporary name next to `file`: hidden, random, never derived from anything guessable. */
export function temporaryName(file: string): string {
  const random = crypto.randomBytes(12).toString('hex');
  return path.join(path.dirname(file), `.${path.basename(file)}.${random}.tmp`);
}

/** The permission bits of `file` if it is a regular file (links are not followed), else undefined. */
function currentMode(file: string): number | undefined {
  try {
    const st = fs.lstatSync(file);
    return st.isFile() ? st.mode & 0o777 : undefined;
  } catch {
    return undefined;
  }
}

/** Creates a fresh temporary file next to `file`, mode 0600; returns its name and descriptor. */
function createTemporary(file: string): { tmp: string; fd: number } {
  let last: unknown;
  for (let i = 0; i < ATTEMPTS; i++) {
    const tmp = temporaryName(file);
    try {
      return { tmp, fd: fs.openSync(tmp, CREATE_FLAGS, 0o600) };
    } catch (e) {
      // EEXIST: something sits at that name (planted or not): never touch it, take another name
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      last = e;
    }
  }
  throw last;
}

/** What a file is written from: a text (UTF-8), bytes, or pieces of bytes one after the other. */
export type FileData = string | Uint8Array | readonly Uint8Array[];

/** Writes `data` to a fresh temporary file next to `file`, flushed, with `mode`; returns its name. */
function writeTemporary(file: string, data: FileData, mode: number): string {
  const { tmp, fd } = createTemporary(file);
  let written = false;
  try {
    for (const bytes of typeof data === 'string' ? [Buffer.from(data, 'utf8')] : data instanceof Uint8Array ? [data] : data)
      for (let n = 0; n < bytes.length; ) n += fs.writeSync(fd, bytes, n, bytes.length - n);
    fs.fchmodSync(fd, mode);
    fs.fsyncSync(fd);
    written = true;
  } finally {
    fs.closeSync(fd);
    // only ever the file this call created: the O_EXCL open guarantees it is ours
    if (!written) fs.rmSync(tmp, { force: true });
  }
  return tmp;
}

/**
 * Replaces `file` with `data`: written to a new temporary file in the same folder, flushed, given
 * `mode` (default: the permission bits of the file it replaces, or 0600 for a new file) and renamed
 * over `file`. A link at `file` is replaced by the new file, never written through; callers that
 * must keep links refuse them before calling. Throws the fs error, leaving `file` as it was and no
 * temporary file behind.
 */
export function writeFileAtomic(file: string, data: FileData, mode?: number): void {
  const tmp = writeTemporary(file, data, mode ?? currentMode(file) ?? 0o600);
  try {
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * Creates `file` with `data` and `mode` unless something is at that name already (then returns
 * false and leaves it alone): the data is written to a temporary file, flushed and linked to `file`,
 * which never replaces what is there and never shows a half-written file.
 */
export function writeNewFile(file: string, data: FileData, mode: number): boolean {
  const tmp = writeTemporary(file, data, mode);
  try {
    fs.linkSync(tmp, file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/**
 * Runs `fn` in the folder of `file`, held: the working directory is set to it once (links on the way
 * followed at that moment), and `fn` gets its real path and the file's name, which from then on
 * names the file in that very folder, whatever is renamed or swapped for a link above it. Node has
 * no openat(): the working directory is the one handle on a folder it offers. So this is for the
 * checker's `--fix` alone (a program that nothing else runs in while `fn` runs, synchronously, on
 * its main thread; the language server never changes its working directory). The working
 * directory is set back after.
 */
export function inFolderOf<T>(file: string, fn: (folder: string, name: string) => T): T {
  const previous = process.cwd();
  process.chdir(path.dirname(file));
  try {
    return fn(process.cwd(), path.basename(file));
  } finally {
    process.chdir(previous);
  }
}
