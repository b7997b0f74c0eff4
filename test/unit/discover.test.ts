// The discovery of a folder's .nix files (base/discover.ts): what it lists and in which order, what it
// skips, which links it follows and which folders it does not walk twice, what it notes of the links
// it met (FoundLinks), and the answers a session reads from those notes when the watcher reports a
// change under a real path.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { Confinement } from '../../server/src/base/confinement';
import { addedInScanOrder, changesWalk, DISCOVERY_LIMITS, discoverNixFiles, discoveryOrder, inFolderNotWalked, inScanOrder, isSkippedPath, noLinks, pathsThroughLinks } from '../../server/src/base/discover';
import { removeTree, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

function tree(files: Record<string, string>, links: [string, string][] = []): string {
  const root = writeTree(files);
  roots.push(root);
  for (const [link, to] of links) {
    fs.mkdirSync(path.dirname(path.join(root, link)), { recursive: true });
    fs.symlinkSync(to, path.join(root, link));
  }
  return root;
}

async function discover(root: string) {
  const links = noLinks();
  const logs: string[] = [];
  const found = await discoverNixFiles(root, Confinement.within(root), (l) => logs.push(l), undefined, links);
  const rel = (p: string) => path.relative(root, p);
  return {
    found: found.map(rel),
    followed: [...links.followed].map(([l, r]) => `${rel(l)} -> ${rel(r)}`),
    dangling: [...links.dangling].map(([l, r]) => `${rel(l)} -> ${rel(r)}`),
    notWalked: [...links.notWalked].map(rel),
    logs: logs.map((l) => l.replaceAll(root, '<root>')),
    links,
  };
}

test('discovery: .nix files only, folder by folder and by name, skipping version control, node_modules and build results', async () => {
  const root = tree({
    'b.nix': '',
    'a.nix': '',
    'README.md': '',
    'nix.txt': '',
    'sub/c.nix': '',
    'sub/deeper/d.nix': '',
    '.git/x.nix': '',
    ...Object.fromEntries(['.hg', '.svn', '.jj', '.direnv', '.vscode-test', '.cache'].map((d) => [`${d}/x.nix`, ''])),
    'node_modules/y.nix': '',
    'result/z.nix': '',
    'result-1/z.nix': '',
    'results/ok.nix': '',
    'odd.nix/inner.nix': '',
  });
  const d = await discover(root);
  assert.deepEqual(d.found, ['a.nix', 'b.nix', 'odd.nix/inner.nix', 'results/ok.nix', 'sub/c.nix', 'sub/deeper/d.nix']);
  assert.deepEqual([d.followed, d.dangling, d.notWalked, d.logs], [[], [], [], []]);
});

test("discovery: the vars a clan generates (vars/per-machine, vars/shared) are not walked, at any depth; the rest of vars is", async () => {
  const root = tree({
    'vars/per-machine/m/g/f.nix/value': '',
    'vars/per-machine/x.nix': '',
    'vars/shared/g/x.nix': '',
    'vars/users/alice.nix': '',
    'vars/generators/api.nix': '',
    'vars/per-machine.nix': '',
    'sub/vars/shared/y.nix': '',
    'sub/per-machine/ok.nix': '',
    'shared/ok.nix': '',
    'varsx/shared/ok.nix': '',
  });
  const d = await discover(root);
  assert.deepEqual(d.found, ['shared/ok.nix', 'vars/per-machine.nix', 'sub/per-machine/ok.nix', 'vars/generators/api.nix', 'vars/users/alice.nix', 'varsx/shared/ok.nix']);
  // a root that is itself a clan's vars folder
  const vars = path.join(root, 'vars');
  assert.deepEqual((await discoverNixFiles(vars, Confinement.within(vars))).map((f) => path.relative(vars, f)), ['per-machine.nix', 'generators/api.nix', 'users/alice.nix']);
});

test('discovery: links inside the folder are followed, a folder once; a link out is not, and is logged; a link to nothing is noted', async () => {
  const outside = tree({ 'secret.nix': '' });
  const root = tree({ 'modules/common/a.nix': '', 'common.nix': '' }, [
    ['aa', 'modules/common'],
    ['modules/again', 'common'],
    ['file.nix', 'common.nix'],
    ['out.nix', path.join(outside, 'secret.nix')],
    ['out', outside],
    ['gone.nix', 'missing.nix'],
    ['loop', 'loop'],
  ]);
  const d = await discover(root);
  assert.deepEqual(d.found, ['common.nix', 'file.nix', 'aa/a.nix']);
  assert.deepEqual(d.followed.sort(), ['aa -> modules/common', 'file.nix -> common.nix', 'modules/again -> modules/common'].sort());
  assert.deepEqual(d.dangling.sort(), ['gone.nix -> missing.nix', 'loop -> loop']);
  assert.deepEqual(d.notWalked.sort(), ['modules/again', 'modules/common']);
  assert.deepEqual(d.logs.sort(), [`not following <root>/out.nix: it leads to ${outside}/secret.nix, outside the workspace folder`, `not following <root>/out: it leads to ${outside}, outside the workspace folder`].sort());
  // without notes asked for, the same files
  assert.deepEqual((await discoverNixFiles(root, Confinement.within(root))).map((f) => path.relative(root, f)), d.found);
});

test('discovery: a cancelled discovery stops', async () => {
  const root = tree({ 'a.nix': '', 'sub/b.nix': '' });
  assert.deepEqual(await discoverNixFiles(root, Confinement.within(root), () => {}, { isCancellationRequested: true }), []);
});

test('the paths found through links: below a link target the same place below the link, above it the link; folders not walked; changes that list again', async () => {
  const root = tree({ 'modules/common/a.nix': '', 'lib/x.nix': '' }, [
    ['aa', 'modules/common'],
    ['lib/y.nix', 'x.nix'],
    ['later.nix', 'lib/z.nix'],
  ]);
  const { links } = await discover(root);
  const at = (rel: string) => path.join(root, rel);
  const through = (rel: string) => pathsThroughLinks(links, at(rel)).map((p) => path.relative(root, p));
  assert.deepEqual(through('modules/common/a.nix'), ['aa/a.nix']);
  assert.deepEqual(through('modules/common'), ['aa']);
  assert.deepEqual(through('modules'), ['aa'], 'a folder holding a link target: the link');
  assert.deepEqual(through('lib/x.nix'), ['lib/y.nix']);
  assert.deepEqual(through('lib'), ['lib/y.nix', 'later.nix'], 'a folder holding where links lead, or would lead');
  assert.deepEqual(through('lib/z.nix'), ['later.nix'], 'where a link to nothing would lead');
  assert.deepEqual(through('modules/commonplace.nix'), [], 'a name that starts like a link target is not below it');
  assert.deepEqual(through('aa/a.nix'), []);
  assert.ok(inFolderNotWalked(links, at('modules/common/a.nix')));
  assert.ok(inFolderNotWalked(links, at('modules/common')));
  assert.ok(!inFolderNotWalked(links, at('modules/commonplace.nix')));
  assert.ok(!inFolderNotWalked(links, at('aa/a.nix')));
  // a change that may change what is found: a link, a folder holding one, where a link to nothing would lead
  for (const rel of ['aa', 'lib/y.nix', 'lib', 'later.nix', 'lib/z.nix', '.']) assert.ok(changesWalk(links, at(rel)), rel);
  // an edit below where a followed link leads, a plain file, a path gone: nothing to list again
  for (const rel of ['modules/common/a.nix', 'modules/common', 'lib/x.nix', 'nothing.nix', 'modules']) assert.ok(!changesWalk(links, at(rel)), rel);
  fs.symlinkSync('lib/x.nix', at('new.nix'));
  assert.ok(changesWalk(links, at('new.nix')), 'a link made since');
});

test('the order of files: discoveryOrder, inScanOrder and addedInScanOrder put files as the scan finds them', async () => {
  const root = tree({ 'a.nix': '', 'a/x.nix': '', 'a-b/x.nix': '', 'a.b/x.nix': '', 'a0/x.nix': '', 'b.nix': '', 'a/a/y.nix': '', 'ab.nix': '', 'Z.nix': '', 'a/b/c/d.nix': '' });
  const found = await discoverNixFiles(root, Confinement.within(root));
  const order = ['Z.nix', 'a.nix', 'ab.nix', 'b.nix', 'a/x.nix', 'a-b/x.nix', 'a.b/x.nix', 'a0/x.nix', 'a/a/y.nix', 'a/b/c/d.nix'];
  assert.deepEqual(
    found.map((f) => path.relative(root, f)),
    order,
  );
  assert.deepEqual([...found].reverse().sort(discoveryOrder), found);
  assert.equal(discoveryOrder('/r/a.nix', '/r/a.nix'), 0);
  assert.ok(discoveryOrder('/r/ab', '/r/a') > 0 && discoveryOrder('/r/a', '/r/ab') < 0, 'a name that ends first comes first');
  assert.ok(discoveryOrder('/r/b/x', '/r/a/y') > 0 && discoveryOrder('/r/a/y', '/r/b/x') < 0);
  const map = new Map(found.map((f) => [f, 0]));
  const shuffled = new Map([...map].reverse());
  inScanOrder(shuffled);
  assert.deepEqual([...shuffled.keys()], found);
  // a file added after the last placed: appended; before it: the map put in order again
  const files = new Map(found.slice(0, 3).map((f) => [f, 0]));
  assert.deepEqual(addedInScanOrder(files, found[3], undefined), { last: found[3], reordered: false });
  files.set(found[5], 0);
  assert.deepEqual(addedInScanOrder(files, found[5], found[2]), { last: found[5], reordered: false });
  files.set(found[4], 0);
  assert.deepEqual(addedInScanOrder(files, found[4], found[5]), { last: found[5], reordered: true });
  assert.deepEqual([...files.keys()], [found[0], found[1], found[2], found[4], found[5]]);
  files.set(found[5], 1);
  assert.deepEqual(addedInScanOrder(files, found[5], found[5]), { last: found[5], reordered: false }, 'the last file placed again');
});

test("discovery: each folder in the order of its names as the editor's strings compare them (UTF-16), not the file system's bytes", async () => {
  // Node lists a folder sorted by its bytes (UTF-8: the order of code points); a name past U+FFFF
  // (an emoji, two UTF-16 units from U+D800) comes after one in U+E000-U+FFFF there, before it here
  const names = ['m', '\uFF5E', 'x', '\u{1F600}', 'a', 'Z'];
  const root = tree(Object.fromEntries(names.map((n) => [`${n}.nix`, ''])));
  assert.deepEqual((await discover(root)).found, ['Z.nix', 'a.nix', 'm.nix', 'x.nix', '\u{1F600}.nix', '\uFF5E.nix']);
});

test('discovery: a root that is a file is no folder to list: logged', async () => {
  const root = tree({ 'a.nix': '' });
  const d = await discover(path.join(root, 'a.nix'));
  assert.deepEqual([d.found, d.logs], [[], ['skipping directory <root>: ENOTDIR']]);
});

test('discovery: a folder that does not resolve has no files, and nothing to log', async () => {
  const root = tree({});
  const d = await discover(path.join(root, 'missing'));
  assert.deepEqual([d.found, d.logs], [[], []]);
});

test('discovery: it stops at its limits of files, entries and time, and says so', async () => {
  const root = tree({ 'a.nix': '', 'b.nix': '', 'c.txt': '', 'sub/d.nix': '', 'sub/e.nix': '' });
  const saved = { ...DISCOVERY_LIMITS };
  try {
    Object.assign(DISCOVERY_LIMITS, { files: 2 });
    let d = await discover(root);
    assert.deepEqual([d.found, d.logs], [['a.nix', 'b.nix'], ['stopped after 2 .nix files under <root>']]);
    Object.assign(DISCOVERY_LIMITS, { ...saved, entries: 3 });
    d = await discover(root);
    assert.deepEqual([d.found, d.logs], [['a.nix', 'b.nix'], ['stopped scanning <root> after 4 entries (30 s or 3 entries at most); 2 .nix files found']]);
    Object.assign(DISCOVERY_LIMITS, { ...saved, entries: 4 });
    assert.deepEqual((await discover(root)).found, ['a.nix', 'b.nix', 'sub/d.nix', 'sub/e.nix'], 'at the limit of entries, not past it');
    Object.assign(DISCOVERY_LIMITS, { ...saved, ms: -1 });
    d = await discover(root);
    assert.deepEqual([d.found, d.logs], [[], ['stopped scanning <root> after 0 entries (0 s or 2000000 entries at most); 0 .nix files found']]);
  } finally {
    Object.assign(DISCOVERY_LIMITS, saved);
  }
});

test('isSkippedPath: below a skipped folder, or outside the root; a file named like a skipped folder is not', () => {
  const root = '/r';
  for (const rel of ['.git/x.nix', 'a/node_modules/x.nix', 'a/b/result/x.nix', 'result-1/x.nix', '../x.nix']) assert.ok(isSkippedPath(root, path.join(root, rel)), rel);
  assert.ok(isSkippedPath(root, '/elsewhere/x.nix'));
  for (const rel of ['x.nix', 'a/x.nix', 'result-1.nix', 'a/result.nix', 'results/x.nix']) assert.ok(!isSkippedPath(root, path.join(root, rel)), rel);
  // a clan's generated vars, at any depth, and below a root that is a vars folder
  for (const rel of ['vars/per-machine/x.nix', 'vars/shared/g/x.nix', 'a/vars/shared/x.nix']) assert.ok(isSkippedPath(root, path.join(root, rel)), rel);
  for (const rel of ['vars/x.nix', 'vars/users/x.nix', 'vars/per-machine.nix', 'per-machine/x.nix', 'a/shared/x.nix', 'varsx/shared/x.nix']) assert.ok(!isSkippedPath(root, path.join(root, rel)), rel);
  assert.ok(isSkippedPath('/c/vars', '/c/vars/shared/x.nix'));
  assert.ok(!isSkippedPath('/c/vars', '/c/vars/users/x.nix'));
});
