// base/safeWrite.ts, the one way to replace a file in a folder a repository controls: the
// temporary file has a random name and is created exclusively without following links, so links,
// FIFOs or files planted where a writer might put its temporary file are never written through.
// writeNewFile (the cache key) never replaces what is at its name, and never writes through it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { inFolderOf, temporaryName, writeFileAtomic, writeNewFile } from '../../server/src/base/safeWrite';
import { removeTree, writeTree } from '../helpers/tempClan';
import { childUser, runUnprivileged } from '../helpers/unprivileged';

const SAFE_WRITE = path.resolve(__dirname, '../../server/src/base/safeWrite.ts');

const roots: string[] = [];
after(() => roots.forEach(removeTree));

function tree(files: Record<string, string>): string {
  const root = writeTree(files, 'clan-vars-safe-write-');
  roots.push(root);
  return root;
}

test('writeFileAtomic: replaces the file, keeps its mode, leaves no temporary file', () => {
  const root = tree({ 'a.nix': 'old' });
  const file = path.join(root, 'a.nix');
  fs.chmodSync(file, 0o640);
  writeFileAtomic(file, 'new ✓');
  assert.equal(fs.readFileSync(file, 'utf8'), 'new ✓');
  assert.equal(fs.statSync(file).mode & 0o777, 0o640);
  assert.deepEqual(fs.readdirSync(root), ['a.nix']);
});

test('writeFileAtomic: a new file gets 0600 or the mode asked for; bytes are written as given', () => {
  const root = tree({});
  writeFileAtomic(path.join(root, 'cache.json'), '{}');
  assert.equal(fs.statSync(path.join(root, 'cache.json')).mode & 0o777, 0o600);
  writeFileAtomic(path.join(root, 'blob'), Buffer.from([0, 255, 1]), 0o644);
  assert.deepEqual([...fs.readFileSync(path.join(root, 'blob'))], [0, 255, 1]);
  assert.equal(fs.statSync(path.join(root, 'blob')).mode & 0o777, 0o644);
});

test('writeFileAtomic: the temporary name is random, hidden and in the same folder', () => {
  const a = temporaryName('/x/y/a.nix');
  const b = temporaryName('/x/y/a.nix');
  assert.notEqual(a, b);
  assert.match(a, /^\/x\/y\/\.a\.nix\.[0-9a-f]{24}\.tmp$/);
});

test('writeFileAtomic: links, FIFOs and files planted at temporary names are never written through', () => {
  const root = tree({ 'a.nix': 'old', 'outside/secret': 'keep me' });
  const file = path.join(root, 'a.nix');
  const outside = path.join(root, 'outside', 'secret');
  // the old naming scheme, for every pid this process could have had
  for (let pid = Math.max(1, process.pid - 200); pid < process.pid + 200; pid++) {
    fs.symlinkSync(outside, path.join(root, `.a.nix.clan-vars-${pid}.tmp`));
  }
  execFileSync('mkfifo', [path.join(root, '.a.nix.fifo.tmp')]);
  const before = new Set(fs.readdirSync(root));
  writeFileAtomic(file, 'new');
  assert.equal(fs.readFileSync(outside, 'utf8'), 'keep me');
  assert.equal(fs.readFileSync(file, 'utf8'), 'new');
  assert.ok(!fs.lstatSync(file).isSymbolicLink());
  assert.deepEqual(new Set(fs.readdirSync(root)), before, 'every planted entry is still there, nothing added');
});

test('writeFileAtomic: a clash with a planted name takes another name; a failure leaves the target as it was', (t) => {
  const root = tree({ 'a.nix': 'old', 'outside': 'keep me' });
  const file = path.join(root, 'a.nix');
  const outside = path.join(root, 'outside');
  // the random source is made to repeat a planted name twice, then give a fresh one
  const planted = path.join(root, '.a.nix.000000000000000000000000.tmp');
  fs.symlinkSync(outside, planted);
  const crypto = require('node:crypto') as typeof import('node:crypto');
  let calls = 0;
  t.mock.method(crypto, 'randomBytes', (n: number) => Buffer.alloc(n, calls++ < 2 ? 0 : 7));
  writeFileAtomic(file, 'new');
  assert.equal(calls, 3);
  assert.equal(fs.readFileSync(outside, 'utf8'), 'keep me');
  assert.equal(fs.readFileSync(file, 'utf8'), 'new');
  assert.ok(fs.lstatSync(planted).isSymbolicLink(), 'the planted link is left alone');

  // a folder that cannot be written: the error comes through, the file is as it was (run as a user
  // permissions apply to: root, as CI runs, may write anywhere)
  fs.chownSync(root, childUser.uid, childUser.gid);
  fs.chmodSync(root, 0o555);
  const denied = runUnprivileged(SAFE_WRITE, "try { mod.writeFileAtomic(process.argv[2], 'newer'); console.log('written'); } catch (e) { console.log(e.code); }", [file]);
  fs.chmodSync(root, 0o755);
  assert.equal(denied.stdout.trim(), 'EACCES', denied.stderr);
  assert.equal(fs.readFileSync(file, 'utf8'), 'new');
  // the target is a directory: rename fails, no temporary file remains
  const dir = path.join(root, 'dir.nix');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'x'), '');
  t.mock.restoreAll();
  assert.throws(() => writeFileAtomic(dir, 'x'));
  assert.deepEqual(fs.readdirSync(root).filter((f) => f.startsWith('.dir.nix')), []);
});

