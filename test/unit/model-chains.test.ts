// How a generator reaches a machine (the import chain from the machine's entry to the module that
// declares it), and what would make an open machine known (the hint of each reason): in the
// machines report and the hover of a generator.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, test } from 'node:test';
import { generatorHover } from '../../server/src/ide/hoverText';
import { machinesReport, machinesReportText } from '../../server/src/ide/machinesReport';
import { NixParser } from '../../server/src/syntax/nixParser';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { WorkspaceAnalysis } from '../../server/src/rules/workspaceAnalysis';
import { removeTree, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

/** The clan's model, with an empty Nix store (nothing of a lock is on this machine). */
async function modelOf(files: Record<string, string>) {
  const root = writeTree({ 'flake.nix': '{ }', ...files });
  const store = writeTree({ keep: '' });
  roots.push(root, store);
  const previous = process.env.NIX_STORE_DIR;
  process.env.NIX_STORE_DIR = store;
  try {
    const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load());
    await index.scan();
    const clan = index.clan(root);
    return { root, clan, report: machinesReport(clan) };
  } finally {
    if (previous === undefined) delete process.env.NIX_STORE_DIR;
    else process.env.NIX_STORE_DIR = previous;
  }
}

const gen = (name: string) => `clan.core.vars.generators.${name} = { files.k = { }; script = "echo > $out/k"; };`;

