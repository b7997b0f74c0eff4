// Flake inputs on this machine: the store path of a locked input computed from its narHash, checked
// against Nix's own `nix-store --print-fixed-path`; inputs read from flake.lock, found in a store
// directory, and a clan-core checkout from the settings.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { flakeInputs, sourceStorePath } from '../../server/src/model/inputs/flakeInputs';
import { removeTree, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

const skipNix = spawnSync('nix-store', ['--version']).status === 0 ? false : 'nix-store is not installed (apt-get install nix-bin): store paths are not compared with Nix';
if (skipNix) process.stdout.write(`# SKIP ${skipNix}\n`);

test('store path of a locked input equals nix-store --print-fixed-path', { skip: skipNix }, () => {
  for (let i = 0; i < 12; i++) {
    const digest = createHash('sha256').update(`input ${i}`).digest();
    const sri = `sha256-${digest.toString('base64')}`;
    const nix = spawnSync('nix-store', ['--print-fixed-path', '--recursive', 'sha256', digest.toString('hex'), 'source'], { encoding: 'utf8' });
    assert.equal(nix.status, 0, nix.stderr);
    assert.equal(sourceStorePath(sri), nix.stdout.trim(), sri);
  }
});

test('store path: a hash that is not sha256 SRI gives null', () => {
  assert.equal(sourceStorePath('sha512-abc'), null);
  assert.equal(sourceStorePath('not a hash'), null);
});

test('flake inputs: locked inputs found in the store directory, the others missing; a clan-core checkout setting wins', () => {
  const hash = (s: string) => `sha256-${createHash('sha256').update(s).digest('base64')}`;
  const store = writeTree({ 'keep': '' });
  roots.push(store);
  const present = sourceStorePath(hash('srvos'), store)!;
  fs.mkdirSync(present);
  const lock = {
    nodes: {
      root: { inputs: { srvos: 'srvos', 'clan-core': 'clan-core', nixpkgs: 'nixpkgs_2' } },
      srvos: { locked: { narHash: hash('srvos') } },
      'clan-core': { locked: { narHash: hash('clan-core') } },
      nixpkgs_2: { locked: { narHash: 'garbage' } },
    },
    root: 'root',
    version: 7,
  };
  const root = writeTree({ 'flake.nix': '{ }', 'flake.lock': JSON.stringify(lock), 'checkout/flake.nix': '{ }' });
  roots.push(root);
  const found = flakeInputs(root, null, store);
  assert.deepEqual([...found.dirs], [['srvos', present]]);
  assert.deepEqual(found.missing.sort(), ['clan-core', 'nixpkgs']);
  const withCheckout = flakeInputs(root, 'checkout', store);
  assert.equal(withCheckout.dirs.get('clan-core'), path.join(root, 'checkout'));
  assert.deepEqual(withCheckout.missing, ['nixpkgs']);
  // a broken lock file: no inputs, no crash
  fs.writeFileSync(path.join(root, 'flake.lock'), '{ not json');
  const none = flakeInputs(root, null, store);
  assert.deepEqual([none.dirs, none.missing, none.locked], [new Map(), [], new Map()]);
});
