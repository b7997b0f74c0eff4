// The module graph seen through the machines report: which machines a clan service's roles, its
// instances (inventory.json's too), extraModules, inline flake modules and machine folders reach,
// the chain shown for each, and each reason a machine is open with what would make it known.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { after, test } from 'node:test';
import { machinesReport } from '../../server/src/ide/machinesReport';
import { analyze } from '../helpers/analyze';
import { sourceStorePath } from '../../server/src/model/inputs/flakeInputs';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { WorkspaceAnalysis } from '../../server/src/rules/workspaceAnalysis';
import { NixParser } from '../../server/src/syntax/nixParser';
import { ownGenerators } from '../helpers/ownGenerators';
import { clanWith } from '../helpers/varsModel';
import { removeTree, withNixStore, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

/** The machines report of a clan, with `store` as the Nix store (by default an empty one: nothing of a lock is on this machine). */
async function reportOf(files: Record<string, string>, store?: string) {
  const root = writeTree({ 'flake.nix': '{ }', ...files });
  roots.push(root);
  if (!store) roots.push((store = writeTree({ keep: '' })));
  return withNixStore(store, async () => {
    const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load());
    await index.scan();
    const clan = index.clan(root);
    const model = clan.machineModel();
    // each declaration's machines (what hover, the graph and the rules read), by generator name
    const declared: Record<string, string[]> = {};
    for (const g of clan.generators) declared[g.name.name ?? '?'] = [...model.machinesOfGenerator(g)].sort();
    return Object.assign(machinesReport(clan), { declared });
  });
}

type Report = Awaited<ReturnType<typeof reportOf>>;

/** Each machine's own generators with their chains (`name <- a > b`), clan-core's own left out. */
function chains(report: Report): Record<string, string[]> {
  return Object.fromEntries(report.machines.map((m) => [m.name, ownGenerators(m.generators).map((g) => `${g} <- ${m.chains[g]?.join(' > ')}`)]));
}

/** Each machine's reasons to be open, with their hints (`fetch: reason`). */
function reasons(report: Report): Record<string, string[]> {
  return Object.fromEntries(report.machines.map((m) => [m.name, m.unknowns.map((u, i) => `${m.hints[i].kind}: ${u}`)]));
}

/** A clan with a local service vpn (vpn.nix) whose instance has machine a as its server and b as its client. */
const SERVER_CLIENT = `{
  modules.vpn = ./vpn.nix;
  inventory.machines = { a = { }; b = { }; };
  inventory.instances.office = { module = { name = "vpn"; input = "self"; }; roles.server.machines.a = { }; roles.client.machines.b = { }; };
}\n`;
const gen = (name: string) => `clan.core.vars.generators.${name} = { files.k = { }; script = "echo > $out/k"; };`;
const role = (r: string, g: string) => `roles.${r}.perInstance = { ... }: { nixosModule = { ${gen(g)} }; };`;
const hash = (s: string) => `sha256-${createHash('sha256').update(s).digest('base64')}`;
/** A flake.lock locking each input at the source whose narHash is that of `inputs[name]`. */
const lockOf = (inputs: Record<string, string>) =>
  JSON.stringify({ version: 7, root: 'root', nodes: { root: { inputs: Object.fromEntries(Object.keys(inputs).map((k) => [k, k])) }, ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, { locked: { type: 'github', owner: 'someone', repo: k, rev: '1'.repeat(40), narHash: hash(v) }, original: {} }])) } });

