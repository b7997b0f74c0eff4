// The one confinement rule for reads a workspace names (base/confinement.ts), on a hostile tree built
// here: links out of the root (to a file, a folder, the root's parent, /), links that stay inside,
// dangling links and loops, `..` in a path, a FIFO outside, a root that is itself a link, and a file
// swapped for a link between the check and the read. An outside read fails with EOUTSIDE and a message
// that names paths only.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { Confinement } from '../../server/src/base/confinement';
import { readResolvedFile, WorkspaceReadError } from '../../server/src/base/readWorkspaceFile';
import { SECRET } from '../helpers/outsideReads';
import { removeTree, writeTree } from '../helpers/tempClan';

const base = writeTree({
  'clan/flake.nix': '{ }\n',
  'clan/lib/a.nix': '{ a = 1; }\n',
  'clan/lib/sub/b.nix': '{ b = 2; }\n',
  'outside/secret.txt': `${SECRET}\n`,
  'outside/folder/x.nix': `${SECRET}\n`,
});
after(() => removeTree(base));
const clan = path.join(base, 'clan');
const at = (rel: string) => path.join(clan, rel);
const link = (target: string, rel: string) => fs.symlinkSync(target, at(rel));
link(path.join(base, 'outside/secret.txt'), 'lib/secret.nix');
link('../../outside/secret.txt', 'lib/relative-secret.nix');
link(path.join(base, 'outside/folder'), 'lib/folder');
link('..', 'up');
link('/', 'rootfs');
link('a.nix', 'lib/inner.nix');
link('sub', 'lib/inner-folder');
link('missing.nix', 'lib/dangling.nix');
link(path.join(base, 'outside/missing.nix'), 'lib/dangling-out.nix');
link('loop.nix', 'lib/loop.nix');
execFileSync('mkfifo', [path.join(base, 'outside/fifo')]);
link(path.join(base, 'outside/fifo'), 'lib/fifo.nix');
fs.symlinkSync(clan, path.join(base, 'clan-link'));

const reads = Confinement.within(clan);

function readCode(c: Confinement, p: string): string {
  try {
    return c.readText(p);
  } catch (e) {
    assert.ok(!(e as Error).message.includes(SECRET), (e as Error).message);
    return (e as { code: string }).code;
  }
}

test('confinement: links that stay inside are read; every way out is EOUTSIDE, and a message names paths, never content', () => {
  const cases: [string, string][] = [
    ['lib/a.nix', '{ a = 1; }\n'],
    ['lib/inner.nix', '{ a = 1; }\n'],
    ['lib/inner-folder/b.nix', '{ b = 2; }\n'],
    ['lib/sub/../a.nix', '{ a = 1; }\n'],
    ['lib/secret.nix', 'EOUTSIDE'],
    ['lib/relative-secret.nix', 'EOUTSIDE'],
    ['lib/folder/x.nix', 'EOUTSIDE'],
    ['up/outside/secret.txt', 'EOUTSIDE'],
    ['rootfs/etc/hostname', 'EOUTSIDE'],
    ['../outside/secret.txt', 'EOUTSIDE'],
    ['lib/fifo.nix', 'EOUTSIDE'],
    ['lib/dangling.nix', 'ENOENT'],
    ['lib/dangling-out.nix', 'ENOENT'],
    ['lib/loop.nix', 'ENOENT'],
    ['lib/missing.nix', 'ENOENT'],
    ['lib', 'ENOTREG'],
  ];
  for (const [rel, expected] of cases) assert.equal(readCode(reads, at(rel)), expected, rel);
  assert.equal(readCode(reads, path.join(base, 'outside/secret.txt')), 'EOUTSIDE');
  const out = reads.confine(at('lib/secret.nix'));
  assert.deepEqual(out, { outside: `${at('lib/secret.nix')} leads to ${path.join(base, 'outside/secret.txt')}, outside ${clan}`, leadsTo: path.join(base, 'outside/secret.txt') });
});

