// The per-machine model: every way clans declare machines and bring modules to them, each as a
// small clan tree with the machines, modules and generators the model must find; and dependency
// resolution per machine, as clan does it.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { generatorHover } from '../../server/src/ide/hoverText';
import { machinesReport } from '../../server/src/ide/machinesReport';
import { NixParser } from '../../server/src/syntax/nixParser';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { WorkspaceAnalysis } from '../../server/src/rules/workspaceAnalysis';
import { analyze, brief } from '../helpers/analyze';
import { removeTree, withNixStore, writeTree } from '../helpers/tempClan';
import { ownGenerators } from '../helpers/ownGenerators';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

async function modelOf(files: Record<string, string>) {
  const root = writeTree({ 'flake.nix': '{ }', ...files });
  roots.push(root);
  const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load());
  await index.scan();
  return { root, clan: index.clan(root), report: machinesReport(index.clan(root)) };
}

/** `machine: generator, generator` lines, and `machine open` when it may have more. */
function summary(report: ReturnType<typeof machinesReport>): string[] {
  return report.machines.map((m) => `${m.name}${m.class === 'darwin' ? ' (darwin)' : ''}: ${ownGenerators(m.generators).join(', ')}${m.unknowns.length ? ' +open' : ''}`);
}

const gen = (name: string, extra = '') => `{ clan.core.vars.generators.${name} = { files.k = { }; script = "echo > $out/k"; ${extra} }; }\n`;

