// The clan's service instances and its machines' tags where a file computes them (model/
// computedInstances.ts): a set built from the file tree and a data file (attilaolah's homelab:
// an instance per file of ./tags, each importing that file by its store path), evaluated as Nix
// would; what cannot be evaluated keeps its machines open, with why.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { ownMachines } from '../helpers/ownGenerators';
import { removeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

function machinesOf(tree: Record<string, string>) {
  return ownMachines({ 'machines/s/configuration.nix': '{ }\n', 'machines/c/configuration.nix': '{ }\n', ...tree }, roots);
}

const FLAKE = `{ outputs = inputs@{ flake-parts, ... }: flake-parts.lib.mkFlake { inherit inputs; } { imports = [ ./modules/clan.nix ]; }; }\n`;
const SERVICE = 'clan.modules.imp = { _class = "clan.service"; manifest.name = "imp"; roles.default = { }; };';
const TAG_MODULES = {
  'tags/web.nix': '{ clan.core.vars.generators.webkey = { files.k = { }; script = "echo > $out/k"; }; }\n',
  'tags/db.nix': '{ clan.core.vars.generators.dbkey = { files.k = { }; script = "echo > $out/k"; }; }\n',
};
/** An instance per file of ./tags, for the machines with that tag, importing the file by its store path. */
const PER_TAG = `builtins.listToAttrs (map (f: let tag = lib.removeSuffix ".nix" f; in {
    name = "with-\${tag}";
    value = { module = { name = "imp"; input = "self"; }; roles.default = { tags.\${tag} = { }; extraModules = [ "\${../tags}/\${f}" ]; }; };
  }) (builtins.attrNames (builtins.readDir ../tags)))`;

test('instances computed from the folder of tag modules, machines\' tags from a data file: each machine has its tag\'s generators, and is fully known', async () => {
  const machines = await machinesOf({
    'flake.nix': FLAKE,
    'data.nix': '{ s = [ "web" ]; c = [ "db" ]; }\n',
    ...TAG_MODULES,
    'modules/clan.nix': `{ lib, ... }:\n{\n  ${SERVICE}\n  clan.inventory.machines = lib.mapAttrs (name: t: { tags = t; }) (import ../data.nix);\n  clan.inventory.instances = ${PER_TAG};\n}\n`,
  });
  assert.deepEqual(machines, { s: { generators: ['webkey'], unknowns: [] }, c: { generators: ['dbkey'], unknowns: [] } });
});

test('a tag module added to the folder reaches its machines without any other edit', async () => {
  const machines = await machinesOf({
    'flake.nix': FLAKE,
    'data.nix': '{ s = [ "web" "ops" ]; c = [ "db" ]; }\n',
    ...TAG_MODULES,
    'tags/ops.nix': '{ clan.core.vars.generators.opskey = { files.k = { }; script = "echo > $out/k"; }; }\n',
    'modules/clan.nix': `{ lib, ... }:\n{\n  ${SERVICE}\n  clan.inventory.machines = lib.mapAttrs (name: t: { tags = t; }) (import ../data.nix);\n  clan.inventory.instances = ${PER_TAG};\n}\n`,
  });
  assert.deepEqual(machines.s, { generators: ['opskey', 'webkey'], unknowns: [] });
});

test('instances computed from what the evaluation cannot know (the module\'s config) keep every machine open, with why', async () => {
  const machines = await machinesOf({
    'flake.nix': FLAKE,
    'modules/clan.nix': `{ config, ... }:\n{\n  ${SERVICE}\n  clan.inventory.instances = builtins.mapAttrs (n: v: v) config.myInstances;\n}\n`,
  });
  for (const m of ['s', 'c']) {
    assert.equal(machines[m]!.unknowns.length, 1, machines[m]!.unknowns.join('\n'));
    assert.match(machines[m]!.unknowns[0]!, /^the clan's service instances \(modules\/clan\.nix:4\) written in a way not known statically: .* \(evaluated: .*config.*\)$/);
  }
});

test('machines\' tags computed where the file cannot be evaluated to them (inside the clan function\'s argument) open every machine: a tag an instance names may be theirs', async () => {
  const machines = await machinesOf({
    'flake.nix': `{ outputs = { clan-core, ... }: clan-core.lib.clan {\n  self = ./.;\n  modules.imp = { _class = "clan.service"; manifest.name = "imp"; roles.default.perInstance = { ... }: { nixosModule = { clan.core.vars.generators.webkey = { files.k = { }; script = "echo > $out/k"; }; }; }; };\n  inventory.machines = builtins.mapAttrs (n: t: { tags = t; }) (import ./data.nix);\n  inventory.machines.s.tags = [ "web" ];\n  inventory.instances.w = { module = { name = "imp"; input = "self"; }; roles.default.tags.web = { }; };\n}; }\n`,
    'data.nix': '{ c = [ "web" ]; }\n',
  });
  assert.deepEqual(machines.s!.generators, ['webkey']);
  assert.ok(machines.c!.unknowns.some((u) => u.startsWith("the clan's machines (flake.nix:4) written in a way not known statically")), machines.c!.unknowns.join('\n'));
});

test('a computed set of machines that gives a machine another class than it is read as keeps every machine open: clan-core would give it other generators', async () => {
  const machines = await machinesOf({
    'flake.nix': FLAKE,
    'modules/clan.nix': `{ lib, ... }:\n{\n  clan.inventory.machines = lib.genAttrs [ "s" ] (name: { machineClass = "darwin"; tags = [ "web" ]; });\n}\n`,
  });
  assert.deepEqual(machines.c!.unknowns, ["the clan's machines (modules/clan.nix:3) written in a way not known statically: lib.genAttrs [ \"s\" ] (name: { machineClass = \"darwin\"; tags = [ \"web\" ]; }) (evaluated: machine 's' is given machineClass darwin)"]);
});

// A role's extraModules computed in a written instance (the importer service over a folder of
// modules, as lounge-rocks and andrewthomaslee write it): evaluated, each module of the folder reaches the role's
// machines. `self.nixosModules` is the flake's, where its plain outputs compute them from the file tree.
const MODULES = {
  'modules/one/default.nix': '{ clan.core.vars.generators.one = { files.k = { }; script = "echo > $out/k"; }; }\n',
  'modules/two/default.nix': '{ clan.core.vars.generators.two = { files.k = { }; script = "echo > $out/k"; }; }\n',
};
const PLAIN_FLAKE = (outputs: string) => `{
  outputs = { self, clan-core, ... }: let
    clan = clan-core.lib.clan { inherit self; inventory = import ./inventory.nix { inherit self; }; modules.imp = ./imp.nix; };
  in { inherit (clan.config) nixosConfigurations; ${outputs} };
}\n`;
const INVENTORY = (extra: string) => `{ self }: {
  instances.importer = { module = { name = "imp"; input = "self"; }; roles.default.machines = { s = { }; c = { }; }; roles.default.extraModules = ${extra}; };
}\n`;
const IMP = { 'imp.nix': '{ _class = "clan.service"; manifest.name = "imp"; roles.default = { }; }\n' };

test("an instance role's extraModules computed from the folder of modules: each module reaches the role's machines, which are fully known", async () => {
  const machines = await machinesOf({
    'flake.nix': PLAIN_FLAKE(''),
    ...IMP,
    ...MODULES,
    'inventory.nix': INVENTORY('map (m: ./modules + "/${m}") (builtins.attrNames (builtins.readDir ./modules))'),
  });
  assert.deepEqual(machines, { s: { generators: ['one', 'two'], unknowns: [] }, c: { generators: ['one', 'two'], unknowns: [] } });
});

test("extraModules computed inside the body of a `let` or `with` around the instances (lounge-rocks' clan.nix) are evaluated; inside a `let`'s own bindings they are not the file's value", async () => {
  const folder = 'map (m: ./modules + "/${m}") (builtins.attrNames (builtins.readDir ./modules))';
  const role = (extra: string) => `importer = { module = { name = "imp"; input = "self"; }; roles.default.machines = { s = { }; c = { }; }; roles.default.extraModules = ${extra}; };`;
  const known = { s: { generators: ['one', 'two'], unknowns: [] }, c: { generators: ['one', 'two'], unknowns: [] } };
  const withInventory = (inventory: string) => machinesOf({ 'flake.nix': PLAIN_FLAKE(''), ...IMP, ...MODULES, 'inventory.nix': inventory });
  assert.deepEqual(await withInventory(`{ self }: {\n  instances = let keys = [ ]; in {\n    ${role(folder)}\n  };\n}\n`), known);
  assert.deepEqual(await withInventory(`{ self }: {\n  instances = with builtins; let dir = ./modules; in {\n    ${role('map (m: dir + "/${m}") (attrNames (readDir dir))')}\n  };\n}\n`), known);
  // the role is a let binding, reached through a variable: not a path of the file's value
  const bound = await withInventory(`{ self }: {\n  instances = let importer = { module = { name = "imp"; input = "self"; }; roles.default.machines = { s = { }; c = { }; }; roles.default.extraModules = ${folder}; }; in { inherit importer; };\n}\n`);
  assert.deepEqual(bound.s!.unknowns, [`a module not known statically (${folder})`]);
});

test("extraModules named from `self.nixosModules`: the flake's modules where its plain outputs compute them from the file tree; otherwise not known, with why", async () => {
  const nixosModules = 'nixosModules = builtins.listToAttrs (map (name: { inherit name; value = import (./modules + "/${name}"); }) (builtins.attrNames (builtins.readDir ./modules)));';
  const known = await machinesOf({
    'flake.nix': PLAIN_FLAKE(nixosModules),
    ...IMP,
    ...MODULES,
    'inventory.nix': INVENTORY('map (m: ./modules + "/${m}") (builtins.attrNames self.nixosModules)'),
  });
  assert.deepEqual(known.s, { generators: ['one', 'two'], unknowns: [] });
  // the flake's nixosModules from a flake-parts module (clan-core's adds one per machine): not known here
  const open = await machinesOf({
    'flake.nix': FLAKE,
    ...MODULES,
    'modules/clan.nix': `{ lib, self, ... }:\n{\n  ${SERVICE}\n  flake.nixosModules = lib.mapAttrs (n: _: ./. + "/\${n}") (builtins.readDir ./.);\n  clan.inventory.instances.importer = { module = { name = "imp"; input = "self"; }; roles.default.machines.s = { }; roles.default.extraModules = builtins.attrValues self.nixosModules; };\n}\n`,
  });
  assert.deepEqual(open.s!.generators, []);
  assert.equal(open.s!.unknowns.length, 1, open.s!.unknowns.join('\n'));
  assert.match(open.s!.unknowns[0]!, /^a module not known statically \(builtins\.attrValues self\.nixosModules\)/);
});

test("instances computed as a whole see `self.nixosModules` as the flake's plain outputs compute it (pinpox' importer over its module names); a role's extraModules the evaluation cannot tell open only that role's machines", async () => {
  const outputs = 'nixosModules = builtins.mapAttrs (n: _: ./modules + "/${n}") (builtins.readDir ./modules);';
  const computed = (instances: string) => `{ self }: {\n  instances = builtins.mapAttrs (_: v: v) {\n${instances}\n  };\n}\n`;
  const importer = (machines: string, extra: string) => `    importer = { module = { name = "imp"; input = "self"; }; roles.default.machines = ${machines}; roles.default.extraModules = ${extra}; };`;
  const byName = importer('{ s = { }; c = { }; }', 'map (m: ./modules + "/${m}") (builtins.filter (m: m != "three") (builtins.attrNames self.nixosModules))');
  assert.deepEqual(await machinesOf({ 'flake.nix': PLAIN_FLAKE(outputs), ...IMP, ...MODULES, 'inventory.nix': computed(byName) }), {
    s: { generators: ['one', 'two'], unknowns: [] },
    c: { generators: ['one', 'two'], unknowns: [] },
  });
  const untold = `${importer('{ s = { }; }', '[ ./modules/one ]')}\n    bot = { module = { name = "imp"; input = "self"; }; roles.default.machines.c = { }; roles.default.extraModules = [ ./modules/two ] ++ (if self.withThree then [ ./modules/three ] else [ ]); };`;
  const machines = await machinesOf({ 'flake.nix': PLAIN_FLAKE(''), ...IMP, ...MODULES, 'inventory.nix': computed(untold) });
  assert.deepEqual(machines.s, { generators: ['one'], unknowns: [] });
  assert.deepEqual(machines.c!.generators, []);
  assert.equal(machines.c!.unknowns.length, 1);
  assert.match(machines.c!.unknowns[0]!, /^a module not known statically \(instance 'bot''s role 'default''s extraModules, not known statically: .*withThree/);
});

test("self.nixosModules not known: a set the evaluation cannot tell, only darwin modules, or modules that are not paths read by value; extraModules under lib.mkIf false are none", async () => {
  const names = 'map (m: ./modules + "/${m}") (builtins.attrNames self.nixosModules)';
  const reasonOf = async (outputs: string, extra = names) => {
    const got = await machinesOf({ 'flake.nix': PLAIN_FLAKE(outputs), ...IMP, ...MODULES, 'inventory.nix': INVENTORY(extra) });
    assert.deepEqual(got.s!.generators, [], outputs);
    return got.s!.unknowns.join('\n');
  };
  // the set imported from a file (not read in this evaluation), or only darwin modules: no names
  assert.match(await reasonOf('nixosModules = import ./mods.nix;'), /^a module not known statically \(map \(m: [^\n]*$/);
  assert.match(await reasonOf('darwinModules = builtins.mapAttrs (n: _: ./modules + "/${n}") (builtins.readDir ./modules);'), /^a module not known statically \(map \(m: [^\n]*$/);
  // a name written beside the computed ones (`// { extra = ...; }`), read as a flake module of its own: not told here
  assert.match(await reasonOf('nixosModules = builtins.mapAttrs (n: _: ./modules + "/${n}") (builtins.readDir ./modules) // { extra = ./modules/one; };'), /^a module not known statically \(map \(m: [^\n]*$/);
  // home-manager modules computed beside the NixOS ones do not change them
  const both = await machinesOf({ 'flake.nix': PLAIN_FLAKE('nixosModules = builtins.mapAttrs (n: _: ./modules + "/${n}") (builtins.readDir ./modules); homeModules = builtins.mapAttrs (n: _: ./modules + "/${n}") (builtins.readDir ./modules); darwinModules.mac = ./modules/one;'), ...IMP, ...MODULES, 'inventory.nix': INVENTORY('builtins.attrValues self.nixosModules') });
  assert.deepEqual(both.s, { generators: ['one', 'two'], unknowns: [] });
  // a module of two paths is none of them
  const pair = await machinesOf({ 'flake.nix': PLAIN_FLAKE('nixosModules = builtins.mapAttrs (n: _: { imports = [ (./modules + "/${n}") ./modules/one ]; }) (builtins.readDir ./modules);'), ...IMP, ...MODULES, 'inventory.nix': INVENTORY('builtins.attrValues self.nixosModules') });
  assert.deepEqual(pair.s!.unknowns, ['a module not known statically (self.nixosModules.one, not a path)', 'a module not known statically (self.nixosModules.two, not a path)']);
  // a set computed in flake.nix by flake-parts (flake.nixosModules): clan-core's flake module may add its own
  const parts = `{ outputs = inputs@{ flake-parts, ... }: flake-parts.lib.mkFlake { inherit inputs; } ({ lib, ... }: {\n  imports = [ ./modules/clan.nix ];\n  flake.nixosModules = builtins.mapAttrs (n: _: ./modules + "/\${n}") (builtins.readDir ./modules);\n}); }\n`;
  const fp = await machinesOf({ 'flake.nix': parts, ...MODULES, 'modules/clan.nix': `{ self, ... }:\n{\n  ${SERVICE}\n  clan.inventory.instances.importer = { module = { name = "imp"; input = "self"; }; roles.default.machines.s = { }; roles.default.extraModules = builtins.attrValues self.nixosModules; };\n}\n` });
  assert.match(fp.s!.unknowns.join('\n'), /^a module not known statically \(builtins\.attrValues self\.nixosModules\)$/);
  // modules imported as values: their names are known, not what each is
  const byValue = 'nixosModules = builtins.mapAttrs (n: _: import (./modules + "/${n}")) (builtins.readDir ./modules);';
  const known = await machinesOf({ 'flake.nix': PLAIN_FLAKE(byValue), ...IMP, ...MODULES, 'inventory.nix': INVENTORY(names) });
  assert.deepEqual(known.s, { generators: ['one', 'two'], unknowns: [] });
  assert.equal(await reasonOf(byValue, 'builtins.attrValues self.nixosModules'), 'a module not known statically (self.nixosModules.one, not a path)\na module not known statically (self.nixosModules.two, not a path)');
  assert.equal(await reasonOf('', '[ "not-a-module" ]'), `a module not known statically (a module computed as "not-a-module" in instance 'importer''s role 'default')`);
  const none = await machinesOf({ 'flake.nix': PLAIN_FLAKE(''), ...IMP, ...MODULES, 'inventory.nix': INVENTORY('lib.mkIf false (map (m: ./modules + "/${m}") (builtins.attrNames (builtins.readDir ./modules)))').replace('{ self }:', '{ self, lib }:').replace('inventory = import ./inventory.nix { inherit self; }', 'inventory = import ./inventory.nix { inherit self; inherit (clan-core.inputs.nixpkgs) lib; }') });
  assert.deepEqual(none.s, { generators: [], unknowns: [] });
});