test("clan services: each role's generators reach that role's machines, perMachine every machine of the instance; the chain names the machine's roles; inventory.json's instances count; a role naming no declared machine reaches none", async () => {
  const report = await reportOf({
    'inventory.json': JSON.stringify({
      machines: { a: {}, b: {}, c: {} },
      instances: { solo: { module: { name: 'solo', input: 'self' }, roles: { peer: { machines: { b: {} } } } }, lonely: { module: { name: 'lonely', input: 'self' }, roles: { peer: { machines: { ghost: {} } } } } },
    }),
    'clan.nix': `{
  modules = { vpn = ./vpn.nix; solo = ./solo.nix; lonely = ./lonely.nix; gone = ./gone; };
  inventory.instances.g = { module = { name = "gone"; input = "self"; }; roles.peer.machines.c = { }; };
  inventory.instances.office = {
    module = { name = "vpn"; input = "self"; };
    roles.peer.machines.a = { };
    roles.server.machines = { a = { }; b = { }; };
    roles.relay.machines.ghost = { };
    roles.peer.extraModules = [ ./extra.nix { ${gen('inline-extra')} } ];
    roles.relay.extraModules = [ ./extra.nix ];
    roles.server.extraModules = [ { ${gen('server-extra')} } ];
  };
}\n`,
    'vpn.nix': `{ ${role('peer', 'peer')} ${role('server', 'server')} ${role('relay', 'relay')} perMachine = { ... }: { nixosModule = { ${gen('every')} }; }; }\n`,
    'solo.nix': `{ ${role('peer', 'solo')} }\n`,
    'lonely.nix': `{ ${role('peer', 'lonely')} }\n`,
    'extra.nix': `{ ${gen('extra')} }\n`,
  });
  assert.deepEqual(chains(report), {
    a: [
      "every <- instance 'office' (roles peer, server) > vpn.nix",
      "extra <- instance 'office' (role peer, extraModules) > extra.nix",
      "inline-extra <- instance 'office' (role peer, extraModules) > clan.nix:9 (inline)",
      "peer <- instance 'office' (roles peer, server) > vpn.nix",
      "server <- instance 'office' (roles peer, server) > vpn.nix",
      "server-extra <- instance 'office' (role server, extraModules) > clan.nix:11 (inline)",
    ],
    b: ["every <- instance 'office' (role server) > vpn.nix", "server <- instance 'office' (role server) > vpn.nix", "server-extra <- instance 'office' (role server, extraModules) > clan.nix:11 (inline)", "solo <- instance 'solo' (role peer) > solo.nix"],
    c: [],
  });
  // a local service whose file is not there: its machines may have anything
  assert.deepEqual(reasons(report), { a: [], b: [], c: ["none: clan service 'gone' of this clan (instance 'g'): module not analysed: gone"] });
  // `ghost` is no machine of the clan: what its roles bring reaches no machine
  assert.deepEqual(report.withoutMachine.map((w) => w.generator).sort(), ['lonely', 'relay']);
  assert.deepEqual(report.declared, { peer: ['a'], server: ['a', 'b'], relay: [], every: ['a', 'b'], solo: ['b'], lonely: [], extra: ['a'], 'inline-extra': ['a'], 'server-extra': ['a', 'b'] });
});

test("clan services: a generator a service declares in two roles (clan-core's sshd does, openssh-ca) is on the machines of both roles, and a generator of a client depending on it is not told it is the server's", async () => {
  const report = await reportOf({
    'inventory.json': JSON.stringify({ machines: { a: {}, b: {}, c: {} } }),
    'clan.nix': '{ modules.vpn = ./vpn.nix; inventory.instances.office = { module = { name = "vpn"; input = "self"; }; roles.server.machines.a = { }; roles.client.machines.b = { }; }; }\n',
    'flake.nix': '{ outputs = { clan-core, ... }: { clan = clan-core.lib.clan (import ./clan.nix); }; }\n',
    'vpn.nix': `{
  _class = "clan.service";
  roles.server.perInstance = { ... }: { nixosModule = { clan.core.vars.generators.vpn-key = { files.key = { }; script = "touch $out/key"; }; }; };
  roles.client.perInstance = { ... }: { nixosModule = {
    clan.core.vars.generators.vpn-key = { files.pub = { }; script = "touch $out/pub"; };
    clan.core.vars.generators.vpn-user = { dependencies = [ "vpn-key" ]; files.k = { }; script = "cat $in/vpn-key/pub > $out/k"; };
  }; };
}\n`,
  });
  assert.deepEqual(report.declared['vpn-key'], ['a', 'b']);
  assert.deepEqual(chains(report), {
    a: ["vpn-key <- instance 'office' (role server) > vpn.nix"],
    b: ["vpn-key <- instance 'office' (role client) > vpn.nix", "vpn-user <- instance 'office' (role client) > vpn.nix"],
    c: [],
  });
  const found = await withNixStore(writeTree({ keep: '' }), () => analyze(report.root));
  assert.deepEqual(found.found.filter((f) => f.code === 'unknown-dependency').map((f) => f.message), []);
});

