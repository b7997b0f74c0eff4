// Why a machine is open, in the words its user reads (`clan-vars-lint --machines`, hover): each part
// of the clan the model cannot read names what it is, where it is written and why. A module
// import that cannot be followed (a file not analysed, a folder without default.nix, a path outside
// the clan); a part of the clan's configuration written as a function call, or imported from a
// file not analysed; and the parts that are read: an inventory imported from a folder, clan
// modules importing each other (the module system takes each file once), test files' own clans.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { machinesReport } from '../../server/src/ide/machinesReport';
import { NixParser } from '../../server/src/syntax/nixParser';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { WorkspaceAnalysis } from '../../server/src/rules/workspaceAnalysis';
import { removeTree, writeTree } from '../helpers/tempClan';
import { ownGenerators } from '../helpers/ownGenerators';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

/** Each machine: `name: generators` (clan-core's own left out), then each reason it is open. */
async function machines(files: Record<string, string>): Promise<Record<string, string[]>> {
  const root = writeTree({ 'flake.nix': '{ }', ...files });
  roots.push(root);
  const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load());
  await index.scan();
  return Object.fromEntries(machinesReport(index.clan(root)).machines.map((m) => [m.name, [ownGenerators(m.generators).join(', '), ...m.unknowns]]));
}

test('open: an import not analysed, a folder without default.nix (the clan folder too), and a path outside the clan, each named as written', async () => {
  assert.deepEqual(
    await machines({
      'machines/a/configuration.nix': '{\n  imports = [ ../../modules/gone.nix ../../modules/notes /etc/nixos/local.nix ../../modules/k.nix ];\n}\n',
      'modules/notes/README.md': 'not a module\n',
      'modules/k.nix': '{ clan.core.vars.generators.k = { files.k = { }; }; }\n',
      'machines/b/configuration.nix': '{ imports = [ ../.. ]; }\n',
    }),
    { a: ['k', 'module not analysed: modules/gone.nix', 'folder without default.nix: modules/notes', 'module outside the clan: /etc/nixos/local.nix'], b: ['', 'folder without default.nix: .'] },
  );
});

test("open: each part of the clan's configuration written as a call, or imported from a file not analysed, named with where it is written", async () => {
  assert.deepEqual(
    await machines({
      'flake.nix': `{
  outputs = { self, clan-core, ... }:
    let mk = n: { networking.hostName = n; }; mkInstance = n: { module.name = n; }; in {
      clan = clan-core.lib.clan {
        inherit self;
        machines.a = mk "a";
        machines.b = { };
        inventory.instances.x = mkInstance "x";
      };
    };
}\n`,
    }),
    {
      a: ['', "machine 'a''s module (flake.nix:6) written in a way not known statically: mk \"a\"", "service instance 'x' (flake.nix:8) written in a way not known statically: mkInstance \"x\""],
      b: ['', "service instance 'x' (flake.nix:8) written in a way not known statically: mkInstance \"x\""],
    },
  );
  assert.deepEqual(
    await machines({
      'machines/a/configuration.nix': '{ }\n',
      'clan.nix': `{ lib, config, ... }: {
  inventory.instances = lib.listToAttrs config.list;
  inventory.machines = import ./hosts.nix;
  machines = import ./machine-modules.nix;
  imports = [ ./gone.nix ];
}\n`,
      'flake.nix': '{ outputs = { self, clan-core, ... }: {\n  clan = clan-core.lib.clan {\n    inherit self;\n    inventory = import ./inventory.nix;\n  };\n}; }\n',
    }),
    {
      a: [
        '',
        "the clan's service instances (clan.nix:2) written in a way not known statically: lib.listToAttrs config.list (evaluated: argument config)",
        "the clan's machines (clan.nix:3) imported from hosts.nix, which is not analysed",
        "the clan's machines (clan.nix:4) imported from machine-modules.nix, which is not analysed",
        "the clan's own modules (clan.nix:5) imported from gone.nix, which is not analysed",
        "the clan's inventory (flake.nix:4) imported from inventory.nix, which is not analysed",
      ],
    },
  );
});

const MESH = '{ _class = "clan.service"; roles.peer.perInstance = { ... }: { nixosModule = { clan.core.vars.generators.mesh-key = { files.k = { }; }; }; }; }\n';

test("read: the inventory imported from a folder (its default.nix), its instances from a file, and the clan's own modules importing each other and a plain module", async () => {
  assert.deepEqual(
    await machines({
      'machines/a/configuration.nix': '{ }\n',
      'machines/b/configuration.nix': '{ }\n',
      'services/mesh.nix': MESH,
      'flake.nix': '{ outputs = { self, clan-core, ... }: { clan = clan-core.lib.clan { inherit self; modules.mesh = ./services/mesh.nix; inventory = import ./inventory; imports = [ ./parts/one.nix ]; }; }; }\n',
      'inventory/default.nix': '{ instances.m = { module = { name = "mesh"; input = "self"; }; roles.peer.machines.a = { }; }; }\n',
      // the module system takes each file once: one.nix and two.nix import each other
      'parts/one.nix': '{ imports = [ ./two.nix ]; inventory.instances.n = { module = { name = "mesh"; input = "self"; }; roles.peer.machines.b = { }; }; }\n',
      'parts/two.nix': '{ imports = [ ./one.nix ./plain.nix ]; inventory.machines.c = { }; }\n',
      'parts/plain.nix': '{ }\n',
      'clan.nix': '{ inventory.instances = import ./instances.nix; }\n',
      'instances.nix': '{ p = { module = { name = "mesh"; input = "self"; }; roles.peer.machines.c = { }; }; }\n',
    }),
    { a: ['mesh-key'], b: ['mesh-key'], c: ['mesh-key'] },
  );
});

test("test files: the machines and parts of a test's own clan (in tests/, test/, or named test.nix, eval-tests.nix, x-test.nix) are not the flake's; a file whose name only contains or ends in test (latest.nix) is", async () => {
  assert.deepEqual(
    await machines({
      'machines/a/configuration.nix': '{ }\n',
      'tests/vm.nix': '{ lib, ... }: { clan = { inventory.instances = lib.genAttrs [ "x" ] (n: { }); inventory.machines.t1 = { }; imports = [ ../vm-part.nix ]; }; }\n',
      'vm-part.nix': '{ lib, ... }: { inventory.instances = lib.genAttrs [ "y" ] (n: { }); }\n',
      'test/y.nix': '{ clan.inventory.machines.t2 = { }; }\n',
      'test.nix': '{ clan.inventory.machines.t3 = { }; }\n',
      'eval-tests.nix': '{ clan.inventory.machines.t4 = { }; }\n',
      'x-test.nix': '{ clan.inventory.machines.t5 = { }; }\n',
      'test_vm.nix': '{ clan.inventory.machines.t6 = { }; }\n',
      // names that only contain "test"
      'latest-hosts.nix': '{ clan.inventory.machines.n1 = { }; }\n',
      'test.nixos.nix': '{ clan.inventory.machines.n2 = { }; }\n',
      'my-test.nixos.nix': '{ clan.inventory.machines.n3 = { }; }\n',
      // or end in it (a kernel's latest.nix)
      'latest.nix': '{ clan.inventory.machines.n4 = { }; }\n',
    }),
    { a: [''], n1: [''], n2: [''], n3: [''], n4: [''] },
  );
});