const CASES: { name: string; files: Record<string, string>; machines: string[]; withoutMachine?: string[] }[] = [
  {
    name: 'machines/<m>/configuration.nix importing a folder and a file',
    files: {
      'machines/a/configuration.nix': '{ imports = [ ../../modules/mesh ./extra.nix ]; }\n',
      'machines/a/extra.nix': gen('extra'),
      'machines/b/configuration.nix': '{ imports = [ ../../modules/mesh/default.nix ]; }\n',
      'modules/mesh/default.nix': gen('mesh'),
      'modules/unused.nix': gen('unused'),
    },
    machines: ['a: extra, mesh', 'b: mesh'],
    withoutMachine: ['unused'],
  },
  {
    name: 'imports bound in let, joined with ++, behind lib.optionals',
    files: {
      'machines/a/configuration.nix': '{ lib, ... }: let common = [ ../../modules/x.nix ]; in { imports = common ++ lib.optionals true [ ../../modules/y.nix ]; }\n',
      'modules/x.nix': gen('x'),
      'modules/y.nix': gen('y'),
    },
    machines: ['a: x, y'],
  },
  {
    name: 'paths the file computes from its own (`modulePath + /common`, `dir + "/x.nix"`, through lets); a sum with an unknown side stays unknown',
    files: {
      'machines/a/configuration.nix': '{ lib, ... }: let modulePath = ../../modules; roles = modulePath + /roles; admin = roles + "/admin.nix"; in { imports = [ (modulePath + /common) admin ]; }\n',
      'machines/b/configuration.nix': '{ dir, ... }: { imports = [ (dir + /common) ]; }\n',
      'modules/common/default.nix': gen('common'),
      'modules/roles/admin.nix': gen('admin'),
    },
    machines: ['a: admin, common', 'b:  +open'],
  },
  {
    name: "a module's own imports computed from the file tree (readDir, pathExists, filter): the folders it lists; computed from config, or a module of another file's making, stays open",
    files: {
      'machines/a/configuration.nix': '{ imports = [ ../../features ]; }\n',
      'features/default.nix':
        '{ lib, ... }: let dir = ./.; found = lib.mapAttrsToList (n: _: let p = dir + "/${n}/default.nix"; in if builtins.pathExists p then p else null) (lib.filterAttrs (_: t: t == "directory") (builtins.readDir dir)); in { imports = lib.filter (x: x != null) found ++ [ { networking.hostName = "a"; } ]; }\n',
      'features/mail/default.nix': gen('mail'),
      'features/web/default.nix': gen('web'),
      'features/empty/README.md': 'no module here\n',
      'machines/b/configuration.nix': '{ config, lib, ... }: { imports = config.extraImports; }\n',
      'machines/c/configuration.nix': '{ lib, ... }: { imports = map (f: import f) [ ../../features/mail/default.nix ]; }\n',
    },
    machines: ['a: mail, web', 'b:  +open', 'c:  +open'],
  },
  {
    name: 'clan.machines in flake.nix (the clan function) and self.nixosModules',
    files: {
      'flake.nix': `{ outputs = { self, clan-core, ... }: let clan = clan-core.lib.clan { inherit self; machines.lea = { imports = [ self.nixosModules.base ./hosts/lea.nix ]; }; }; in { nixosModules.base = ./modules/base.nix; }; }\n`,
      'hosts/lea.nix': gen('lea-only'),
      'modules/base.nix': gen('base'),
    },
    machines: ['lea: base, lea-only'],
  },
  {
    name: 'dendritic: flake.modules.nixos.<name> across files, with and let-bound namespaces',
    files: {
      'modules/clan/machines.nix': '{ config, ... }: { clan.machines.cinnabar.imports = [ config.flake.modules.nixos."machines/nixos/cinnabar" ]; clan.machines.stibnite.imports = [ config.flake.modules.darwin."machines/darwin/stibnite" ]; }\n',
      'modules/machines/nixos/cinnabar/default.nix': `{ config, ... }: let fm = config.flake.modules.nixos; in { flake.modules.nixos."machines/nixos/cinnabar" = { imports = with fm; [ base ] ++ [ fm.matrix ]; }; }\n`,
      'modules/machines/nixos/cinnabar/radicle.nix': '{ flake.modules.nixos."machines/nixos/cinnabar" = { clan.core.vars.generators.radicle = { }; }; }\n',
      'modules/machines/darwin/stibnite/default.nix': '{ config, ... }: { flake.modules.darwin."machines/darwin/stibnite" = { imports = [ config.flake.modules.darwin.base ]; }; }\n',
      'modules/nixos/base.nix': '{ flake.modules.nixos.base = { clan.core.vars.generators.initrd-ssh = { }; }; }\n',
      'modules/nixos/matrix.nix': '{ flake.modules.nixos.matrix = { clan.core.vars.generators.synapse = { }; }; }\n',
      'modules/darwin/base.nix': '{ flake.modules.darwin.base = { clan.core.vars.generators.builder = { }; }; }\n',
    },
    machines: ['cinnabar: initrd-ssh, radicle, synapse', 'stibnite (darwin): builder'],
  },
  {
    name: 'several flake modules written inline in one file: each machine gets only the ones it imports',
    files: {
      'modules/flake-module.nix': `{ self, inputs, ... }: { flake.nixosModules = { server = { imports = [ ./admins.nix ]; }; web.imports = [ self.nixosModules.server ./web.nix ]; build = { imports = [ self.nixosModules.server ]; clan.core.vars.generators.builder = { }; }; }; }\n`,
      'modules/admins.nix': gen('admins'),
      'modules/web.nix': gen('web'),
      'machines/w/configuration.nix': '{ self, ... }: { imports = [ self.nixosModules.web ]; }\n',
      'machines/b/configuration.nix': '{ self, ... }: { imports = [ self.nixosModules.build ]; }\n',
    },
    machines: ['b: admins, builder', 'w: admins, web'],
  },
  {
    name: 'a generator in a let-bound helper shared by two inline flake modules belongs to the machines of both',
    files: {
      'modules/builder.nix': `{ ... }: let mkGenerator = pkgs: { clan.core.vars.generators.remote-build = { files.key = { }; }; }; in { flake.modules.nixos.builder = { pkgs, ... }: { imports = [ (mkGenerator pkgs) ]; }; flake.modules.darwin.builder = { pkgs, ... }: { imports = [ (mkGenerator pkgs) ]; }; }\n`,
      'modules/clan/machines.nix': '{ config, ... }: { clan.machines.linux.imports = [ config.flake.modules.nixos.builder ]; clan.machines.mac.imports = [ config.flake.modules.darwin.builder ]; clan.machines.other = { }; }\n',
      'modules/machines/darwin/mac/default.nix': '{ }\n',
    },
    machines: ['linux: remote-build', 'mac (darwin): remote-build', 'other: '],
  },
  {
    name: 'machines built by mapAttrs over a folder, with the name in the path',
    files: {
      'flake.nix': `{ outputs = { clan-core, nixpkgs, ... }: { clan = clan-core.lib.clan { machines = nixpkgs.lib.mapAttrs (name: _: { imports = [ ./machines/\${name}/physical.nix ]; }) (builtins.readDir ./machines); }; }; }\n`,
      'machines/mors/physical.nix': '{ imports = [ ./config.nix ]; }\n',
      'machines/mors/config.nix': gen('mors'),
      'machines/prism/physical.nix': gen('prism'),
    },
    machines: ['mors: mors', 'prism: prism'],
  },
  {
    name: 'a local clan service: its generators reach the machines of its roles (machines and tags)',
    files: {
      'inventory.json': JSON.stringify({ machines: { a: { tags: ['web'] }, b: {}, c: { tags: ['web'] } } }),
      'clan.nix': `{ modules.mesh = ./services/mesh.nix; inventory.instances.m = { module = { name = "mesh"; input = "self"; }; roles.peer.machines.b = { }; roles.peer.tags.web = { }; }; }\n`,
      'flake.nix': '{ outputs = { clan-core, ... }: { clan = clan-core.lib.clan (import ./clan.nix); }; }\n',
      'services/mesh.nix': '{ _class = "clan.service"; roles.peer.perInstance = { ... }: { nixosModule = { clan.core.vars.generators.mesh-key = { }; }; }; }\n',
    },
    machines: ['a: mesh-key', 'b: mesh-key', 'c: mesh-key'],
  },
  {
    name: "a clan service's roles: each role's generators reach that role's machines only; perMachine and shared parts reach all",
    files: {
      'inventory.json': JSON.stringify({ machines: { a: {}, b: {}, c: {} } }),
      'clan.nix': `{ modules.vpn = ./services/vpn.nix; inventory.instances.v = { module = { name = "vpn"; input = "self"; }; roles.controller.machines.a = { }; roles.peer.machines.b = { }; roles.peer.machines.a = { }; }; }\n`,
      'flake.nix': '{ outputs = { clan-core, ... }: { clan = clan-core.lib.clan (import ./clan.nix); }; }\n',
      'services/vpn.nix': `{
  _class = "clan.service";
  roles.controller.perInstance = { ... }: { nixosModule = { clan.core.vars.generators.vpn-ca = { }; }; };
  roles.peer = {
    perInstance = { ... }: { nixosModule = { clan.core.vars.generators.vpn-peer = { }; }; };
  };
  perMachine = { ... }: { nixosModule = { clan.core.vars.generators.vpn-common = { }; }; };
}\n`,
    },
    machines: ['a: vpn-ca, vpn-common, vpn-peer', 'b: vpn-common, vpn-peer', 'c: '],
  },
  {
    name: 'modules outside the clan and clan-core services leave a machine open',
    files: {
      'machines/a/configuration.nix': '{ inputs, ... }: { imports = [ inputs.srvos.nixosModules.server ]; }\n',
      'machines/b/configuration.nix': gen('b'),
      'clan.nix': '{ inventory.instances.sshd = { module.name = "sshd"; roles.server.machines.b = { }; }; }\n',
    },
    machines: ['a:  +open', 'b: b +open'],
  },
  {
    name: "the machines and instances of the flake's tests belong to the tests' own clans, not to the clan around them",
    files: {
      'machines/a/configuration.nix': gen('a'),
      'clan.nix': '{ inventory.machines.a = { }; }\n',
      // clan-core's VM tests and nix-unit tests: made-up machines, services that exist only there
      'services/x/tests/vm/default.nix': '{ clan = { directory = ./.; inventory.machines.server = { }; inventory.instances.t = { module.name = "x"; roles.default.tags.all = { }; }; }; }\n',
      'lib/test_inventory.nix': '{ inventory = { machines.alice = { }; instances.foo = { module.name = "A"; roles.peer.tags.all = { }; }; }; }\n',
      'checks/vm/default.nix': '{ clan.machines.tester = { imports = [ ]; }; }\n',
    },
    machines: ['a: a'],
  },
  {
    name: "clan-core itself: an instance of a clan-core service (no input) is the clan's own clanServices/<name>",
    files: {
      'machines/a/configuration.nix': '{ }\n',
      'clan.nix': '{ inventory.instances.mesh = { module.name = "mesh"; roles.default.machines.a = { }; }; }\n',
      'clanServices/mesh/default.nix': '{ _class = "clan.service"; roles.default.perInstance = { ... }: { nixosModule = { clan.core.vars.generators.mesh-key = { }; }; }; }\n',
    },
    machines: ['a: mesh-key'],
  },
  {
    name: 'a flake module defined as a folder (`nixosModules.x = ./x;` in the flake-parts `flake` set) is that folder\'s default.nix',
    files: {
      'flake.nix': `{ outputs = inputs: inputs.flake-parts.lib.mkFlake { inherit inputs; } { flake = { nixosModules.authelia = ./nixosModules/authelia; nixosModules.gone = ./nixosModules/gone; }; }; }\n`,
      'nixosModules/authelia/default.nix': gen('authelia'),
      'machines/eve/configuration.nix': '{ self, ... }: { imports = [ self.nixosModules.authelia ]; }\n',
      'machines/eva/configuration.nix': '{ self, ... }: { imports = [ self.nixosModules.gone ]; }\n',
    },
    machines: ['eva:  +open', 'eve: authelia'],
  },
  {
    name: 'a local clan service defined as a folder is its default.nix; one that cannot be read leaves its machines open',
    files: {
      'inventory.json': JSON.stringify({ machines: { a: {}, b: {} } }),
      'clan.nix': `{ modules."@me/mesh" = ./services/mesh; modules.gone = ./services/gone; inventory.instances.m = { module = { name = "@me/mesh"; input = "self"; }; roles.peer.machines.a = { }; }; inventory.instances.g = { module = { name = "gone"; input = "self"; }; roles.peer.machines.b = { }; }; }\n`,
      'services/mesh/default.nix': '{ _class = "clan.service"; roles.peer.perInstance = { ... }: { nixosModule = { clan.core.vars.generators.mesh-key = { }; }; }; }\n',
    },
    machines: ['a: mesh-key', 'b:  +open'],
  },
  {
    name: 'a generator name computed from values the model cannot know leaves its machine open (names of that form may exist)',
    files: {
      'machines/a/configuration.nix': '{ config, lib, ... }: { clan.core.vars.generators = lib.mapAttrs\' (u: _: lib.nameValuePair "${u}-smb-password" { files.k = { }; }) config.users.users; }\n',
    },
    machines: ['a:  +open'],
  },
];

