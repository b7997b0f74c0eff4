// Imports a machine's module computes with a helper of the clan passed as a module argument through
// specialArgs, as fosskar's nixfiles writes them: `imports = nflib.scanPaths ./. { };` with
// `flake.clan.specialArgs.nflib = config.flake.lib;` and `flake.lib = import ../../lib { inherit lib; };`.
// What Nix does: the module system calls the machine's module with the specialArgs, so `nflib` is
// the flake's `lib` output; `scanPaths` lists the folder with builtins.readDir and the machine imports
// each path (a folder: its default.nix). The model evaluates it inside the clan, or keeps the machine
// open with the reason; never a guess.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { fosskarHelpers } from '../helpers/fosskarHelpers';
import { removeTree, writeTree } from '../helpers/tempClan';
import { machinesReportOf, ownGenerators } from '../helpers/ownGenerators';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

const reportOf = (files: Record<string, string>) => machinesReportOf(files, roots);
/** Machine 'a' of the report on a clan written from `files`. */
const machineA = async (files: Record<string, string>) => (await reportOf(files)).machines.find((m) => m.name === 'a')!;

const gen = (name: string) => `{ clan.core.vars.generators.${name} = { files.k = { }; script = "echo > $out/k"; }; }\n`;

/** fosskar's helpers (test/helpers/fosskarHelpers.ts), and the folder they list. */
const HELPERS = {
  ...fosskarHelpers(['flake-module.nix', 'configuration.nix', 'disko.nix', 'home.nix', 'facter.json'], ['a']),
  // the folder listed: two modules, a folder with default.nix, files scanPaths leaves out
  'shared/x.nix': gen('x'),
  'shared/sub/default.nix': gen('sub'),
  'shared/skip.nix': gen('skip'),
  'shared/home.nix': gen('home'),
  'shared/default.nix': gen('shareddefault'),
  'shared/notes.txt': 'not a module\n',
};

test('model: imports = nflib.scanPaths <folder> { } with nflib = config.flake.lib from specialArgs (fosskar): the machine gets the listed modules and is fully known', async () => {
  const a = await machineA({ ...HELPERS, 'machines/a/configuration.nix': '{ self, nflib, pkgs, ... }:\n{\n  imports = [ ] ++ (nflib.scanPaths ../../shared { });\n}\n' });
  assert.deepEqual(a.unknowns, []);
  assert.deepEqual(ownGenerators(a.generators), ['skip', 'sub', 'x']);
});

test('model: scanPaths with exclude leaves the excluded file out', async () => {
  const a = await machineA({ ...HELPERS, 'machines/a/configuration.nix': '{ nflib, ... }:\n{\n  imports = nflib.scanPaths ../../shared { exclude = [ "skip.nix" ]; };\n}\n' });
  assert.deepEqual(a.unknowns, []);
  assert.deepEqual(ownGenerators(a.generators), ['sub', 'x']);
});

test('model: a helper that cannot be evaluated (from a flake input) keeps the machine open, naming the import and why', async () => {
  const a = await machineA({
    ...HELPERS,
    'inventory/inventory.nix': '{ self, inputs, ... }:\n{\n  flake.clan = {\n    specialArgs.nflib = inputs.helpers.lib;\n    inventory.machines.a = { };\n  };\n}\n',
    'machines/a/configuration.nix': '{ nflib, ... }:\n{\n  imports = nflib.scanPaths ../../shared { };\n}\n',
  });
  assert.equal(a.unknowns.length, 1);
  assert.match(a.unknowns[0], /^a module not known statically \(nflib\.scanPaths \.\.\/\.\.\/shared \{ \}\): /);
  assert.deepEqual(ownGenerators(a.generators), []);
});

test('model: an argument the clan gives in no specialArgs keeps the machine open', async () => {
  const a = await machineA({ ...HELPERS, 'machines/a/configuration.nix': '{ mylib, ... }:\n{\n  imports = mylib.scanPaths ../../shared { };\n}\n' });
  assert.deepEqual(a.unknowns, ["a module not known statically (mylib.scanPaths ../../shared { }): 'mylib' is not one of the clan's specialArgs"]);
});

test('model: a folder outside the clan is not listed: the machine stays open and gets none of its modules', async () => {
  const outside = writeTree({ 'o.nix': gen('outside') }, 'clan-vars-outside-');
  roots.push(outside);
  const a = await machineA({ ...HELPERS, 'machines/a/configuration.nix': `{ nflib, ... }:\n{\n  imports = nflib.scanPaths ${outside} { };\n}\n` });
  assert.equal(a.unknowns.length, 1);
  assert.match(a.unknowns[0], /^a module not known statically \(nflib\.scanPaths .*\): .*readDir/);
  assert.deepEqual(ownGenerators(a.generators), []);
});

