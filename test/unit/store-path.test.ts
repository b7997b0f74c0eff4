// The store path of a path a string interpolates (`"${./tags}/a.nix"`), computed from the files as
// Nix does (base/storePath.ts): compared with nix-instantiate on trees with the shapes a folder of
// modules has (files, an executable, links, folders, names that sort differently by bytes), and
// unknown where Nix's answer cannot be told from inside the clan.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { Confinement } from '../../server/src/base/confinement';
import { nixBase32, storePathOf, STORE_PATH_LIMITS } from '../../server/src/base/storePath';
import { folderReads, NO_READS } from '../../server/src/facts/eval/context';
import { evalText, newContext, strictJson } from '../../server/src/facts/eval/index';
import { NixParser } from '../../server/src/syntax/nixParser';
import { removeTree, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));
const NIX = spawnSync('nix-instantiate', ['--version']).status === 0;

function tree(): string {
  const root = writeTree({
    'tags/a.nix': '{ }\n',
    'tags/empty.nix': '',
    'tags/run.sh': '#!/bin/sh\necho hi\n',
    'tags/sub/b.nix': '{ imports = [ ../a.nix ]; }\n',
    'tags/sub/Z.nix': 'upper first by bytes\n',
    'tags/sub/é.nix': 'after z by bytes\n',
    'tags/sub/deeper/nine-bytes': '123456789',
  });
  fs.chmodSync(path.join(root, 'tags/run.sh'), 0o755);
  fs.symlinkSync('a.nix', path.join(root, 'tags/link'));
  fs.symlinkSync('/etc/hostname', path.join(root, 'tags/out'));
  roots.push(root);
  return root;
}

function nixSays(expr: string): string {
  return JSON.parse(execFileSync('nix-instantiate', ['--eval', '-E', expr], { encoding: 'utf8', env: { ...process.env, NIX_PATH: '' } }));
}

test('Nix base32: the last 5-bit group first, in its own alphabet (as nix-hash --to-base32 prints them)', () => {
  const hex = (h: string) => Uint8Array.from(Buffer.from(h, 'hex'));
  assert.equal(nixBase32(hex('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')), '0mdqa9w1p6cmli6976v4wi0sw9r4p5prkj7lzfd1877wk11c9c73');
  assert.equal(nixBase32(hex('0000000000000000000000000000000000000001')), '04000000000000000000000000000000');
});

test('the store path of a folder, a file and a file in a folder is the one nix-instantiate gives', { skip: !NIX && 'nix-instantiate is not installed (Debian: apt-get install nix-bin)' }, () => {
  const root = tree();
  const c = Confinement.within(root);
  for (const rel of ['tags', 'tags/a.nix', 'tags/sub', 'tags/run.sh', 'tags/empty.nix']) {
    assert.equal(storePathOf(c, path.join(root, rel)), nixSays(`"\${${path.join(root, rel)}}"`), rel);
  }
});

test('the evaluator interpolates a path of the clan as its store path, with folder reads; unknown without them, outside, or for a link', { skip: !NIX && 'nix-instantiate is not installed' }, async () => {
  const root = tree();
  const ctx = newContext(await NixParser.load(), { reads: { ...NO_READS, ...folderReads(Confinement.within(root)) } });
  const json = (text: string) => {
    const r = strictJson(ctx, () => evalText(ctx, text, path.join(root, 'x.nix')));
    return 'ok' in r ? JSON.parse(r.ok) : 'unknown' in r ? `unknown: ${r.unknown.reason}` : `error: ${r.error.message}`;
  };
  const expr = 'map (m: "${./tags}/${m}") (builtins.attrNames (builtins.readDir ./tags))';
  assert.deepEqual(json(expr), JSON.parse(execFileSync('nix-instantiate', ['--eval', '--strict', '--json', '-E', expr.replaceAll('./tags', path.join(root, 'tags'))], { encoding: 'utf8' })));
  assert.equal(ctx.storeCopies.get(json('"${./tags}"')), path.join(root, 'tags'), 'the copy is known as a copy of the folder');
  assert.equal(json('toString ./tags'), path.join(root, 'tags'), 'toString keeps the path');
  assert.equal(json('"${./tags/link}"'), 'unknown: path copied to the store', 'a link itself: Nix copies what it points to, not told here');
  assert.equal(json('"${/etc}"'), 'unknown: path copied to the store');
  const none = newContext(await NixParser.load(), { reads: NO_READS });
  const r = strictJson(none, () => evalText(none, '"${./tags}"', path.join(root, 'x.nix')));
  assert.ok('unknown' in r, 'an evaluation without folder reads does not hash folders (its result is kept by file content)');
});

