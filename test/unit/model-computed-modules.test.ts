// Flake modules defined by a set computed from the file tree (`flake.nixosModules = lib.mapAttrs'
// f (builtins.readDir ./nixos-modules)`), as clans write them: the model lists the folder inside the
// clan and gives a machine the modules it imports from the set, or keeps it open with the reason
// (a folder outside the clan, a filter of values not known), never a guess.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import * as path from 'node:path';
import { removeTree, writeTree } from '../helpers/tempClan';
import { machinesReportOf, ownGenerators } from '../helpers/ownGenerators';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

const reportOf = (files: Record<string, string>) => machinesReportOf(files, roots);

const gen = (name: string) => `{ clan.core.vars.generators.${name} = { files.k = { }; script = "echo > $out/k"; }; }\n`;
const machine = (...names: string[]) => `{ self, ... }: { imports = [ ${names.map((n) => `self.nixosModules.${n}`).join(' ')} ]; }\n`;

/** The folder of modules every case lists: two files, a folder with default.nix, one module no machine imports. */
const MODULES = {
  'nixos-modules/shared.nix': gen('shared'),
  'nixos-modules/zfs/default.nix': gen('zfs'),
  'nixos-modules/unused.nix': gen('unused'),
  'nixos-modules/README.md': 'not a module\n',
};

test("model: flake.nixosModules = mapAttrs' over builtins.readDir of a folder (jfly's snow): a machine has the modules it imports from the set, and is fully known", async () => {
  const report = await reportOf({
    ...MODULES,
    'flake-modules/nixos-modules.nix': `{ lib, ... }:\nlet moduleDir = ../nixos-modules; in\n{ flake.nixosModules = lib.mapAttrs' (name: type: { name = lib.strings.removeSuffix ".nix" name; value = moduleDir + "/\${name}"; }) (builtins.readDir moduleDir); }\n`,
    'machines/a/configuration.nix': machine('shared', 'zfs'),
  });
  const a = report.machines.find((m) => m.name === 'a')!;
  assert.deepEqual(a.unknowns, []);
  assert.deepEqual(ownGenerators(a.generators), ['shared', 'zfs']);
  assert.deepEqual(report.withoutMachine.map((w) => w.generator), ['unused']);
});

test("model: a computed set filtered to .nix files, each an inline module importing it, joined with literal ones (rpqt's flocon); pathExists and listFilesRecursive", async () => {
  const report = await reportOf({
    ...MODULES,
    'nixos-modules/motd.nix': gen('motd'),
    'more/deep/extra.nix': gen('extra'),
    'nixos-modules/flake-module.nix': `{ lib, ... }: {
  flake.nixosModules =
    lib.mapAttrs' (path: _: { name = lib.removeSuffix ".nix" path; value = { imports = [ ./\${path} ]; }; })
      (lib.filterAttrs (path: type: type == "regular" && lib.hasSuffix ".nix" path && path != "flake-module.nix") (builtins.readDir ./.))
    // { server.imports = [ ./motd.nix ]; }
    // lib.optionalAttrs (builtins.pathExists ../more) (builtins.listToAttrs (map (f: { name = lib.removeSuffix ".nix" (baseNameOf f); value = f; }) (lib.filesystem.listFilesRecursive ../more)))
    // lib.optionalAttrs (builtins.pathExists ../absent) (builtins.listToAttrs [ { name = "absent"; value = ./unused.nix; } ]);
}\n`,
    'machines/a/configuration.nix': machine('shared', 'server', 'extra'),
    'machines/b/configuration.nix': machine('absent'),
  });
  const [a, b] = ['a', 'b'].map((n) => report.machines.find((m) => m.name === n)!);
  assert.deepEqual(a.unknowns, []);
  assert.deepEqual(ownGenerators(a.generators), ['extra', 'motd', 'shared']);
  // every set known, and none defines it: clan's evaluation fails on it, as before
  assert.deepEqual(b.unknowns, ["flake module 'absent' (nixos) not defined in this clan"]);
});

