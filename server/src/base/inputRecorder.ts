// What an analysis read from the file system, so that its result can be reused while all of it is
// unchanged (workspace/resultCache.ts). While a recording runs, the reading functions of node:fs
// and node:fs/promises note each path they were given and a digest of what they returned: the
// bytes of a file (hashed as they were read), the names in a directory, a stat's type, size and
// time, whether a path exists, where a link points. Reading functions this does not follow (streams,
// callbacks, file handles, access checks) spoil the recording: its result is not kept. So no read
// escapes it, whichever part of the analysis does it, and new code is covered without changes.
//
// A digest is taken from what the analysis itself got, never from a read of our own beforehand (a
// FIFO or device in the workspace must not block us); checking replays each read the same safe way.
import { createHash } from 'node:crypto';
import type * as FS from 'node:fs';
import type * as FSP from 'node:fs/promises';

// the modules themselves, not a bundler's read-only view of them: their functions are replaced while recording
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fs: typeof FS = require('node:fs');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fsp: typeof FSP = require('node:fs/promises');

/** One read: what was asked (op, path, a variant such as withFileTypes) and a digest of the answer. */
export type RecordedInput = [op: InputOp, path: string, variant: string, digest: string];
type InputOp = 'file' | 'dir' | 'stat' | 'lstat' | 'exists' | 'realpath' | 'readlink';

export interface Recording {
  inputs: RecordedInput[];
  /** Why the recording cannot be trusted (a read it does not follow, a path read twice with different answers), or null. */
  spoiled: string | null;
}

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('base64');
const errorDigest = (e: unknown) => `E:${(e as NodeJS.ErrnoException).code ?? 'error'}`;

function statDigest(st: FS.Stats): string {
  const type = st.isFile() ? 'f' : st.isDirectory() ? 'd' : st.isSymbolicLink() ? 'l' : 'o';
  return `${type}:${st.size}:${st.mtimeMs}:${st.ino}`;
}

function dirDigest(entries: (string | Buffer | FS.Dirent)[]): string {
  return sha256(entries.map((e) => (typeof e === 'string' || Buffer.isBuffer(e) ? String(e) : `${e.name}:${e.isDirectory() ? 'd' : e.isFile() ? 'f' : e.isSymbolicLink() ? 'l' : 'o'}`)).join('\0'));
}

const withTypes = (options: unknown) => (typeof options === 'object' && options !== null && (options as { withFileTypes?: boolean }).withFileTypes ? 'types' : '');

/** The buffer fileDigest reads into: one for all (a new 64 KB buffer for each of a large clan's files was a third of a warm check). */
const READ_BUFFER = Buffer.allocUnsafe(1 << 16);

/** How a file was opened: `nofollow` when a link there was not followed (O_NOFOLLOW: the confinement's reads). */
const openVariant = (flags: unknown) => (typeof flags === 'number' && (flags & fs.constants.O_NOFOLLOW) !== 0 ? 'nofollow' : '');

/** The digest of a whole regular file, read without blocking (what recording a full read gives), opened as it was. */
function fileDigest(file: string, variant: string): string {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | (variant === 'nofollow' ? fs.constants.O_NOFOLLOW : 0));
  } catch (e) {
    return errorDigest(e);
  }
  try {
    if (!fs.fstatSync(fd).isFile()) return 'not a file';
    const hash = createHash('sha256');
    const buf = READ_BUFFER;
    for (let n; (n = fs.readSync(fd, buf, 0, buf.length, null)) > 0; ) hash.update(buf.subarray(0, n));
    return hash.digest('base64');
  } catch (e) {
    return errorDigest(e);
  } finally {
    fs.closeSync(fd);
  }
}

/** What a read gives now, as a digest comparable with the recorded one. */
function digestNow(op: InputOp, file: string, variant: string): string {
  try {
    switch (op) {
      case 'file':
        return fileDigest(file, variant);
      case 'dir':
        return dirDigest(variant === 'types' ? fs.readdirSync(file, { withFileTypes: true }) : fs.readdirSync(file));
      case 'stat':
        return statDigest(fs.statSync(file));
      case 'lstat':
        return statDigest(fs.lstatSync(file));
      case 'exists':
        return fs.existsSync(file) ? '1' : '0';
      case 'realpath':
        return fs.realpathSync.native(file);
      case 'readlink':
        return fs.readlinkSync(file, 'utf8');
    }
  } catch (e) {
    return errorDigest(e);
  }
}

/** The first read of a recording that does not give what it gave then, or null when none. */
export function changedInput(inputs: RecordedInput[]): RecordedInput | null {
  for (const input of inputs) if (digestNow(input[0], input[1], input[2]) !== input[3]) return input;
  return null;
}