test('confinement: the async read, listings and stats keep to the same rule', async () => {
  await assert.rejects(reads.readAsync(at('lib/secret.nix')), (e: { code: string }) => e.code === 'EOUTSIDE');
  assert.equal((await reads.readAsync(at('lib/inner.nix'))).toString(), '{ a = 1; }\n');
  assert.throws(() => reads.list(at('lib/folder')), (e: { code: string }) => e.code === 'EOUTSIDE');
  // inside, but no folder: the listing's own error, with its code
  assert.throws(() => reads.list(at('lib/inner.nix')), (e: unknown) => e instanceof WorkspaceReadError && e.code === 'ENOTDIR');
  assert.throws(() => reads.list(at('lib/no-such-folder')), (e: unknown) => e instanceof WorkspaceReadError && e.code === 'ENOENT');
  assert.deepEqual(reads.entries(at('rootfs')), []);
  assert.deepEqual(reads.entries(at('lib/inner-folder')).map((e) => e.name), ['b.nix']);
  assert.equal(reads.isFile(at('lib/secret.nix')), false);
  assert.equal(reads.isDirectory(at('up')), false);
  assert.equal(reads.isDirectory(at('lib/inner-folder')), true);
  assert.equal(reads.nixFileAt(at('lib/folder/x.nix')), null);
  assert.equal(reads.linkText(at('lib/secret.nix')), path.join(base, 'outside/secret.txt'));
  assert.equal(reads.linkText(at('lib/folder/x.nix')), null, 'a link text is read only in a folder inside');
});

test('confinement: a path that does not exist yet is placed by its nearest existing folder', () => {
  assert.deepEqual(reads.confine(at('lib/new/file.nix')), { real: at('lib/new/file.nix') });
  assert.equal('outside' in reads.confine(at('lib/folder/new.nix')), true);
});

test('confinement: a root named through a link holds what its real folder holds, named either way', () => {
  const viaLink = Confinement.within(path.join(base, 'clan-link'));
  assert.equal(readCode(viaLink, path.join(base, 'clan-link/lib/a.nix')), '{ a = 1; }\n');
  assert.equal(readCode(viaLink, at('lib/a.nix')), '{ a = 1; }\n');
  assert.equal(readCode(viaLink, path.join(base, 'clan-link/lib/secret.nix')), 'EOUTSIDE');
  // roots are each their own: a file of one may not lead into another
  const two = Confinement.within(at('lib/sub'), path.join(base, 'outside/folder'));
  assert.equal(readCode(two, at('lib/sub/b.nix')), '{ b = 2; }\n');
  assert.equal(readCode(two, path.join(base, 'outside/folder/x.nix')), `${SECRET}\n`);
  assert.equal(readCode(two, at('lib/folder/x.nix')), 'EOUTSIDE');
  // a root that does not resolve holds nothing
  assert.equal(readCode(Confinement.within(path.join(base, 'gone')), path.join(base, 'gone/x.nix')), 'ENOENT');
});

test('confinement: a path that is not the real one when it is opened (a folder swapped for a link after the check) reads nothing', () => {
  // readResolvedFile is given the path the check resolved; here a folder of it is a link by the time it is opened:
  // Linux names the file a descriptor is (/proc/self/fd), elsewhere only the last part is opened without following a link
  if (fs.existsSync('/proc/self/fd')) assert.throws(() => readResolvedFile(at('lib/inner-folder/b.nix')), (e: { code: string }) => e.code === 'EMOVED');
  assert.throws(() => readResolvedFile(at('lib/inner.nix')), (e: { code: string }) => e.code === 'ELOOP');
  assert.equal(readResolvedFile(at('lib/sub/b.nix')).toString(), '{ b = 2; }\n');
});

