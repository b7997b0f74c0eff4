// The machine model's answers where a machine is not fully known: why it may have generators the
// model does not list (in the words the machines report prints), how clan resolves a dependency
// from it (on the machine, a shared generator of any machine, perhaps, or not at all), and whether
// a name may be declared somewhere the model cannot read.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { machinesReport } from '../../server/src/ide/machinesReport';
import { NixParser } from '../../server/src/syntax/nixParser';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { WorkspaceAnalysis } from '../../server/src/rules/workspaceAnalysis';
import { analyze } from '../helpers/analyze';
import { clanCoreInStore, removeTree, withNixStore, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

async function clanOf(files: Record<string, string>) {
  const root = writeTree({ 'flake.nix': '{ }', ...files });
  roots.push(root);
  const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load());
  await index.scan();
  return index.clan(root);
}

const gen = (name: string, extra = '') => `{ clan.core.vars.generators.${name} = { files.k = { }; script = "echo > $out/k"; ${extra} }; }\n`;

test('machine model: why a machine may have more generators, each reason naming the file and line it comes from', async () => {
  const clan = await clanOf({
    // a name of a form: names of that form may exist, nothing else
    'machines/form/configuration.nix': '{ imports = [ ../../modules/tor.nix ./own.nix ]; }\n',
    'machines/form/own.nix': gen('form-own'),
    'modules/tor.nix': '{ config, ... }: {\n  clan.core.vars.generators."tor_${config.x}" = { files.k = { }; script = "x"; };\n}\n',
    // a name computed whole: any name may exist
    'machines/whole/configuration.nix': '{ imports = [ ./all.nix ]; }\n',
    'machines/whole/all.nix': '{ config, ... }: {\n\n  clan.core.vars.generators.${config.name} = { files.k = { }; script = "x"; };\n}\n',
    // the whole set computed from a value not known statically
    'machines/set/configuration.nix': '{ config, ... }: {\n  clan.core.vars.generators = config.gens;\n}\n',
    // clan-core's state-version behind an option set to a value not known statically
    'machines/toggle/configuration.nix': '{ config, ... }: {\n  clan.core.settings.state-version.enable = config.foo;\n}\n',
    'machines/known/configuration.nix': gen('known-own'),
  });
  const byName = new Map(machinesReport(clan).machines.map((m) => [m.name, m]));
  assert.deepEqual(byName.get('form')!.unknowns, ["generator names of the form 'tor_*' computed from values not known statically (modules/tor.nix:2)"]);
  assert.deepEqual(byName.get('form')!.computedNames, ['tor_*']);
  assert.deepEqual(byName.get('form')!.generators, ['form-own', 'state-version']);
  assert.deepEqual(byName.get('whole')!.unknowns, ['a generator set with computed names (machines/whole/all.nix)']);
  assert.deepEqual(byName.get('set')!.unknowns, ['generators computed in machines/set/configuration.nix:2']);
  assert.deepEqual(byName.get('toggle')!.unknowns, ["whether it has generator 'state-version': clan.core.settings.state-version.enable is set in a way not known statically (machines/toggle/configuration.nix:2)"]);
  assert.deepEqual(byName.get('toggle')!.generators, []);
  assert.deepEqual(byName.get('known')!.unknowns, []);
  assert.deepEqual(byName.get('known')!.generators, ['known-own', 'state-version']);

  const model = clan.machineModel();
  // a machine with a computed name of another form is known: a typo there is not found
  assert.deepEqual(model.resolveDependency('form', 'tor_a'), { found: 'maybe' });
  // the machines with modules we could not read may declare it (shared, clan takes it from any of them)
  assert.deepEqual(model.resolveDependency('known', 'nope'), { found: 'maybe', unreadOn: ['set', 'whole'] });
  assert.deepEqual(model.resolveDependency('whole', 'nope'), { found: 'maybe', unreadOn: ['whole'] });
  assert.deepEqual(model.resolveDependency('toggle', 'state-version'), { found: 'maybe' });
  // any name may be declared by the computed set, on the machine that has it only
  assert.equal(model.mayBeDeclared('nope'), true);
  assert.equal(model.mayBeDeclared('nope', ['known']), false);
  assert.equal(model.mayBeDeclared('nope', ['known', 'set']), true);
  assert.equal(model.mayBeDeclared('nope', ['form']), false);
  assert.equal(model.mayBeDeclared('tor_b', ['known']), true, 'a name of the computed form');
  assert.equal(model.mayBeDeclared('known-own', ['form']), true, 'a name a module we read declares');
  assert.equal(model.mayBeDeclared('machine-id', ['known']), true, "one of clan-core's machine generators");
});