for (const c of CASES) {
  test(`model: ${c.name}`, async () => {
    const { report } = await modelOf(c.files);
    assert.deepEqual(summary(report), c.machines);
    assert.deepEqual(report.withoutMachine.map((w) => w.generator).sort(), c.withoutMachine ?? []);
  });
}

test('model: the inventory in Nix gives class and tags; a lambda building machines names none', async () => {
  const { clan } = await modelOf({
    'flake.nix': `{ outputs = { clan-core, lib, ... }: { clan = clan-core.lib.clan { inventory.machines.mac = { machineClass = "darwin"; tags = [ "laptop" ]; }; machines = lib.mapAttrs (name: _: { imports = [ ]; }) { }; }; }; }\n`,
  });
  const m = clan.machineModel().machines;
  assert.deepEqual([...m.keys()], ['mac']);
  assert.equal(m.get('mac')!.cls, 'darwin');
});

test("model: a let inside the inventory's machines binds variables, not machines; a let around the whole clan does not hide them", async () => {
  const { clan } = await modelOf({
    'flake.nix': `{ outputs = { clan-core, ... }: let clan = clan-core.lib.clan { inventory.machines = let tags = [ "pi" ]; pi = idx: { inherit tags; }; in { hades = { }; pi1 = pi 1; }; }; in { inherit (clan.config) nixosConfigurations; }; }\n`,
  });
  assert.deepEqual([...clan.machineModel().machines.keys()].sort(), ['hades', 'pi1']);
});

