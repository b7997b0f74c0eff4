// clan-core's own generators behind an option (clanCore's state-version, on by default through the
// recommended defaults; machine-id, off by default): which machines have them, why a machine's answer
// is not known (in the words its user reads), the chain that brings them, and what a dependency on
// them may read, with a clan-core checkout (its declarations read) and without one (names certain,
// files not known: nothing concluded from them).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { machinesReport } from '../../server/src/ide/machinesReport';
import { generatorView } from '../../server/src/model/generatorView/generatorView';
import { generatorHover } from '../../server/src/ide/hoverText';
import { NixParser } from '../../server/src/syntax/nixParser';
import { DEFAULT_SETTINGS, type AnalysisSettings } from '../../server/src/base/settings';
import { WorkspaceAnalysis } from '../../server/src/rules/workspaceAnalysis';
import { analyze } from '../helpers/analyze';
import { clanCoreInStore, removeTree, withNixStore, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

function tree(files: Record<string, string>): string {
  const root = writeTree({ 'flake.nix': '{ }', ...files });
  roots.push(root);
  return root;
}

async function clanOf(root: string, settings: Partial<AnalysisSettings> = {}) {
  const index = new WorkspaceAnalysis(root, { ...DEFAULT_SETTINGS, ...settings }, await NixParser.load());
  await index.scan();
  return index.clan(root);
}

async function report(root: string, settings: Partial<AnalysisSettings> = {}) {
  return machinesReport(await clanOf(root, settings));
}

/** Each machine: its generators, then each reason it is open. */
async function machines(root: string, settings: Partial<AnalysisSettings> = {}): Promise<Record<string, string[]>> {
  return Object.fromEntries((await report(root, settings)).machines.map((m) => [m.name, [m.generators.join(', '), ...m.unknowns]]));
}

test("a toggle not known: set by a value the syntax cannot read, defined both true and false at one priority, or the recommended defaults not known (state-version's default)", async () => {
  const root = tree({
    'machines/a/configuration.nix': '{ config, ... }: {\n  clan.core.settings.state-version.enable = config.my.flag;\n}\n',
    'machines/b/configuration.nix': '{ lib, ... }: {\n  imports = [ ./more.nix ];\n  clan.core.settings.machine-id.enable = true;\n}\n',
    'machines/b/more.nix': '{ clan.core.settings.machine-id.enable = false; }\n',
    'machines/c/configuration.nix': '{ config, ... }: {\n  clan.core.enableRecommendedDefaults = config.x;\n  clan.core.settings.machine-id.enable = true;\n}\n',
  });
  assert.deepEqual(await machines(root), {
    a: ['', "whether it has generator 'state-version': clan.core.settings.state-version.enable is set in a way not known statically (machines/a/configuration.nix:2)"],
    b: ['state-version', "whether it has generator 'machine-id': clan.core.settings.machine-id.enable is defined both true and false (machines/b/configuration.nix:3, machines/b/more.nix:1)"],
    c: ['machine-id', "whether it has generator 'state-version': clan.core.enableRecommendedDefaults is set in a way not known statically (machines/c/configuration.nix:2)"],
  });
});

/** A clan with a flake input 'extra' no lock or store has: a machine importing its module has a module not read. */
const EXTRA_FLAKE = '{ inputs.extra.url = "github:someone/extra"; outputs = { self, clan-core, ... }: { }; }\n';
const importsExtra = (line: string) => `{ inputs, lib, ... }: {\n  imports = [ inputs.extra.nixosModules.default ];\n${line ? `  ${line}\n` : ''}}\n`;

test("on a machine with a module not read, state-version on only by the recommended defaults is not known (that module may turn them off) and not listed; defined true by a module read, it is there; a machine with every module read has it", async () => {
  const root = tree({
    'flake.nix': EXTRA_FLAKE,
    'machines/open/configuration.nix': importsExtra(''),
    'machines/set/configuration.nix': importsExtra('clan.core.settings.state-version.enable = true;'),
    'machines/recommended/configuration.nix': importsExtra('clan.core.enableRecommendedDefaults = true;'),
    'machines/read/configuration.nix': '{ }\n',
    // a definition weaker than the recommended defaults' mkDefault: still on only by them
    'machines/weak/configuration.nix': importsExtra('clan.core.settings.state-version.enable = lib.mkOptionDefault false;'),
  });
  // (the module not read is the reason: state-version adds none of its own)
  const notRead = "a module of flake input 'extra' (inputs.extra.nixosModules.default)";
  assert.deepEqual(await machines(root), {
    open: ['', notRead],
    read: ['state-version'],
    recommended: ['', notRead],
    set: ['state-version', notRead],
    weak: ['', notRead],
  });
});

test("the hover of a name no declaration is found of: clan-core's toggled generators say where they come from; a name a module not read may declare names the open machines; otherwise not declared anywhere", async () => {
  const open = await clanOf(tree({ 'flake.nix': EXTRA_FLAKE, 'machines/a/configuration.nix': importsExtra(''), 'machines/b/configuration.nix': '{ }\n' }));
  assert.equal(generatorHover(open, 'machine-id'), "**generator `machine-id`** — declared by clan-core's clanCore module where `clan.core.settings.machine-id.enable` is on; no machine of this clan is known to have it");
  assert.equal(generatorHover(open, 'from-extra'), "**generator `from-extra`** — not declared in this clan's files; a module not read here may declare it on `a`");
  // b has every module read: its state-version is listed, so the hover is the generator's own
  assert.match(generatorHover(open, 'state-version'), /^\*\*generator `state-version`\*\* — per machine, on `b`/);
  const read = await clanOf(tree({ 'machines/a/configuration.nix': '{ }\n' }));
  assert.equal(generatorHover(read, 'from-extra'), '**generator `from-extra`** — not declared anywhere in this clan');
});

test("a machine's own module in flake.nix turns a toggle off for that machine only, beside one that is a file", async () => {
  const root = tree({
    'hosts/c.nix': '{ networking.domain = "example.org"; }\n',
    'flake.nix': `{ outputs = { self, clan-core, ... }: {
  clan = clan-core.lib.clan {
    inherit self;
    machines.c = ./hosts/c.nix;
    machines.a = { clan.core.settings.state-version.enable = false; };
    machines.b = { };
  };
}; }\n`,
  });
  assert.deepEqual(await machines(root), { a: [''], b: ['state-version'], c: ['state-version'] });
});

// a clan-core checkout with clanCore's two toggled modules (machine-id's file declares a second generator first)
const CLAN_CORE = {
  'flake.nix': '{ }\n',
  'nixosModules/clanCore/state-version/default.nix': '{ clan.core.vars.generators.state-version = { files.version = { secret = false; }; script = "echo 25.11 > $out/version"; }; }\n',
  'nixosModules/clanCore/machine-id/default.nix': '{ clan.core.vars.generators.machine-id-seed = { files.seed = { }; script = "echo > $out/seed"; }; clan.core.vars.generators.machine-id = { files.machineId = { secret = false; }; script = "echo x > $out/machineId"; }; }\n',
};

const READER = {
  'machines/a/configuration.nix': `{
  clan.core.settings.machine-id.enable = true;
  clan.core.vars.generators.y = {
    dependencies = [ "state-version" "machine-id" ];
    files.k = { };
    script = "cat $in/state-version/version $in/state-version/nope $in/machine-id/machineId $in/machine-id/seed > $out/k";
  };
}\n`,
};

const CHAIN = (option: string, module: string) => [`clan-core's clanCore module (every NixOS machine has it; ${option})`, `clan-core:nixosModules/clanCore/${module}/default.nix`];

test("with a clan-core checkout, a dependency on clan-core's toggled generators may read only the files they declare", async () => {
  const clanCore = tree(CLAN_CORE);
  const root = tree(READER);
  const found = (await analyze(root, { clanCorePath: clanCore })).found.map((f) => `${f.file}:${f.line} ${f.code} ${f.message.split('.')[0]}`);
  assert.deepEqual(found, [
    "machines/a/configuration.nix:6 unknown-input Generator 'state-version' of machine 'a' declares no file 'nope', so $in/state-version/nope does not exist when the script runs",
    "machines/a/configuration.nix:6 unknown-input Generator 'machine-id' of machine 'a' declares no file 'seed', so $in/machine-id/seed does not exist when the script runs",
  ]);
  const [a] = (await report(root, { clanCorePath: clanCore })).machines;
  assert.deepEqual(a.chains['machine-id'], CHAIN('clan.core.settings.machine-id.enable', 'machine-id'));
  assert.deepEqual(a.chains['state-version'], CHAIN('clan.core.settings.state-version.enable', 'state-version'));
});

test("without clan-core's files, the toggled generators are there with their chain and their one public file (the same at every revision): a read of another file is found as with a checkout, and their vars on disk are generated or missing", async () => {
  const root = tree({ ...READER, 'vars/per-machine/a/state-version/version/value': '25.05' });
  const found = (await analyze(root)).found.map((f) => `${f.file}:${f.line} ${f.code} ${f.message.split('.')[0]}`);
  assert.deepEqual(found, [
    "machines/a/configuration.nix:6 unknown-input Generator 'state-version' of machine 'a' declares no file 'nope', so $in/state-version/nope does not exist when the script runs",
    "machines/a/configuration.nix:6 unknown-input Generator 'machine-id' of machine 'a' declares no file 'seed', so $in/machine-id/seed does not exist when the script runs",
  ]);
  const [a] = (await report(root)).machines;
  assert.deepEqual(a.generators, ['machine-id', 'state-version', 'y']);
  assert.deepEqual(a.chains['machine-id'], CHAIN('clan.core.settings.machine-id.enable', 'machine-id'));
  assert.deepEqual(a.chains['state-version'], CHAIN('clan.core.settings.state-version.enable', 'state-version'));
  // what hover and the graph show of it: per machine (clan-core declares it so), declared in clan-core (by a module of the machine, not the registry's matrix), its file public, its script not read
  const clan = await clanOf(root);
  const view = generatorView(clan, 'machine-id');
  assert.deepEqual(
    { share: view.share, files: view.files, prompts: view.prompts, dependencies: view.dependencies, machines: view.machines, declaredIn: view.declaredIn, vars: view.placements.map((p) => `${p.machine} (${p.why})`) },
    { share: false, files: [{ name: 'machineId', secret: false, deploy: true, neededFor: 'services' }], prompts: [], dependencies: [], machines: ['a'], declaredIn: ['clan-core:nixosModules/clanCore/machine-id/default.nix'], vars: ['a (declared)'] },
  );
  const states = (name: string) => generatorView(clan, name).placements.map((p) => `${p.state}: ${p.files.map((f) => `${f.name} ${f.state} ${f.kind} ${f.path && path.relative(root, f.path)}`).join(', ')}`);
  assert.deepEqual(states('state-version'), ['generated: version generated public vars/per-machine/a/state-version/version/value']);
  assert.deepEqual(states('machine-id'), ['missing: machineId missing public vars/per-machine/a/machine-id/machineId/value']);
  // a module's read of a file they do not declare (a typo of machineId): the machine's evaluation fails
  const reader = tree({ 'machines/a/configuration.nix': '{ config, ... }: {\n  clan.core.settings.machine-id.enable = true;\n  environment.etc.a.text = config.clan.core.vars.generators.machine-id.files.machineId.value;\n  environment.etc.b.text = config.clan.core.vars.generators.machine-id.files.machineid.value;\n}\n' });
  assert.deepEqual((await analyze(reader)).found.map((f) => `${f.line} ${f.code} ${f.message.split('?')[0]}`), ["4 unknown-var-read Generator 'machine-id' of machine 'a' declares no file 'machineid'. Did you mean 'machineId'"]);
});

/** A clan locking clan-core at `rev` (the shipped summary's), with these instances and machine modules. */
function lockedTo(rev: string, narHash: string, lastModified: number, files: Record<string, string>): string {
  const lock = { version: 7, root: 'root', nodes: { root: { inputs: { 'clan-core': 'clan-core' } }, 'clan-core': { locked: { type: 'git', url: 'https://git.clan.lol/clan/clan-core', rev, narHash, lastModified }, original: {} } } };
  return tree({ 'flake.lock': JSON.stringify(lock), ...files });
}

const ZEROTIER_INSTANCE = {
  'clan.nix': `{ inventory.instances.zerotier = {
  roles.controller.machines.a = { };
  roles.peer.machines.b = { };
  roles.moon.machines.c = { };
}; }\n`,
  'machines/a/configuration.nix': '{ }\n',
  'machines/b/configuration.nix': '{ }\n',
  'machines/c/configuration.nix': '{ }\n',
  'machines/d/configuration.nix': '{ }\n',
  'machines/e/configuration.nix': '{ clan.core.networking.zerotier._roles = [ "peer" ]; }\n',
};

test("clan-core 0542e4dd's clanCore zerotier generators: decided by the machine's roles in the zerotier service's instances, which set clanCore's _roles", async () => {
  const root = lockedTo('0542e4dd8ad62964eb1b38b2a6bfa734fa28a448', 'sha256-8bfvrjIDDbo/5mcLQs99pCWnokv7IFs07Xnm3J9TuEs=', 1775649136, ZEROTIER_INSTANCE);
  assert.deepEqual(await machines(root), {
    // a controller, a peer: the shared controller generator and the per-machine one; a moon alone: the shared one; no role: neither
    a: ['state-version, zerotier, zerotier-controller'],
    b: ['state-version, zerotier, zerotier-controller'],
    c: ['state-version, zerotier-controller'],
    d: ['state-version'],
    // the option set by the machine's own module: not known
    e: [
      'state-version',
      "whether it has generator 'zerotier-controller': clan.core.networking.zerotier is set (machines/e/configuration.nix:1); clan-core's clanCore module declares it depending on those options",
      "whether it has generator 'zerotier': clan.core.networking.zerotier is set (machines/e/configuration.nix:1); clan-core's clanCore module declares it depending on those options",
    ],
  });
  const b = (await report(root)).machines.find((m) => m.name === 'b')!;
  assert.deepEqual(b.chains.zerotier, ["instance 'zerotier' (role peer)", 'clan-core:clanServices/zerotier/default.nix', "clan-core's clanCore module (clan.core.networking.zerotier._roles)", 'clan-core:nixosModules/clanCore/zerotier/default.nix']);
});

test("clan-core bce2dff5's clanCore zerotier generator (behind controller.enable and a networkId read from the controller's vars): not known on the zerotier service's machines, absent on the others", async () => {
  const root = lockedTo('bce2dff5cefb6a5103045d8c7cb6a5359e57d368', 'sha256-+ii1eDukr3eBaFi9XLC8VegCFGoOPLjOqfrGNgVidIQ=', 1774357514, ZEROTIER_INSTANCE);
  const open = (instance: string) => `whether it has generator 'zerotier': clan-core's clanCore module declares it depending on options clan-core's zerotier service (instance '${instance}') sets from values not known statically`;
  const found = await machines(root);
  assert.deepEqual(found.a.slice(1), [open('zerotier')]);
  assert.deepEqual(found.c.slice(1), [open('zerotier')]);
  assert.deepEqual(found.d, [found.d[0]]);
  assert.ok(!found.d[0].includes('zerotier'));
});

/** A flake.lock that pins clan-core (not on this machine) at a commit of time `lastModified`. */
function pinnedAt(lastModified: number): string {
  return JSON.stringify({ version: 7, root: 'root', nodes: { root: { inputs: { 'clan-core': 'clan-core' } }, 'clan-core': { locked: { type: 'tarball', url: 'https://git.clan.lol/api/v1/repos/clan/clan-core/archive/0000000000000000000000000000000000000000.tar.gz', narHash: 'sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=', lastModified }, original: {} } } });
}

/** A lock of clan-core at a revision (9e77d16e's date) the shipped summary does not know, as a tarball not on this machine. */
const UNREAD_CLAN_CORE = pinnedAt(1753100016);

test("without clan-core's files, a machine that sets clan.core.networking.zerotier may have clanCore's zerotier generators (clan-core 9e77d16e declares 'zerotier' behind controller.enable): not known, and fetching clan-core makes it known; a machine that sets nothing has neither", async () => {
  const root = tree({
    'flake.lock': UNREAD_CLAN_CORE,
    'machines/a/configuration.nix': '{\n  clan.core.networking.zerotier.controller.enable = true;\n}\n',
    'machines/b/configuration.nix': '{ }\n',
  });
  const why = (name: string) => `whether it has generator '${name}': clan.core.networking.zerotier is set (machines/a/configuration.nix:2); clan-core's clanCore module declares '${name}' depending on those options at some revisions, and clan-core's files at the revision the flake locks are not read`;
  // (and no state-version: the clan-core of 2025-07-21 has it off by default, as the next test shows)
  assert.deepEqual(await machines(root), { a: ['', why('zerotier'), why('zerotier-controller')], b: [''] });
  const a = (await report(root)).machines.find((m) => m.name === 'a')!;
  assert.deepEqual(a.hints.map((h) => h.kind), ['fetch', 'fetch']);
});

test("with clan-core read (a revision of the shipped summary), the inventory's services before clan services are still not taken for clan services of the same name: their machines are open, the clanModule named", async () => {
  const root = lockedTo('0542e4dd8ad62964eb1b38b2a6bfa734fa28a448', 'sha256-8bfvrjIDDbo/5mcLQs99pCWnokv7IFs07Xnm3J9TuEs=', 1775649136, {
    'clan.nix': '{ inventory.services.sshd.default.roles.server.machines = [ "a" ]; }\n',
    'machines/a/configuration.nix': '{ }\n',
    'machines/b/configuration.nix': '{ }\n',
  });
  const clanModule = "clan-core's clanModules.sshd (inventory.services.sshd.default, the inventory's services before clan services), whose modules are not read";
  // (a's modules not all read: what turns state-version on by default may be turned off there)
  assert.deepEqual(await machines(root), {
    a: ['', clanModule],
    b: ['state-version'],
  });
});

test("a reason's hint is its own: beside a zerotier generator clan-core's files would tell (fetch), a toggle set by a value not known statically has none", async () => {
  const root = tree({
    'flake.lock': UNREAD_CLAN_CORE,
    'machines/a/configuration.nix': '{ clan.core.networking.zerotier.controller.enable = true; }\n',
    'machines/b/configuration.nix': '{ config, ... }: { clan.core.settings.machine-id.enable = config.x; }\n',
  });
  const hints = Object.fromEntries((await report(root)).machines.map((m) => [m.name, m.hints.map((h) => h.kind)]));
  assert.deepEqual(hints, { a: ['fetch', 'fetch'], b: ['none'] });
});

test("an inventory services set that cannot be read names no clanModule; without a clan-core input at all, a checkout is what makes clanCore's zerotier generators known", async () => {
  const root = tree({
    'clan.nix': '{ inventory.services = import ./services.nix; }\n',
    'machines/a/configuration.nix': '{ clan.core.networking.zerotier.controller.enable = true; }\n',
  });
  const [a] = (await report(root)).machines;
  assert.deepEqual(a.unknowns[0], "a clanModule (inventory.services, the inventory's services before clan services), whose modules are not read");
  assert.deepEqual(a.hints.map((h) => h.kind), ['none', 'clan-core-path', 'clan-core-path']);
});

test("a clan with NixOS modules of its own under nixosModules/ (not nixosModules/clanCore/) is not clan-core: without a clan-core input, clanCore's zerotier generators stay not known", async () => {
  const root = tree({
    'clan.nix': '{ }\n',
    'nixosModules/common.nix': '{ services.openssh.enable = true; }\n',
    'machines/a/configuration.nix': '{ imports = [ ../../nixosModules/common.nix ]; clan.core.networking.zerotier.controller.enable = true; }\n',
  });
  const [a] = (await report(root)).machines;
  assert.deepEqual(a.hints.map((h) => h.kind), ['clan-core-path', 'clan-core-path']);
  assert.match(a.unknowns.join('\n'), /whether it has generator 'zerotier': clan\.core\.networking\.zerotier is set \(machines\/a\/configuration\.nix:1\)/);
});

test("clanCore's toggled generators are per machine, not shared: a machine with state-version turned off does not find another machine's", async () => {
  const root = tree({
    'machines/a/configuration.nix': '{ clan.core.settings.state-version.enable = false; }\n',
    'machines/b/configuration.nix': '{ }\n',
  });
  const model = (await clanOf(root)).machineModel();
  assert.deepEqual(model.resolveDependency('b', 'state-version'), { found: 'machine' });
  // clan-core's machine generators are never reported missing (clanCore may declare them otherwise): not known, not another machine's
  assert.deepEqual(model.resolveDependency('a', 'state-version'), { found: 'maybe' });
});

test("a clan-core whose clanCore zerotier module declares generators and that has no zerotier service: off on a machine that sets nothing, not known on one that sets the module's options", async () => {
  const { store, lock } = clanCoreInStore({
    'nixosModules/clanCore/zerotier/default.nix': '{ config, lib, ... }: {\n  options.clan.core.networking.zerotier.controller.enable = lib.mkEnableOption "";\n  config = lib.mkIf config.clan.core.networking.zerotier.controller.enable {\n    clan.core.vars.generators.zerotier = { files.id = { }; script = "echo > $out/id"; };\n  };\n}\n',
  });
  roots.push(store);
  await withNixStore(store, async () => {
    const root = tree({ 'flake.lock': lock, 'machines/a/configuration.nix': '{ }\n', 'machines/b/configuration.nix': '{ clan.core.networking.zerotier.controller.enable = true; }\n' });
    assert.deepEqual(await machines(root), {
      a: ['state-version'],
      b: ['state-version', "whether it has generator 'zerotier': clan.core.networking.zerotier is set (machines/b/configuration.nix:1); clan-core's clanCore module declares it depending on those options"],
    });
  });
});

test("clan-core bce2dff5's zerotier generator on a machine of two instances of the service: both named", async () => {
  const root = lockedTo('bce2dff5cefb6a5103045d8c7cb6a5359e57d368', 'sha256-+ii1eDukr3eBaFi9XLC8VegCFGoOPLjOqfrGNgVidIQ=', 1774357514, {
    ...ZEROTIER_INSTANCE,
    'clan.nix': '{ inventory.instances.zerotier = { roles.controller.machines.a = { }; }; inventory.instances.zt2 = { module.name = "zerotier"; roles.peer.machines.a = { }; }; }\n',
  });
  const a = (await machines(root)).a;
  assert.deepEqual(a.slice(1), ["whether it has generator 'zerotier': clan-core's clanCore module declares it depending on options clan-core's zerotier service (instance 'zerotier', 'zt2') sets from values not known statically"]);
});

test("a clan-core whose clanCore zerotier module declares a generator besides the two its service's roles decide, and one of a computed name: the other not known on the service's machines, the computed one left to the module's own reading", async () => {
  const { store, lock } = clanCoreInStore({
    'clanServices/zerotier/default.nix': '{\n  _class = "clan.service";\n  manifest.name = "zerotier";\n  roles.controller = { };\n  roles.peer = { };\n}\n',
    'nixosModules/clanCore/zerotier/default.nix': `{ config, ... }: {
  clan.core.vars.generators.zerotier-controller = { files.id = { }; script = "echo > $out/id"; };
  clan.core.vars.generators.zerotier = { files.id = { }; script = "echo > $out/id"; };
  clan.core.vars.generators.zerotier-extra = { files.id = { }; script = "echo > $out/id"; };
  clan.core.vars.generators."zt-\${config.networking.hostName}" = { files.id = { }; script = "echo > $out/id"; };
}\n`,
  });
  roots.push(store);
  await withNixStore(store, async () => {
    const root = tree({ 'flake.lock': lock, 'clan.nix': '{ inventory.instances.zerotier = { roles.controller.machines.a = { }; }; }\n', 'machines/a/configuration.nix': '{ }\n' });
    assert.deepEqual((await machines(root)).a, [
      'state-version, zerotier, zerotier-controller',
      "whether it has generator 'zerotier-extra': clan-core's clanCore module declares it depending on options clan-core's zerotier service (instance 'zerotier') sets from values not known statically",
    ]);
  });
});

test("clan-core 0542e4dd's shared zerotier-controller: a machine without the service finds it shared, the per-machine zerotier only on the machines that have it", async () => {
  const root = lockedTo('0542e4dd8ad62964eb1b38b2a6bfa734fa28a448', 'sha256-8bfvrjIDDbo/5mcLQs99pCWnokv7IFs07Xnm3J9TuEs=', 1775649136, ZEROTIER_INSTANCE);
  const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load());
  await index.scan();
  const model = index.clan(root).machineModel();
  assert.deepEqual(model.resolveDependency('d', 'zerotier-controller'), { found: 'shared' });
  assert.deepEqual(model.resolveDependency('d', 'zerotier'), { found: 'no', perMachineOn: ['a', 'b'] });
  assert.deepEqual(model.resolveDependency('a', 'zerotier'), { found: 'machine' });
});