test("model: the argument bound again inside the module (a let) is not the specialArg: the let's helper is evaluated, as Nix does (it lists nothing here)", async () => {
  const a = await machineA({ ...HELPERS, 'machines/a/configuration.nix': '{ nflib, ... }:\nlet nflib = { scanPaths = _: _: [ ]; }; in\n{\n  imports = nflib.scanPaths ../../shared { };\n}\n' });
  assert.deepEqual(a.unknowns, []);
  assert.deepEqual(ownGenerators(a.generators), []);
  // a let's helper that lists the folder: its modules
  const listing = await reportOf({ ...HELPERS, 'machines/a/configuration.nix': '{ nflib, ... }:\nlet nflib = { scanPaths = dir: _: map (n: dir + "/${n}") (builtins.attrNames (builtins.readDir dir)); }; in\n{\n  imports = nflib.scanPaths ../../shared/sub { };\n}\n' });
  assert.deepEqual(ownGenerators(listing.machines.find((m) => m.name === 'a')!.generators), ['sub']);
});

test("model: scanPaths ./. in the machine's own folder (fosskar's form): its modules, configuration.nix left out by the helper", async () => {
  const a = await machineA({ ...HELPERS, 'machines/a/configuration.nix': '{ nflib, ... }:\n{\n  imports = nflib.scanPaths ./. { };\n}\n', 'machines/a/net.nix': gen('net') });
  assert.deepEqual(a.unknowns, []);
  assert.deepEqual(ownGenerators(a.generators), ['net']);
});

// pperanich's dotfiles: the flake's modules passed whole (`inherit (config.flake) modules;`) in a
// clan.nix that is a flake-parts module (it sets `flake.clan`), and machines naming them through `with`
const DENDRITIC = {
  'modules/flake-parts/clan.nix': '{ inputs, config, ... }:\n{\n  flake.clan = {\n    specialArgs = {\n      inherit inputs;\n      inherit (config.flake) modules lib;\n      flakeInputs = inputs;\n    };\n    inventory.machines.a = { };\n    inventory.machines.b = { };\n    inventory.machines.c = { };\n  };\n}\n',
  'modules/base.nix': '{ flake.modules.nixos.base = { clan.core.vars.generators.base = { files.k = { }; script = "echo > $out/k"; }; }; }\n',
  'modules/rust.nix': '{ flake.modules.nixos.rust = { imports = [ ../extra/rust-key.nix ]; }; }\n',
  'extra/rust-key.nix': gen('rust-key'),
};

test("model: modules named from an argument the clan's specialArgs give as the flake's modules (`with modules.nixos; [ base ]`, `modules.nixos.rust`): the flake's modules; an argument given otherwise stays open", async () => {
  const report = await reportOf({
    ...DENDRITIC,
    'machines/a/configuration.nix': '{ modules, ... }:\n{\n  imports = [ ./hardware.nix ] ++ (with modules.nixos; [ base ]) ++ [ modules.nixos.rust ];\n}\n',
    'machines/a/hardware.nix': '{ }\n',
    // `lib` is the flake's lib output, not its modules
    'machines/b/configuration.nix': '{ lib, inputs, ... }:\n{\n  imports = with inputs.self.lib.nixos; [ base ];\n}\n',
    'machines/c/configuration.nix': '{ flakeInputs, ... }:\n{\n  imports = [ flakeInputs.srvos.nixosModules.server ];\n}\n',
  });
  const a = report.machines.find((m) => m.name === 'a')!;
  assert.deepEqual(a.unknowns, []);
  assert.deepEqual(ownGenerators(a.generators), ['base', 'rust-key']);
  const b = report.machines.find((m) => m.name === 'b')!;
  assert.equal(b.unknowns.length, 1, b.unknowns.join('; '));
  // the inputs passed under another name: a module of the input
  const c = report.machines.find((m) => m.name === 'c')!;
  assert.deepEqual(c.unknowns, ["a module of flake input 'srvos' (flakeInputs.srvos.nixosModules.server)"]);
});