const DEPS: { name: string; files: Record<string, string>; expect: string[]; message?: RegExp }[] = [
  {
    name: 'a generator of the same machine resolves',
    files: { 'machines/a/configuration.nix': '{ imports = [ ./x.nix ]; clan.core.vars.generators.y.dependencies = [ "x" ]; }\n', 'machines/a/x.nix': gen('x') },
    expect: [],
  },
  {
    name: 'a shared generator declared on another machine resolves',
    files: { 'machines/a/configuration.nix': gen('y', 'dependencies = [ "ca" ];'), 'machines/b/configuration.nix': gen('ca', 'share = true;') },
    expect: [],
  },
  {
    name: "another machine's per-machine generator does not",
    files: { 'machines/a/configuration.nix': gen('y', 'dependencies = [ "ca" ];'), 'machines/b/configuration.nix': gen('ca') },
    expect: ['machines/a/configuration.nix:1 unknown-dependency'],
    message: /'ca' is a per-machine generator of 'b', not of machine 'a'.*"Generator 'y' depends on 'ca', but 'ca' was not found"/,
  },
  {
    name: 'a generator from an imported module resolves; a shared module is checked per machine',
    files: {
      'machines/a/configuration.nix': '{ imports = [ ../../modules/mesh.nix ../../modules/ca.nix ]; }\n',
      'machines/b/configuration.nix': '{ imports = [ ../../modules/mesh.nix ]; }\n',
      'modules/mesh.nix': gen('mesh', 'dependencies = [ "ca" ];'),
      'modules/ca.nix': gen('ca'),
    },
    expect: ['modules/mesh.nix:1 unknown-dependency'],
    message: /per-machine generator of 'a', not of machine 'b'/,
  },
  {
    name: 'a generator from a clan service role resolves',
    files: {
      'clan.nix': '{ modules.pki = ./pki.nix; inventory.instances.pki = { module = { name = "pki"; input = "self"; }; roles.ca.machines.a = { }; }; }\n',
      'flake.nix': '{ outputs = { clan-core, ... }: { clan = clan-core.lib.clan (import ./clan.nix); }; }\n',
      'pki.nix': '{ roles.ca.perInstance = { ... }: { nixosModule = { clan.core.vars.generators.ca = { }; }; }; }\n',
      'machines/a/configuration.nix': gen('cert', 'dependencies = [ "ca" "nope" ];'),
    },
    // "ca" comes from the service; "nope" from nowhere, which shows machine a is fully in view
    expect: ['machines/a/configuration.nix:1 unknown-dependency'],
    message: /'nope'/,
  },
  {
    name: 'a machine with a module outside the clan is not reported',
    files: { 'machines/a/configuration.nix': '{ inputs, ... }: { imports = [ inputs.x.nixosModules.y ]; clan.core.vars.generators.y.dependencies = [ "z" ]; }\n' },
    expect: [],
  },
  {
    name: "clan-core's own machine generators are known",
    files: { 'machines/a/configuration.nix': gen('y', 'dependencies = [ "state-version" ];') },
    expect: [],
  },
  {
    name: 'a module no machine imports: only names declared nowhere',
    files: { 'modules/lonely.nix': '{ clan.core.vars.generators.y.dependencies = [ "nowhere" "ca" ]; }\n', 'machines/b/configuration.nix': gen('ca') },
    expect: ['modules/lonely.nix:1 unknown-dependency'],
    message: /No generator named 'nowhere' is declared in this clan/,
  },
  {
    name: "a module no machine imports: clan-core's own machine generators are known there too",
    files: { 'modules/lonely.nix': '{ clan.core.vars.generators.y.dependencies = [ "machine-id" "state-version" ]; }\n', 'machines/b/configuration.nix': gen('ca') },
    expect: [],
  },
];