test('confinement: a folder read before and replaced by a link since is resolved again: out of the root, nothing is read', () => {
  const tree = writeTree({ 'clan/lib/x.nix': 'inside\n', 'clan/other/x.nix': 'other\n', 'outside/x.nix': `${SECRET}\n` });
  after(() => removeTree(tree));
  const c = Confinement.within(path.join(tree, 'clan'));
  const file = path.join(tree, 'clan/lib/x.nix');
  assert.equal(c.readText(file), 'inside\n');
  fs.renameSync(path.join(tree, 'clan/lib'), path.join(tree, 'clan/old'));
  fs.symlinkSync('other', path.join(tree, 'clan/lib'));
  assert.equal(c.readText(file), 'other\n');
  fs.rmSync(path.join(tree, 'clan/lib'));
  fs.renameSync(path.join(tree, 'clan/old'), path.join(tree, 'clan/lib'));
  assert.equal(c.readText(file), 'inside\n');
  fs.renameSync(path.join(tree, 'clan/lib'), path.join(tree, 'clan/old'));
  fs.symlinkSync(path.join(tree, 'outside'), path.join(tree, 'clan/lib'));
  assert.equal(readCode(c, file), 'EOUTSIDE');
  // the file itself replaced by a link out
  fs.rmSync(path.join(tree, 'clan/lib'));
  fs.renameSync(path.join(tree, 'clan/old'), path.join(tree, 'clan/lib'));
  assert.equal(c.readText(file), 'inside\n');
  fs.rmSync(file);
  fs.symlinkSync(path.join(tree, 'outside/x.nix'), file);
  assert.equal(readCode(c, file), 'EOUTSIDE');
});

test('confinement: a folder read before and swapped for a link out since: every read, sync or async, is EOUTSIDE, whatever is out there', async () => {
  const tree = writeTree({ 'clan/lib/x.nix': 'inside\n', 'outside/full/x.nix': `${SECRET}\n`, 'outside/empty/.keep': '', 'outside/file': `${SECRET}\n` });
  after(() => removeTree(tree));
  const file = path.join(tree, 'clan/lib/x.nix');
  const readAsyncCode = async (c: Confinement) => {
    try {
      return (await c.readAsync(file)).toString();
    } catch (e) {
      assert.ok(!(e as Error).message.includes(SECRET), (e as Error).message);
      return (e as { code: string }).code;
    }
  };
  // the outside folder holds the file (it is opened: a different file), holds nothing (ENOENT), or is a file (ENOTDIR)
  for (const target of ['outside/full', 'outside/empty', 'outside/file']) {
    const sync = Confinement.within(path.join(tree, 'clan'));
    const async = Confinement.within(path.join(tree, 'clan'));
    assert.equal(sync.readText(file), 'inside\n');
    assert.equal(await readAsyncCode(async), 'inside\n');
    fs.renameSync(path.join(tree, 'clan/lib'), path.join(tree, 'clan/old'));
    fs.symlinkSync(path.join(tree, target), path.join(tree, 'clan/lib'));
    assert.equal(readCode(sync, file), 'EOUTSIDE', target);
    assert.equal(await readAsyncCode(async), 'EOUTSIDE', target);
    fs.rmSync(path.join(tree, 'clan/lib'));
    fs.renameSync(path.join(tree, 'clan/old'), path.join(tree, 'clan/lib'));
  }
  // a folder that does not resolve: nothing to remember, the async read says so as the sync one does
  const c = Confinement.within(path.join(tree, 'clan'));
  await assert.rejects(c.readAsync(path.join(tree, 'clan/missing/x.nix')), (e: { code: string }) => e.code === 'ENOENT');
  await assert.rejects(c.readAsync(path.join(tree, 'clan/missing')), (e: { code: string }) => e.code === 'ENOENT');
});

