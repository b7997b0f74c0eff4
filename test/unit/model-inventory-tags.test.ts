// Tags computed in `inventory.tags` (a set of machine lists, or a function of the machine lists by
// class and of the other tags): the machines of a clan service's role given by such a tag are known,
// and a tag that cannot be computed leaves the machines the role may reach open.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { machinesReport } from '../../server/src/ide/machinesReport';
import { NixParser } from '../../server/src/syntax/nixParser';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { WorkspaceAnalysis } from '../../server/src/rules/workspaceAnalysis';
import { removeTree, writeTree } from '../helpers/tempClan';
import { ownGenerators } from '../helpers/ownGenerators';
import { packFacts } from '../../server/src/model/scan/factPool';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

/** A clan with nixos machines a, b, c and darwin machine mac, the local services `mesh` and `vpn` (for both classes), and `inventory` (Nix text); `facts` is given the length of flake.nix's facts as the scan's workers and the facts cache write them (JSON). */
async function machinesOf(inventory: string, facts?: (packed: number) => void): Promise<string[]> {
  const root = writeTree({
    'flake.nix': `{ outputs = { self, clan-core, nixpkgs, ... }: let lib = nixpkgs.lib; in { clan = clan-core.lib.clan {
  modules.mesh = ./services/mesh.nix;
  modules.vpn = ./services/vpn.nix;
  inventory = {
    machines = { a = { }; b = { }; c = { }; mac.machineClass = "darwin"; };
    ${inventory}
  };
}; }; }\n`,
    'services/mesh.nix': '{ _class = "clan.service"; roles.peer.perInstance = { ... }: { nixosModule = { clan.core.vars.generators.mesh-key = { }; }; darwinModule = { clan.core.vars.generators.mesh-key = { }; }; }; }\n',
    'services/vpn.nix': '{ _class = "clan.service"; roles.peer.perInstance = { ... }: { nixosModule = { clan.core.vars.generators.vpn-key = { }; }; darwinModule = { clan.core.vars.generators.vpn-key = { }; }; }; }\n',
  });
  roots.push(root);
  const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load());
  await index.scan();
  const flake = [...index.facts.keys()].find((f) => f.endsWith('flake.nix'))!;
  facts?.(packFacts(index.facts.get(flake)!).length);
  return machinesReport(index.clan(root)).machines.map((m) => [`${m.name}:`, ...ownGenerators(m.generators), ...(m.unknowns.length ? ['+open'] : [])].join(' '));
}

const instance = (service: string, tag: string) => `instances.${service} = { module = { name = "${service}"; input = "self"; }; roles.peer.tags.${tag} = { }; };`;

test('inventory tags: a function of config.nixos with builtins.filter (the Mic92 shape)', async () => {
  const machines = await machinesOf(`
    tags = { config, ... }: {
      backup = builtins.filter (name: name != "b" && name != "installer") config.nixos;
    };
    ${instance('mesh', 'backup')}`);
  assert.deepEqual(machines, ['a: mesh-key', 'b:', 'c: mesh-key', 'mac:']);
});

test('inventory tags: a plain set, a tag defined on its own, and a machine listing the tag itself', async () => {
  const machines = await machinesOf(`
    tags = { web = [ "a" "mac" ]; };
    tags.db = [ "b" ];
    machines.c.tags = [ "web" ];
    ${instance('mesh', 'web')}
    ${instance('vpn', 'db')}`);
  assert.deepEqual(machines, ['a: mesh-key', 'b: vpn-key', 'c: mesh-key', 'mac: mesh-key']);
});

test('inventory tags: a tag built from another tag with lib, ++, elem, ! and ||', async () => {
  const machines = await machinesOf(`
    tags = { config, ... }: {
      servers = [ "a" ] ++ builtins.filter (n: n == "b" || n == "nope") config.all;
      workers = lib.subtractLists config.servers config.all;
      quiet = builtins.filter (n: !(builtins.elem n config.workers)) config.nixos;
    };
    ${instance('mesh', 'workers')}
    ${instance('vpn', 'quiet')}`);
  assert.deepEqual(machines, ['a: vpn-key', 'b: vpn-key', 'c: mesh-key', 'mac: mesh-key']);
});

