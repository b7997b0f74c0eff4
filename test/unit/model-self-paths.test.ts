// Paths written from the flake's own `self` (`"${self}/modules/x.nix"`, `"${inputs.self}/inventory"`):
// the flake's folder is the clan's root, so they are files of the clan, read like `./x.nix`. A
// `self` the file binds itself (a let, a fixpoint's argument) is not the flake's: not followed.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { machinesReport } from '../../server/src/ide/machinesReport';
import { NixParser } from '../../server/src/syntax/nixParser';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { WorkspaceAnalysis } from '../../server/src/rules/workspaceAnalysis';
import { removeTree, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

async function machinesOf(tree: Record<string, string>) {
  const root = writeTree(tree);
  roots.push(root);
  const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load());
  await index.scan();
  return Object.fromEntries(machinesReport(index.clan(root)).machines.map((m) => [m.name, { generators: m.generators.filter((g) => g !== 'state-version'), unknowns: m.unknowns }]));
}

const GEN = (name: string) => `{ clan.core.vars.generators.${name} = { files.k = { }; script = "echo > $out/k"; }; }\n`;

test('a module imported as "${self}/..." from a machine is the clan\'s file', async () => {
  const machines = await machinesOf({
    'flake.nix': '{ }\n',
    'machines/a/configuration.nix': '{ self, inputs, ... }: { imports = [ "${self}/modules/one.nix" "${inputs.self}/modules/two" ]; }\n',
    'modules/one.nix': GEN('one'),
    'modules/two/default.nix': GEN('two'),
  });
  assert.deepEqual(machines.a, { generators: ['one', 'two'], unknowns: [] });
});

test('a self the file binds itself is not the flake: the import stays unknown', async () => {
  const machines = await machinesOf({
    'flake.nix': '{ }\n',
    'machines/a/configuration.nix': '{ pkgs, ... }: let self = pkgs.hello; in { imports = [ "${self}/modules/one.nix" ]; }\n',
    'modules/one.nix': GEN('one'),
  });
  assert.deepEqual(machines.a!.generators, []);
  assert.match(machines.a!.unknowns.join('\n'), /a module not known statically \("\$\{self\}\/modules\/one\.nix"\)/);
});

test('inventory = import "${self}/inventory" { ... }: the inventory read from the clan\'s folder', async () => {
  const machines = await machinesOf({
    'flake.nix': '{ outputs = { self, clan-core, ... }@inputs: import ./outputs.nix { inherit self inputs; }; }\n',
    'outputs.nix': `{ self, inputs }:
let
  clan = inputs.clan-core.lib.clan {
    inherit self;
    meta.name = "s";
    inventory = import "\${self}/inventory" { inherit inputs; };
  };
in { inherit (clan.config) nixosConfigurations; }
`,
    'inventory/default.nix': `{ inputs }: {
  machines.b = { };
  instances.x = { module.name = "x"; module.input = "self"; roles.default.machines.b = { }; };
}
`,
    'machines/b/configuration.nix': '{ }\n',
  });
  // the instance's service is not defined: what keeps b open is that, not the inventory
  assert.deepEqual(machines.b!.unknowns, ["clan service 'x' from self (instance 'x')"]);
});

test('a clan.nix that is a flake-parts module (it sets clan = { ... }) is read as one, not as the clan\'s arguments', async () => {
  // tyrongabriel/tyclan: parts/clan.nix sets clan.inventory from "${self}/inventory", whose machines and
  // instances are computed; read as the clan's own arguments, its `clan` was no option and all six
  // machines were called known with none of their services' generators
  const machines = await machinesOf({
    'flake.nix': '{ outputs = inputs: inputs.flake-parts.lib.mkFlake { inherit inputs; } { imports = [ inputs.clan-core.flakeModules.default ./parts/clan.nix ]; }; }\n',
    'parts/clan.nix': '{ self, inputs, ... }:\nlet modules = import "${self}/modules" { inherit inputs; };\nin {\n  clan = {\n    inherit self modules;\n    inventory = import "${self}/inventory" { inherit inputs; };\n  };\n}\n',
    'inventory/default.nix': '{ inputs, ... }:\nlet core = import ./core { inherit inputs; };\nin { inherit (core) machines; instances = inputs.nixpkgs.lib.recursiveUpdate core.instances { }; }\n',
    'inventory/core/default.nix': '{ ... }: { machines.a = { }; instances = { }; }\n',
    'machines/a/configuration.nix': '{ ... }: { }\n',
  });
  // its machines are evaluated (core's set: a, without tags); its instances are not (inputs.nixpkgs is not known)
  assert.deepEqual(machines.a!.unknowns, ["the clan's service instances (inventory/default.nix:3) written in a way not known statically: inputs.nixpkgs.lib.recursiveUpdate core.instances { } (evaluated: call of call of argument inputs)"]);
});

test('a flake-parts module\'s clan = lib.fix (self: { ... }) is read through; a clan value the syntax cannot read opens every machine, a clan = ... inside another value does not', async () => {
  const FLAKE = '{ outputs = inputs: inputs.flake-parts.lib.mkFlake { inherit inputs; } { imports = [ ./parts/clan.nix ]; }; }\n';
  // fmway/infra: clan = lib.fix (s: { ... inventory.instances = lib.clan.autoChooseModule { ... }; })
  const fixed = await machinesOf({
    'flake.nix': FLAKE,
    'parts/clan.nix': '{ lib, ... }: {\n  clan = lib.fix (s: {\n    meta.name = "x";\n    inventory.instances = lib.clan.autoChooseModule { zerotier = { }; };\n  });\n}\n',
    'machines/a/configuration.nix': '{ ... }: { }\n',
  });
  assert.deepEqual(fixed.a!.unknowns, ["the clan's service instances (parts/clan.nix:4) written in a way not known statically: lib.clan.autoChooseModule { zerotier = { }; } (evaluated: call of attribute 'fix' may exist)"]);
  const computed = await machinesOf({
    'flake.nix': FLAKE,
    'parts/clan.nix': '{ inputs, ... }: {\n  clan = inputs.my-lib.mkClan { meta.name = "x"; };\n}\n',
    'machines/a/configuration.nix': '{ ... }: { }\n',
  });
  assert.deepEqual(computed.a!.unknowns, ["the clan's configuration (parts/clan.nix:2) written in a way not known statically: inputs.my-lib.mkClan { meta.name = \"x\"; }"]);
  // fmway's flake.nix: specialArgs.lib = [ { clan = clan-core.clanLib; } ] is a library, not the clan
  const library = await machinesOf({
    'flake.nix': '{ outputs = inputs: inputs.flake-parts.lib.mkFlake { inherit inputs; specialArgs.lib = [ { clan = inputs.clan-core.clanLib; } ]; } { imports = [ ./parts/clan.nix ]; }; }\n',
    'parts/clan.nix': '{ ... }: {\n  clan.meta.name = "x";\n}\n',
    'machines/a/configuration.nix': '{ ... }: { }\n',
  });
  assert.deepEqual(library.a!.unknowns, []);
});