test('machine model: a dependency resolves on its machine, to a shared generator of any machine, perhaps, or not at all (with the machines that have it per machine)', async () => {
  const clan = await clanOf({
    'machines/a/configuration.nix': '{ imports = [ ../../modules/z.nix ./own.nix ]; }\n',
    'machines/a/own.nix': gen('only-a'),
    'machines/b/configuration.nix': '{ imports = [ ./s.nix ./p.nix ./svc.nix ../../modules/x1.nix ../../modules/x2.nix ]; }\n',
    'modules/x1.nix': gen('dup2', 'files.one = { };'),
    'modules/x2.nix': gen('dup2', 'files.two = { };'),
    'modules/unused.nix': gen('unused'),
    'machines/b/s.nix': gen('shared-s', 'share = true;'),
    'machines/b/p.nix': gen('private-p', 'share = false;'),
    // shared names of a computed form
    'machines/b/svc.nix': '{ config, ... }: {\n  clan.core.vars.generators."svc_${config.x}" = { share = true; files.k = { }; script = "x"; };\n}\n',
    // share set to a value not known statically: it may be shared
    'machines/c/configuration.nix': '{ config, ... }: { imports = [ ../../modules/y.nix ]; clan.core.vars.generators.maybe-s = { share = config.shareIt; files.k = { }; script = "x"; }; }\n',
    // the same per-machine name on c (declared first, in modules/y.nix) and on a
    'modules/y.nix': gen('dup'),
    'modules/z.nix': gen('dup'),
  });
  const model = clan.machineModel();
  assert.deepEqual(model.resolveDependency('a', 'only-a'), { found: 'machine' });
  assert.deepEqual(model.resolveDependency('c', 'maybe-s'), { found: 'machine' });
  assert.deepEqual(model.resolveDependency('a', 'shared-s'), { found: 'shared' });
  assert.deepEqual(model.resolveDependency('c', 'only-a'), { found: 'no', perMachineOn: ['a'] });
  assert.deepEqual(model.resolveDependency('a', 'private-p'), { found: 'no', perMachineOn: ['b'] }, 'share = false is per machine');
  assert.deepEqual(model.resolveDependency('b', 'dup'), { found: 'no', perMachineOn: ['a', 'c'] }, 'in the order of machines');
  assert.deepEqual(model.resolveDependency('a', 'nope'), { found: 'no', perMachineOn: [] });
  assert.deepEqual(model.resolveDependency('a', 'maybe-s'), { found: 'maybe' });
  assert.deepEqual(model.resolveDependency('a', 'svc_q'), { found: 'maybe' });
  assert.deepEqual(model.resolveDependency('unknown-machine', 'only-a'), { found: 'maybe' });
  assert.deepEqual(model.resolveDependency('unknown-machine', 'shared-s'), { found: 'shared' });
  // the sure answers alone (completion asks them of every name): the same as resolveDependency's, null for the others
  for (const [m, n] of [['a', 'only-a'], ['c', 'maybe-s'], ['a', 'shared-s'], ['c', 'only-a'], ['a', 'nope'], ['a', 'maybe-s'], ['a', 'svc_q'], ['unknown-machine', 'only-a'], ['unknown-machine', 'shared-s']]) {
    const found = model.resolveDependency(m, n).found;
    assert.equal(model.resolvesSurely(m, n), found === 'machine' || found === 'shared' ? found : null, `${m} ${n}`);
  }
  assert.equal(model.mayBeDeclared('svc_y'), true, 'a shared name of a computed form');
  // b imports both modules declaring dup2: the module system merges the two declarations
  assert.deepEqual(model.machines.get('b')!.generators.get('dup2')!.map((g) => g.file.slice(clan.root.length + 1)), ['modules/x1.nix', 'modules/x2.nix']);
  assert.deepEqual(model.machinesOfFile(`${clan.root}/modules/x1.nix`), ['b']);
  assert.deepEqual(model.machinesOfFile(`${clan.root}/modules/unused.nix`), [], 'a module no machine imports');
  assert.equal(model.mayBeDeclared('dup'), true);
  assert.equal(model.mayBeDeclared('nope'), false);
});