test("flake modules written inline: each machine gets the ones it imports, a generator in one the module holding it, one in a let both share those of both; clan.machines inline and by file; an import cycle is followed once", async () => {
  const report = await reportOf({
    'flake.nix': `{ outputs = { self, clan-core, ... }: { clan = clan-core.lib.clan {
  inherit self;
  machines.c = { ${gen('c-inline')} };
  machines.d.imports = [ ./hosts-d.nix ];
}; }; }\n`,
    'hosts-d.nix': `{ ${gen('d-host')} }\n`,
    'modules/flake-module.nix': `{ self, ... }: let helper = { ${gen('helper')} }; in {
  flake.nixosModules = {
    two = { imports = [ helper ]; ${gen('two')} };
    one = { imports = [ helper ]; ${gen('one')} };
    lonely = { ${gen('lonely')} };
  };
}\n`,
    'machines/a/configuration.nix': '{ self, ... }: { imports = [ self.nixosModules.one ./cycle.nix ]; }\n',
    // the module system takes a file once: importing the machine's entry back is no loop
    'machines/a/cycle.nix': `{ imports = [ ./configuration.nix ]; ${gen('cycle')} }\n`,
    'machines/b/configuration.nix': '{ self, ... }: { imports = [ self.nixosModules.two self.nixosModules.one ]; }\n',
  });
  assert.deepEqual(chains(report), {
    a: ['cycle <- machines/a/configuration.nix > machines/a/cycle.nix', 'helper <- machines/a/configuration.nix > modules/flake-module.nix#one', 'one <- machines/a/configuration.nix > modules/flake-module.nix#one'],
    b: ['helper <- machines/b/configuration.nix > modules/flake-module.nix#two', 'one <- machines/b/configuration.nix > modules/flake-module.nix#one', 'two <- machines/b/configuration.nix > modules/flake-module.nix#two'],
    c: ['c-inline <- flake.nix'],
    d: ["d-host <- clan.machines.d (flake.nix) > hosts-d.nix"],
  });
  assert.deepEqual(report.declared, { 'c-inline': ['c'], 'd-host': ['d'], helper: ['a', 'b'], one: ['a', 'b'], two: ['b'], lonely: [], cycle: ['a'] });
});

test("files no import reaches belong to the machine whose folder holds them (machines/<m>/, machines/<m>.nix, hosts/<m>/ at any depth), not to a folder of another name or of no machine", async () => {
  const report = await reportOf({
    'inventory.json': JSON.stringify({ machines: { a: {}, b: {} } }),
    'machines/a/configuration.nix': '{ }\n',
    'machines/a/extra.nix': `{ ${gen('a-extra')} }\n`,
    'machines/b.nix': `{ ${gen('b-file')} }\n`,
    'hosts/b/sub/x.nix': `{ ${gen('b-sub')} }\n`,
    'hosts/ghost/x.nix': `{ ${gen('ghost')} }\n`,
    'modules/a/x.nix': `{ ${gen('module-a')} }\n`,
    'machines/a.nix/notes.nix': `{ ${gen('notes')} }\n`,
    // the dendritic layout: modules/machines/<class>/<m>/
    'modules/machines/nixos/b/disk.nix': `{ ${gen('b-disk')} }\n`,
  });
  // a folder `machines/a.nix/` is a machine of that name to clan
  assert.deepEqual(chains(report), { a: ['a-extra <- machines/a/extra.nix'], 'a.nix': ['notes <- machines/a.nix/notes.nix'], b: ['b-disk <- modules/machines/nixos/b/disk.nix', 'b-file <- machines/b.nix', 'b-sub <- hosts/b/sub/x.nix'] });
  assert.deepEqual(report.declared, { 'a-extra': ['a'], 'b-file': ['b'], 'b-sub': ['b'], ghost: [], 'module-a': [], notes: ['a.nix'], 'b-disk': ['b'] });
});

test('reasons a machine is open: each once, at most 20 and then how many more; a part of the clan that cannot be read opens the machines it may reach, named with where it is', async () => {
  const computed = Array.from({ length: 33 }, (_, i) => `(lib.mk${i} 1)`).join(' ');
  const report = await reportOf({
    'flake.nix': `{ outputs = { self, clan-core, ... }: { clan = clan-core.lib.clan {
  inherit self;
  machines.a = mkMachine "a";
  inventory.instances = import ./instances.nix;
  inventory.machines = { a = { }; b = { }; c = { }; };
  inventory.instances.c = mkInstance "c";
}; }; }\n`,
    'machines/b/configuration.nix': `{ lib, ... }: { imports = [ ${computed} ./sets.nix ]; }\n`,
    'machines/b/sets.nix': '{ x, y, ... }: { clan.core.vars.generators.${x} = { }; clan.core.vars.generators.${y} = { }; }\n',
    // two generator sets with computed names in one file: one reason
    'machines/c/configuration.nix': '{ x, y, ... }: { clan.core.vars.generators.${x} = { }; clan.core.vars.generators.${y} = { }; }\n',
  });
  const instances = "none: the clan's service instances (flake.nix:4) imported from instances.nix, which is not analysed";
  // an instance may have any machine in its roles, whatever its name
  const instance = 'none: service instance \'c\' (flake.nix:6) written in a way not known statically: mkInstance "c"';
  const { a, b, c } = reasons(report);
  assert.deepEqual(a, ['none: machine \'a\'\'s module (flake.nix:3) written in a way not known statically: mkMachine "a"', instance, instances]);
  assert.deepEqual(b.slice(0, 3), [instance, instances, 'none: a module not known statically (lib.mk0 1)']);
  // the 16 left out: 15 imports, and the generator sets of sets.nix (two, one reason) counted once
  assert.deepEqual(b.slice(19), ['none: a module not known statically (lib.mk17 1)', 'none: +16 more']);
  assert.deepEqual(c, [instance, instances, 'none: a generator set with computed names (machines/c/configuration.nix)']);
});