test('chains: a file import, a folder, flake modules (a file, inline), clan.machines and a clan service role, entry first', async () => {
  const { report } = await modelOf({
    'flake.nix': `{ outputs = { self, clan-core, ... }: { clan = clan-core.lib.clan { inherit self; machines.b.imports = [ ./hosts/b.nix ]; }; nixosModules.base = ./modules/base.nix; nixosModules.inline = { imports = [ ./modules/deep.nix ]; ${gen('in-flake')} }; }; }\n`,
    'machines/a/configuration.nix': `{ self, ... }: { imports = [ ./extra.nix ../../modules/mesh self.nixosModules.base ]; ${gen('own')} }\n`,
    'machines/a/extra.nix': `{ ${gen('extra')} }\n`,
    'modules/mesh/default.nix': `{ imports = [ ./peer.nix ]; }\n`,
    'modules/mesh/peer.nix': `{ ${gen('peer')} }\n`,
    'modules/base.nix': `{ self, ... }: { imports = [ self.nixosModules.inline ]; ${gen('base')} }\n`,
    'modules/deep.nix': `{ ${gen('deep')} }\n`,
    'hosts/b.nix': `{ ${gen('b-host')} }\n`,
    'inventory.json': JSON.stringify({ machines: { a: {}, b: {} } }),
    'clan.nix': '{ modules.vpn = ./services/vpn.nix; inventory.instances.office = { module = { name = "vpn"; input = "self"; }; roles.peer.machines.b = { }; }; }\n',
    'services/vpn.nix': `{ roles.peer.perInstance = { ... }: { nixosModule = { imports = [ ../modules/vpn-key.nix ]; }; }; }\n`,
    'modules/vpn-key.nix': `{ ${gen('vpn-key')} }\n`,
  });
  const chains = Object.fromEntries(report.machines.map((m) => [m.name, m.chains]));
  // clan-core's own generator of every NixOS machine (on by default; clan-core not read here)
  const STATE_VERSION = ["clan-core's clanCore module (every NixOS machine has it; clan.core.settings.state-version.enable)", 'clan-core:nixosModules/clanCore/state-version/default.nix'];
  assert.deepEqual(chains.a, {
    base: ['machines/a/configuration.nix', 'modules/base.nix'],
    deep: ['machines/a/configuration.nix', 'modules/base.nix', 'flake.nix#inline', 'modules/deep.nix'],
    extra: ['machines/a/configuration.nix', 'machines/a/extra.nix'],
    'in-flake': ['machines/a/configuration.nix', 'modules/base.nix', 'flake.nix#inline'],
    own: ['machines/a/configuration.nix'],
    peer: ['machines/a/configuration.nix', 'modules/mesh/default.nix', 'modules/mesh/peer.nix'],
    'state-version': STATE_VERSION,
  });
  assert.deepEqual(chains.b, {
    'b-host': ['clan.machines.b (flake.nix)', 'hosts/b.nix'],
    'state-version': STATE_VERSION,
    'vpn-key': ["instance 'office' (role peer)", 'services/vpn.nix', 'modules/vpn-key.nix'],
  });
  const text = machinesReportText(report);
  assert.match(text, /\n {6}deep {11}<- machines\/a\/configuration\.nix > modules\/base\.nix > flake\.nix#inline > modules\/deep\.nix\n/);
  assert.match(text, /\n {6}vpn-key {8}<- instance 'office' \(role peer\) > services\/vpn\.nix > modules\/vpn-key\.nix\n/);
});

test("chains: in a file holding a machine's own module, a generator of a module written inline beside it (an instance's extraModules, a flake module the machine imports) is shown coming the way that module came", async () => {
  const { report } = await modelOf({
    'flake.nix': `{ outputs = { self, clan-core, ... }: {
  clan = clan-core.lib.clan {
    inherit self;
    machines.a = { imports = [ self.nixosModules.extra ./hosts/a.nix ]; ${gen('own')} };
    modules.vpn = ./vpn.nix;
    inventory.machines.a = { };
    inventory.instances.x = {
      module = { name = "vpn"; input = "self"; };
      roles.peer.machines.a = { };
      roles.peer.extraModules = [
        {
          ${gen('inline-extra')}
        }
      ];
    };
  };
  nixosModules.extra = { ${gen('in-flake')} };
}; }\n`,
    'vpn.nix': '{ roles.peer.perInstance = { ... }: { nixosModule = { }; }; }\n',
    // another file: its generator on the lines the inline module holds in flake.nix
    'hosts/a.nix': `{ pkgs, ... }:
{
  # the host's own settings
  networking.hostName = "a";
  services.openssh.enable = true;
  environment.systemPackages = [
    pkgs.git
    pkgs.htop
  ];
  time.timeZone = "UTC";
  # its key
  ${gen('host-key')}
}\n`,
  });
  const { 'state-version': _, ...chains } = report.machines[0].chains;
  assert.deepEqual(chains, {
    'host-key': ['clan.machines.a (flake.nix)', 'hosts/a.nix'],
    'in-flake': ['clan.machines.a (flake.nix)', 'flake.nix#extra'],
    'inline-extra': ["instance 'x' (role peer, extraModules)", 'flake.nix:11 (inline)'],
    own: ['flake.nix'],
  });
});

test("chains: a clan-core service from the shipped summary is shown as clan-core:<path>", async () => {
  const { report } = await modelOf({
    'flake.lock': JSON.stringify({
      version: 7,
      root: 'root',
      nodes: { root: { inputs: { 'clan-core': 'clan-core' } }, 'clan-core': { locked: { type: 'git', url: 'https://git.clan.lol/clan/clan-core', rev: '090b766c7f31547972ce9889c2ec1ae10c3f4261', narHash: 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=', lastModified: 1786981509 }, original: {} } },
    }),
    'flake.nix': `{ outputs = { clan-core, ... }: { clan = clan-core.lib.clan { inventory.instances.sshd-all = { module.name = "sshd"; roles.server.machines.a = { }; }; }; }; }\n`,
    'machines/a/configuration.nix': '{ }\n',
  });
  assert.deepEqual(report.machines[0].chains.openssh, ["instance 'sshd-all' (role server)", 'clan-core:clanServices/sshd/default.nix']);
});

test('hints: an input not on this machine -> fetch; a clan-core service without clan-core -> clan-core-path; computed -> none', async () => {
  const hash = (s: string) => `sha256-${createHash('sha256').update(s).digest('base64')}`;
  const { report } = await modelOf({
    'flake.lock': JSON.stringify({ version: 7, root: 'root', nodes: { root: { inputs: { mystery: 'mystery' } }, mystery: { locked: { type: 'github', owner: 'someone', repo: 'mystery', rev: '0'.repeat(40), narHash: hash('mystery') }, original: {} } } }),
    'inventory.json': JSON.stringify({ machines: { a: {}, b: {}, c: {} } }),
    'clan.nix': '{ inventory.instances.sshd = { module.name = "sshd"; roles.server.machines.b = { }; }; inventory.instances.vpn = { module = { name = "vpn"; input = "self"; }; roles.peer.tags = builtins.attrNames { }; }; modules.vpn = ./vpn.nix; }\n',
    'vpn.nix': '{ }\n',
    'machines/a/configuration.nix': '{ inputs, ... }: { imports = [ inputs.mystery.nixosModules.default ]; }\n',
    'machines/b/configuration.nix': '{ }\n',
    'machines/c/configuration.nix': '{ lib, ... }: { imports = [ (lib.mkModule 1) ]; }\n',
  });
  const of = (name: string) => {
    const m = report.machines.find((x) => x.name === name)!;
    return m.unknowns.map((u, i) => `${m.hints[i].kind}: ${u}`).sort();
  };
  assert.deepEqual(of('a'), ["fetch: a module of flake input 'mystery' (inputs.mystery.nixosModules.default), not on this machine", "none: clan service 'vpn' (instance 'vpn') on machines not known statically"]);
  assert.deepEqual(of('b'), ["clan-core-path: clan service 'sshd' from clan-core (instance 'sshd')", "none: clan service 'vpn' (instance 'vpn') on machines not known statically"]);
  assert.deepEqual(of('c'), ['none: a module not known statically (lib.mkModule 1)', "none: clan service 'vpn' (instance 'vpn') on machines not known statically"]);
  // the text says what to do after each reason
  const text = machinesReportText(report);
  assert.match(text, /may have more generators: a module of flake input 'mystery' .*\n {6}-> fetch the flake inputs: clan-vars-lint --fetch-inputs, or the command "Clan Vars: Fetch Flake Inputs"\n/);
  assert.match(text, /may have more generators: clan service 'sshd' from clan-core .*\n {6}-> point the clanVars\.clanCorePath setting \(clan-vars-lint --clan-core PATH\) at a clan-core checkout\n/);
});

test("hints: a clan service of an input known only from the shipped summary (clan-core locked under another name): one the summary has is read from it, one it lacks -> fetch (the input's own files tell)", async () => {
  const { report } = await modelOf({
    'flake.lock': JSON.stringify({
      version: 7,
      root: 'root',
      nodes: { root: { inputs: { clan: 'clan' } }, clan: { locked: { type: 'git', url: 'https://git.clan.lol/clan/clan-core', rev: '090b766c7f31547972ce9889c2ec1ae10c3f4261', narHash: 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=', lastModified: 1786981509 }, original: {} } },
    }),
    'flake.nix': `{ outputs = { clan, ... }: { clan = clan.lib.clan {
  inventory.instances.s = { module = { name = "sshd"; input = "clan"; }; roles.server.machines.a = { }; };
  inventory.instances.w = { module = { name = "wireguard-next"; input = "clan"; }; roles.peer.machines.a = { }; };
}; }; }\n`,
    'machines/a/configuration.nix': '{ }\n',
  });
  const [a] = report.machines;
  assert.deepEqual(a.chains.openssh, ["instance 's' (role server)", 'clan:clanServices/sshd/default.nix']);
  assert.deepEqual(a.unknowns.map((u, i) => `${a.hints[i].kind}: ${u}`), ["fetch: clan service 'wireguard-next' from clan (instance 'w')"]);
});

test('hover: the chain to each machine (at most 3, then +N more), and for an open machine its first reason and what would help', async () => {
  const hash = (s: string) => `sha256-${createHash('sha256').update(s).digest('base64')}`;
  const files: Record<string, string> = {
    'flake.lock': JSON.stringify({ version: 7, root: 'root', nodes: { root: { inputs: { mystery: 'mystery' } }, mystery: { locked: { type: 'github', owner: 'someone', repo: 'mystery', rev: '0'.repeat(40), narHash: hash('mystery') }, original: {} } } }),
    'modules/common.nix': `{ ${gen('common')} }\n`,
    'machines/a/configuration.nix': '{ inputs, ... }: { imports = [ ../../modules/common.nix inputs.mystery.nixosModules.default ]; }\n',
  };
  for (const m of ['b', 'c', 'd', 'e']) files[`machines/${m}/configuration.nix`] = '{ imports = [ ../../modules/common.nix ]; }\n';
  const { clan } = await modelOf(files);
  const hover = generatorHover(clan, 'common');
  assert.match(hover, /- `a`: `machines\/a\/configuration.nix` > `modules\/common.nix` {2}\n {2}may have more generators: a module of flake input 'mystery' .* — fetch the flake inputs: clan-vars-lint --fetch-inputs/);
  assert.match(hover, /\n- `b`: `machines\/b\/configuration.nix` > `modules\/common.nix`\n- `c`: .*\n- \+2 more\n/);
});