/** A clan with the registry pipeline: the registry's entries, the matrix's keys per machine, and the generators file the machines import. */
const pipeline = (registry: string): Record<string, string> => ({
  'lib/secret-registry.nix': registry,
  'lib/machine-env-matrix.nix': '{\n  m0 = [ "wifi" "api" ];\n  m1 = [ "api" ];\n}\n',
  'lib/vars-generators.nix': '{ keys, pkgs ? null }:\nlet registry = import ./secret-registry.nix { inherit pkgs; };\nin builtins.listToAttrs (map (k: { name = registry.${k}.generator; value = { inherit (registry.${k}) files script; }; }) keys)\n',
  'machines/m0/configuration.nix': '{ pkgs, ... }: {\n  clan.core.vars.generators = import ../../lib/vars-generators.nix { keys = (import ../../lib/machine-env-matrix.nix).m0; inherit pkgs; };\n}\n',
  'machines/m1/configuration.nix': '{ pkgs, ... }: {\n  imports = [ ./own.nix ];\n  clan.core.vars.generators = import ../../lib/vars-generators.nix { keys = (import ../../lib/machine-env-matrix.nix).m1; inherit pkgs; };\n}\n',
  'machines/m1/own.nix': '{ clan.core.vars.generators.own = { dependencies = [ "wifi-psk" "api-token" ]; files.k = { }; script = "x"; }; }\n',
  'machines/m2/configuration.nix': '{ }\n',
});