test('what would make a reason known: a flake input not on this machine -> fetch (a module or a service of it, clan-core\'s modules too); a clan-core service clan-core in the store lacks, and a module of an input read here that declares generators -> none', async () => {
  const store = writeTree({ keep: '' });
  roots.push(store);
  const noisy = sourceStorePath(hash('noisy'), store)!;
  fs.mkdirSync(noisy, { recursive: true });
  fs.writeFileSync(`${noisy}/default.nix`, `{ ${gen('noisy')} }\n`);
  const clanCore = sourceStorePath(hash('clan-core'), store)!;
  fs.mkdirSync(`${clanCore}/clanServices/vpn`, { recursive: true });
  fs.writeFileSync(`${clanCore}/clanServices/vpn/default.nix`, `{ ${role('peer', 'vpn')} }\n`);
  const inStore = await reportOf(
    {
      'flake.lock': lockOf({ noisy: 'noisy', mystery: 'mystery', 'clan-core': 'clan-core' }),
      'clan.nix': `{
  inventory.machines = { a = { }; b = { }; c = { }; };
  inventory.instances.m = { module = { name = "thing"; input = "mystery"; }; roles.peer.machines.a = { }; };
  inventory.instances.sshd = { module.name = "sshd"; roles.peer.machines.b = { }; };
  inventory.instances.vpn = { module.name = "vpn"; roles.peer.machines.c = { }; };
}\n`,
      'machines/b/configuration.nix': '{ inputs, ... }: { imports = [ inputs.noisy.nixosModules.default ]; }\n',
    },
    store,
  );
  assert.deepEqual(reasons(inStore), {
    a: ["fetch: clan service 'thing' from mystery (instance 'm')"],
    b: ["none: clan service 'sshd' from clan-core (instance 'sshd')", "none: a module of flake input 'noisy' (inputs.noisy.nixosModules.default)"],
    c: [],
  });
  assert.deepEqual(chains(inStore).c, ["vpn <- instance 'vpn' (role peer) > clan-core:clanServices/vpn/default.nix"]);
  const missing = await reportOf({
    'flake.lock': lockOf({ 'clan-core': 'gone', mystery: 'mystery' }),
    'machines/a/configuration.nix': '{ inputs, ... }: { imports = [ inputs.clan-core.nixosModules.foo inputs.mystery.nixosModules.bar ]; }\n',
  });
  assert.deepEqual(reasons(missing).a, [
    "fetch: a module of flake input 'clan-core' (inputs.clan-core.nixosModules.foo), not on this machine",
    "fetch: a module of flake input 'mystery' (inputs.mystery.nixosModules.bar), not on this machine",
  ]);
});

test("clan-core itself (a clan with clan-core's layout and no clan-core input): its services are its clanServices/<name>/default.nix or <name>.nix, a name that is no plain file name finds none; an instance of another input's service is not read from it", async () => {
  const report = await reportOf({
    'clanServices/vpn.nix': `{ ${role('peer', 'vpn')} }\n`,
    'clanServices/mesh/default.nix': `{ ${role('peer', 'mesh')} }\n`,
    'clanServices/sub/evil/default.nix': `{ ${role('peer', 'evil')} }\n`,
    'clanServices/.hidden/default.nix': `{ ${role('peer', 'hidden')} }\n`,
    'clan.nix': `{
  inventory.machines = { a = { }; b = { }; c = { }; };
  inventory.instances.vpn = { roles.peer.machines.a = { }; };
  inventory.instances.mesh = { roles.peer.machines.a = { }; };
  inventory.instances.evil = { module.name = "sub/evil"; roles.peer.machines.b = { }; };
  inventory.instances.hid = { module.name = ".hidden"; roles.peer.machines.c = { }; };
  inventory.instances.other = { module = { name = "vpn"; input = "foo"; }; roles.peer.machines.c = { }; };
}\n`,
  });
  assert.deepEqual(chains(report), {
    a: ["mesh <- instance 'mesh' (role peer) > clanServices/mesh/default.nix", "vpn <- instance 'vpn' (role peer) > clanServices/vpn.nix"],
    b: [],
    c: [],
  });
  assert.deepEqual(Object.fromEntries(report.machines.map((m) => [m.name, m.unknowns])), {
    a: [],
    b: ["clan service 'sub/evil' from clan-core (instance 'evil')"],
    c: ["clan service '.hidden' from clan-core (instance 'hid')", "clan service 'vpn' from foo (instance 'other')"],
  });
});

