// The scan of a flake input's source for generator declarations (workspace/externalModules.ts)
// is bounded by entries (directories and files of any kind) and by time: a clan-core checkout
// setting pointed at a large folder (the home folder, /) gives "unknown" after 20,000 entries
// instead of walking it all on the request path. The bound is checked by counting the entries the
// scan listed, not by timing it.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { declaresGenerators, ExternalModuleReader, SCAN_LIMITS } from '../../server/src/model/inputs/externalModules';
import { Confinement } from '../../server/src/base/confinement';
import { NixParser } from '../../server/src/syntax/nixParser';
import { removeTree, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));
let parser: NixParser;
before(async () => {
  parser = await NixParser.load();
});

/** Counts the entries fs.readdirSync returns while `fn` runs (on the module itself: the import above is a read-only view). */
function countListed<T>(fn: () => T): { value: T; listed: number } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod: { readdirSync: (...a: unknown[]) => unknown[] } = require('node:fs');
  const original = mod.readdirSync;
  let listed = 0;
  mod.readdirSync = (...args: unknown[]) => {
    const r = original(...args);
    listed += r.length;
    return r;
  };
  try {
    return { value: fn(), listed };
  } finally {
    mod.readdirSync = original;
  }
}

/** A folder of `dirs` x (a folder and `perDir` files), none of them a .nix file. */
function bigFolder(dirs: number, perDir: number): { root: string; big: string } {
  const root = writeTree({ 'flake.nix': '{ }' });
  roots.push(root);
  const big = path.join(root, 'big');
  for (let d = 0; d < dirs; d++) {
    const dir = path.join(big, `d${d}`, 'deeper');
    fs.mkdirSync(dir, { recursive: true });
    for (let f = 0; f < perDir; f++) fs.writeFileSync(path.join(dir, `f${f}.txt`), '');
  }
  return { root, big };
}

test('external scan: a large folder without generators is cut short after the entry bound: unknown, not "none"', () => {
  const PER_DIR = 400;
  const { root, big } = bigFolder(60, PER_DIR); // 24,060 entries: more than the bound
  assert.deepEqual(SCAN_LIMITS, { entries: 20_000, ms: 500 });
  // the entry bound alone (no time bound): it stops within the listing that crossed it
  const byEntries = countListed(() => declaresGenerators(Confinement.within(big), big, () => true, { entries: SCAN_LIMITS.entries, ms: Infinity }));
  assert.equal(byEntries.value, null, 'the scan stopped before it saw everything, so it cannot say there are none');
  assert.ok(byEntries.listed >= SCAN_LIMITS.entries && byEntries.listed <= SCAN_LIMITS.entries + PER_DIR, `listed ${byEntries.listed} entries`);
  // the time bound alone: spent at once, it stops after the first listing
  const byTime = countListed(() => declaresGenerators(Confinement.within(big), big, () => true, { entries: Infinity, ms: 0 }));
  assert.equal(byTime.value, null);
  assert.ok(byTime.listed <= PER_DIR, `listed ${byTime.listed} entries`);
  // the reader, as the model asks it for the clan-core checkout of the settings: both bounds
  const reader = countListed(() => new ExternalModuleReader(parser).modulesOf(root, 'big').declaresGenerators(big));
  assert.equal(reader.value, null);
  assert.ok(reader.listed <= SCAN_LIMITS.entries + PER_DIR, `listed ${reader.listed} entries`);
  // without bounds the walk sees all of it, and there are none
  assert.equal(declaresGenerators(Confinement.within(big), big, () => true, { entries: Infinity, ms: Infinity }), false);
});

test('external scan: a small folder is scanned whole: generators found, or none', () => {
  const root = writeTree({
    'flake.nix': '{ }',
    'with/a/b/c/m.nix': '{ clan.core.vars.generators.x = { }; }',
    'with/readme.txt': '',
    'without/a/m.nix': '{ services.openssh.enable = true; }',
  });
  roots.push(root);
  const reader = new ExternalModuleReader(parser);
  assert.equal(reader.modulesOf(root, 'with').declaresGenerators(path.join(root, 'with')), true);
  assert.equal(new ExternalModuleReader(parser).modulesOf(root, 'without').declaresGenerators(path.join(root, 'without')), false);
});

test('external scan: nixpkgs-style uses of `generators` (lib.generators.toINI, systemd.generators, a plugin option) declare no clan vars generators; the extractor decides', () => {
  const root = writeTree({
    'flake.nix': '{ }',
    'lib/m.nix': `{ lib, pkgs, ... }: {
  environment.etc."x.ini".text = lib.generators.toINI { } { a.b = 1; };
  systemd.generators.foo = "\${pkgs.hello}/bin/hello";
  programs.x.settings = lib.generators.toPretty { } { };
  services.y.generators = { core = { }; };
}`,
    'clan/m.nix': '{ config, ... }: { environment.etc.k.source = config.clan.core.vars.generators.k.files.key.path; }',
    'declares/m.nix': '{ lib, ... }: { clan.core.vars = { generators = lib.genAttrs [ "a" "b" ] (n: { files.x = { }; }); }; }',
  });
  roots.push(root);
  const reader = new ExternalModuleReader(parser);
  // reads of clan vars are not declarations either
  for (const dir of ['lib', 'clan']) assert.equal(reader.modulesOf(root, dir).declaresGenerators(path.join(root, dir)), false, dir);
  assert.equal(reader.modulesOf(root, 'declares').declaresGenerators(path.join(root, 'declares')), true);
});