test('machine model: the registry pipeline gives each machine the generators of the keys the matrix selects for it; a registry it cannot read leaves those machines open', async () => {
  const registry =
    '{ pkgs ? null }: {\n  wifi = { generator = "wifi-psk"; files.value = { }; script = "x"; };\n  api = { generator = "api-token"; files.value = { }; script = "x"; };\n  unused = { generator = "unused-key"; files.value = { }; script = "x"; };\n}\n';
  const clan = await clanOf(pipeline(registry));
  const report = machinesReport(clan);
  assert.deepEqual(
    report.machines.map((m) => `${m.name}: ${m.generators.join(' ')}${m.unknowns.length ? ` (open: ${m.unknowns.join('; ')})` : ''}`),
    ['m0: api-token state-version wifi-psk', 'm1: api-token own state-version', 'm2: state-version'],
  );
  assert.deepEqual(report.withoutMachine.map((w) => `${w.generator} ${w.file}:${w.line}`), ['unused-key lib/secret-registry.nix:4']);
  const model = clan.machineModel();
  assert.deepEqual(
    clan.generators.filter((g) => g.origin === 'registry').map((g) => `${g.name.name}: ${model.machinesOfGenerator(g).join(' ')}`),
    ['wifi-psk: m0', 'api-token: m0 m1', 'unused-key: '],
  );
  assert.deepEqual(model.resolveDependency('m1', 'api-token'), { found: 'machine' });
  assert.deepEqual(model.resolveDependency('m1', 'wifi-psk'), { found: 'no', perMachineOn: ['m0'] });
  assert.deepEqual(model.resolveDependency('m2', 'api-token'), { found: 'no', perMachineOn: ['m0', 'm1'] });
  assert.deepEqual(model.resolveDependency('m2', 'unused-key'), { found: 'no', perMachineOn: [] });
  assert.equal(model.mayBeDeclared('nope', ['m0']), false, 'the generators file is the registry pipeline, read');
  // a registry generator comes from no module: it has no import chain
  const wifi = clan.byName.get('wifi-psk')![0];
  assert.equal(model.chainOf('m0', wifi), null);
  assert.deepEqual(model.chainOf('m1', clan.byName.get('own')![0])?.map((f) => f.replace(`${clan.root}/`, '')), ['machines/m1/configuration.nix', 'machines/m1/own.nix']);

  // a registry of another shape: what the generators file gives is not known
  const unread = (await clanOf(pipeline('builtins.fromJSON (builtins.readFile ./registry.json)\n'))).machineModel();
  assert.deepEqual(unread.machines.get('m0')!.unknowns, ['generators computed in machines/m0/configuration.nix:2']);
  assert.deepEqual(unread.machines.get('m1')!.unknowns, ['generators computed in machines/m1/configuration.nix:3']);
  assert.deepEqual(unread.resolveDependency('m1', 'wifi-psk'), { found: 'maybe', unreadOn: ['m1'] });
  assert.deepEqual(unread.resolveDependency('m2', 'wifi-psk'), { found: 'maybe', unreadOn: ['m0', 'm1'] });
  assert.equal(unread.mayBeDeclared('nope', ['m1']), true);
  assert.equal(unread.mayBeDeclared('nope', ['m2']), false);
});

test("machine model: the registry pipeline read closes the machines it gives generators to, also where another machine's generator set is computed", async () => {
  const registry = '{ pkgs ? null }: {\n  wifi = { generator = "wifi-psk"; files.value = { }; script = "x"; };\n  api = { generator = "api-token"; files.value = { }; script = "x"; };\n}\n';
  const clan = await clanOf({ ...pipeline(registry), 'machines/m2/configuration.nix': '{ config, ... }: {\n  clan.core.vars.generators = config.gens;\n}\n' });
  const model = clan.machineModel();
  assert.deepEqual(
    [...model.machines.values()].map((v) => `${v.name}: ${v.unknowns.join('; ')}`),
    ['m0: ', 'm1: ', 'm2: generators computed in machines/m2/configuration.nix:2'],
  );
  // only m2's set may hold any name: a read of m0's own generators names one of those the matrix selects, or none
  assert.equal(model.mayBeDeclared('nope', ['m0']), false);
  assert.equal(model.mayBeDeclared('nope', ['m0', 'm1']), false);
  assert.equal(model.mayBeDeclared('nope', ['m2']), true);
  assert.equal(model.mayBeDeclared('nope'), true);
});