test('inventory tags: a tag that cannot be computed leaves every machine open; a computable one beside it is known', async () => {
  const machines = await machinesOf(`
    tags = { config, machines, ... }: {
      known = builtins.filter (n: n != "a") config.nixos;
      deployed = builtins.filter (n: machines.\${n}.deploy.targetHost != null) config.all;
    };
    ${instance('mesh', 'known')}
    ${instance('vpn', 'deployed')}`);
  // vpn's peers may be any machine: every machine is open, and only the computed tag's machines have mesh
  assert.deepEqual(machines, ['a: +open', 'b: mesh-key +open', 'c: mesh-key +open', 'mac: +open']);
});

test('inventory tags: a definition whose tags cannot be told leaves even a tag machines list themselves unknown', async () => {
  const machines = await machinesOf(`
    tags = import ./tags.nix;
    machines.c.tags = [ "web" ];
    ${instance('mesh', 'web')}`);
  assert.deepEqual(machines, ['a: +open', 'b: +open', 'c: +open', 'mac: +open']);
});

test("inventory tags: clan's own tags all, nixos and darwin are the machines by class, also beside a definition that cannot be read; a tag nothing defines is the machines that list it", async () => {
  // no inventory.tags: the class tags and a machine's own tag
  assert.deepEqual(await machinesOf(`machines.mac.tags = [ "laptop" ]; ${instance('mesh', 'darwin')} ${instance('vpn', 'nixos')}`), ['a: vpn-key', 'b: vpn-key', 'c: vpn-key', 'mac: mesh-key']);
  assert.deepEqual(await machinesOf(`machines.mac.tags = [ "laptop" ]; ${instance('mesh', 'all')} ${instance('vpn', 'laptop')}`), ['a: mesh-key', 'b: mesh-key', 'c: mesh-key', 'mac: mesh-key vpn-key']);
  // tags we cannot read may add any other tag, not change the classes clan computes
  assert.deepEqual(await machinesOf(`tags = import ./tags.nix; ${instance('mesh', 'nixos')} ${instance('vpn', 'darwin')}`), ['a: mesh-key', 'b: mesh-key', 'c: mesh-key', 'mac: vpn-key']);
  assert.deepEqual(await machinesOf(`tags = import ./tags.nix; ${instance('mesh', 'all')}`), ['a: mesh-key', 'b: mesh-key', 'c: mesh-key', 'mac: mesh-key']);
});

test('inventory tags: a tag defined in a way that cannot be computed stays unknown though a machine lists it itself', async () => {
  const machines = await machinesOf(`
    tags = { config, machines, ... }: { deployed = builtins.filter (n: machines.\${n}.deploy.targetHost != null) config.all; };
    machines.c.tags = [ "deployed" ];
    ${instance('vpn', 'deployed')}`);
  assert.deepEqual(machines, ['a: +open', 'b: +open', 'c: +open', 'mac: +open']);
});

test('inventory tags: a deeply nested definition is kept once in the facts (JSON wrote each field of the AST again: clan-core computed-tags.nix took 23.6 MB)', async () => {
  let size = 0;
  const machines = await machinesOf(
    `
    tags = { config, ... }: {
      deep = builtins.filter (n: n != "b" && (n != "c" || (n == "nope" && (n == "x" || (n == "y" && (n == "z" || (n == "w" && n == "v"))))))) config.nixos;
    };
    ${instance('mesh', 'deep')}`,
    (packed) => (size = packed),
  );
  assert.deepEqual(machines, ['a: mesh-key', 'b:', 'c:', 'mac:']);
  // the facts of the whole flake.nix (its machines, services and instances, read under each clan prefix) stay small
  assert.ok(size > 0 && size < 60_000, `flake.nix's facts take ${size} characters of JSON`);
});