test("an edit that keeps a clan service's structure and moves its roles down: each role's generators still reach that role's machines", async () => {
  const vpn = (above = '') => `${above}{\n  ${role('peer', 'peer')}\n  ${role('server', 'server')}\n}\n`;
  const root = writeTree({
    'flake.nix': '{ }',
    'clan.nix': '{ modules.vpn = ./vpn.nix; inventory.machines = { a = { }; b = { }; }; inventory.instances.vpn = { module = { name = "vpn"; input = "self"; }; roles.peer.machines.a = { }; roles.server.machines.b = { }; }; }\n',
    'vpn.nix': vpn(),
  });
  const store = writeTree({ keep: '' });
  roots.push(root, store);
  await withNixStore(store, async () => {
    const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load());
    await index.scan();
    const machinesOf = () => {
      const clan = index.clan(root);
      return Object.fromEntries(clan.generators.map((g) => [g.name.name, clan.machineModel().machinesOfGenerator(g)]));
    };
    assert.deepEqual(machinesOf(), { peer: ['a'], server: ['b'] });
    index.updateFromText(`${root}/vpn.nix`, vpn('# the roles of the vpn\n\n'));
    assert.deepEqual(machinesOf(), { peer: ['a'], server: ['b'] });
  });
});

test("a clan model built from its files alone (no flake inputs looked up: the vars tests' model) has its machines; a clan-core service's instance leaves its machine open, to be known with a clan-core checkout", async () => {
  const root = writeTree({ 'inventory.json': JSON.stringify({ machines: { a: {} } }) });
  roots.push(root);
  const clan = await clanWith(root, {
    'clan.nix': '{ inventory.instances.sshd = { module.name = "sshd"; roles.server.machines.a = { }; }; }\n',
    'machines/a/configuration.nix': `{ ${gen('own')} }\n`,
  });
  const model = clan.machineModel();
  assert.deepEqual(ownGenerators(model.machines.get('a')!.generators.keys()), ['own']);
  const reason = "clan service 'sshd' from clan-core (instance 'sshd')";
  assert.deepEqual(model.machines.get('a')!.unknowns, [reason]);
  assert.equal(model.hintOf(reason), 'clan-core-path');
});

test("clan-core's own state-version generator is read from clan-core where clan-core is at hand (the clan itself, its input in the store): a read of a file it does not declare is an error there, and where clan-core is not read (its one file is the same at every revision)", async () => {
  const STATE_VERSION = '{ clan.core.vars.generators.state-version = { files.version = { secret = false; }; script = "echo 1 > $out/version"; }; }\n';
  const reader = '{ config, ... }: { environment.etc.x.text = config.clan.core.vars.generators.state-version.files.nope.value; }\n';
  const found = async (files: Record<string, string>, store: string) => {
    const root = writeTree({ 'flake.nix': '{ }', 'machines/a/configuration.nix': reader, ...files });
    roots.push(root);
    return (await withNixStore(store, () => analyze(root))).found.map((f) => `${f.file}:${f.line} ${f.code}`);
  };
  const empty = writeTree({ keep: '' });
  const store = writeTree({ keep: '' });
  roots.push(empty, store);
  const clanCore = sourceStorePath(hash('clan-core'), store)!;
  fs.mkdirSync(`${clanCore}/nixosModules/clanCore/state-version`, { recursive: true });
  fs.writeFileSync(`${clanCore}/nixosModules/clanCore/state-version/default.nix`, STATE_VERSION);
  const error = ['machines/a/configuration.nix:1 unknown-var-read'];
  assert.deepEqual(await found({ 'nixosModules/clanCore/state-version/default.nix': STATE_VERSION }, empty), error);
  assert.deepEqual(await found({ 'flake.lock': lockOf({ 'clan-core': 'clan-core' }) }, store), error);
  assert.deepEqual(await found({ 'flake.lock': lockOf({ 'clan-core': 'clan-core' }) }, empty), error);
});