// each machine: nothing set, state-version turned on, turned off, turned off with mkForce
const STATE_VERSION_SET = {
  'machines/none/configuration.nix': '{ }\n',
  'machines/on/configuration.nix': '{ clan.core.settings.state-version.enable = true; }\n',
  'machines/off/configuration.nix': '{ clan.core.settings.state-version.enable = false; }\n',
  'machines/forced/configuration.nix': '{ lib, ... }: { clan.core.settings.state-version.enable = lib.mkForce false; }\n',
};

test("state-version by the clan-core a flake pins (read from clan-core's history, first parents of main): off by default before the recommended defaults turned it on (b91bee537, 2025-08-26 07:49:46 UTC)", async () => {
  // antipeth's clan pins clan-core 6c7fc15c0e of 2025-02-22, before clanCore had state-version at all; requaos' 9e77d16e of 2025-07-21 has the option, off
  for (const at of [1740215018, 1753100016, 1756194586 - 1]) {
    assert.deepEqual(await machines(tree({ 'flake.lock': pinnedAt(at), ...STATE_VERSION_SET })), { forced: [''], none: [''], off: [''], on: ['state-version'] }, `pinned at ${at}`);
  }
});

test('state-version from b91bee537 (2025-08-26) to 7412b958c (2025-08-31): the recommended defaults set it with a plain definition, so a plain `false` conflicts with it (not known) and mkForce turns it off', async () => {
  const clash = "whether it has generator 'state-version': clan.core.settings.state-version.enable is defined both true and false (machines/off/configuration.nix:1, clan-core's recommended defaults)";
  for (const at of [1756194586, 1756647787 - 1]) {
    assert.deepEqual(await machines(tree({ 'flake.lock': pinnedAt(at), ...STATE_VERSION_SET })), { forced: [''], none: ['state-version'], off: ['', clash], on: ['state-version'] }, `pinned at ${at}`);
  }
});