test('a folder over the limits, or holding what a NAR cannot hold (a fifo), has no store path here', () => {
  const root = writeTree({ 'big/a': 'x'.repeat(64), 'fifo/a': '' });
  roots.push(root);
  execFileSync('mkfifo', [path.join(root, 'fifo', 'p')]);
  const c = Confinement.within(root);
  assert.equal(storePathOf(c, path.join(root, 'fifo')), null);
  const saved = STORE_PATH_LIMITS.bytes;
  STORE_PATH_LIMITS.bytes = 32;
  try {
    assert.equal(storePathOf(c, path.join(root, 'big')), null);
  } finally {
    STORE_PATH_LIMITS.bytes = saved;
  }
  assert.match(storePathOf(c, path.join(root, 'big'))!, /^\/nix\/store\/[0-9a-df-np-sv-z]{32}-big$/);
});

test('a folder whose entries readdir gives in another order, or whose names sort differently by UTF-16 than by bytes, has the store path nix-instantiate gives', { skip: !NIX && 'nix-instantiate is not installed' }, () => {
  // names Nix sorts by their bytes: U+FF5A (ef bd 9a) before U+1D538 (f0 9d 94 b8), which JavaScript's sort puts first (a surrogate)
  const files: Record<string, string> = { 'mods/\u{FF5A}.nix': 'z\n', 'mods/\u{1D538}.nix': 'a\n' };
  for (let i = 40; i > 0; i--) files[`mods/m${String(i).padStart(2, '0')}.nix`] = `${i}\n`;
  const root = writeTree(files);
  roots.push(root);
  assert.equal(storePathOf(Confinement.within(root), path.join(root, 'mods')), nixSays(`"\${${path.join(root, 'mods')}}"`));
});

test('a name Nix refuses for a store path (a space, a leading dot) has none here', () => {
  const root = writeTree({ 'has space/a.nix': '{ }\n', '.hidden/a.nix': '{ }\n', 'ok/a.nix': '{ }\n' });
  roots.push(root);
  const c = Confinement.within(root);
  assert.equal(storePathOf(c, path.join(root, 'has space')), null);
  assert.equal(storePathOf(c, path.join(root, '.hidden')), null);
  assert.notEqual(storePathOf(c, path.join(root, 'ok')), null);
});

test('the limits: 5,000 entries (the folder itself one of them) and 16 MiB of files, each reached exactly and passed', () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 4999; i++) files[`many/f${i}`] = '';
  files['more/f0'] = '';
  const root = writeTree(files);
  roots.push(root);
  for (let i = 1; i < 5000; i++) fs.writeFileSync(path.join(root, 'more', `f${i}`), '');
  fs.mkdirSync(path.join(root, 'big'));
  fs.writeFileSync(path.join(root, 'big', 'exact'), Buffer.alloc(16 << 20));
  const c = Confinement.within(root);
  assert.notEqual(storePathOf(c, path.join(root, 'many')), null, '4,999 files and their folder: 5,000 entries');
  assert.equal(storePathOf(c, path.join(root, 'more')), null, '5,000 files and their folder: one too many');
  assert.notEqual(storePathOf(c, path.join(root, 'big')), null, 'exactly 16 MiB');
  fs.appendFileSync(path.join(root, 'big', 'exact'), 'x');
  assert.equal(storePathOf(c, path.join(root, 'big')), null, 'a byte more');
});
