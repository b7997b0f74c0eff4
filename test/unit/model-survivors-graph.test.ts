// How the clan's structure reaches machines where the module graph (model/moduleGraph.ts) decides
// it: which flake modules clan takes as services from `clan.modules = config.flake.modules."clan.service"`,
// a computed set of machines naming the class the machine has, one instance defined in several files
// (the module system merges `module.name` and `module.input`), and where an instance's role names a
// machine the clan does not have.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { machinesReportOf, ownMachines } from '../helpers/ownGenerators';
import { removeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

function machinesOf(tree: Record<string, string>) {
  return ownMachines({ 'machines/s/configuration.nix': '{ }\n', 'machines/c/configuration.nix': '{ }\n', ...tree }, roots);
}

const gen = (name: string) => `clan.core.vars.generators.${name} = { files.k = { }; script = "echo > $out/k"; };`;

/** A clan service whose role `server` gives its machines the generator `hg`. */
const SERVICE = `{
    _class = "clan.service";
    manifest.name = "h";
    roles.server.perInstance = { ... }: { nixosModule = { ${gen('hg')} }; };
  }`;

// ---- flake modules of class "clan.service" as the clan's services (addServiceSets)

const DENDRITIC = `{ outputs = inputs@{ flake-parts, ... }: flake-parts.lib.mkFlake { inherit inputs; } { imports = [ inputs.flake-parts.flakeModules.modules (inputs.import-tree ./modules) ]; }; }\n`;
const SET_CLAN = `{ config, ... }: {\n  clan.modules = config.flake.modules."clan.service";\n  clan.inventory.instances.h = { module = { name = "h"; input = "self"; }; roles.server.machines.s = { }; };\n}\n`;

test('the service set takes the flake modules of class "clan.service" only: a NixOS module of the same name is no service, so the instance stays open', async () => {
  const machines = await machinesOf({
    'flake.nix': DENDRITIC,
    'modules/clan.nix': SET_CLAN,
    'modules/nixos-h.nix': `{\n  flake.modules.nixos.h = { ${gen('nh')} };\n}\n`,
  });
  assert.deepEqual(machines.s!.generators, []);
  assert.match(machines.s!.unknowns.join('\n'), /clan service 'h' from self \(instance 'h'\)/);
});

test("a test's own flake module of class \"clan.service\" (a file under tests/) is no service of the clan", async () => {
  const machines = await machinesOf({
    'flake.nix': DENDRITIC,
    'modules/clan.nix': SET_CLAN,
    'tests/service.nix': `{\n  flake.modules."clan.service".h = ${SERVICE};\n}\n`,
  });
  assert.deepEqual(machines.s!.generators, []);
  assert.match(machines.s!.unknowns.join('\n'), /clan service 'h' from self \(instance 'h'\)/);
});

// ---- a computed set of machines (evaluateComputedParts)

const PARTS = `{ outputs = inputs@{ flake-parts, ... }: flake-parts.lib.mkFlake { inherit inputs; } { imports = [ ./modules/clan.nix ]; }; }\n`;

test('a computed set of machines giving a machine the class it is read as (nixos, the default) keeps it known: its computed tags reach it', async () => {
  const machines = await machinesOf({
    'flake.nix': PARTS,
    'modules/clan.nix': `{ lib, ... }:\n{\n  clan.modules.h = ${SERVICE};\n  clan.inventory.machines = lib.genAttrs [ "s" ] (name: { machineClass = "nixos"; tags = [ "web" ]; });\n  clan.inventory.instances.h = { module = { name = "h"; input = "self"; }; roles.server.tags.web = { }; };\n}\n`,
  });
  assert.deepEqual(machines, { s: { generators: ['hg'], unknowns: [] }, c: { generators: [], unknowns: [] } });
});

// ---- one instance defined in several files (withMergedModule)

const MERGE_FLAKE = `{ outputs = inputs@{ flake-parts, ... }: flake-parts.lib.mkFlake { inherit inputs; } { imports = [ ./modules/clan.nix ./modules/a.nix ./modules/b.nix ./modules/s.nix ]; }; }\n`;
const OWN = 'clan.modules.own = ../services/own.nix;\n  clan.modules.other = ../services/other.nix;';

function merged(a: string, b: string, s: string) {
  return machinesOf({
    'flake.nix': MERGE_FLAKE,
    'modules/clan.nix': `{\n  ${OWN}\n}\n`,
    'services/own.nix': `${SERVICE}\n`,
    'services/other.nix': `${SERVICE.replace('generators.hg', 'generators.og')}\n`,
    'modules/a.nix': `{\n  ${a}\n}\n`,
    'modules/b.nix': `{\n  ${b}\n}\n`,
    'modules/s.nix': `{\n  ${s}\n}\n`,
  });
}

test('one instance: the module named in one file, the input in the role\'s own definition: the role has that service', async () => {
  const machines = await merged('clan.inventory.instances.zt.module.name = "own";', '', 'clan.inventory.instances.zt = { module.input = "self"; roles.server.machines.s = { }; };');
  assert.deepEqual(machines.s, { generators: ['hg'], unknowns: [] });
});

test("one instance: the input named in one file, the module in the role's own definition: the role has that service", async () => {
  const machines = await merged('clan.inventory.instances.zt = { module.input = "self"; roles.server.machines.c = { }; };', '', 'clan.inventory.instances.zt = { module.name = "own"; roles.server.machines.s = { }; };');
  assert.deepEqual(machines, { s: { generators: ['hg'], unknowns: [] }, c: { generators: ['hg'], unknowns: [] } });
});

test('one instance: a definition naming only the input, in a file of its own, gives the service its input', async () => {
  // read as clan-core's service of that name without it: open, since clan-core declares no service "own"
  const machines = await merged('clan.inventory.instances.zt.module.input = "self";', '', 'clan.inventory.instances.zt = { module.name = "own"; roles.server.machines.s = { }; };');
  assert.deepEqual(machines.s, { generators: ['hg'], unknowns: [] });
});

test('one instance: two files name different modules (clan stops on the conflict): a definition naming none is not given either, its machine stays open', async () => {
  const machines = await merged(
    'clan.inventory.instances.zt.module = { name = "own"; input = "self"; };',
    'clan.inventory.instances.zt.module = { name = "other"; input = "self"; };',
    'clan.inventory.instances.zt.roles.server.machines.s = { };',
  );
  assert.ok(machines.s!.unknowns.length > 0, JSON.stringify(machines.s));
});

test('one instance: two files name different inputs (clan stops on the conflict): a definition naming none is not given either, its machine stays open', async () => {
  const machines = await merged(
    'clan.inventory.instances.zt.module = { name = "own"; input = "self"; };',
    'clan.inventory.instances.zt = { module.input = "clan-core"; roles.server.machines.c = { }; };',
    'clan.inventory.instances.zt.roles.server.machines.s = { };',
  );
  assert.ok(machines.s!.unknowns.length > 0, JSON.stringify(machines.s));
});

test("one instance: a role's extraModules written inline in a definition that names no module still reach the role's machines", async () => {
  const machines = await merged(
    'clan.inventory.instances.zt.module = { name = "own"; input = "self"; };',
    '',
    `clan.inventory.instances.zt.roles.server = { machines.s = { }; extraModules = [ { ${gen('inl')} } ]; };`,
  );
  assert.deepEqual(machines.s, { generators: ['hg', 'inl'], unknowns: [] });
});

// ---- a role naming a machine the clan does not have (joinExtraModules)

test("a role naming only a machine the clan does not have: its extraModules written inline reach no machine, so their generator is reported as on none", async () => {
  const report = await machinesReportOf(
    {
      'machines/s/configuration.nix': '{ }\n',
      'flake.nix': PARTS,
      'modules/clan.nix': `{\n  clan.modules.own = ../own.nix;\n  clan.inventory.instances.zt = { module = { name = "own"; input = "self"; }; roles.server = { machines.gone = { }; extraModules = [ { ${gen('gg')} } ]; }; };\n}\n`,
      'own.nix': '{ _class = "clan.service"; manifest.name = "own"; roles.server = { }; }\n',
    },
    roots,
  );
  assert.deepEqual(report.machines.map((m) => m.name), ['s']);
  assert.deepEqual(report.withoutMachine.map((w) => w.generator), ['gg']);
});

// ---- a clan service's own imports (joinServiceModules, importsFor)

test('a clan service (lib.modules.importApply, given self) importing a generic flake module written inline in another file: the role\'s machines have its generators', async () => {
  const machines = await machinesOf({
    'flake.nix': `{ outputs = inputs@{ flake-parts, ... }: flake-parts.lib.mkFlake { inherit inputs; } { imports = [ ./modules/clan.nix ./modules/base.nix ]; }; }\n`,
    'modules/clan.nix': `{ lib, self, ... }: {\n  clan.modules.own = lib.modules.importApply ../own.nix { inherit self; };\n  clan.inventory.instances.zt = { module = { name = "own"; input = "self"; }; roles.server.machines.s = { }; };\n}\n`,
    'own.nix': '{ self }: { _class = "clan.service"; manifest.name = "own"; imports = [ self.modules.generic.base ]; roles.server = { }; }\n',
    'modules/base.nix': `{\n  flake.modules.generic.base = { roles.server.perInstance = { ... }: { nixosModule = { ${gen('bg')} }; }; };\n}\n`,
  });
  assert.deepEqual(machines, { s: { generators: ['bg'], unknowns: [] }, c: { generators: [], unknowns: [] } });
});