test('machines built by mapAttrs with the name in a path outside their folders: each machine gets its own file, if it exists', async () => {
  const report = await reportOf({
    'flake.nix': `{ outputs = { clan-core, nixpkgs, ... }: { clan = clan-core.lib.clan { machines = nixpkgs.lib.mapAttrs (name: _: { imports = [ ./systems/\${name}.nix ]; }) (builtins.readDir ./machines); }; }; }\n`,
    'machines/a/configuration.nix': '{ }\n',
    'machines/b/configuration.nix': '{ }\n',
    'systems/a.nix': `{ ${gen('a-system')} }\n`,
    'systems/c.nix': `{ ${gen('c-system')} }\n`,
  });
  assert.deepEqual(chains(report), { a: ['a-system <- systems/a.nix'], b: [] });
  assert.deepEqual(report.declared, { 'a-system': ['a'], 'c-system': [] });
});

test("a clan service's names made from a role's settings: each machine's names are those of the roles it has, with that role's settings", async () => {
  const named = (r: string, prefix: string) => `roles.${r}.perInstance = { settings, ... }: { nixosModule = { clan.core.vars.generators."${prefix}-\${settings.zone}" = { files.k = { }; }; }; };`;
  const report = await reportOf({
    'inventory.json': JSON.stringify({ machines: { a: {}, b: {}, c: {} } }),
    'zone.nix': `{\n  ${named('peer', 'peer')}\n  ${named('server', 'server')}\n}\n`,
    'clan.nix': `{
  modules.zone = ./zone.nix;
  inventory.instances.z = {
    module = { name = "zone"; input = "self"; };
    roles.peer.machines = { a = { }; c = { }; };
    roles.peer.settings.zone = "p";
    roles.server.machines = { b = { }; c = { }; };
    roles.server.settings.zone = "s";
  };
}\n`,
  });
  assert.deepEqual(Object.fromEntries(report.machines.map((m) => [m.name, ownGenerators(m.generators)])), { a: ['peer-p'], b: ['server-s'], c: ['peer-p', 'server-s'] });
});

test("a clan service's role that imports a file: that file's generators reach that role's machines only, also through a file it imports in turn; a part outside every role reaches every machine of the instance", async () => {
  const report = await reportOf({
    'clan.nix': SERVER_CLIENT,
    'vpn.nix': `{
  roles.server.perInstance = { ... }: { nixosModule = { imports = [ ./server.nix ]; }; };
  roles.client.perInstance = { ... }: { nixosModule = { imports = [ ./client.nix ]; }; };
  perMachine = { ... }: { nixosModule = { imports = [ ./both.nix ]; }; };
}\n`,
    'server.nix': `{ imports = [ ./server-more.nix ]; ${gen('server')} }\n`,
    'server-more.nix': `{ ${gen('server-more')} }\n`,
    'client.nix': `{ ${gen('client')} }\n`,
    'both.nix': `{ ${gen('both')} }\n`,
  });
  assert.deepEqual(report.declared, { server: ['a'], 'server-more': ['a'], client: ['b'], both: ['a', 'b'] });
  assert.deepEqual(chains(report).a, ["both <- instance 'office' (role server) > vpn.nix > both.nix", "server <- instance 'office' (role server) > vpn.nix > server.nix", "server-more <- instance 'office' (role server) > vpn.nix > server.nix > server-more.nix"]);
  assert.deepEqual(reasons(report), { a: [], b: [] });
});

test("an instance one of whose roles has a tag no machine has: the machines its other roles name get those roles' generators and extraModules, that role's extraModules reach every machine, and every machine is open (the tag may be given where we cannot read)", async () => {
  const report = await reportOf({
    'clan.nix': `{
  modules.vpn = ./vpn.nix;
  inventory.machines = { a = { }; b = { }; };
  inventory.instances.office = {
    module = { name = "vpn"; input = "self"; };
    roles.peer.machines.a = { };
    roles.peer.extraModules = [ ./peer-extra.nix ];
    roles.server.tags = [ "nobody-has-it" ];
    roles.server.extraModules = [ ./server-extra.nix ];
  };
}\n`,
    'vpn.nix': `{ ${role('peer', 'peer')} ${role('server', 'server')} }\n`,
    'peer-extra.nix': `{ ${gen('peer-extra')} }\n`,
    'server-extra.nix': `{ ${gen('server-extra')} }\n`,
  });
  // the extraModules of the role whose machines cannot be told may be on any machine
  assert.deepEqual(report.declared, { peer: ['a'], server: [], 'peer-extra': ['a'], 'server-extra': ['a', 'b'] });
  const open = reasons(report);
  assert.equal(open.a.length, 1, JSON.stringify(open));
  assert.equal(open.b.length, 1, JSON.stringify(open));
  assert.match(open.a[0], /instance 'office'/);
});