test('confinement: a folder read before and swapped for a link out since: nothing out there is opened (a FIFO, a socket), every read is EOUTSIDE', async (t) => {
  const tree = writeTree({ 'clan/lib/fifo.nix': 'inside\n', 'clan/lib/socket.nix': 'inside\n', 'outside/.keep': '' });
  after(() => removeTree(tree));
  const out = (name: string) => path.join(tree, 'outside', name);
  const file = (name: string) => path.join(tree, 'clan/lib', name);
  execFileSync('mkfifo', [out('fifo.nix')]);
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(out('socket.nix'), resolve));
  t.after(() => server.close());
  // a writer waiting for the FIFO's reader: it goes on (and leaves a mark) only if the FIFO is opened
  const marker = path.join(tree, 'opened');
  const writer = spawn('bash', ['-c', 'exec 3>"$1"; : > "$2"', 'bash', out('fifo.nix'), marker], { stdio: 'ignore' });
  t.after(() => writer.kill());
  const waiting = () => {
    try {
      return fs.readFileSync(`/proc/${writer.pid}/wchan`, 'utf8') === 'wait_for_partner';
    } catch {
      return false;
    }
  };
  for (let i = 0; i < 200 && !waiting(); i++) await new Promise((r) => setTimeout(r, 10));
  for (const name of ['socket.nix', 'fifo.nix']) {
    const sync = Confinement.within(path.join(tree, 'clan'));
    const async = Confinement.within(path.join(tree, 'clan'));
    assert.equal(sync.readText(file(name)), 'inside\n');
    assert.equal((await async.readAsync(file(name))).toString(), 'inside\n');
    fs.renameSync(path.join(tree, 'clan/lib'), path.join(tree, 'clan/old'));
    fs.symlinkSync(path.join(tree, 'outside'), path.join(tree, 'clan/lib'));
    assert.equal(readCode(sync, file(name)), 'EOUTSIDE', name);
    assert.equal(await async.readAsync(file(name)).then(String, (e: { code: string }) => e.code), 'EOUTSIDE', name);
    fs.rmSync(path.join(tree, 'clan/lib'));
    fs.renameSync(path.join(tree, 'clan/old'), path.join(tree, 'clan/lib'));
  }
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(fs.existsSync(marker), false, 'the FIFO outside was opened');
});

test('confinement: a root is what it was when the confinement was made: created since, still empty; removed since, its reads say it does not resolve', () => {
  const tree = writeTree({ 'keep/.keep': '' });
  after(() => removeTree(tree));
  const later = path.join(tree, 'later');
  const before = Confinement.within(later);
  fs.mkdirSync(later);
  fs.writeFileSync(path.join(later, 'x.nix'), 'x\n');
  assert.throws(() => before.read(path.join(later, 'x.nix')), (e: Error & { code: string }) => e.code === 'ENOENT' && e.message === `${later} does not resolve`);
  const gone = path.join(tree, 'gone');
  fs.mkdirSync(gone);
  const c = Confinement.within(gone);
  fs.rmdirSync(gone);
  assert.throws(() => c.read(path.join(gone, 'x.nix')), (e: Error & { code: string }) => e.code === 'ENOENT' && e.message === `${gone} does not resolve`);
  assert.deepEqual(c.confine(path.join(gone, 'a/b.nix')), { outside: `${gone} does not resolve`, leadsTo: null });
  // a root named through a link, its real folder removed since: a path named by that real folder says the same of it,
  // whether the root is also named directly or not
  const real = path.join(tree, 'real');
  fs.mkdirSync(real);
  fs.symlinkSync(real, path.join(tree, 'via'));
  const vias = [Confinement.within(path.join(tree, 'via')), Confinement.within(path.join(tree, 'via'), real), Confinement.within(real, path.join(tree, 'via'))];
  fs.rmdirSync(real);
  for (const via of vias) {
    assert.throws(() => via.read(path.join(real, 'x.nix')), (e: Error & { code: string }) => e.code === 'ENOENT' && e.message === `${real} does not resolve`);
    assert.deepEqual(via.confine(path.join(real, 'a/b.nix')), { outside: `${real} does not resolve`, leadsTo: null });
  }
});

test('confinement: the innermost root decides, in whichever order the roots are given (a flake input linked into the workspace)', () => {
  const tree = writeTree({ 'ws/flake.nix': '{ }\n', 'store/input/x.nix': 'input\n', 'store/other.nix': `${SECRET}\n` });
  after(() => removeTree(tree));
  fs.symlinkSync(path.join(tree, 'store/input'), path.join(tree, 'ws/input'));
  fs.symlinkSync('../other.nix', path.join(tree, 'store/input/escape.nix'));
  const ws = path.join(tree, 'ws');
  const input = path.join(ws, 'input');
  for (const c of [Confinement.within(ws, input), Confinement.within(input, ws)]) {
    assert.equal(readCode(c, path.join(input, 'x.nix')), 'input\n');
    assert.equal(readCode(c, path.join(input, 'escape.nix')), 'EOUTSIDE');
  }
});

