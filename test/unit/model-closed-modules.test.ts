// What is closed by construction (issue 32, item 1): nixpkgs' modules bring no generators; inputs
// named in any of the ways modules reach them are inputs (so what is known of an input applies);
// flake-parts modules written through genAttrs, mapAttrs, importApply or `inherit` are found;
// home-manager users' imports are not the machine's modules; and the reasons kept per machine say
// how many were left out.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { after, test } from 'node:test';
import { machinesReport } from '../../server/src/ide/machinesReport';
import { sourceStorePath } from '../../server/src/model/inputs/flakeInputs';
import { NixParser } from '../../server/src/syntax/nixParser';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { WorkspaceAnalysis } from '../../server/src/rules/workspaceAnalysis';
import { removeTree, withNixStore, writeTree } from '../helpers/tempClan';
import { ownGenerators } from '../helpers/ownGenerators';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

async function machines(files: Record<string, string>): Promise<Map<string, { generators: string[]; unknowns: string[] }>> {
  // a flake that names clan: its machines/ folders are clan's machines (machines.ts usesClan)
  const root = writeTree({ 'flake.nix': '{ inputs.clan-core.url = "https://git.clan.lol/clan/clan-core/archive/main.tar.gz"; outputs = _: { }; }\n', ...files });
  roots.push(root);
  const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load());
  await index.scan();
  return new Map(machinesReport(index.clan(root)).machines.map((m) => [m.name, { generators: ownGenerators(m.generators), unknowns: m.unknowns }]));
}

test("nixpkgs' modules, however named, leave a machine closed", async () => {
  const m = await machines({
    'machines/a/configuration.nix': `{ modulesPath, pkgs, inputs, self, nixpkgs, ... }: {
  imports = [
    (modulesPath + "/installer/scan/not-detected.nix")
    "\${modulesPath}/profiles/qemu-guest.nix"
    <nixpkgs/nixos/modules/profiles/minimal.nix>
    (import <nixpkgs/nixos/modules/profiles/headless.nix>)
    inputs.nixpkgs.nixosModules.notDetected
    self.inputs.nixpkgs.nixosModules.readOnlyPkgs
    nixpkgs.nixosModules.notDetected
    (pkgs.path + "/nixos/modules/profiles/perlless.nix")
    "\${pkgs.path}/nixos/modules/profiles/bashless.nix"
  ];
  clan.core.vars.generators.a = { };
}\n`,
  });
  assert.deepEqual(m.get('a'), { generators: ['a'], unknowns: [] });
});

test('inputs reached through module arguments, self.inputs, inputs\', inherit and paths into their sources are inputs', async () => {
  const m = await machines({
    'machines/a/configuration.nix': `{ home-manager, clan-core, self, inputs', inputs, ... }:
let
  inherit (self.inputs) tribuchet;
  inherit (inputs) disko;
in {
  imports = [
    home-manager.nixosModules.home-manager
    clan-core.nixosModules.installer
    tribuchet.nixosModules.default
    disko.nixosModules.disko
    "\${self.inputs.grpc}/nixos/client.nix"
    (self.inputs.stockholm + "/krebs/2configs/x.nix")
    (import "\${inputs.kartei}/module.nix")
    inputs'.srvos.nixosModules.server
    self.inputs.nix-index-database."\${_class}Modules".nix-index
  ];
}\n`,
  });
  const inputs = m.get('a')!.unknowns.map((u) => /^a module of flake input '([^']+)'/.exec(u)?.[1] ?? u);
  assert.deepEqual(inputs, ['home-manager', 'clan-core', 'tribuchet', 'disko', 'grpc', 'stockholm', 'kartei', 'srvos', 'nix-index-database']);
});

