// Known means known (issue 54): every part of a clan that can give a machine generators is read, or
// the machine is open with the reason. Each case is a small clan written from a shape real clans
// use: clan services whose generator names are made from the instance, the machine or the
// settings; clan-core's own generators behind an option; the inventory imported from a file or
// computed; an instance role's extraModules.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { machinesReport } from '../../server/src/ide/machinesReport';
import { NixParser } from '../../server/src/syntax/nixParser';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { WorkspaceAnalysis } from '../../server/src/rules/workspaceAnalysis';
import { removeTree, withNixStore, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

/** `machine: generator, generator` lines, `+open` when the model says it may have more. */
async function machines(files: Record<string, string>): Promise<string[]> {
  const root = writeTree({ 'flake.nix': '{ }', ...files });
  roots.push(root);
  const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load());
  await index.scan();
  return machinesReport(index.clan(root)).machines.map((m) => `${m.name}: ${m.generators.join(', ')}${m.unknowns.length ? ' +open' : ''}`);
}

/** Machines a, b, c with state-version off (clan-core's own generator; its own cases are below). */
const noStateVersion = (...names: string[]) => Object.fromEntries(names.map((m) => [`machines/${m}/configuration.nix`, '{ clan.core.settings.state-version.enable = false; }\n']));

const TOR = `{
  _class = "clan.service";
  roles.server.perInstance = { instanceName, ... }: {
    nixosModule = { config, ... }: {
      clan.core.vars.generators."tor_\${instanceName}" = { files.hostname = { }; };
    };
  };
}\n`;

const ZEROTIER = `{ lib, ... }: {
  _class = "clan.service";
  roles.peer = { };
  perMachine = { instances, machine, ... }: {
    nixosModule = {
      clan.core.vars.generators = (lib.mapAttrs' (instanceName: _: lib.nameValuePair "zt-ip-\${machine.name}-\${instanceName}" { files.ip = { }; }) instances) // {
        "zt-identity-\${machine.name}" = { files.id = { }; };
      };
    };
  };
}\n`;

const USERS = `{
  _class = "clan.service";
  roles.default.perInstance = { instanceName, extendSettings, ... }: {
    nixosModule = { ... }: let settings = extendSettings { user = lib.mkOptionDefault instanceName; }; in {
      clan.core.vars.generators."user-password-\${settings.user}" = { files.hash = { }; };
    };
  };
}\n`;