for (const c of DEPS) {
  test(`unknown-dependency per machine: ${c.name}`, async () => {
    const root = writeTree({ 'flake.nix': '{ }', ...c.files });
    roots.push(root);
    const { found } = await analyze(root);
    const deps = found.filter((f) => f.code === 'unknown-dependency');
    assert.deepEqual(brief(deps), c.expect);
    if (c.message) assert.match(deps[0].message, c.message);
  });
}

test('model: hover names the machines of an imported module, and says when no machine imports one', async () => {
  const { clan } = await modelOf({
    'machines/a/configuration.nix': '{ imports = [ ../../modules/mesh.nix ]; }\n',
    'modules/mesh.nix': gen('mesh'),
    'modules/unused.nix': gen('unused'),
  });
  assert.match(generatorHover(clan, 'mesh'), /— per machine, on `a`/);
  assert.match(generatorHover(clan, 'unused'), /No machine of this clan imports `modules\/unused.nix`, so clan never evaluates it/);
  // the summary first, without a scroll: the commands and the import chain after the rule (issue 57)
  for (const name of ['mesh', 'unused']) {
    const [summary, details] = generatorHover(clan, name).split('\n---\n');
    assert.ok(details !== undefined && !summary.includes('```') && !/imports `/.test(summary), `${name}: ${summary}`);
  }
  assert.match(generatorHover(clan, 'mesh').split('\n---\n')[1], /```sh\nclan vars generate a --generator mesh/);
});

test('model: a module no machine is seen to import, while a machine is not fully known, may still be evaluated: no certainty', async () => {
  const { clan, report } = await modelOf({
    'machines/a/configuration.nix': '{ imports = [ ../../modules/mesh.nix ]; }\n',
    'machines/b/configuration.nix': '{ inputs, ... }: { imports = [ inputs.somewhere.nixosModules.default ]; }\n',
    'modules/mesh.nix': gen('mesh'),
    'modules/unused.nix': gen('unused'),
  });
  const why = report.withoutMachine.find((w) => w.generator === 'unused')?.why ?? '';
  assert.match(why, /as far as their modules are known, but only 1 of its 2 machines are fully known: clan may evaluate it/);
  assert.doesNotMatch(why, /never evaluates/);
  assert.doesNotMatch(generatorHover(clan, 'unused'), /never evaluates/);
});

test("model: clan's entry modules, disko.nix and hardware-configuration.nix, are imported for NixOS machines, not found by folder", async () => {
  const { root, clan, report } = await modelOf({
    'inventory.json': JSON.stringify({ machines: { mac: { machineClass: 'darwin' } } }),
    'machines/srv/disko.nix': gen('luks'),
    'machines/srv/hardware-configuration.nix': gen('hw'),
    'machines/mac/configuration.nix': '{ }\n',
    'machines/mac/disko.nix': gen('mac-disk'),
  });
  assert.deepEqual(summary(report), ['mac (darwin): mac-disk', 'srv: hw, luks']);
  const model = clan.machineModel();
  assert.equal(model.byFolderOnly(`${root}/machines/srv/disko.nix`), false);
  assert.equal(model.byFolderOnly(`${root}/machines/srv/hardware-configuration.nix`), false);
  // clan does not import it for a darwin machine: only its folder ties it to the machine
  assert.equal(model.byFolderOnly(`${root}/machines/mac/disko.nix`), true);
});

test('model: vars on disk of a machine the clan does not declare are stale, not a machine; with no other source they name machines', async () => {
  const declared = await modelOf({
    'machines/srv/configuration.nix': gen('k'),
    'vars/per-machine/srv/k/k/value': 'x\n',
    'vars/per-machine/old-laptop/k/k/value': 'x\n',
  });
  assert.deepEqual(summary(declared.report), ['srv: k']);
  assert.deepEqual(declared.report.staleVars, ['old-laptop']);
  const onlyVars = await modelOf({ 'modules/k.nix': gen('k'), 'vars/per-machine/srv/k/k/value': 'x\n' });
  assert.deepEqual(onlyVars.report.machines.map((m) => m.name), ['srv']);
  assert.deepEqual(onlyVars.report.staleVars, []);
});

/** Each machine's vars stored for a generator it does not have: `machine generator` and whether clan no longer uses them (orphaned). */
function storedVars(report: ReturnType<typeof machinesReport>): string[] {
  return report.machines.flatMap((m) => m.vars.filter((v) => v.why === 'stored').map((v) => `${m.name} ${v.generator}${v.state === 'orphaned' ? ' orphaned' : ''}`));
}

test("model: vars stored for a machine that lacks their generator are orphaned only where every declaration of it the machine can have is read", async () => {
  const { report } = await modelOf({
    'inventory.json': JSON.stringify({ machines: { bare: {} } }),
    'machines/a/configuration.nix': gen('x'),
    // every module read, no x: clan no longer uses its x
    'machines/b/configuration.nix': gen('b-own'),
    // a generator set computed from a value not known statically: it may have x
    'machines/c/configuration.nix': '{ config, ... }: {\n  clan.core.vars.generators = config.gens;\n}\n',
    // names of the form x_*: x_1 may be one of them
    'machines/p/configuration.nix': '{ config, ... }: {\n  clan.core.vars.generators."x_${config.n}" = { files.k = { }; script = "x"; };\n}\n',
    // in the inventory only: no module of it is read, its configuration is elsewhere
    ...Object.fromEntries(['b', 'c', 'p', 'bare'].flatMap((m) => [`vars/per-machine/${m}/x/k/value`, `vars/per-machine/${m}/x_1/k/value`]).map((f) => [f, 'v\n'])),
  });
  assert.deepEqual(storedVars(report), ['b x orphaned', 'b x_1 orphaned', 'bare x', 'bare x_1', 'c x', 'c x_1', 'p x orphaned', 'p x_1']);
  // machines known only from their vars (the clan declares none we can see): how clan builds them is not known
  const onlyVars = await modelOf({ 'hosts/h/configuration.nix': gen('h-own'), 'vars/per-machine/h/x/k/value': 'v\n' });
  assert.deepEqual(onlyVars.report.machines.map((m) => `${m.name}: ${m.sources.join(' ')}, ${m.modules} module`), ['h: vars, 1 module']);
  assert.deepEqual(storedVars(onlyVars.report), ['h x']);
});

test('model: an edit of inventory.json on disk is seen once reported (machines, classes)', async () => {
  const root = writeTree({ 'flake.nix': '{ }', 'inventory.json': JSON.stringify({ machines: { a: {} } }), 'machines/a/configuration.nix': gen('k') });
  roots.push(root);
  const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load());
  await index.scan();
  assert.deepEqual(summary(machinesReport(index.clan(root))), ['a: k']);
  require('node:fs').writeFileSync(`${root}/inventory.json`, JSON.stringify({ machines: { a: { machineClass: 'darwin' }, b: {} } }));
  assert.equal(index.structureFileChanged(`${root}/inventory.json`), true);
  assert.deepEqual(summary(machinesReport(index.clan(root))), ['a (darwin): k', 'b: ']);
});

