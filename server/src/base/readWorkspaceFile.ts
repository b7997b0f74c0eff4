// The bounded reader under every read of a file a workspace points at (server, checker and
// extension host): a workspace is untrusted, so a "file" may be a FIFO (reading blocks forever), a
// link to /dev/zero (never ends) or gigabytes. Only regular files are read, never more than a cap.
// The file is opened without blocking and checked on the open descriptor, so a swap after a stat
// cannot slip a FIFO or device through. Where a path may lead is decided above it, by the
// confinement (base/confinement.ts), which reads through `readResolvedFile` here: a path whose links
// it has resolved is opened without following a link, and on Linux the descriptor's own path
// (/proc/self/fd) must be that path, so a folder swapped for a link in between reads nothing.
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';

/** The default cap: far above any key, hash, sops or age file a clan writes. */
export const MAX_WORKSPACE_READ = 4_000_000;

/** What readers catch: `code` is an fs code (ENOENT, EACCES, ELOOP, ...), ENOTREG / EFBIG / EMOVED from here, or EOUTSIDE from the confinement. */
export class WorkspaceReadError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const FLAGS = fs.constants.O_RDONLY | fs.constants.O_NONBLOCK;
const RESOLVED_FLAGS = FLAGS | fs.constants.O_NOFOLLOW;

function notRegular(file: string): WorkspaceReadError {
  return new WorkspaceReadError('ENOTREG', `${file} is not a regular file`);
}

function tooBig(file: string, max: number): WorkspaceReadError {
  return new WorkspaceReadError('EFBIG', `${file} is larger than ${max} bytes`);
}

function wrap(e: unknown): never {
  if (e instanceof WorkspaceReadError) throw e;
  const err = e as NodeJS.ErrnoException;
  throw new WorkspaceReadError(err.code ?? 'EIO', err.message);
}

/** Whether the kernel names the file an open descriptor is (/proc/self/fd: Linux). */
export const DESCRIPTORS_NAMED = fs.existsSync('/proc/self/fd');

function notOpened(real: string): WorkspaceReadError {
  return new WorkspaceReadError('EMOVED', `${real} is not the file that was opened (a folder on its way changed)`);
}

/** Throws unless the open descriptor `fd` is the file `real` (where the kernel names descriptors). */
function checkOpened(fd: number, real: string): void {
  if (!DESCRIPTORS_NAMED) return;
  let opened: string;
  try {
    opened = fs.readlinkSync(`/proc/self/fd/${fd}`);
  } catch (e) {
    wrap(e);
  }
  if (opened !== real) throw notOpened(real);
}

async function checkOpenedAsync(fd: number, real: string): Promise<void> {
  if (!DESCRIPTORS_NAMED) return;
  let opened: string;
  try {
    opened = await fsp.readlink(`/proc/self/fd/${fd}`);
  } catch (e) {
    wrap(e);
  }
  if (opened !== real) throw notOpened(real);
}

/** The bytes of a regular file of at most `max` bytes; throws WorkspaceReadError otherwise. */
export function readWorkspaceFile(file: string, max = MAX_WORKSPACE_READ): Buffer {
  return readOpened(file, max, false);
}

/**
 * The same for a path with every link resolved (realpath): it is opened without following a link
 * (ELOOP when its last part is one), and must be the file the descriptor is (EMOVED when a folder
 * on its way is a link by then, where the kernel tells). Only the confinement reads so.
 */
export function readResolvedFile(real: string, max = MAX_WORKSPACE_READ): Buffer {
  return readOpened(real, max, true);
}

function readOpened(file: string, max: number, resolved: boolean): Buffer {
  let fd: number;
  try {
    fd = fs.openSync(file, resolved ? RESOLVED_FLAGS : FLAGS);
  } catch (e) {
    wrap(e);
  }
  try {
    if (resolved) checkOpened(fd, file);
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw notRegular(file);
    if (st.size > max) throw tooBig(file, max);
    // read to the cap, not to st.size: a file may grow, and /proc files report size 0
    const buf = Buffer.allocUnsafe(Math.min(max + 1, st.size > 0 ? st.size + 1 : 65_536));
    let got = 0;
    for (;;) {
      if (got === buf.length) break;
      const n = fs.readSync(fd, buf, got, buf.length - got, null);
      if (n === 0) break;
      got += n;
    }
    if (got > max) throw tooBig(file, max);
    if (got === buf.length) return readRest(fd, buf, file, max);
    return buf.subarray(0, got);
  } catch (e) {
    wrap(e);
  } finally {
    fs.closeSync(fd);
  }
}

function readRest(fd: number, start: Buffer, file: string, max: number): Buffer {
  const chunks = [start];
  let total = start.length;
  const chunk = Buffer.allocUnsafe(65_536);
  for (;;) {
    const n = fs.readSync(fd, chunk, 0, chunk.length, null);
    if (n === 0) return Buffer.concat(chunks, total);
    total += n;
    if (total > max) throw tooBig(file, max);
    chunks.push(Buffer.from(chunk.subarray(0, n)));
  }
}

/** A short reason for a failed read, for messages: "no such file", "not a regular file", ... */
export function readProblem(e: unknown): string {
  const code = (e as { code?: string }).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'ENOTREG') return 'not a regular file';
  if (code === 'EFBIG') return 'too large';
  if (code === 'EOUTSIDE') return 'outside the clan';
  if (code === 'EMOVED') return 'it changed while it was opened';
  return `cannot read (${code ?? 'error'})`;
}

/** readWorkspaceFile decoded as UTF-8 (invalid sequences become U+FFFD). */
export function readWorkspaceText(file: string, max = MAX_WORKSPACE_READ): string {
  return readWorkspaceFile(file, max).toString('utf8');
}

/** The same, asynchronously. */
export async function readWorkspaceFileAsync(file: string, max = MAX_WORKSPACE_READ): Promise<Buffer> {
  return readOpenedAsync(file, max, false);
}

/** readResolvedFile, asynchronously. */
export async function readResolvedFileAsync(real: string, max = MAX_WORKSPACE_READ): Promise<Buffer> {
  return readOpenedAsync(real, max, true);
}

async function readOpenedAsync(file: string, max: number, resolved: boolean): Promise<Buffer> {
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(file, resolved ? RESOLVED_FLAGS : FLAGS);
  } catch (e) {
    wrap(e);
  }
  try {
    if (resolved) await checkOpenedAsync(handle.fd, file);
    const st = await handle.stat();
    if (!st.isFile()) throw notRegular(file);
    if (st.size > max) throw tooBig(file, max);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(max + 1 - total, Math.max(st.size - total + 1, 65_536)));
      const { bytesRead } = await handle.read(buf, 0, buf.length, null);
      if (bytesRead === 0) return Buffer.concat(chunks, total);
      total += bytesRead;
      if (total > max) throw tooBig(file, max);
      chunks.push(buf.subarray(0, bytesRead));
    }
  } catch (e) {
    wrap(e);
  } finally {
    await handle.close();
  }
}
