// The key that authenticates the cache files (server/src/base/cacheKey.ts) and the HMAC each cache
// file carries (base/cacheFiles.ts). The key is made once, 32 random bytes, mode 0600, and used
// only as a regular file of this user that no one else can read or write, in a folder no one else
// can write: a link, a FIFO, a key others can read or write, one of another size or another user's,
// or a folder others can write is refused (and never written through). A cache file is read back
// only under the name it was written for, unchanged.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { loadKey } from '../../server/src/base/cacheKey';
import { readCacheFile, writeCacheFile } from '../../server/src/base/cacheFiles';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'clan-vars-cache-key-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));
let n = 0;
const folder = () => path.join(scratch, `home-${n++}`, '.cache', 'clan-vars');

/** A key file of `size` bytes with exactly `mode` (a mode given to writeFileSync is masked by the umask). */
function keyFile(file: string, size: number, mode: number): void {
  fs.writeFileSync(file, Buffer.alloc(size));
  fs.chmodSync(file, mode);
}

test('cache key: made once, 32 random bytes, mode 0600, in a folder of mode 0700', () => {
  const dir = folder();
  const key = loadKey(dir);
  assert.equal(key.length, 32);
  assert.equal(fs.statSync(path.join(dir, 'key')).mode & 0o777, 0o600);
  assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
  assert.deepEqual(loadKey(dir), key, 'the same key next time');
  assert.notDeepEqual(loadKey(folder()), key, 'another home, another key');
  assert.deepEqual(fs.readdirSync(dir), ['key'], 'no temporary file left');
});

test('cache key: a link, a FIFO, a key others can read or write, or of another size, is refused; nothing is written through', () => {
  const victim = path.join(scratch, 'victim');
  fs.writeFileSync(victim, Buffer.alloc(32, 1), { mode: 0o600 });
  // [what, how the key's place is prepared, the reason]
  const cases: [string, (key: string) => void, RegExp][] = [
    ['a link to a 32-byte file of this user', (key) => fs.symlinkSync(victim, key), /key: it is a link$/],
    ['a dangling link', (key) => fs.symlinkSync(path.join(scratch, 'nowhere'), key), /key: it is a link$/],
    ['a FIFO', (key) => execFileSync('mkfifo', ['-m', '600', key]), /key: it is not a regular file$/],
    ['a folder', (key) => fs.mkdirSync(key), /key: it is not a regular file$/],
    ['readable by others', (key) => keyFile(key, 32, 0o604), /key: it is readable or writable by its group or others \(mode 604\)$/],
    ['writable by its group', (key) => keyFile(key, 32, 0o620), /key: it is readable or writable by its group or others \(mode 620\)$/],
    ['too short', (key) => keyFile(key, 16, 0o600), /key: it has 16 bytes, not 32$/],
    ['empty', (key) => keyFile(key, 0, 0o600), /key: it has 0 bytes, not 32$/],
  ];
  if (process.getuid?.() === 0) cases.push(['of another user', (key) => (keyFile(key, 32, 0o600), fs.chownSync(key, 12345, 12345)), /key: it belongs to user 12345, not to this process's user 0$/]);
  for (const [what, prepare, reason] of cases) {
    const dir = folder();
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const key = path.join(dir, 'key');
    prepare(key);
    assert.throws(() => loadKey(dir), reason, what);
    assert.deepEqual(fs.readFileSync(victim), Buffer.alloc(32, 1), `${what}: the file outside is unchanged`);
    assert.deepEqual(fs.readdirSync(dir), ['key'], `${what}: left as it was, nothing added`);
  }
});

test("cache key: a folder others can write, or another user's, is refused", () => {
  const dir = folder();
  loadKey(dir);
  for (const mode of [0o770, 0o707]) {
    fs.chmodSync(dir, mode);
    assert.throws(() => loadKey(dir), new RegExp(`its folder .*: it is writable by its group or others \\(mode ${mode.toString(8)}\\)$`));
  }
  fs.chmodSync(dir, 0o700);
  if (process.getuid?.() === 0) {
    fs.chownSync(dir, 12345, 12345);
    assert.throws(() => loadKey(dir), /its folder .*: it belongs to user 12345, not to this process's user 0$/);
  }
});

test('cache files: read back only under their name, unchanged, with the HMAC of this user\'s key', () => {
  const dir = path.join(scratch, 'cache');
  const a = path.join(dir, `${'a'.repeat(24)}-${'0'.repeat(16)}.result`);
  const b = path.join(dir, `${'b'.repeat(24)}-${'0'.repeat(16)}.result`);
  const data = Buffer.from('what the check found');
  assert.ok(writeCacheFile(a, data, assert.fail));
  assert.equal(fs.statSync(a).mode & 0o777, 0o600);
  assert.deepEqual(readCacheFile(a, 1000), data);
  const sealed = fs.readFileSync(a);
  assert.equal(sealed.length, 32 + data.length, 'an HMAC-SHA256, then the data');
  // [what, the bytes found under a name, that name]
  const forged: [string, Buffer, string][] = [
    ['moved to another folder\'s name', sealed, b],
    ['moved to another kind', sealed, a.replace(/\.result$/, '.facts')],
    ['a byte of the data changed', Buffer.concat([sealed.subarray(0, 40), Buffer.from('X'), sealed.subarray(41)]), a],
    ['a byte of the HMAC changed', Buffer.concat([Buffer.from([sealed[0] ^ 1]), sealed.subarray(1)]), a],
    ['the data alone', data, a],
    ['shorter than an HMAC', sealed.subarray(0, 31), a],
    ['empty', Buffer.alloc(0), a],
  ];
  for (const [what, bytes, name] of forged) {
    fs.writeFileSync(name, bytes);
    assert.throws(() => readCacheFile(name, 1000), { code: 'EAUTH', message: /^its HMAC does not match/ }, what);
  }
  assert.throws(() => readCacheFile(path.join(dir, 'none.result'), 1000), { code: 'ENOENT' });
});
