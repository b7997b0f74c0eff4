// readWorkspaceFile at its limits, sync and async alike: a file of exactly the cap and one byte
// more, a /proc file whose size the kernel reports as 0 and that holds megabytes, and the short
// reasons messages give for each failed read.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { Confinement } from '../../server/src/base/confinement';
import { readProblem, readResolvedFile, readResolvedFileAsync, readWorkspaceFile, readWorkspaceFileAsync, WorkspaceReadError } from '../../server/src/base/readWorkspaceFile';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clan-vars-read-limits-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Both readers' answers: the bytes read, or the error's code. */
async function both(file: string, max: number): Promise<[Buffer | string, Buffer | string]> {
  let sync: Buffer | string;
  try {
    sync = readWorkspaceFile(file, max);
  } catch (e) {
    sync = (e as { code: string }).code;
  }
  const async_ = await readWorkspaceFileAsync(file, max).catch((e) => (e as { code: string }).code);
  return [sync, async_];
}

test('a file of exactly the cap is read whole by both readers; one byte more is refused', async () => {
  for (const size of [1, 4096, 65_536, 65_537, 200_000]) {
    const file = path.join(dir, `f${size}`);
    const data = Buffer.alloc(size, 0x61);
    data[size - 1] = 0x7a; // the last byte is there
    fs.writeFileSync(file, data);
    for (const got of await both(file, size)) assert.ok(Buffer.isBuffer(got) && got.equals(data), `${size} bytes at a cap of ${size}: ${typeof got === 'string' ? got : got.length}`);
    assert.deepEqual(await both(file, size - 1), ['EFBIG', 'EFBIG'], `${size} bytes at a cap of ${size - 1}`);
  }
});

const KALLSYMS = '/proc/kallsyms';
const procBig = (() => {
  try {
    return fs.statSync(KALLSYMS).size === 0 && fs.readFileSync(KALLSYMS).length > 200_000;
  } catch {
    return false;
  }
})();

test('a /proc file of size 0 that holds megabytes: read to its end under a cap it fits, refused under one it does not', { skip: !procBig && `${KALLSYMS} is not a readable size-0 file of more than 200 kB here` }, async () => {
  const direct = fs.readFileSync(KALLSYMS);
  for (const got of await both(KALLSYMS, 64 << 20)) {
    assert.ok(Buffer.isBuffer(got), String(got));
    // the kernel may add a module's symbols between two reads: compare the start, and the size roughly
    assert.ok(got.length > direct.length * 0.9 && got.length < direct.length * 1.1, `${got.length} bytes, ${direct.length} read directly`);
    assert.ok(got.subarray(0, 4096).equals(direct.subarray(0, 4096)));
    assert.equal(got[got.length - 1], 0x0a, 'the last line is whole');
  }
  assert.deepEqual(await both(KALLSYMS, 100_000), ['EFBIG', 'EFBIG']);
});

test('readProblem: the short reason of each failed read', async () => {
  const file = path.join(dir, 'small');
  fs.writeFileSync(file, 'hello');
  const reasonOf = (f: string, max = 1000) => {
    try {
      readWorkspaceFile(f, max);
      return 'read';
    } catch (e) {
      return readProblem(e);
    }
  };
  assert.equal(reasonOf(path.join(dir, 'missing')), 'no such file');
  assert.equal(reasonOf(dir), 'not a regular file');
  assert.equal(reasonOf(file, 2), 'too large');
  assert.equal(reasonOf(file), 'read');
  assert.equal(readProblem(Object.assign(new Error('denied'), { code: 'EACCES' })), 'cannot read (EACCES)');
  assert.equal(readProblem(new Error('no code')), 'cannot read (error)');
});

test('a /proc file of size 0 is capped by what it holds: at its length it is read whole, one byte under is refused', async () => {
  const file = '/proc/self/cmdline';
  const direct = fs.readFileSync(file);
  assert.equal(fs.statSync(file).size, 0);
  for (const got of await both(file, direct.length)) assert.ok(Buffer.isBuffer(got) && got.equals(direct), String(got));
  assert.deepEqual(await both(file, direct.length - 1), ['EFBIG', 'EFBIG']);
});