test("a clan service whose roles are split into the service modules it imports (clan-core's hello-world: `imports = [ ./evening.nix ]`, also through a module that only imports): each role's part reaches that role's machines, its computed names are named per instance, and a role's own imports (`roles.<r> = { imports = [ ... ]; }`) that role's", async () => {
  const report = await reportOf({
    'clan.nix': `{
  modules.hello = ./hello;
  inventory.machines = { a = { }; b = { }; c = { }; };
  inventory.instances.greet = { module = { name = "hello"; input = "self"; }; roles.morning.machines.a = { }; roles.evening.machines = { b = { }; c = { }; }; roles.night.machines.c = { }; roles.evening.settings.zone = "e"; roles.night.settings.zone = "n"; };
}\n`,
    'hello/default.nix': `{
  _class = "clan.service";
  roles.morning.perInstance = { ... }: { nixosModule = { ${gen('morning')} }; };
  roles.night = { imports = [ ./night.nix ]; };
  imports = [ ./evening.nix ./more ];
}\n`,
    // a module of the service that only imports others
    // and one not written yet
    'hello/more/default.nix': '{ imports = [ ./dawn.nix ./later.nix ]; }\n',
    'hello/more/dawn.nix': `{ roles.morning.perInstance = { instanceName, ... }: { nixosModule = { clan.core.vars.generators."dawn-\${instanceName}" = { files.k = { }; }; }; }; }\n`,
    'hello/evening.nix': `{
  roles.evening.perInstance = { instanceName, ... }: { nixosModule = { imports = [ ./evening-more.nix ]; ${gen('evening')} clan.core.vars.generators."evening-\${instanceName}" = { files.k = { }; }; }; };
  perMachine = { ... }: { nixosModule = { ${gen('every')} }; };
  imports = [ ./dusk.nix ];
}\n`,
    // imported in turn, and importing back (the module system takes a file once)
    'hello/dusk.nix': `{ imports = [ ./evening.nix ]; roles.evening.perInstance = { instanceName, ... }: { nixosModule = { clan.core.vars.generators."dusk-\${instanceName}" = { files.k = { }; }; }; }; }\n`,
    'hello/evening-more.nix': `{ ${gen('evening-more')} }\n`,
    // a role's module on its own: named with that role's settings only, on a machine of two roles
    'hello/night.nix': `{ perInstance = { settings, ... }: { nixosModule = { clan.core.vars.generators."night-\${settings.zone}" = { files.k = { }; }; }; }; }\n`,
  });
  assert.deepEqual(Object.fromEntries(report.machines.map((m) => [m.name, ownGenerators(m.generators)])), {
    a: ['dawn-greet', 'every', 'morning'],
    b: ['dusk-greet', 'evening', 'evening-greet', 'evening-more', 'every'],
    c: ['dusk-greet', 'evening', 'evening-greet', 'evening-more', 'every', 'night-n'],
  });
  const later = ['none: module not analysed: hello/more/later.nix'];
  assert.deepEqual(reasons(report), { a: later, b: later, c: later });
  assert.deepEqual(chains(report).b.slice(0, 3), [
    "dusk-greet <- instance 'greet' (role evening) > hello/default.nix > hello/evening.nix > hello/dusk.nix",
    "evening <- instance 'greet' (role evening) > hello/default.nix > hello/evening.nix",
    "evening-greet <- instance 'greet' (role evening) > hello/default.nix > hello/evening.nix",
  ]);
});

test("a NixOS module with its own `roles` option (`roles.server.enable`, common in NixOS configurations) is no clan service: what is read in `roles.server` is read on every machine that has the module, one whose clan service's nixosModule imports it too", async () => {
  const root = writeTree({
    'flake.nix': '{ }',
    'clan.nix': `{
  modules.vpn = ./vpn.nix;
  inventory.machines = { a = { }; b = { }; };
  inventory.instances.office = { module = { name = "vpn"; input = "self"; }; roles.peer.machines.a = { }; };
}\n`,
    // what a machine of the service imports: a NixOS module, not a part of the service
    'vpn.nix': '{ roles.peer.perInstance = { ... }: { nixosModule = { imports = [ ./desk.nix ]; }; }; perMachine = { ... }: { nixosModule = { imports = [ ./desk.nix ]; }; }; }\n',
    'desk.nix': `{ config, ... }: {
  imports = [ ./desk-hardware.nix ];
  clan.core.vars.generators.tok = { files.k = { }; script = "echo > $out/k"; };
  roles.server = {
    enable = true;
    tokenFile = config.clan.core.vars.generators.tok.files.nope.path;
  };
}\n`,
    'desk-hardware.nix': '{ }\n',
    'machines/b/configuration.nix': '{ imports = [ ../../desk.nix ]; }\n',
  });
  roots.push(root);
  const found = (await withNixStore(writeTree({ keep: '' }), () => analyze(root))).found;
  assert.deepEqual(found.map((f) => `${f.file}:${f.line} ${f.code}`), ['desk.nix:6 unknown-var-read']);
  assert.match(found[0].message, /^Generator 'tok' of machines 'a', 'b' declares no file 'nope'/);
});