const CLAN_CORE = require('node:path').resolve(__dirname, '../../../shared/corpus/clan-lol+clan-core');
const hasClanCore = require('node:fs').existsSync(`${CLAN_CORE}/clanServices/sshd/default.nix`);

test("model: with a clan-core checkout, clan-core's services bring their generators to their roles' machines, and dependencies are checked against them", { skip: hasClanCore ? false : '../shared/corpus (clan-core) is not beside the repository' }, async () => {
  const files = {
    'flake.nix': `{ outputs = { clan-core, ... }: { clan = clan-core.lib.clan { inventory.instances.sshd = { module.name = "sshd"; module.input = "clan-core"; roles.server.tags.all = { }; }; }; }; }\n`,
    'machines/a/configuration.nix': `{ clan.core.vars.generators.x = { files.k = { }; dependencies = [ "openssh" "opensh" ]; script = "cat $in/openssh/ssh.id_ed25519.pub > $out/k"; }; }\n`,
  };
  const root = writeTree(files);
  roots.push(root);
  const without = await analyze(root);
  assert.deepEqual(brief(without.found).filter((f) => f.includes('unknown-dependency')), [], 'without clan-core, the service may declare anything');
  const withCheckout = await analyze(root, { clanCorePath: CLAN_CORE });
  assert.deepEqual(brief(withCheckout.found).filter((f) => f.includes('unknown-dependency')), ['machines/a/configuration.nix:1 unknown-dependency']);
  assert.match(withCheckout.found.find((f) => f.code === 'unknown-dependency')!.message, /'opensh'.*Did you mean 'openssh'/s);
});

