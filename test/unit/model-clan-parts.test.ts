// Files another file imports as a part of the clan's configuration (`inventory = import ./inventory.nix`)
// are read as such parts (facts/file.ts FileRoles.clanPart); no other file is, so their machines and
// service instances come only from the files imported so. A file becomes such a part when the file
// importing it is indexed, before or after it, at the scan or at an edit.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { machinesReport } from '../../server/src/ide/machinesReport';
import { isTestFile } from '../../server/src/model/clanParts';
import { NixParser } from '../../server/src/syntax/nixParser';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { WorkspaceAnalysis } from '../../server/src/rules/workspaceAnalysis';
import { removeTree, writeTree } from '../helpers/tempClan';
import { ownGenerators } from '../helpers/ownGenerators';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

const MESH = '{ _class = "clan.service"; roles.peer.perInstance = { ... }: { nixosModule = { clan.core.vars.generators.mesh-key = { }; }; }; }\n';
const flake = (inventory: string) => `{ outputs = { self, clan-core, ... }: { clan = clan-core.lib.clan {
  inherit self;
  modules.mesh = ./services/mesh.nix;
  ${inventory}
}; }; }\n`;
// the scan reads a folder's files by name: a-inventory.nix before flake.nix, z-instances.nix after it
const FILES = {
  'a-inventory.nix': '{ machines = { a.machineClass = "nixos"; b.machineClass = "nixos"; }; instances = import ./z-instances.nix; }\n',
  'z-instances.nix': '{ mesh = { module = { name = "mesh"; input = "self"; }; roles.peer.machines.a = { }; }; }\n',
  'services/mesh.nix': MESH,
};

async function scanned(files: Record<string, string>): Promise<{ root: string; index: WorkspaceAnalysis }> {
  const root = writeTree(files);
  roots.push(root);
  const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load());
  await index.scan();
  return { root, index };
}

function machines(index: WorkspaceAnalysis, root: string): string[] {
  return machinesReport(index.clan(root)).machines.map((m) => [`${m.name}:`, ...ownGenerators(m.generators), ...(m.unknowns.length ? ['+open'] : [])].join(' '));
}

test('clan parts: a file imported as the inventory, and one its reading imports as the instances, are read so, indexed before the file importing them or after', async () => {
  const { root, index } = await scanned({ ...FILES, 'flake.nix': flake('inventory = import ./a-inventory.nix;') });
  assert.deepEqual(machines(index, root), ['a: mesh-key', 'b:']);
  const facts = (f: string) => index.facts.get(`${root}/${f}`)!;
  assert.equal(facts('a-inventory.nix').readAsPart, true);
  assert.equal(facts('z-instances.nix').readAsPart, true);
  // a file nothing imports so is not read as a part (services/mesh.nix mentions roles)
  assert.equal(facts('services/mesh.nix').readAsPart, undefined);
  assert.equal(facts('services/mesh.nix').clanReadings, undefined);
});

test('clan parts: an edit that imports a file as the inventory reads it as one, as a fresh scan does; an edit of that file is seen', async () => {
  const { root, index } = await scanned({ ...FILES, 'flake.nix': flake('inventory.machines.c.machineClass = "nixos";') });
  assert.deepEqual(machines(index, root), ['c:']);
  assert.equal(index.facts.get(`${root}/a-inventory.nix`)!.readAsPart, undefined);
  index.updateFromText(`${root}/flake.nix`, flake('inventory = import ./a-inventory.nix;'));
  assert.deepEqual(machines(index, root), ['a: mesh-key', 'b:']);
  index.updateFromText(`${root}/z-instances.nix`, FILES['z-instances.nix'].replace('machines.a', 'machines.b'));
  assert.deepEqual(machines(index, root), ['a:', 'b: mesh-key']);
});