test('model: a computed set that reads a folder outside the clan, or filters by values not known, keeps the machine open with the reason', async () => {
  const outside = writeTree({ 'x.nix': gen('outside') });
  roots.push(outside);
  const report = await reportOf({
    ...MODULES,
    'flake-modules/outside.nix': `{ lib, ... }: { flake.nixosModules = lib.mapAttrs' (name: _: lib.nameValuePair (lib.removeSuffix ".nix" name) (${outside} + "/\${name}")) (builtins.readDir ${outside}); }\n`,
    'flake-modules/filtered.nix': `{ lib, config, ... }: { flake.darwinModules = lib.mapAttrs (name: _: ../nixos-modules + "/\${name}") (lib.filterAttrs (name: _: lib.elem name config.enabledModules) (builtins.readDir ../nixos-modules)); }\n`,
    'machines/a/configuration.nix': machine('x'),
    'machines/m/configuration.nix': '{ self, ... }: { imports = [ self.darwinModules."shared.nix" ]; }\n',
    'inventory.json': JSON.stringify({ machines: { m: { machineClass: 'darwin' } } }),
  });
  const [a, m] = ['a', 'm'].map((n) => report.machines.find((x) => x.name === n)!);
  assert.deepEqual(ownGenerators(a.generators), []);
  assert.equal(a.unknowns.length, 1);
  assert.match(a.unknowns[0], new RegExp(`^flake modules \\(nixos\\) computed in ${path.join('flake-modules', 'outside.nix')}:1, not known: builtins\\.readDir of ${outside}: not a folder that may be read`));
  assert.deepEqual(ownGenerators(m.generators), []);
  assert.equal(m.unknowns.length, 1);
  assert.match(m.unknowns[0], /^flake modules \(darwin\) computed in flake-modules\/filtered\.nix:1, not known: argument config/);
});

test('model: a module of a computed set that cannot be read (a folder without default.nix, a module computed as a function) opens the machines importing it, with the module and the set named; the others are read, also when one name has two definitions or one module imports two paths', async () => {
  const report = await reportOf({
    ...MODULES,
    'nixos-modules/empty/notes.txt': 'no default.nix here\n',
    'flake-modules/computed.nix': `{ lib, ... }: {
  flake.nixosModules = lib.mapAttrs (name: _: ../nixos-modules + "/\${name}") (builtins.readDir ../nixos-modules);
}\n`,
    'flake-modules/functions.nix': '{ lib, ... }: {\n  flake.nixosModules = lib.mapAttrs (name: _: { config, ... }: { imports = [ (../fns + "/\${name}") ]; }) (builtins.readDir ../fns);\n}\n',
    'fns/fn.nix': gen('fn'),
    'flake-modules/pairs.nix': '{ lib, ... }: {\n  flake.nixosModules = lib.mapAttrs (name: _: { imports = [ (../pairs + "/\${name}") ../parts/common.nix ]; }) (builtins.readDir ../pairs);\n}\n',
    'pairs/p.nix': gen('p'),
    'parts/common.nix': gen('common'),
    'machines/d/configuration.nix': '{ self, ... }: { imports = [ self.nixosModules."p.nix" ]; }\n',
    // flake-parts merges the definitions of one flake module: both files
    'flake-modules/base-a.nix': '{ flake.modules.nixos.base = ../parts/a.nix; }\n',
    'flake-modules/base-b.nix': '{ flake.modules.nixos.base = ../parts/b.nix; }\n',
    'parts/a.nix': gen('base-a'),
    'parts/b.nix': gen('base-b'),
    'machines/a/configuration.nix': machine('empty', 'zfs'),
    'machines/b/configuration.nix': '{ self, ... }: { imports = [ self.nixosModules."fn.nix" ]; }\n',
    'machines/c/configuration.nix': '{ config, ... }: { imports = [ config.flake.modules.nixos.base ]; }\n',
  });
  const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((n) => report.machines.find((m) => m.name === n)!);
  assert.deepEqual([ownGenerators(a.generators), a.unknowns], [['zfs'], ['folder without default.nix: nixos-modules/empty']]);
  assert.deepEqual([ownGenerators(b.generators), b.unknowns], [[], ["flake module 'fn.nix' (nixos) computed in flake-modules/functions.nix:2: a module computed as a function"]]);
  assert.deepEqual([ownGenerators(c.generators), c.unknowns], [['base-a', 'base-b'], []]);
  assert.deepEqual([ownGenerators(d.generators), d.unknowns], [['common', 'p'], []]);
});
