// The one reader for files a workspace points at: regular files only, never more than a cap, and
// never blocking on a FIFO.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { readWorkspaceFile, readWorkspaceFileAsync, readWorkspaceText } from '../../server/src/base/readWorkspaceFile';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clan-vars-read-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const at = (name: string) => path.join(dir, name);
fs.writeFileSync(at('small'), 'hello\n');
fs.writeFileSync(at('big'), Buffer.alloc(200_000, 0x61));
fs.symlinkSync('/dev/zero', at('zero'));
fs.symlinkSync('small', at('link-to-small'));
execFileSync('mkfifo', [at('fifo')]);

const cases: [string, number, string][] = [
  ['small', 100, 'hello\n'],
  ['link-to-small', 100, 'hello\n'],
  ['big', 1000, 'EFBIG'],
  ['zero', 1000, 'ENOTREG'],
  ['fifo', 1000, 'ENOTREG'],
  ['missing', 1000, 'ENOENT'],
  [os.tmpdir(), 1000, 'ENOTREG'],
];

for (const [name, max, expected] of cases) {
  test(`readWorkspaceFile: ${name}`, async () => {
    const file = path.isAbsolute(name) ? name : at(name);
    const sync = (() => {
      try {
        return readWorkspaceText(file, max);
      } catch (e) {
        return (e as { code: string }).code;
      }
    })();
    const async_ = await readWorkspaceFileAsync(file, max).then(
      (b) => b.toString('utf8'),
      (e) => (e as { code: string }).code,
    );
    assert.equal(sync, expected);
    assert.equal(async_, expected);
  });
}

test('readWorkspaceFile: a file exactly at the cap is read whole; /proc files (size 0) are read to the end', () => {
  assert.equal(readWorkspaceFile(at('big'), 200_000).length, 200_000);
  assert.match(readWorkspaceText('/proc/self/status'), /^Name:/);
});

test('where the kernel names no descriptor (no /proc/self/fd, as on macOS), a resolved path is read without that check, sync and async; its last part is still not followed', async (t) => {
  // the module loaded again on a system made to look like one without /proc/self/fd
  const nodeFs = require('node:fs') as typeof fs;
  const nodeFsp = require('node:fs/promises') as typeof fs.promises;
  const noProc = (p: unknown) => String(p).startsWith('/proc/self/fd');
  const missing = (p: unknown) => Object.assign(new Error(`ENOENT: no such file or directory, readlink '${String(p)}'`), { code: 'ENOENT' });
  const { existsSync, readlinkSync } = nodeFs;
  const readlink = nodeFsp.readlink;
  t.mock.method(nodeFs, 'existsSync', (p: fs.PathLike) => !noProc(p) && existsSync(p));
  t.mock.method(nodeFs, 'readlinkSync', (p: fs.PathLike, o?: BufferEncoding) => {
    if (noProc(p)) throw missing(p);
    return readlinkSync(p, o);
  });
  t.mock.method(nodeFsp, 'readlink', async (p: fs.PathLike, o?: BufferEncoding) => {
    if (noProc(p)) throw missing(p);
    return readlink(p, o);
  });
  const id = require.resolve('../../server/src/base/readWorkspaceFile');
  delete require.cache[id];
  const elsewhere = require(id) as typeof import('../../server/src/base/readWorkspaceFile');
  delete require.cache[id];
  assert.equal(elsewhere.DESCRIPTORS_NAMED, false);
  assert.equal(elsewhere.readResolvedFile(at('small')).toString(), 'hello\n');
  assert.equal((await elsewhere.readResolvedFileAsync(at('small'))).toString(), 'hello\n');
  assert.throws(() => elsewhere.readResolvedFile(at('link-to-small')), (e: { code: string }) => e.code === 'ELOOP');
  await assert.rejects(elsewhere.readResolvedFileAsync(at('link-to-small')), (e: { code: string }) => e.code === 'ELOOP');
});