test('model: a flake input in the Nix store whose source declares no generators brings none; one that does keeps the machine open', async () => {
  const { createHash } = require('node:crypto') as typeof import('node:crypto');
  const { sourceStorePath } = require('../../server/src/model/inputs/flakeInputs') as typeof import('../../server/src/model/inputs/flakeInputs');
  const fs = require('node:fs') as typeof import('node:fs');
  const store = writeTree({ keep: '' });
  roots.push(store);
  const hash = (s: string) => `sha256-${createHash('sha256').update(s).digest('base64')}`;
  const quiet = sourceStorePath(hash('srvos'), store)!;
  const noisy = sourceStorePath(hash('extra'), store)!;
  fs.mkdirSync(`${quiet}/nixos/server`, { recursive: true });
  fs.writeFileSync(`${quiet}/nixos/server/default.nix`, '{ services.openssh.enable = true; }\n');
  fs.mkdirSync(noisy);
  fs.writeFileSync(`${noisy}/default.nix`, '{ clan.core.vars.generators.extra = { }; }\n');
  const lock = { nodes: { root: { inputs: { srvos: 'srvos', extra: 'extra' } }, srvos: { locked: { narHash: hash('srvos') } }, extra: { locked: { narHash: hash('extra') } } }, root: 'root', version: 7 };
  await withNixStore(store, async () => {
    const { report } = await modelOf({
      'flake.lock': JSON.stringify(lock),
      'machines/a/configuration.nix': `{ inputs, ... }: { imports = [ inputs.srvos.nixosModules.server ]; clan.core.vars.generators.x = { }; }\n`,
      'machines/b/configuration.nix': `{ inputs, ... }: { imports = [ inputs.srvos.nixosModules.server inputs.extra.nixosModules.default ]; }\n`,
    });
    assert.deepEqual(summary(report), ['a: x', 'b:  +open']);
  });
});