/**
 * Runs `fn`, recording what it reads through node:fs, except below the `ignored` folders (the
 * program's own files, the caches: they have keys of their own). One recording at a time.
 */
export async function recordInputs<T>(ignored: string[], fn: () => Promise<T>): Promise<{ result: T; recording: Recording }> {
  if (active) throw new Error('recordInputs: a recording is already running');
  const recorder = new FsRecorder(ignored);
  recorder.patchReads();
  recorder.patchDescriptors();
  recorder.patchUnfollowed();
  active = true;
  try {
    const result = await fn();
    return { result, recording: recorder.finish() };
  } finally {
    recorder.restore();
    active = false;
  }
}

type AnyFunction = (...args: unknown[]) => unknown;

const variantOf = (op: InputOp, args: unknown[]) => (op === 'dir' ? withTypes(args[1]) : '');
const fileContent = (result: unknown, args: unknown[]) => {
  const enc = typeof args[1] === 'string' ? args[1] : (args[1] as { encoding?: string } | undefined)?.encoding;
  return sha256(typeof result === 'string' ? Buffer.from(result, (enc ?? 'utf8') as BufferEncoding) : (result as Uint8Array));
};
const entries = (r: unknown) => dirDigest(r as FS.Dirent[]);
// statSync(p, { throwIfNoEntry: false }) answers undefined instead of throwing (fs.rmSync asks lstatSync so)
const stat = (r: unknown) => (r ? statDigest(r as FS.Stats) : 'E:ENOENT');

/** One recording: node:fs's reading functions wrapped to note each read and its answer, until restored. */
class FsRecorder {
  private readonly seen = new Map<string, RecordedInput>();
  private readonly recording: Recording = { inputs: [], spoiled: null };
  /** The descriptors opened for reading: the bytes read so far, hashed. */
  private readonly open = new Map<number, { file: string; variant: string; hash: ReturnType<typeof createHash>; notFile: boolean }>();
  private readonly undo: (() => void)[] = [];

  constructor(private readonly ignored: string[]) {}

  /** /proc/self: this process's own descriptors (the confinement asks which file a descriptor is), not inputs. */
  private skip(p: unknown): boolean {
    return typeof p !== 'string' || p.startsWith('/proc/self/') || this.ignored.some((dir) => p === dir || p.startsWith(dir.endsWith('/') ? dir : dir + '/'));
  }

  private note(op: InputOp, p: unknown, variant: string, digest: string): void {
    if (this.skip(p)) return;
    const key = `${op}\0${p as string}\0${variant}`;
    const before = this.seen.get(key);
    if (before && before[3] !== digest) this.recording.spoiled ??= `${p as string} read twice with different results`;
    else if (!before) this.seen.set(key, [op, p as string, variant, digest]);
  }

  private spoil(name: string, p: unknown): void {
    if (!this.skip(p)) this.recording.spoiled ??= `${name}(${String(p)}) is not followed by the recording`;
  }

  private patch<M extends object>(mod: M, name: string, wrap: (original: AnyFunction) => AnyFunction): void {
    const m = mod as Record<string, unknown>;
    const original = m[name] as AnyFunction;
    if (typeof original !== 'function') return;
    const wrapper = wrap(original);
    // what hangs on the function stays reachable (fs.realpathSync.native, util.promisify.custom)
    for (const key of Reflect.ownKeys(original)) if (!['length', 'name', 'prototype'].includes(key as string)) Object.defineProperty(wrapper, key, Reflect.getOwnPropertyDescriptor(original, key)!);
    m[name] = wrapper;
    this.undo.push(() => (m[name] = original));
  }

  /** A synchronous read whose answer (or error) is noted. */
  private sync(op: InputOp, digest: (result: unknown, args: unknown[]) => string): (original: AnyFunction) => AnyFunction {
    const recorder = this;
    return (original) =>
      function (this: unknown, ...args: unknown[]) {
        let result: unknown;
        try {
          result = original.apply(this, args);
        } catch (e) {
          recorder.note(op, args[0], variantOf(op, args), errorDigest(e));
          throw e;
        }
        recorder.note(op, args[0], variantOf(op, args), digest(result, args));
        return result;
      };
  }

  /** A read through a promise whose answer (or error) is noted. */
  private promised(op: InputOp, digest: (result: unknown) => string): (original: AnyFunction) => AnyFunction {
    const recorder = this;
    return (original) =>
      async function (this: unknown, ...args: unknown[]) {
        let result: unknown;
        try {
          result = await original.apply(this, args);
        } catch (e) {
          recorder.note(op, args[0], variantOf(op, args), errorDigest(e));
          throw e;
        }
        recorder.note(op, args[0], variantOf(op, args), digest(result));
        return result;
      };
  }