test("model: the flake's modules and inputs passed under the other names clans use (self.modules, self.inputs); a module below a module is none of them", async () => {
  const report = await reportOf({
    ...DENDRITIC,
    'modules/flake-parts/clan.nix': DENDRITIC['modules/flake-parts/clan.nix'].replace('inherit (config.flake) modules lib;\n      flakeInputs = inputs;', 'modules = self.modules;\n      flakeInputs = self.inputs;').replace('{ inputs, config, ... }', '{ inputs, config, self, ... }'),
    'machines/a/configuration.nix': '{ modules, ... }:\n{\n  imports = with modules.nixos; [ base ];\n}\n',
    'machines/b/configuration.nix': '{ modules, ... }:\n{\n  imports = [ modules.nixos.base.extra ];\n}\n',
    'machines/c/configuration.nix': '{ flakeInputs, ... }:\n{\n  imports = [ flakeInputs.srvos.nixosModules.server ];\n}\n',
  });
  const unknowns = Object.fromEntries(report.machines.map((m) => [m.name, m.unknowns]));
  assert.deepEqual(unknowns, {
    a: [],
    b: ["a module not known statically (modules.nixos.base.extra): not a module of the flake's"],
    c: ["a module of flake input 'srvos' (flakeInputs.srvos.nixosModules.server)"],
  });
});

test("model: the flake's modules passed as inputs.self.modules", async () => {
  const a = await machineA({
    ...DENDRITIC,
    'modules/flake-parts/clan.nix': DENDRITIC['modules/flake-parts/clan.nix'].replace('inherit (config.flake) modules lib;', 'modules = inputs.self.modules;'),
    'machines/a/configuration.nix': '{ modules, ... }:\n{\n  imports = with modules.nixos; [ base ];\n}\n',
  });
  assert.deepEqual(a.unknowns, []);
  assert.deepEqual(ownGenerators(a.generators), ['base']);
});

test("model: the argument is not the flake's modules where the specialArgs give something else under that name, or nothing", async () => {
  for (const [given, why] of [
    ['inherit (config.flake) lib;\n      modules = import ../../mods.nix;', "specialArgs.modules is neither the flake's modules nor its inputs"],
    ['inherit (config.flake) lib;', "'modules' is not one of the clan's specialArgs"],
    ['inherit (config.flake) lib modules;\n      modules = config.flake.modules;', 'specialArgs.modules is defined more than once'],
    // inherited from the file's arguments: its value is not kept (no source)
    ['inherit (config.flake) lib;\n      inherit modules;', "specialArgs.modules is neither the flake's modules nor its inputs"],
  ]) {
    const a = await machineA({
      ...DENDRITIC,
      'modules/flake-parts/clan.nix': DENDRITIC['modules/flake-parts/clan.nix'].replace('inherit (config.flake) modules lib;', given),
      'machines/a/configuration.nix': '{ modules, ... }:\n{\n  imports = with modules.nixos; [ base ];\n}\n',
    });
    assert.deepEqual(a.unknowns, [`a module not known statically (modules.nixos.base): ${why}`]);
  }
  // the specialArgs given as a whole set computed elsewhere: no argument is told
  const whole = await reportOf({
    ...DENDRITIC,
    'modules/flake-parts/clan.nix': '{ inputs, config, ... }:\n{\n  flake.clan = {\n    specialArgs = import ../../args.nix { inherit inputs; };\n    inventory.machines.a = { };\n  };\n}\n',
    'args.nix': '{ inputs }: { inherit inputs; }\n',
    'machines/a/configuration.nix': '{ modules, ... }:\n{\n  imports = with modules.nixos; [ base ];\n}\n',
  });
  assert.deepEqual(whole.machines.find((m) => m.name === 'a')!.unknowns, ["a module not known statically (modules.nixos.base): the clan's specialArgs are written in a way not known statically"]);
});

// smonoscr/nixfiles: the helper is a `let` of the flake-parts module that gives it, imported from the
// flake's own source with the flake's nixpkgs lib (`inherit (inputs.nixpkgs) lib;`), and given with
// `specialArgs = { inherit inputs mylib; };`
const nixpkgsLock = (repo: string) =>
  JSON.stringify({ nodes: { root: { inputs: { nixpkgs: 'nixpkgs' } }, nixpkgs: { locked: { type: 'github', owner: 'NixOS', repo, rev: 'a'.repeat(40) } } }, root: 'root', version: 7 });