test("clan parts: a file imported from the flake's own folder (\"${self}/inv.nix\") by a module of a clan in a subfolder, indexed before that clan's flake.nix", async () => {
  const { root, index } = await scanned({
    'top.nix': '{ }\n',
    'sub/flake.nix': '{ outputs = inputs@{ flake-parts, ... }: flake-parts.lib.mkFlake { inherit inputs; } { imports = [ ./a-clan.nix ]; }; }\n',
    'sub/a-clan.nix': '{ self, ... }: { clan.modules.mesh = ./services/mesh.nix; clan.inventory = import "${self}/inv.nix"; }\n',
    'sub/inv.nix': `{ machines = { a.machineClass = "nixos"; b.machineClass = "nixos"; }; instances = ${FILES['z-instances.nix'].trim()}; }\n`,
    'sub/services/mesh.nix': MESH,
  });
  assert.deepEqual(machines(index, `${root}/sub`), ['a: mesh-key', 'b:']);
});

test('clan parts: the machines of an imported inventory are machines without a class or tags too (`a = { };`, `b.deploy.targetHost = ...;`)', async () => {
  const { root, index } = await scanned({
    ...FILES,
    'a-inventory.nix': '{ machines = { a = { }; b.deploy.targetHost = "root@b"; }; instances = import ./z-instances.nix; }\n',
    'flake.nix': flake('inventory = import ./a-inventory.nix;'),
  });
  assert.deepEqual(machines(index, root), ['a: mesh-key', 'b:']);
});

test('isTestFile: files of the flake\'s tests and checks, by folder or name below the clan; the clan\'s own path does not count', () => {
  const root = '/work/my-tests/clan';
  const yes = ['tests/vm.nix', 'test/a/b.nix', 'checks/eval.nix', 'modules/checks/x.nix', 'test.nix', 'tests.nix', 'machines/a/test_disk.nix', 'lib/eval-tests.nix', 'lib/x-test.nix'];
  const no = ['machines/a/configuration.nix', 'modules/healthchecks.nix', 'modules/contest.nix', 'testing/a.nix', 'lib/latest.nix', '../other/tests/a.nix'];
  for (const rel of yes) assert.equal(isTestFile(root, path.join(root, rel)), true, rel);
  for (const rel of no) assert.equal(isTestFile(root, path.join(root, rel)), false, rel);
  // a clan whose own folder is named so: only what is below it counts
  assert.equal(isTestFile('/srv/tests', '/srv/tests/machines/a.nix'), false);
  assert.equal(isTestFile('/srv/checks', '/srv/checks/checks/a.nix'), true);
});

test("clan parts: a clan.nix that imports clan-core's NixOS modules is a machine's module (an old template's shared module), not the clan's configuration", async () => {
  const shared = '{ clan-core, ... }:\n{\n  imports = [\n    clan-core.clanModules.sshd\n    clan-core.clanModules.root-password\n  ];\n}\n';
  const { root, index } = await scanned({
    'flake.nix': '{ inputs.clan-core.url = "https://git.clan.lol/clan/clan-core/archive/main.tar.gz"; outputs = { self, clan-core, ... }: { clan = clan-core.lib.buildClan { inherit self; directory = ./.; }; }; }\n',
    'machines/a/configuration.nix': '{ imports = [ ../../modules/shared/clan.nix ]; }\n',
    'machines/b/configuration.nix': '{ imports = [ ]; }\n',
    'modules/shared/clan.nix': shared,
  });
  const report = machinesReport(index.clan(root));
  const why = (m: string) => report.machines.find((x) => x.name === m)!.unknowns;
  // a imports it: what keeps a open is clan-core's modules, which fetching the inputs reads
  assert.ok(why('a').length > 0);
  assert.ok(why('a').every((r) => r.includes("flake input 'clan-core'")), why('a').join('\n'));
  // b does not: its imports are not the clan's
  assert.ok(!why('b').some((r) => r.includes('clan.nix')), why('b').join('\n'));
  assert.equal(index.facts.get(`${root}/modules/shared/clan.nix`)!.modules?.opaqueParts, undefined);
  // a clan.nix that imports other modules still is the clan's configuration
  index.updateFromText(`${root}/modules/shared/clan.nix`, '{ clan-core, ... }:\n{\n  imports = [ clan-core.clanModules ];\n}\n');
  const edited = machinesReport(index.clan(root)).machines.find((x) => x.name === 'b')!.unknowns;
  assert.ok(edited.some((r) => r.includes("the clan's own modules (modules/shared/clan.nix")), edited.join('\n'));
});