test("machine model: a registry entry the matrix selects whose generator name is not known statically gives its machines a generator of that form, or of any name", async () => {
  const registry = [
    '{ pkgs ? null }: {',
    '  wifi = { generator = "wifi-psk"; files.value = { }; script = "x"; };',
    // computed from pkgs (not evaluated here): names of the form vpn-*
    '  vpn = { generator = "vpn-${pkgs.system}"; files.value = { }; script = "x"; };',
    // not a string we can read: any name
    '  dyn = { generator = pkgs.lib.concatStrings [ "dyn" "-key" ]; files.value = { }; script = "x"; };',
    '}',
    '',
  ].join('\n');
  const clan = await clanOf({
    ...pipeline(registry),
    'lib/machine-env-matrix.nix': '{\n  m0 = [ "wifi" "vpn" ];\n  m1 = [ "wifi" "dyn" ];\n}\n',
    'machines/m1/own.nix': '{ clan.core.vars.generators.own = { dependencies = [ "wifi-psk" "dyn-key" ]; files.k = { }; script = "x"; }; }\n',
  });
  const byName = new Map(machinesReport(clan).machines.map((m) => [m.name, m]));
  assert.deepEqual(byName.get('m0')!.unknowns, ["generator names of the form 'vpn-*' computed from values not known statically (lib/secret-registry.nix:3)"]);
  assert.deepEqual(byName.get('m1')!.unknowns, ["the generator of registry key 'dyn', whose name is not known statically (lib/secret-registry.nix:4)"]);
  assert.deepEqual(byName.get('m2')!.unknowns, []);
  const model = clan.machineModel();
  assert.deepEqual(model.resolveDependency('m0', 'vpn-x86_64-linux'), { found: 'maybe' });
  assert.deepEqual(model.resolveDependency('m1', 'dyn-key'), { found: 'maybe', unreadOn: ['m1'] });
  assert.equal(model.mayBeDeclared('vpn-x86_64-linux', ['m2']), true, 'a name of the form of a generator the registry declares');
  assert.equal(model.mayBeDeclared('anything', ['m1']), true);
  assert.equal(model.mayBeDeclared('anything', ['m0']), false);
  // clan vars generate finds m1's dyn-key: no error on own's dependency
  assert.deepEqual((await analyze(clan.root)).found.filter((f) => f.code === 'unknown-dependency' && f.message.includes('dyn-key')), []);
});

test('machine model: in a clan whose machines are known only from their vars, one whose generator set is computed may declare a shared generator another depends on', async () => {
  const clan = await clanOf({
    'hosts/h/configuration.nix': '{ config, ... }: {\n  clan.core.vars.generators = config.gens;\n}\n',
    'hosts/g/configuration.nix': gen('g-own', 'dependencies = [ "mesh" ];'),
    'vars/per-machine/h/x/k/value': 'v\n',
    'vars/per-machine/g/g-own/k/value': 'v\n',
  });
  const model = clan.machineModel();
  assert.deepEqual([...model.machines.values()].map((v) => `${v.name}: ${v.sources.join(' ')}`), ['g: vars', 'h: vars']);
  // clan takes a shared generator of any machine: h's set may hold mesh
  assert.deepEqual(model.resolveDependency('g', 'mesh'), { found: 'maybe', unreadOn: ['h'] });
  assert.deepEqual((await analyze(clan.root)).found.filter((f) => f.code === 'unknown-dependency'), []);
});

test('machine model: a shared generator whose name is computed whole may be any name another machine depends on', async () => {
  const clan = await clanOf({
    'machines/a/configuration.nix': '{ config, ... }: {\n  clan.core.vars.generators.${config.name} = { share = true; files.k = { }; script = "x"; };\n}\n',
    'machines/b/configuration.nix': gen('b-own'),
  });
  const model = clan.machineModel();
  // clan takes a shared generator of any machine: one a module we read declares, under a name we cannot compute
  assert.deepEqual(model.resolveDependency('b', 'anything'), { found: 'maybe' });
  assert.deepEqual(model.resolveDependency('a', 'anything'), { found: 'maybe', unreadOn: ['a'] });
});