const CASES: { name: string; files: Record<string, string>; machines: string[] }[] = [
  {
    name: "a service's name made from the instance's name is one generator per instance",
    files: {
      ...noStateVersion('a', 'b'),
      'services/tor.nix': TOR,
      'clan.nix': `{ modules.tor = ./services/tor.nix; inventory.instances = { tor = { module = { name = "tor"; input = "self"; }; roles.server.machines.a = { }; roles.server.machines.b = { }; }; tor-ygg = { module = { name = "tor"; input = "self"; }; roles.server.machines.a = { }; }; }; }\n`,
    },
    machines: ['a: tor_tor, tor_tor-ygg', 'b: tor_tor'],
  },
  {
    name: "perMachine names over the machine's instances and the machine's name",
    files: {
      ...noStateVersion('a', 'b'),
      'services/zt.nix': ZEROTIER,
      'clan.nix': `{ modules.zt = ./services/zt.nix; inventory.instances.home = { module = { name = "zt"; input = "self"; }; roles.peer.machines.a = { }; roles.peer.machines.b = { }; }; inventory.instances.work = { module = { name = "zt"; input = "self"; }; roles.peer.machines.b = { }; }; }\n`,
    },
    machines: ['a: zt-identity-a, zt-ip-a-home', 'b: zt-identity-b, zt-ip-b-home, zt-ip-b-work'],
  },
  {
    name: "names made from the settings: a literal setting, the service's default, a machine's own setting; settings that cannot be read leave the machine open",
    files: {
      ...noStateVersion('a', 'b', 'c'),
      'services/users.nix': USERS,
      'clan.nix': `{ lib, ... }: { modules.users = ./services/users.nix; inventory.instances = {
        root = { module = { name = "users"; input = "self"; }; roles.default.machines.a = { }; };
        admin = { module = { name = "users"; input = "self"; }; roles.default.machines.a = { }; roles.default.settings.user = "alice"; roles.default.machines.b.settings.user = "bob"; };
        other = { module = { name = "users"; input = "self"; }; roles.default.machines.c = { }; roles.default.settings = import ./user-settings.nix; };
      }; }\n`,
    },
    machines: ['a: user-password-alice, user-password-root', 'b: user-password-bob', 'c:  +open'],
  },
  {
    name: "the inventory's services before clan services (inventory.services.<module>.<instance>, clanModules' roles, in Nix or inventory.json): their machines, by tag or name, are open; a services set that cannot be read leaves every machine open",
    files: {
      ...noStateVersion('a', 'b', 'c', 'd'),
      'flake.nix': `{ outputs = { clan-core, ... }: { clan = clan-core.lib.clan { inventory = {
        machines.a.tags = [ "all" "wifi" ];
        services = { sshd.default.roles.server.tags = [ "wifi" ]; root-password.default.roles.default.machines = [ "b" ]; };
      }; }; }; }\n`,
      'inventory.json': JSON.stringify({ services: { 'disk-id': { x: { roles: { default: { machines: ['c'] } } } } } }),
    },
    machines: ['a:  +open', 'b:  +open', 'c:  +open', 'd: '],
  },
  {
    name: 'an inventory services set that cannot be read',
    files: {
      ...noStateVersion('a', 'b'),
      'flake.nix': '{ outputs = { clan-core, ... }: { clan = clan-core.lib.clan { inventory.services = import ./services.nix; }; }; }\n',
    },
    machines: ['a:  +open', 'b:  +open'],
  },
  {
    name: "clan-core's state-version is on by default on NixOS machines, off where a module turns it or the recommended defaults off, and not on darwin",
    files: {
      'inventory.json': JSON.stringify({ machines: { d: { machineClass: 'darwin' } } }),
      'machines/a/configuration.nix': '{ }\n',
      'machines/b/configuration.nix': '{ clan.core.settings.state-version.enable = false; }\n',
      'machines/c/configuration.nix': '{ lib, ... }: { clan.core.enableRecommendedDefaults = false; }\n',
      'machines/e/configuration.nix': '{ lib, ... }: { clan.core.enableRecommendedDefaults = false; clan.core.settings.state-version.enable = lib.mkDefault true; }\n',
      'machines/f/configuration.nix': '{ clan.core.settings.machine-id.enable = true; }\n',
      'machines/d/configuration.nix': '{ }\n',
    },
    machines: ['a: state-version', 'b: ', 'c: ', 'd: ', 'e: state-version', 'f: machine-id, state-version'],
  },
  {
    name: "a toggle set under a condition, or by a value the syntax cannot read, leaves the machine open; one machine's own module in a shared file reaches that machine only",
    files: {
      'machines/a/configuration.nix': '{ config, lib, ... }: { config = lib.mkIf config.services.x.enable { clan.core.settings.state-version.enable = false; }; }\n',
      'machines/b/configuration.nix': '{ config, ... }: { clan.core.settings.state-version.enable = config.my.flag; }\n',
      'flake.nix': '{ outputs = { clan-core, ... }: { clan = clan-core.lib.clan { machines.c = { clan.core.settings.state-version.enable = false; }; machines.d = { networking.hostName = "d"; }; }; }; }\n',
    },
    machines: ['a:  +open', 'b:  +open', 'c: ', 'd: state-version'],
  },
  {
    name: 'the inventory imported from a file is read there; instances computed leave every machine open',
    files: {
      ...noStateVersion('a', 'b'),
      'services/tor.nix': TOR,
      'flake.nix': '{ outputs = { self, clan-core, ... }: { clan = clan-core.lib.clan { modules.tor = ./services/tor.nix; inventory = import ./inventory.nix { inherit self; }; }; }; }\n',
      'inventory.nix': '{ self }: { machines.a = { }; instances.t = { module = { name = "tor"; input = "self"; }; roles.server.machines.a = { }; }; }\n',
    },
    machines: ['a: tor_t', 'b: '],
  },
  {
    name: 'instances built by a function, or with a name the syntax cannot read, leave every machine open',
    files: {
      ...noStateVersion('a', 'b'),
      'clan.nix': '{ lib, ... }: { inventory.instances = lib.listToAttrs (map (n: { name = n; value = { module.name = "tor"; roles.server.tags.all = { }; }; }) [ "x" ]); }\n',
    },
    machines: ['a:  +open', 'b:  +open'],
  },
  {
    name: "a machine's module the syntax cannot read leaves that machine open, not the others",
    files: {
      ...noStateVersion('a', 'b'),
      'flake.nix': '{ outputs = { clan-core, ... }: let mk = n: { networking.hostName = n; }; in { clan = clan-core.lib.clan { machines.a = mk "a"; machines.b = { }; }; }; }\n',
    },
    machines: ['a:  +open', 'b: '],
  },
  {
    name: "an instance role's extraModules reach that role's machines: files, and modules written inline",
    files: {
      ...noStateVersion('a', 'b', 'c'),
      'modules/base.nix': '{ clan.core.vars.generators.base = { files.k = { }; }; }\n',
      'clan.nix': `{ inventory.instances = {
        base = { module.name = "importer"; roles.default.machines.a = { }; roles.default.machines.b = { }; roles.default.extraModules = [ ./modules/base.nix ]; };
        extra = { module.name = "importer"; roles.default.machines.b = { }; roles.default.settings.extraModules = [ { clan.core.vars.generators.inline = { files.k = { }; }; } ]; };
      }; }\n`,
    },
    machines: ['a: base +open', 'b: base, inline +open', 'c: '],
  },
  {
    name: "a clan service's nixosModule reaches only NixOS machines and its darwinModule only darwin ones: the generators written in each, also in a part of the service it imports; one written in both reaches both",
    files: {
      ...noStateVersion('lin'),
      'inventory.json': JSON.stringify({ machines: { mac: { machineClass: 'darwin' }, lin: {} } }),
      'machines/mac/configuration.nix': '{ }\n',
      'services/s/default.nix': `{
        _class = "clan.service";
        roles.default.perInstance = { ... }: {
          nixosModule = { clan.core.vars.generators.on-nixos = { files.k = { }; }; clan.core.vars.generators.on-both = { files.k = { }; }; };
          darwinModule = { ... }: { clan.core.vars.generators.on-darwin = { files.k = { }; }; clan.core.vars.generators.on-both = { files.k = { }; }; };
        };
        imports = [ ./part.nix ];
      }\n`,
      'services/s/part.nix': '{ perMachine = { ... }: { nixosModule = { clan.core.vars.generators.part-nixos = { files.k = { }; }; }; }; }\n',
      'clan.nix': '{ modules.s = ./services/s; inventory.instances.s = { module = { name = "s"; input = "self"; }; roles.default.tags.all = { }; }; }\n',
    },
    machines: ['lin: on-both, on-nixos, part-nixos', 'mac: on-both, on-darwin'],
  },
];