test("model: without the inputs on this machine, the shipped summary of well-known flakes closes the machine: clan-core's services by the locked revision, srvos known to declare none; an unknown flake and a damaged summary leave it open", async () => {
  const store = writeTree({ keep: '' }); // an empty Nix store: nothing of the lock is on this machine
  roots.push(store);
  const node = (locked: Record<string, unknown>) => ({ locked: { narHash: 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=', lastModified: 1786981509, ...locked }, original: {} });
  const lock = {
    version: 7,
    root: 'root',
    nodes: {
      root: { inputs: { 'clan-core': 'clan-core', srvos: 'srvos', mystery: 'mystery' } },
      'clan-core': node({ type: 'git', url: 'https://git.clan.lol/clan/clan-core', rev: '090b766c7f31547972ce9889c2ec1ae10c3f4261' }),
      srvos: node({ type: 'github', owner: 'nix-community', repo: 'srvos', rev: '2077eec5063fce46b8c9e0754c4753542bb4f5f9' }),
      mystery: node({ type: 'github', owner: 'someone', repo: 'mystery', rev: '0'.repeat(40) }),
    },
  };
  const root = writeTree({
    'flake.lock': JSON.stringify(lock),
    'flake.nix': `{ outputs = { clan-core, ... }: { clan = clan-core.lib.clan { inventory.instances.sshd = { module.name = "sshd"; roles.server.machines.a = { }; roles.server.machines.b = { }; }; }; }; }\n`,
    'machines/a/configuration.nix': `{ inputs, ... }: { imports = [ inputs.srvos.nixosModules.server ]; clan.core.vars.generators.x = { files.k = { }; dependencies = [ "openssh" "opensh" ]; script = "cat $in/openssh/ssh.id_ed25519.pub > $out/k"; }; }\n`,
    'machines/b/configuration.nix': `{ inputs, ... }: { imports = [ inputs.mystery.nixosModules.default ]; }\n`,
  });
  roots.push(root);
  await withNixStore(store, async () => {
    const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load());
    await index.scan();
    const report = machinesReport(index.clan(root));
    const a = report.machines.find((m) => m.name === 'a')!;
    const b = report.machines.find((m) => m.name === 'b')!;
    assert.deepEqual(a.unknowns, [], 'sshd (clan-core 090b766, shipped) and srvos (shipped: none) are known');
    assert.ok(a.generators.includes('openssh') && a.generators.includes('x'), a.generators.join(', '));
    assert.deepEqual(b.unknowns, ["a module of flake input 'mystery' (inputs.mystery.nixosModules.default), not on this machine"]);
    const dep = (await analyze(root)).found.filter((f) => f.code === 'unknown-dependency');
    // a is known, but b's unread module may declare a shared 'opensh' (clan takes a shared generator of any machine): a likely typo, a warning
    assert.deepEqual(dep.map((f) => `${f.file} ${f.severity} ${/'opensh'.*Did you mean 'openssh'/s.test(f.message)}`), ['machines/a/configuration.nix warning true']);
    // a damaged summary: nothing is known from it, the machine stays open (and nothing throws)
    const damaged = writeTree({ 'known.json': '{"format":1,"sha256":"00","payload":{}}' });
    roots.push(damaged);
    const { ExternalModuleReader } = require('../../server/src/model/inputs/externalModules') as typeof import('../../server/src/model/inputs/externalModules');
    const ext = new ExternalModuleReader(await NixParser.load(), `${damaged}/known.json`).modulesOf(root, null);
    assert.deepEqual([[...ext.inputs.dirs.keys()], ext.inputs.missing.sort()], [[], ['clan-core', 'mystery', 'srvos']]);
  });
});

test("a NixOS flake that builds its machines/<m> hosts with nixosSystem and names clan nowhere is no clan: no machines, no finding, and the checker says so; anything of clan's makes them clan's machines", async () => {
  const flake = `{
  inputs.nixpkgs.url = "github:nixos/nixpkgs/nixos-unstable";
  inputs.sops-nix.url = "github:Mic92/sops-nix";
  outputs = { self, nixpkgs, ... }@inputs: {
    nixosConfigurations = builtins.listToAttrs (map (x: { name = x; value = nixpkgs.lib.nixosSystem { modules = [ (./machines + "/\${x}/configuration.nix") ]; }; }) (builtins.attrNames (builtins.readDir ./machines)));
  };
}\n`;
  const host = '{ sops.defaultSopsFile = ../../secrets/s.yaml; sops.secrets."app/env" = { }; services.app.envFile = config.sops.secrets."app/env".path; }\n';
  const plain = { 'flake.nix': flake, 'machines/server/configuration.nix': host };
  const { root, report } = await modelOf(plain);
  assert.deepEqual(report.machines, []);
  assert.deepEqual((await analyze(root)).found, []);
  // anything of clan's: a clan.nix, a clan-core input, a generator, clan-core's options set
  const markers: Record<string, string>[] = [{ 'clan.nix': '{ }' }, { 'flake.nix': flake.replace('inputs.sops-nix', 'inputs.clan-core.url = "git+https://git.clan.lol/clan/clan-core";\n  inputs.sops-nix') }, { 'modules/g.nix': gen('g') }, { 'machines/server/hw.nix': '{ clan.core.settings.state-version.enable = false; }\n' }];
  for (const more of markers) {
    const { root: clanRoot, report: clanReport } = await modelOf({ ...plain, ...more });
    assert.deepEqual(clanReport.machines.map((m) => m.name), ['server'], Object.keys(more)[0]);
    assert.deepEqual(brief((await analyze(clanRoot)).found), ['machines/server/configuration.nix:1 sops-nix-secret'], Object.keys(more)[0]);
  }
});

test("vars of a machine no source names, in a clan that declares a machine under a computed name: a machine with why it is open, not stale and not known; with only literal names, stale", async () => {
  const flake = (machines: string) => `{
  inputs.clan-core.url = "https://git.clan.lol/clan/clan-core/archive/main.tar.gz";
  outputs = { self, clan-core, ... }: let
    config = import ./config.nix;
    clan = clan-core.lib.clan { inherit self; machines = { ${machines} }; };
  in { inherit (clan.config) nixosConfigurations; };
}\n`;
  const vars = { 'vars/per-machine/old/state-version/version/value': '25.05' };
  const computed = await modelOf({ 'flake.nix': flake('${config.hostname} = { imports = [ ./host.nix ]; };'), ...vars });
  assert.deepEqual(
    computed.report.machines.map((m) => [m.name, m.unknowns]),
    [['old', ["named only by its vars folder, while the clan declares a machine under a computed name (flake.nix:5): whether it is that machine, and what its modules give it, is not known statically"]]],
  );
  assert.deepEqual(computed.clan.machineModel().staleVarsMachines, []);
  const literal = await modelOf({ 'flake.nix': flake('a = { };'), ...vars });
  assert.deepEqual(literal.report.machines.map((m) => [m.name, m.unknowns]), [['a', []]]);
  assert.deepEqual(literal.clan.machineModel().staleVarsMachines, ['old']);
});