test("machine model: a clan service's generator named after its instance, shared, is found on machines outside the service", async () => {
  const clan = await clanOf({
    'inventory.json': JSON.stringify({ machines: { a: {}, b: {}, c: {} } }),
    'clan.nix': `{ modules.vpn = ./services/vpn.nix; inventory.instances.home = { module = { name = "vpn"; input = "self"; }; roles.peer.machines.a = { }; roles.peer.machines.b = { }; }; }\n`,
    'flake.nix': '{ outputs = { clan-core, ... }: { clan = clan-core.lib.clan (import ./clan.nix); }; }\n',
    'machines/c/configuration.nix': '{ clan.core.vars.generators.user = { dependencies = [ "vpn-key-home" ]; files.k = { }; script = "cat $in/vpn-key-home/k > $out/k"; }; }\n',
    'services/vpn.nix': `{
  _class = "clan.service";
  roles.peer.perInstance = { instanceName, ... }: { nixosModule = {
    clan.core.vars.generators."vpn-net-\${instanceName}" = { share = true; files.k = { }; };
    clan.core.vars.generators."vpn-key-\${instanceName}" = { files.k = { }; };
  }; };
}\n`,
  });
  const model = clan.machineModel();
  assert.deepEqual([...model.machines.get('a')!.generators.keys()].filter((n) => n.startsWith('vpn')).sort(), ['vpn-key-home', 'vpn-net-home']);
  assert.deepEqual(model.resolveDependency('c', 'vpn-net-home'), { found: 'shared' });
  // the name is made of the instance: no declaration of the clan has it, the machines of the instance do
  assert.deepEqual(model.resolveDependency('c', 'vpn-key-home'), { found: 'no', perMachineOn: ['a', 'b'] });
  const found = (await analyze(clan.root)).found.filter((f) => f.code === 'unknown-dependency');
  assert.deepEqual(found.map((f) => `${f.file}:${f.line} ${f.message.split('.')[0]}`), ["machines/c/configuration.nix:1 'vpn-key-home' is a per-machine generator of 'a', 'b', not of machine 'c': declare it there too, or make it shared (share = true)"]);
});

