// The clan's own services where clan finds them: `clan.modules = config.flake.modules."clan.service"`
// (the dendritic layout: every file of ./modules read by import-tree, each service defined as a flake
// module of class "clan.service"), and services written inline in the clan's arguments. A role's
// generators reach that role's machines only, wherever the service is written.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { ownMachines } from '../helpers/ownGenerators';
import { removeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

/** Two roles: server's generators `hg` and `hg2` (which reads `hg`), client's `cg`. */
const SERVICE = `{
    _class = "clan.service";
    manifest.name = "h";
    roles.client.perInstance = { ... }: {
      nixosModule = { clan.core.vars.generators.cg = { files.c = { }; script = "echo > $out/c"; }; };
    };
    roles.server.perInstance = { ... }: {
      nixosModule = {
        clan.core.vars.generators.hg = { files.k = { }; script = "echo > $out/k"; };
        clan.core.vars.generators.hg2 = { dependencies = [ "hg" ]; files.k2 = { }; script = "cat $in/hg/k > $out/k2"; };
      };
    };
  }`;

const INSTANCE = 'instances.h = { module.name = "h"; module.input = "self"; roles.server.machines.s = { }; roles.client.machines.c = { }; };';

function machinesOf(tree: Record<string, string>) {
  return ownMachines({ 'machines/s/configuration.nix': '{ }\n', 'machines/c/configuration.nix': '{ }\n', ...tree }, roots);
}

const EXPECTED = { s: { generators: ['hg', 'hg2'], unknowns: [] }, c: { generators: ['cg'], unknowns: [] } };

test('dendritic: clan.modules = config.flake.modules."clan.service", the service a flake module in a file of its own', async () => {
  const machines = await machinesOf({
    'flake.nix': `{ outputs = inputs@{ flake-parts, ... }: flake-parts.lib.mkFlake { inherit inputs; } { imports = [ inputs.flake-parts.flakeModules.modules (inputs.import-tree ./modules) ]; }; }\n`,
    'modules/clan.nix': `{ config, ... }: {\n  clan.modules = config.flake.modules."clan.service";\n  clan.inventory.${INSTANCE}\n}\n`,
    'modules/services/h.nix': `{\n  flake.modules."clan.service".h = ${SERVICE};\n}\n`,
  });
  assert.deepEqual(machines, EXPECTED);
});

test('the same set named through self (self.modules."clan.service")', async () => {
  const machines = await machinesOf({
    'flake.nix': `{ outputs = inputs@{ self, flake-parts, ... }: flake-parts.lib.mkFlake { inherit inputs; } { imports = [ ./modules/clan.nix ./modules/h.nix ]; }; }\n`,
    'modules/clan.nix': `{ self, ... }: {\n  clan.modules = self.modules."clan.service";\n  clan.inventory.${INSTANCE}\n}\n`,
    'modules/h.nix': `{\n  flake.modules."clan.service".h = ${SERVICE};\n}\n`,
  });
  assert.deepEqual(machines, EXPECTED);
});

test('without the set, a service only defined as a flake module stays open: clan would not find it', async () => {
  const machines = await machinesOf({
    'flake.nix': `{ outputs = inputs@{ flake-parts, ... }: flake-parts.lib.mkFlake { inherit inputs; } { imports = [ (inputs.import-tree ./modules) ]; }; }\n`,
    'modules/clan.nix': `{ config, ... }: {\n  clan.inventory.${INSTANCE}\n}\n`,
    'modules/services/h.nix': `{\n  flake.modules."clan.service".h = ${SERVICE};\n}\n`,
  });
  assert.deepEqual(machines.s!.generators, []);
  assert.match(machines.s!.unknowns.join('\n'), /clan service 'h' from self \(instance 'h'\)/);
});

test('a service written inline in the clan arguments (modules.h = { roles... }): each role its own generators', async () => {
  const machines = await machinesOf({
    'flake.nix': `{ outputs = { self, clan-core, ... }: let clan = clan-core.lib.clan {\n  inherit self;\n  meta.name = "inl";\n  modules.h = ${SERVICE};\n  inventory.machines.s = { };\n  inventory.machines.c = { };\n  inventory.${INSTANCE}\n}; in { inherit (clan.config) nixosConfigurations; }; }\n`,
  });
  assert.deepEqual(machines, EXPECTED);
});

// The module system merges the definitions of one instance: `module` set in one file holds for the
// roles another file adds (clan's own service, named here like clan-core's `zerotier`, so a
// definition read on its own would take clan-core's service for c's role)
const OWN_ZT = SERVICE.replace('manifest.name = "h"', 'manifest.name = "zerotier"');
const FLAKE_PARTS = `{ outputs = inputs@{ flake-parts, ... }: flake-parts.lib.mkFlake { inherit inputs; } { imports = [ ./modules/clan.nix ./modules/s.nix ./modules/c.nix ]; }; }\n`;

test('one instance defined in two files: the role another file adds has the service the first names', async () => {
  const machines = await machinesOf({
    'flake.nix': FLAKE_PARTS,
    'modules/clan.nix': `{\n  clan.modules.zerotier = ${OWN_ZT};\n}\n`,
    'modules/s.nix': '{\n  clan.inventory.instances.zerotier = { module = { name = "zerotier"; input = "self"; }; roles.server.machines.s = { }; };\n}\n',
    'modules/c.nix': '{\n  clan.inventory.instances.zerotier.roles.client.machines.c = { };\n}\n',
  });
  assert.deepEqual(machines, EXPECTED);
});

test('one instance in inventory.json and a file: the file names the module, the json a role', async () => {
  const machines = await machinesOf({
    'flake.nix': FLAKE_PARTS.replace(' ./modules/c.nix', ''),
    'inventory.json': JSON.stringify({ instances: { zt: { roles: { client: { machines: { c: {} } } } } } }),
    'modules/clan.nix': `{\n  clan.modules.own = ${OWN_ZT};\n}\n`,
    'modules/s.nix': '{\n  clan.inventory.instances.zt = { module = { name = "own"; input = "self"; }; roles.server.machines.s = { }; };\n}\n',
  });
  assert.deepEqual(machines, EXPECTED);
});

test('definitions that name two different modules are not merged: each keeps its own', async () => {
  const machines = await machinesOf({
    'flake.nix': FLAKE_PARTS,
    'modules/clan.nix': `{\n  clan.modules.own = ${OWN_ZT};\n}\n`,
    'modules/s.nix': '{\n  clan.inventory.instances.zt = { module = { name = "own"; input = "self"; }; roles.server.machines.s = { }; };\n}\n',
    'modules/c.nix': '{\n  clan.inventory.instances.zt = { module = { name = "other"; input = "self"; }; roles.client.machines.c = { }; };\n  clan.inventory.instances.zt2.roles.client.machines.c = { };\n}\n',
  });
  assert.deepEqual(machines.s, EXPECTED.s);
  assert.deepEqual(machines.c!.generators, []);
  assert.ok(machines.c!.unknowns.some((u) => u.includes("'other'")) && machines.c!.unknowns.some((u) => u.includes("'zt2' from clan-core")), machines.c!.unknowns.join('\n'));
});