const LET_HELPER = {
  ...HELPERS,
  'modules/flake-parts/lib.nix': '{ }\n',
  'lib/default.nix': '{ lib, self, ... }: import ./scan-paths.nix { inherit lib; }\n',
  'inventory/inventory.nix': `{ self, inputs, ... }:
let
  inherit (inputs.nixpkgs) lib;
  mylib = import "\${self}/lib" { inherit lib self; };
in
{
  flake.clan = {
    inherit self;
    specialArgs = {
      inherit inputs mylib;
    };
    inventory.machines.a = { };
  };
}
`,
  'machines/a/configuration.nix': '{ mylib, ... }:\n{\n  imports = mylib.scanPaths ../../shared { };\n}\n',
};

/** Machine a of the LET_HELPER clan, its lock's `nixpkgs` input locked to `repo`, `inventory` (the flake-parts module giving the helper) instead of LET_HELPER's. */
async function letHelperMachine(repo: string, inventory = LET_HELPER['inventory/inventory.nix']) {
  return machineA({ ...LET_HELPER, 'flake.lock': nixpkgsLock(repo), 'inventory/inventory.nix': inventory });
}

test("model: specialArgs = { inherit mylib; } of the module's let, mylib imported from \"${self}/lib\" with inputs.nixpkgs.lib (smonoscr): the machine gets the listed modules and is fully known", async () => {
  const a = await letHelperMachine('nixpkgs');
  assert.deepEqual(a.unknowns, []);
  assert.deepEqual(ownGenerators(a.generators), ['skip', 'sub', 'x']);
});

test('model: the same where the input named nixpkgs is not nixpkgs: its lib is not known, and the machine stays open', async () => {
  const a = await letHelperMachine('not-nixpkgs');
  assert.equal(a.unknowns.length, 1);
  assert.match(a.unknowns[0], /^a module not known statically \(mylib\.scanPaths \.\.\/\.\.\/shared \{ \}\): /);
  assert.deepEqual(ownGenerators(a.generators), []);
});

test("model: specialArgs = { inherit mylib; } of the module's own argument (no let binds it) is not known: the machine stays open, naming it", async () => {
  const a = await letHelperMachine('nixpkgs', '{ self, inputs, mylib, ... }:\n{\n  flake.clan = {\n    inherit self;\n    specialArgs = { inherit inputs mylib; };\n    inventory.machines.a = { };\n  };\n}\n');
  assert.deepEqual(a.unknowns, ['a module not known statically (mylib.scanPaths ../../shared { }): specialArgs.mylib is written in a way not known statically (inventory/inventory.nix:5)']);
});

test('model: a helper imported from "${self}/.." (outside the clan) is not read: the machine stays open', async () => {
  const a = await letHelperMachine('nixpkgs', LET_HELPER['inventory/inventory.nix'].replace('"${self}/lib"', '"${self}/../lib"'));
  assert.equal(a.unknowns.length, 1);
  assert.deepEqual(ownGenerators(a.generators), []);
});

test('model: the flake output the specialArgs give (nflib = config.flake.lib) imported from "${self}/lib": the machine gets the listed modules and is fully known', async () => {
  const a = await machineA({
    ...HELPERS,
    'modules/flake-parts/lib.nix': '{ self, lib, ... }:\n{\n  flake.lib = import "${self}/lib" { inherit lib; };\n}\n',
    'machines/a/configuration.nix': '{ nflib, ... }:\n{\n  imports = nflib.scanPaths ../../shared { };\n}\n',
  });
  assert.deepEqual(a.unknowns, []);
  assert.deepEqual(ownGenerators(a.generators), ['skip', 'sub', 'x']);
});

test('model: specialArgs.mylib = import "${self}/lib" { inherit (inputs.nixpkgs) lib; } written in place: the machine gets the listed modules and is fully known', async () => {
  const a = await letHelperMachine('nixpkgs', '{ self, inputs, ... }:\n{\n  flake.clan = {\n    inherit self;\n    specialArgs.mylib = import "${self}/lib" { inherit (inputs.nixpkgs) lib; inherit self; };\n    inventory.machines.a = { };\n  };\n}\n');
  assert.deepEqual(a.unknowns, []);
  assert.deepEqual(ownGenerators(a.generators), ['skip', 'sub', 'x']);
});

test('model: a module named by a value not known statically, in a machine module whose imports are not computed: not known, and said so', async () => {
  const a = await machineA({
    'flake.nix': '{ outputs = { clan-core, ... }: { clan = clan-core.lib.clan { inventory.machines.a = { }; }; }; }\n',
    'machines/a/configuration.nix': '{ lib, ... }:\nlet hw = builtins.getEnv "HW"; in\n{\n  imports = [ hw ];\n}\n',
  });
  assert.deepEqual(a.unknowns, ['a module not known statically (builtins.getEnv "HW")']);
});