test('writeNewFile: creates a whole file with its mode; whatever is at the name already is left alone', () => {
  const root = tree({ 'taken': 'keep me', 'outside/secret': 'keep me too' });
  assert.equal(writeNewFile(path.join(root, 'key'), [Buffer.from('ab'), Buffer.from('c')], 0o600), true);
  assert.equal(fs.readFileSync(path.join(root, 'key'), 'utf8'), 'abc');
  assert.equal(fs.statSync(path.join(root, 'key')).mode & 0o777, 0o600);
  fs.symlinkSync(path.join(root, 'outside', 'secret'), path.join(root, 'link'));
  fs.symlinkSync(path.join(root, 'outside', 'none'), path.join(root, 'dangling'));
  execFileSync('mkfifo', [path.join(root, 'fifo')]);
  const before = new Set(fs.readdirSync(root));
  for (const name of ['key', 'taken', 'link', 'dangling', 'fifo']) assert.equal(writeNewFile(path.join(root, name), 'new', 0o600), false, name);
  assert.equal(fs.readFileSync(path.join(root, 'key'), 'utf8'), 'abc');
  assert.equal(fs.readFileSync(path.join(root, 'taken'), 'utf8'), 'keep me');
  assert.equal(fs.readFileSync(path.join(root, 'outside', 'secret'), 'utf8'), 'keep me too');
  assert.equal(fs.existsSync(path.join(root, 'outside', 'none')), false, 'a dangling link is not followed');
  assert.deepEqual(new Set(fs.readdirSync(root)), before, 'nothing added: no temporary file left');
});

test('writeNewFile: false means something is at the name; a name it cannot link to, with nothing there, throws and leaves nothing', () => {
  const root = tree({ 'keep': '' });
  // a name ending in '/' names a folder: the temporary file is made beside it, the link fails (ENOENT) with nothing there
  assert.throws(() => writeNewFile(path.join(root, 'key') + '/', 'new', 0o600), (e: { code: string }) => e.code === 'ENOENT');
  assert.deepEqual(fs.readdirSync(root), ['keep'], 'no key, no temporary file');
});

test('writeFileAtomic: a write that fails before the rename leaves the target as it was, no temporary file and no open descriptor', () => {
  const root = tree({ 'a.nix': 'old' });
  const file = path.join(root, 'a.nix');
  const open = () => (fs.existsSync('/proc/self/fd') ? fs.readdirSync('/proc/self/fd').length : 0);
  const before = open();
  // a mode fchmod refuses: the data is written, the failure comes before anything is renamed
  for (let i = 0; i < 10; i++) assert.throws(() => writeFileAtomic(file, 'new', -1), (e: { code: string }) => e.code === 'ERR_OUT_OF_RANGE');
  assert.equal(fs.readFileSync(file, 'utf8'), 'old');
  assert.deepEqual(fs.readdirSync(root), ['a.nix']);
  assert.ok(open() <= before + 1, `${open() - before} descriptors more`);
});

test('writeFileAtomic: when every random name is taken (planted), the write fails with EEXIST and touches nothing', (t) => {
  const root = tree({ 'a.nix': 'old', 'outside': 'keep me' });
  const file = path.join(root, 'a.nix');
  fs.symlinkSync(path.join(root, 'outside'), path.join(root, '.a.nix.000000000000000000000000.tmp'));
  const crypto = require('node:crypto') as typeof import('node:crypto');
  t.mock.method(crypto, 'randomBytes', (n: number) => Buffer.alloc(n, 0));
  assert.throws(() => writeFileAtomic(file, 'new'), (e: { code: string }) => e.code === 'EEXIST');
  t.mock.restoreAll();
  assert.equal(fs.readFileSync(file, 'utf8'), 'old');
  assert.equal(fs.readFileSync(path.join(root, 'outside'), 'utf8'), 'keep me');
});

test('inFolderOf: the folder is held while fn runs (renamed meanwhile, the name still finds the file); the working directory is set back', () => {
  const root = tree({ 'dir/a.nix': 'a' });
  const cwd = process.cwd();
  const real = fs.realpathSync(path.join(root, 'dir'));
  const got = inFolderOf(path.join(root, 'dir/a.nix'), (folder, name) => {
    fs.renameSync(path.join(root, 'dir'), path.join(root, 'moved'));
    return [folder, name, fs.readFileSync(name, 'utf8')];
  });
  assert.deepEqual(got, [real, 'a.nix', 'a']);
  assert.equal(process.cwd(), cwd);
  assert.throws(() => inFolderOf(path.join(root, 'moved/a.nix'), () => {
    throw new Error('fn failed');
  }), /fn failed/);
  assert.equal(process.cwd(), cwd);
});