test("a module named in a `with` of an input's modules is the input's, also inside a `with` of this flake's (perstarkse's infra), and `ctx.inputs.x` is input x", async () => {
  const m = await machines({
    'modules/flake-module.nix': '{ flake.nixosModules.base = { clan.core.vars.generators.base = { }; }; }\n',
    'machines/a/configuration.nix': `{ ctx, inputs, ... }: {
  imports = with ctx.flake.nixosModules;
    [ base ]
    ++ (with ctx.inputs.privateInfra.nixosModules; [ hello-service ])
    ++ (with inputs.srvos.nixosModules; [ server ])
    ++ [ ctx.inputs.disko.nixosModules.disko ];
}\n`,
  });
  assert.deepEqual(m.get('a')!.generators, ['base']);
  assert.deepEqual(m.get('a')!.unknowns, [
    "a module of flake input 'privateInfra' (ctx.inputs.privateInfra.nixosModules.hello-service)",
    "a module of flake input 'srvos' (inputs.srvos.nixosModules.server)",
    "a module of flake input 'disko' (ctx.inputs.disko.nixosModules.disko)",
  ]);
});

test('an input bound as a module argument closes the machine when its source is on this machine and declares no generators', async () => {
  const store = writeTree({ keep: '' });
  roots.push(store);
  const hash = (s: string) => `sha256-${createHash('sha256').update(s).digest('base64')}`;
  const hm = sourceStorePath(hash('home-manager'), store)!;
  fs.mkdirSync(`${hm}/nixos`, { recursive: true });
  fs.writeFileSync(`${hm}/nixos/default.nix`, '{ options.home-manager.users = { }; }\n');
  const lock = { nodes: { root: { inputs: { 'home-manager': 'hm' } }, hm: { locked: { narHash: hash('home-manager') } } }, root: 'root', version: 7 };
  await withNixStore(store, async () => {
    const m = await machines({
      'flake.lock': JSON.stringify(lock),
      'machines/a/configuration.nix': '{ home-manager, ... }: { imports = [ home-manager.nixosModules.home-manager ]; clan.core.vars.generators.a = { }; }\n',
    });
    assert.deepEqual(m.get('a'), { generators: ['a'], unknowns: [] });
  });
});

test('flake-parts modules written through genAttrs, mapAttrs, importApply, inherit, or as another output of modules are found', async () => {
  const m = await machines({
    'modules/clan.nix': `{ config, self, ... }: {
  clan.machines.a.imports = with config.flake.modules.nixos; [ genA genB mapped applied ];
  clan.machines.b.imports = [ config.flake.modules.nixos.viaInherit config.flake.modules.nixos.viaNamespace config.flake.modules.nixos.viaWith ];
  clan.machines.c.imports = [ config.flake.modules.nixos.genB ];
  clan.machines.d.imports = [ self.wrapperModules.workspace-manager ];
}\n`,
    'tools/workspace-manager/flake-module.nix': `{ self, ... }: {
  flake.wrapperModules.workspace-manager = { config, ... }: { clan.core.vars.generators.wm = { }; };
}\n`,
    'modules/gen.nix': `{ lib, ... }: {
  flake.modules.nixos = lib.genAttrs [ "genA" "genB" ] (name: { imports = [ ./shared.nix ]; clan.core.vars.generators.from-gen = { }; });
}\n`,
    'modules/shared.nix': '{ clan.core.vars.generators.shared = { }; }\n',
    'modules/map.nix': `{ lib, ... }: {
  flake.modules.nixos = lib.mapAttrs (_: m: m) { mapped = { clan.core.vars.generators.mapped = { }; }; };
}\n`,
    'modules/apply.nix': `{ lib, ... }: {
  flake.modules.nixos.applied = lib.modules.importApply ./sub/applied.nix { };
}\n`,
    'modules/sub/applied.nix': '{ }: { clan.core.vars.generators.applied = { }; }\n',
    'modules/inherit.nix': `{ config, self, ... }: {
  flake.modules.nixos.viaInherit = let inherit (config.flake.modules.nixos) inhA; in { imports = [ inhA ]; };
  flake.modules.nixos.viaNamespace = let inherit (self.modules) nixos; in { imports = [ nixos.inhB ]; };
  flake.modules.nixos.viaWith = let inherit (config.flake.modules) nixos; in { imports = with nixos; [ inhC ]; };
  flake.modules.nixos.inhC = { clan.core.vars.generators.inh-c = { }; };
  flake.modules.nixos.inhA = { clan.core.vars.generators.inh-a = { }; };
  flake.modules.nixos.inhB = { clan.core.vars.generators.inh-b = { }; };
}\n`,
  });
  assert.deepEqual(m.get('a'), { generators: ['applied', 'from-gen', 'mapped', 'shared'], unknowns: [] });
  assert.deepEqual(m.get('b'), { generators: ['inh-a', 'inh-b', 'inh-c'], unknowns: [] });
  // genB is genA's module: its machines have what the function declares
  assert.deepEqual(m.get('c'), { generators: ['from-gen', 'shared'], unknowns: [] });
  // an output the flake declares itself (Lassulus' flake.wrapperModules)
  assert.deepEqual(m.get('d'), { generators: ['wm'], unknowns: [] });
});