test('state-version from 7412b958c (2025-08-31 13:43:07 UTC) on, and with no clan-core pin to date it: lib.mkDefault true, which a plain `false` overrides', async () => {
  for (const lock of [pinnedAt(1756647787), pinnedAt(1787393006), null]) {
    const files = lock === null ? STATE_VERSION_SET : { 'flake.lock': lock, ...STATE_VERSION_SET };
    assert.deepEqual(await machines(tree(files)), { forced: [''], none: ['state-version'], off: [''], on: ['state-version'] }, `lock ${lock?.slice(-60)}`);
  }
});

test('a pinned clan-core before the recommended defaults turned state-version on: the recommended defaults switched off change nothing, and the machine-id toggle is read as before', async () => {
  const root = tree({
    'flake.lock': pinnedAt(1740215018),
    'machines/a/configuration.nix': '{ clan.core.enableRecommendedDefaults = false; clan.core.settings.machine-id.enable = true; }\n',
    'machines/b/configuration.nix': '{ config, ... }: { clan.core.enableRecommendedDefaults = config.x; }\n',
  });
  assert.deepEqual(await machines(root), { a: ['machine-id'], b: [''] });
});

test("state-version follows flake.lock on disk: moving the pinned clan-core past the recommended defaults' change gives every machine state-version, and back", async () => {
  const root = tree({ 'flake.lock': pinnedAt(1753100016), 'machines/a/configuration.nix': '{ }\n' });
  const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load());
  await index.scan();
  const generators = () => machinesReport(index.clan(root)).machines.map((m) => `${m.name}: ${m.generators.join(', ')}`);
  assert.deepEqual(generators(), ['a: ']);
  for (const [at, expected] of [[1756647787, 'a: state-version'], [1753100016, 'a: ']] as const) {
    fs.writeFileSync(path.join(root, 'flake.lock'), pinnedAt(at));
    index.structureFileChanged(path.join(root, 'flake.lock'));
    assert.deepEqual(generators(), [expected], `pinned at ${at}`);
  }
});

test("a toggle defined at the option default's own priority (lib.mkOptionDefault) against that default: not known, both named", async () => {
  const root = tree({ 'machines/a/configuration.nix': '{ lib, ... }: { clan.core.settings.machine-id.enable = lib.mkOptionDefault true; }\n' });
  assert.deepEqual(await machines(root), {
    a: ['state-version', "whether it has generator 'machine-id': clan.core.settings.machine-id.enable is defined both true and false (machines/a/configuration.nix:1, the option's default)"],
  });
});