test("machine model: clan-core's services known from the shipped summary: their per-machine generators on the service's machines, their shared ones found on any", async () => {
  const store = writeTree({ keep: '' }); // an empty Nix store: clan-core is known from the summary shipped with Clan Vars
  roots.push(store);
  const node = (locked: Record<string, unknown>) => ({ locked: { narHash: 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=', lastModified: 1786981509, ...locked }, original: {} });
  const lock = { version: 7, root: 'root', nodes: { root: { inputs: { 'clan-core': 'clan-core' } }, 'clan-core': node({ type: 'git', url: 'https://git.clan.lol/clan/clan-core', rev: '090b766c7f31547972ce9889c2ec1ae10c3f4261' }) } };
  await withNixStore(store, async () => {
    const clan = await clanOf({
      'flake.lock': JSON.stringify(lock),
      'flake.nix': `{ outputs = { clan-core, ... }: { clan = clan-core.lib.clan { inventory.instances.sshd = { module.name = "sshd"; roles.server.machines.a = { }; roles.server.machines.b = { }; }; inventory.instances.admin = { module.name = "users"; roles.default.machines.a = { }; roles.default.settings.user = "alice"; }; }; }; }\n`,
      'machines/a/configuration.nix': '{ }\n',
      'machines/b/configuration.nix': '{ }\n',
      'machines/c/configuration.nix': '{ }\n',
    });
    const model = clan.machineModel();
    assert.ok(model.machines.get('a')!.generators.has('openssh'));
    assert.deepEqual(model.resolveDependency('c', 'openssh'), { found: 'no', perMachineOn: ['a', 'b'] });
    assert.deepEqual(model.resolveDependency('c', 'openssh-ca'), { found: 'shared' });
    assert.deepEqual(model.resolveDependency('c', 'nope'), { found: 'no', perMachineOn: [] });
    assert.equal(clan.byName.has('openssh'), false, 'declared by no module of the clan');
    assert.equal(model.mayBeDeclared('openssh', ['c']), true, "declared by clan-core's sshd");
    assert.equal(model.mayBeDeclared('nope', ['c']), false);
    // clan-core's users service names its generator after a setting (and its share is a setting): the instance's name on its machine, names of that form perhaps anywhere
    assert.ok(model.machines.get('a')!.generators.has('user-password-alice'));
    assert.equal(model.mayBeDeclared('user-password-bob', ['c']), true, "a name of the form of clan-core's users service");
  });
});

test("machine model: a clan-core service read from the store whose generator name is computed: names of that form on its machines, and declared by a module we read for any machine", async () => {
  const { store, lock } = clanCoreInStore({ 'clanServices/tor/default.nix': '{\n  _class = "clan.service";\n  roles.server.perInstance = { ... }: { nixosModule = { config, ... }: {\n    clan.core.vars.generators."tor_${config.networking.hostName}" = { files.k = { }; };\n  }; };\n}\n' });
  roots.push(store);
  await withNixStore(store, async () => {
    const clan = await clanOf({
      'flake.lock': lock,
      'flake.nix': '{ outputs = { clan-core, ... }: { clan = clan-core.lib.clan { inventory.instances.tor = { module.name = "tor"; roles.server.machines.a = { }; }; }; }; }\n',
      'machines/a/configuration.nix': '{ }\n',
      'machines/c/configuration.nix': '{ }\n',
    });
    const report = new Map(machinesReport(clan).machines.map((m) => [m.name, m]));
    assert.deepEqual(report.get('a')!.computedNames, ['tor_*']);
    // the reason names the service's file as chains show it: the input, then the path in it
    assert.deepEqual(report.get('a')!.unknowns, ["generator names of the form 'tor_*' computed from values not known statically (clan-core:clanServices/tor/default.nix:4)"]);
    assert.deepEqual(report.get('c')!.unknowns, []);
    const model = clan.machineModel();
    assert.equal(clan.namePatterns.some((p) => p.test('tor_c')), false, "declared in no file of the clan: clan-core's");
    assert.equal(model.mayBeDeclared('tor_c'), true);
    assert.equal(model.mayBeDeclared('tor_c', ['c']), true, 'a name of the form of a generator a module we read declares');
    assert.equal(model.mayBeDeclared('nope', ['c']), false);
  });
});

test("machine model: a clan-core service read from the store whose generator name is computed whole: any name on its machines, the reason naming its file as chains show it", async () => {
  const { store, lock } = clanCoreInStore({ 'clanServices/dyn/default.nix': '{\n  _class = "clan.service";\n  roles.default.perInstance = { ... }: { nixosModule = { config, ... }: {\n    clan.core.vars.generators.${config.networking.domain} = { files.k = { }; };\n  }; };\n}\n' });
  roots.push(store);
  await withNixStore(store, async () => {
    const clan = await clanOf({
      'flake.lock': lock,
      'flake.nix': '{ outputs = { clan-core, ... }: { clan = clan-core.lib.clan { inventory.instances.dyn = { module.name = "dyn"; roles.default.machines.a = { }; }; }; }; }\n',
      'machines/a/configuration.nix': '{ }\n',
      'machines/c/configuration.nix': '{ }\n',
    });
    const report = new Map(machinesReport(clan).machines.map((m) => [m.name, m]));
    assert.deepEqual(report.get('a')!.unknowns, ['a generator set with computed names (clan-core:clanServices/dyn/default.nix)']);
    assert.deepEqual(report.get('c')!.unknowns, []);
    assert.deepEqual(clan.machineModel().resolveDependency('a', 'anything'), { found: 'maybe', unreadOn: ['a'] });
  });
});

test("machine model: a clan service's generator named after a setting is the instance's concrete name where the setting is written, and names of that form where it is not known", async () => {
  const instance = (name: string, machine: string, settings: string) => `inventory.instances.${name} = { module = { name = "net"; input = "self"; }; roles.peer.machines.${machine} = { }; ${settings} };`;
  const clan = await clanOf({
    'inventory.json': JSON.stringify({ machines: { a: {}, b: {}, c: {} } }),
    // a: the setting written; b: settings the syntax cannot read; c: no setting and no default
    'clan.nix': `{ modules.net = ./services/net.nix; ${instance('home', 'a', 'roles.peer.settings.network = "lan";')} ${instance('work', 'b', 'roles.peer.settings = import ./settings.nix;')} ${instance('bare', 'c', '')} }\n`,
    'settings.nix': '{ network = "x"; }\n',
    'flake.nix': '{ outputs = { clan-core, ... }: { clan = clan-core.lib.clan (import ./clan.nix); }; }\n',
    'services/net.nix': `{
  _class = "clan.service";
  roles.peer.perInstance = { settings, ... }: { nixosModule = {
    clan.core.vars.generators."net-\${settings.network}" = { files.k = { }; };
  }; };
}\n`,
  });
  const report = new Map(machinesReport(clan).machines.map((m) => [m.name, m]));
  assert.deepEqual(report.get('a')!.generators, ['net-lan', 'state-version']);
  assert.deepEqual(report.get('a')!.unknowns, []);
  for (const m of ['b', 'c']) {
    assert.deepEqual(report.get(m)!.generators, ['state-version'], m);
    assert.deepEqual(report.get(m)!.unknowns, ["generator names of the form 'net-*' computed from values not known statically (services/net.nix:4)"], m);
  }
});

test("machine model: a clan service's generator named from a module's own config may be on the service's machines under a name of its form; one named from the instance in a file the service imports is named as in the service's own file", async () => {
  const clan = await clanOf({
    'inventory.json': JSON.stringify({ machines: { a: {}, b: {} } }),
    'clan.nix': `{ modules.vpn = ./services/vpn; inventory.instances.home = { module = { name = "vpn"; input = "self"; }; roles.peer.machines.a = { }; }; }\n`,
    'flake.nix': '{ outputs = { clan-core, ... }: { clan = clan-core.lib.clan (import ./clan.nix); }; }\n',
    // a name made of the NixOS module's config: not of what clan passes the instance
    'services/vpn/default.nix': `{
  _class = "clan.service";
  imports = [ ./peer.nix ];
  roles.peer.perInstance = { instanceName, ... }: { nixosModule = { config, ... }: {
    clan.core.vars.generators."wg-\${toString config.foo}" = { files.k = { }; };
    clan.core.vars.generators."vpn-key-\${instanceName}" = { files.k = { }; };
  }; };
}\n`,
    // a part of the service in a file of its own: clan merges it into the service
    'services/vpn/peer.nix': `{
  _class = "clan.service";
  roles.peer.perInstance = { instanceName, ... }: { nixosModule = {
    clan.core.vars.generators."vpn-net-\${instanceName}" = { files.k = { }; };
  }; };
}\n`,
    'machines/b/configuration.nix': '{ clan.core.vars.generators.user = { dependencies = [ "vpn-net-home" "wg-lan" ]; files.k = { }; script = "x"; }; }\n',
  });
  const model = clan.machineModel();
  assert.deepEqual(model.resolveDependency('a', 'vpn-key-home'), { found: 'machine' });
  assert.notEqual(model.resolveDependency('a', 'wg-lan').found, 'no', 'a may have wg-lan');
  assert.deepEqual(model.resolveDependency('b', 'wg-lan'), { found: 'no', perMachineOn: [] }, 'b has no wg-lan: the service is not on b');
  // peer.nix is a part of the service: its name is made of the instance as the service's own file's are
  assert.deepEqual(model.resolveDependency('a', 'vpn-net-home'), { found: 'machine' });
  assert.deepEqual(model.resolveDependency('b', 'vpn-net-home'), { found: 'no', perMachineOn: ['a'] }, "b has no vpn-net-home: it is a's own");
});

test('machine model: a role naming a machine the clan does not declare gives that name nothing (and the declared machines their generators)', async () => {
  const clan = await clanOf({
    'machines/a/configuration.nix': '{ }\n',
    'clan.nix': `{ inventory.instances = {
        extra = { module.name = "importer"; roles.default.machines.a = { }; roles.default.machines.ghost = { }; roles.default.settings.extraModules = [ { clan.core.vars.generators.inline = { files.k = { }; }; } ]; };
      }; }\n`,
  });
  const report = machinesReport(clan);
  // (clan-core's importer service is not read here: a is open, and state-version, on only by default there, is not listed)
  assert.deepEqual(report.machines.map((m) => `${m.name}: ${m.generators.join(' ')}`), ['a: inline']);
});
