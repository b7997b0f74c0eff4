// Paths written from the flake's own `self` (`"${self}/modules/x.nix"`, `"${inputs.self}/inventory"`):
// the flake's folder is the clan's root, so they are files of the clan, read like `./x.nix`. A
// `self` the file binds itself (a let, a fixpoint's argument) is not the flake's: not followed.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { machinesReport } from '../../server/src/ide/machinesReport';
import { NixParser } from '../../server/src/syntax/nixParser';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { WorkspaceAnalysis } from '../../server/src/rules/workspaceAnalysis';
import { removeTree, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

async function machinesOf(tree: Record<string, string>) {
  const root = writeTree(tree);
  roots.push(root);
  const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load());
  await index.scan();
  return Object.fromEntries(machinesReport(index.clan(root)).machines.map((m) => [m.name, { generators: m.generators.filter((g) => g !== 'state-version'), unknowns: m.unknowns }]));
}

const GEN = (name: string) => `{ clan.core.vars.generators.${name} = { files.k = { }; script = "echo > $out/k"; }; }\n`;

test('a module imported as "${self}/..." from a machine is the clan\'s file', async () => {
  const machines = await machinesOf({
    'flake.nix': '{ }\n',
    'machines/a/configuration.nix': '{ self, inputs, ... }: { imports = [ "${self}/modules/one.nix" "${inputs.self}/modules/two" ]; }\n',
    'modules/one.nix': GEN('one'),
    'modules/two/default.nix': GEN('two'),
  });
  assert.deepEqual(machines.a, { generators: ['one', 'two'], unknowns: [] });
});

test('a self the file binds itself is not the flake: the import stays unknown', async () => {
  const machines = await machinesOf({
    'flake.nix': '{ }\n',
    'machines/a/configuration.nix': '{ pkgs, ... }: let self = pkgs.hello; in { imports = [ "${self}/modules/one.nix" ]; }\n',
    'modules/one.nix': GEN('one'),
  });
  assert.deepEqual(machines.a!.generators, []);
  assert.match(machines.a!.unknowns.join('\n'), /a module not known statically \("\$\{self\}\/modules\/one\.nix"\)/);
});

test('inventory = import "${self}/inventory" { ... }: the inventory read from the clan\'s folder', async () => {
  const machines = await machinesOf({
    'flake.nix': '{ outputs = { self, clan-core, ... }@inputs: import ./outputs.nix { inherit self inputs; }; }\n',
    'outputs.nix': `{ self, inputs }:
let
  clan = inputs.clan-core.lib.clan {
    inherit self;
    meta.name = "s";
    inventory = import "\${self}/inventory" { inherit inputs; };
  };
in { inherit (clan.config) nixosConfigurations; }
`,
    'inventory/default.nix': `{ inputs }: {
  machines.b = { };
  instances.x = { module.name = "x"; module.input = "self"; roles.default.machines.b = { }; };
}
`,
    'machines/b/configuration.nix': '{ }\n',
  });
  // the instance's service is not defined: what keeps b open is that, not the inventory
  assert.deepEqual(machines.b!.unknowns, ["clan service 'x' from self (instance 'x')"]);
});