test('confinement: the innermost root is the deepest folder a path is named under, as a root is named or as it resolves, in either order', () => {
  const tree = writeTree({ 'AA/s/f.nix': 'inner\n', 'AA/other.nix': `${SECRET}\n` });
  after(() => removeTree(tree));
  const t = (rel: string) => path.join(tree, rel);
  fs.symlinkSync('../other.nix', t('AA/s/esc.nix'));
  // a root named by a long link to an outer folder, and a deeper root: the deeper one decides for its files
  fs.symlinkSync(t('AA'), t('a-long-name-for-AA'));
  // a root whose name is as long as the outer root's, resolving into it: named by its real path, it is the deeper one
  fs.symlinkSync(t('AA/s'), t('BB'));
  for (const [outer, inner] of [[t('a-long-name-for-AA'), t('AA/s')], [t('AA'), t('BB')]]) {
    for (const c of [Confinement.within(outer, inner), Confinement.within(inner, outer)]) {
      assert.equal(readCode(c, t('AA/s/f.nix')), 'inner\n');
      assert.equal(readCode(c, t('AA/other.nix')), `${SECRET}\n`);
      assert.equal(readCode(c, t('AA/s/esc.nix')), 'EOUTSIDE', `${inner} in ${c.roots.map((r) => r.dir).join(', ')}`);
      assert.throws(() => c.read(t('AA/s/esc.nix')), (e: Error) => e.message === `${t('AA/s/esc.nix')} leads to ${t('AA/other.nix')}, outside ${t('AA/s')}`);
    }
  }
});

test('confinement: messages name the path and the roots', () => {
  const elsewhere = path.join(base, 'outside/secret.txt');
  assert.throws(() => reads.read(elsewhere), (e: Error) => e.message === `${elsewhere} is outside ${clan}`);
  const two = Confinement.within(at('lib/sub'), at('lib/inner-folder'));
  assert.throws(() => two.read(elsewhere), (e: Error) => e.message === `${elsewhere} is outside the 2 folders reads may go to`);
  assert.throws(() => reads.read(at('lib/dangling.nix')), (e: Error) => e.message === `${at('lib/dangling.nix')} goes through a link that does not resolve`);
});

test('confinement: folder names, Nix files and listings as the model asks for them', (t) => {
  const tree = writeTree({ 'c/machines/web/configuration.nix': '{ }\n', 'c/machines/db/default.nix': '{ }\n', 'c/machines/.git/x': '', 'c/machines/README.md': '', 'c/machines/empty/.keep': '', 'c/machines/zeta/.keep': '', 'c/machines/alpha/.keep': '' });
  after(() => removeTree(tree));
  fs.symlinkSync('web', path.join(tree, 'c/machines/linked'));
  const c = Confinement.within(path.join(tree, 'c'));
  const m = (rel: string) => path.join(tree, 'c/machines', rel);
  // folders only: not a file, not a hidden folder, not a link; sorted by name
  assert.deepEqual(c.folderNames(m('')), ['alpha', 'db', 'empty', 'web', 'zeta']);
  assert.deepEqual(c.entries(m('')).map((e) => e.name), ['.git', 'README.md', 'alpha', 'db', 'empty', 'linked', 'web', 'zeta']);
  assert.equal(c.nixFileAt(m('web/configuration.nix')), m('web/configuration.nix'));
  assert.equal(c.nixFileAt(m('db')), m('db/default.nix'));
  assert.equal(c.nixFileAt(m('empty')), null);
  assert.equal(c.nixFileAt(m('missing')), null);
  assert.equal(c.nixFileAt(m('missing.nix')), null);
  assert.strictEqual(c.linkText(m('missing')), null);
  assert.strictEqual(c.linkText(m('web')), null);
  assert.equal(c.linkText(m('linked')), 'web');
  // sorted whatever order the file system lists them in (ext4 and tmpfs differ): here, reversed
  const nodeFs = require('node:fs') as typeof fs;
  const real = nodeFs.readdirSync;
  t.mock.method(nodeFs, 'readdirSync', (...args: Parameters<typeof fs.readdirSync>) => (real(...args) as unknown[]).reverse());
  assert.deepEqual(c.folderNames(m('')), ['alpha', 'db', 'empty', 'web', 'zeta']);
  t.mock.restoreAll();
});