test("a clan service kept in a machine's folder that no instance uses: the machine's own generators are told, no name is made from an instance it is in none of, and names of the form may be the machine's (its folder gives it the file)", async () => {
  const report = await reportOf({
    'inventory.json': JSON.stringify({ machines: { a: {} } }),
    'machines/a/configuration.nix': `{ ${gen('own')} }\n`,
    'machines/a/greeter.nix': `{ _class = "clan.service"; roles.peer.perInstance = { instanceName, ... }: { nixosModule = { clan.core.vars.generators."greet-\${instanceName}" = { files.k = { }; }; }; }; }\n`,
  });
  assert.deepEqual(chains(report), { a: ['own <- machines/a/configuration.nix'] });
  assert.deepEqual(reasons(report), { a: ["none: generator names of the form 'greet-*' computed from values not known statically (machines/a/greeter.nix:1)"] });
});

test("an instance's module without an input is clan-core's service, also where the clan defines one of that name (clan's resolveModule); with input \"self\" it is the clan's", async () => {
  const report = await reportOf({
    'clan.nix': `{
  modules.sshd = ./my-sshd.nix;
  inventory.machines = { a = { }; b = { }; };
  inventory.instances.core = { module.name = "sshd"; roles.server.machines.a = { }; };
  inventory.instances.own = { module = { name = "sshd"; input = "self"; }; roles.server.machines.b = { }; };
}\n`,
    'my-sshd.nix': `{ ${role('server', 'my-host-key')} }\n`,
  });
  assert.deepEqual(chains(report), { a: [], b: ["my-host-key <- instance 'own' (role server) > my-sshd.nix"] });
  assert.deepEqual(reasons(report), { a: ["clan-core-path: clan service 'sshd' from clan-core (instance 'core')"], b: [] });
});

test("a clan module the clan imports (clan's imports) that writes a clan service's parts (modules.vpn.perMachine) and a NixOS module in clan's nixosModules, which the flake exposes (clan's template: inherit (clan.config) nixosModules): a machine importing that module has its generators only", async () => {
  const report = await reportOf({
    'flake.nix': `{ outputs = { self, clan-core, ... }: let clan = clan-core.lib.clan { inherit self; imports = [ ./parts.nix ]; }; in { inherit (clan.config) nixosConfigurations nixosModules clanInternals; }; }\n`,
    'parts.nix': `{
  inventory.instances.sshd = { module.name = "sshd"; roles.server.machines.a = { }; };
  modules.vpn.perMachine = { ... }: { nixosModule = { ${gen('vpn-every')} }; };
  nixosModules.base = { ${gen('base')} };
}\n`,
    'machines/a/configuration.nix': '{ self, ... }: { imports = [ self.nixosModules.base ]; }\n',
  });
  assert.deepEqual(chains(report), { a: ['base <- machines/a/configuration.nix > parts.nix#base'] });
});

test("a clan service whose role's perInstance (or perMachine) is a file of its own (`perInstance = import ./instance.nix`): that file's generators reach that role's machines", async () => {
  const report = await reportOf({
    'clan.nix': SERVER_CLIENT,
    'vpn.nix': `{
  roles.server.perInstance = import ./server-instance.nix;
  roles.client.perInstance = { ... }: { nixosModule = { ${gen('client')} }; };
  perMachine = import ./every-machine.nix;
}\n`,
    'server-instance.nix': `{ instanceName, ... }: { nixosModule = { ${gen('server')} }; }\n`,
    'every-machine.nix': `{ machine, ... }: { nixosModule = { ${gen('every')} }; }\n`,
  });
  assert.deepEqual(report.declared, { client: ['b'], server: ['a'], every: ['a', 'b'] });
  assert.deepEqual(reasons(report), { a: [], b: [] });
});