test('a /proc file of size 0 holding more than the first buffer (64 KiB) is read whole at a cap of exactly its length', async (t) => {
  // /proc/<pid>/environ of a process given a 100 kB variable: size 0, its content fixed while it runs
  const child = spawn('sleep', ['60'], { env: { PATH: process.env.PATH, BIG: 'x'.repeat(100_000) }, stdio: 'ignore' });
  t.after(() => child.kill());
  const file = `/proc/${child.pid}/environ`;
  let direct = Buffer.alloc(0);
  for (let i = 0; i < 500 && !direct.includes('BIG=x'); i++) {
    await new Promise((r) => setTimeout(r, 10));
    direct = fs.readFileSync(file);
  }
  assert.ok(direct.includes('BIG=x') && direct.length > 100_000, `${direct.length} bytes`);
  assert.equal(fs.statSync(file).size, 0);
  for (const got of await both(file, direct.length)) assert.ok(Buffer.isBuffer(got) && got.equals(direct), String(got));
  assert.deepEqual(await both(file, direct.length - 1), ['EFBIG', 'EFBIG']);
});

test('a read that fails without an fs code (no memory for its buffer) is still a WorkspaceReadError, of code EIO', async (t) => {
  const file = path.join(dir, 'no-memory');
  const size = 12_345;
  fs.writeFileSync(file, Buffer.alloc(size));
  // the reader's buffer for this file (its size and one byte) cannot be had; any other (the test runner's) can
  const allocUnsafe = Buffer.allocUnsafe;
  t.mock.method(Buffer, 'allocUnsafe', (n: number) => {
    if (n === size + 1) throw new RangeError('Array buffer allocation failed');
    return allocUnsafe.call(Buffer, n);
  });
  for (const read of [() => readWorkspaceFile(file, size), () => readWorkspaceFileAsync(file, size)]) {
    await assert.rejects(async () => read(), (e: Error & { code: string }) => e instanceof WorkspaceReadError && e.code === 'EIO' && e.message === 'Array buffer allocation failed' && readProblem(e) === 'cannot read (EIO)');
  }
});

test('every read closes what it opened, whether it reads the file or refuses it (a server reads thousands)', { skip: !fs.existsSync('/proc/self/fd') && 'no /proc/self/fd' }, async () => {
  const file = path.join(dir, 'closed');
  fs.writeFileSync(file, 'abc');
  const open = () => fs.readdirSync('/proc/self/fd').length;
  const attempt = async (read: () => unknown) => {
    try {
      await read();
    } catch {
      // refused: still closed
    }
  };
  const before = open();
  for (let i = 0; i < 20; i++) {
    for (const f of [file, dir]) {
      await attempt(() => readWorkspaceFile(f, 2));
      await attempt(() => readWorkspaceFile(f));
      await attempt(() => readWorkspaceFileAsync(f, 2));
      await attempt(() => readWorkspaceFileAsync(f));
      await attempt(() => readResolvedFile(f));
      await attempt(() => readResolvedFileAsync(f));
    }
  }
  assert.ok(open() <= before + 2, `${open() - before} descriptors more after 480 reads`);
});

test('a refused read\'s message names the file and why; readProblem names the confinement\'s refusals', async () => {
  const file = path.join(dir, 'named');
  fs.writeFileSync(file, 'hello');
  for (const read of [() => readWorkspaceFile(file, 2), () => readWorkspaceFileAsync(file, 2)]) {
    await assert.rejects(async () => read(), (e: Error) => e.message === `${file} is larger than 2 bytes`);
  }
  for (const read of [() => readWorkspaceFile(dir), () => readWorkspaceFileAsync(dir)]) {
    await assert.rejects(async () => read(), (e: Error) => e.message === `${dir} is not a regular file`);
  }
  const reasonOf = async (read: () => unknown) => {
    try {
      await read();
      return 'read';
    } catch (e) {
      return readProblem(e);
    }
  };
  const clan = path.join(dir, 'clan');
  fs.mkdirSync(path.join(clan, 'real'), { recursive: true });
  fs.writeFileSync(path.join(clan, 'real/x.nix'), 'x');
  fs.symlinkSync('real', path.join(clan, 'via'));
  assert.equal(await reasonOf(() => Confinement.within(clan).read(file)), 'outside the clan');
  if (fs.existsSync('/proc/self/fd')) {
    // a path taken as resolved that goes through a link by the time it is opened
    const moved = path.join(clan, 'via/x.nix');
    for (const read of [() => readResolvedFile(moved), () => readResolvedFileAsync(moved)]) {
      assert.equal(await reasonOf(read), 'it changed while it was opened');
      await assert.rejects(async () => read(), (e: Error) => e.message === `${moved} is not the file that was opened (a folder on its way changed)`);
    }
  }
});