  /** The reads answered at once: a file's contents, a folder's entries, a stat, a link. */
  patchReads(): void {
    this.patch(fs, 'readFileSync', this.sync('file', fileContent));
    this.patch(fs, 'readdirSync', this.sync('dir', entries));
    this.patch(fs, 'statSync', this.sync('stat', stat));
    this.patch(fs, 'lstatSync', this.sync('lstat', stat));
    this.patch(fs, 'existsSync', this.sync('exists', (r) => (r ? '1' : '0')));
    // the native realpath (what the confinement resolves links with) first: the wrapper of realpathSync takes it over
    this.patch(fs.realpathSync, 'native', this.sync('realpath', (r) => String(r)));
    this.patch(fs, 'realpathSync', this.sync('realpath', (r) => String(r)));
    this.patch(fs, 'readlinkSync', this.sync('readlink', (r) => String(r)));
    this.patch(fsp, 'readFile', this.promised('file', (r) => sha256(typeof r === 'string' ? Buffer.from(r) : (r as Uint8Array))));
    this.patch(fsp, 'readdir', this.promised('dir', entries));
    this.patch(fsp, 'stat', this.promised('stat', stat));
    this.patch(fsp, 'lstat', this.promised('lstat', stat));
    this.patch(fsp, 'realpath', this.promised('realpath', (r) => String(r)));
    this.patch(fsp, 'readlink', this.promised('readlink', (r) => String(r)));
  }

  /** A file read through a descriptor (the bounded reader): its bytes hashed as they are read, noted when it is closed. */
  patchDescriptors(): void {
    const { open } = this;
    const recorder = this;
    this.patch(fs, 'openSync', (original) =>
      function (this: unknown, ...args: unknown[]) {
        const [file, flags] = args;
        const writing = typeof flags === 'string' ? /[wa+]/.test(flags) : typeof flags === 'number' && (flags & (fs.constants.O_WRONLY | fs.constants.O_RDWR)) !== 0;
        let fd: number;
        try {
          fd = original.apply(this, args) as number;
        } catch (e) {
          if (!writing) recorder.note('file', file, openVariant(flags), errorDigest(e));
          throw e;
        }
        if (!writing && !recorder.skip(file)) open.set(fd, { file: file as string, variant: openVariant(flags), hash: createHash('sha256'), notFile: false });
        return fd;
      },
    );
    this.patch(fs, 'fstatSync', (original) =>
      function (this: unknown, ...args: unknown[]) {
        const st = original.apply(this, args) as FS.Stats;
        const reading = open.get(args[0] as number);
        if (reading && !st.isFile()) reading.notFile = true;
        return st;
      },
    );
    this.patch(fs, 'readSync', (original) =>
      function (this: unknown, ...args: unknown[]) {
        const n = original.apply(this, args) as number;
        const reading = open.get(args[0] as number);
        if (reading) {
          const buf = args[1] as Uint8Array;
          const offset = typeof args[2] === 'number' ? args[2] : ((args[2] as { offset?: number } | undefined)?.offset ?? 0);
          reading.hash.update(buf.subarray(offset, offset + n));
        }
        return n;
      },
    );
    this.patch(fs, 'closeSync', (original) =>
      function (this: unknown, ...args: unknown[]) {
        const reading = open.get(args[0] as number);
        if (reading) {
          open.delete(args[0] as number);
          recorder.note('file', reading.file, reading.variant, reading.notFile ? 'not a file' : reading.hash.digest('base64'));
        }
        return original.apply(this, args);
      },
    );
  }

  /** Reads the recording does not follow (callbacks, streams, watchers): using one on an input spoils it. */
  patchUnfollowed(): void {
    const recorder = this;
    for (const name of ['readFile', 'readdir', 'stat', 'lstat', 'realpath', 'readlink', 'exists', 'access', 'accessSync', 'open', 'opendir', 'opendirSync', 'createReadStream', 'watch', 'watchFile']) {
      this.patch(fs, name, (original) =>
        function (this: unknown, ...args: unknown[]) {
          recorder.spoil(`fs.${name}`, args[0]);
          return original.apply(this, args);
        },
      );
    }
    for (const name of ['open', 'access', 'opendir', 'watch']) {
      this.patch(fsp, name, (original) =>
        function (this: unknown, ...args: unknown[]) {
          recorder.spoil(`fs.promises.${name}`, args[0]);
          return original.apply(this, args);
        },
      );
    }
  }

  /** The recording, once the recorded work is done. */
  finish(): Recording {
    if (this.open.size) this.recording.spoiled ??= `${this.open.size} files were left open`;
    this.recording.inputs = [...this.seen.values()];
    return this.recording;
  }

  /** node:fs as it was, the last patch undone first. */
  restore(): void {
    for (const undo of this.undo.reverse()) undo();
  }
}

let active = false;