test("home-manager users' imports are not the machine's modules", async () => {
  const m = await machines({
    'machines/a/configuration.nix': `{ config, ... }: let flakeUsers = config.flake.users; in {
  home-manager.users.cameron.imports = flakeUsers.cameron.modules;
  home-manager = { users.tara = { imports = [ flakeUsers.tara.modules ]; }; };
  clan.core.vars.generators.a = { };
}\n`,
  });
  assert.deepEqual(m.get('a'), { generators: ['a'], unknowns: [] });
});

test('past 20 reasons a machine keeps a count of the others', async () => {
  const refs = Array.from({ length: 25 }, (_, i) => `inputs.in${i}.nixosModules.default`).join(' ');
  const m = await machines({ 'machines/a/configuration.nix': `{ inputs, ... }: { imports = [ ${refs} ${refs} ]; }\n` });
  const unknowns = m.get('a')!.unknowns;
  assert.equal(unknowns.length, 21);
  assert.match(unknowns[19], /'in19'/);
  // the same 5 reasons given twice are counted once
  assert.equal(unknowns[20], '+5 more');
});

test("a module of clan-core's library the shipped summary knows (clanLib.test.minifyModule, nixosModules.clanCore, a quoted name) leaves a machine closed; one it does not know, open", async () => {
  const store = writeTree({ keep: '' }); // an empty Nix store: clan-core is known only from the shipped summary
  roots.push(store);
  const lock = {
    version: 7,
    root: 'root',
    nodes: {
      root: { inputs: { 'clan-core': 'clan-core' } },
      'clan-core': { locked: { type: 'git', url: 'https://git.clan.lol/clan/clan-core', rev: '090b766c7f31547972ce9889c2ec1ae10c3f4261', lastModified: 1786981509, narHash: 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=' } },
    },
  };
  await withNixStore(store, async () => {
    const m = await machines({
      'flake.lock': JSON.stringify(lock),
      'machines/a/configuration.nix': '{ clan-core, ... }: { imports = [ clan-core.clanLib.test.minifyModule clan-core.nixosModules.installer ]; clan.core.vars.generators.a = { }; }\n',
      'machines/b/configuration.nix': '{ clan-core, ... }: { imports = [ clan-core.clanLib.test.otherModule ]; }\n',
      // clanCore declares only clan-core's own machine generators (machine-id, state-version); an attribute written quoted is the same
      'machines/c/configuration.nix': '{ clan-core, ... }: { imports = [ clan-core.nixosModules.clanCore clan-core.nixosModules."installer" ]; }\n',
    });
    assert.deepEqual(m.get('a'), { generators: ['a'], unknowns: [] });
    assert.deepEqual(m.get('b')?.unknowns, ["a module of flake input 'clan-core' (clan-core.clanLib.test.otherModule)"]);
    assert.deepEqual(m.get('c')?.unknowns, []);
  });
});