for (const c of CASES) test(`known means known: ${c.name}`, async () => assert.deepEqual(await machines(c.files), c.machines));

test("known means known: clan-core's admin service at 148313f (the shipped summary) gives a darwin machine none of the generators of its nixosModule", async () => {
  // clanServices/admin/default.nix imports ./ssh.nix and ./root-password.nix, whose generators are all in `roles.default.perInstance.nixosModule`
  const store = writeTree({ keep: '' });
  roots.push(store);
  const lock = { version: 7, root: 'root', nodes: { root: { inputs: { 'clan-core': 'clan-core' } }, 'clan-core': { locked: { type: 'git', url: 'https://git.clan.lol/clan/clan-core', rev: '148313f40dd9326ee4def21e68cf62214da742a3', narHash: 'sha256-o4IKVRpnpnCfZNDJ7Jpyd4PWCyCv1NY3IwW1Pn0JAL8=', lastModified: 1775938724 }, original: {} } } };
  const got = await withNixStore(store, () =>
    machines({
      ...noStateVersion('lin'),
      'flake.lock': JSON.stringify(lock),
      'inventory.json': JSON.stringify({ machines: { mac: { machineClass: 'darwin' }, lin: {} } }),
      'machines/mac/configuration.nix': '{ }\n',
      'clan.nix': '{ inventory.instances.admin = { module = { name = "admin"; input = "clan-core"; }; roles.default.tags.all = { }; }; }\n',
    }),
  );
  // openssh-rsa (`lib.mkIf settings.rsaHostKey.enable`, an mkEnableOption) and openssh-cert, openssh-ca
  // (`lib.mkIf (settings.certificateSearchDomains != [ ])`, default `[ ]`): the instance sets neither
  assert.deepEqual(got, ['lin: openssh, root-password', 'mac: ']);
});
