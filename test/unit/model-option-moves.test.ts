// Modules that only retire or move an option (nixpkgs' lib.mkRemovedOptionModule,
// lib.mkRenamedOptionModule, ...): they give a machine no generator, so they keep nothing open,
// unless a move can carry definitions into `clan` (then what reaches clan.core.vars is not known).
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { ownMachines } from '../helpers/ownGenerators';
import { removeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

const KEY = 'clan.core.vars.generators.k = { files.k = { }; script = "echo > $out/k"; };';
const machine = (imports: string) => ownMachines({ 'machines/m/configuration.nix': `{ lib, ... }:\n{\n  imports = [\n    ${imports}\n  ];\n  ${KEY}\n}\n` }, roots);

test('a retired option, and a move of options outside clan, keep a machine known', async () => {
  const machines = await machine(`(lib.mkRemovedOptionModule [ "clan" "vaultwarden" "enable" ] "Importing the module is enough")\n    (lib.mkRenamedOptionModule [ "services" "old" ] [ "services" "new" ])\n    (lib.mkAliasOptionModule [ "hw" ] [ "hardware" ])`);
  assert.deepEqual(machines, { m: { generators: ['k'], unknowns: [] } });
});

test('a move into or out of clan, one whose paths are not written out, and a merge stay unknown, with what they are', async () => {
  for (const [imports, text] of [
    ['(lib.mkRenamedOptionModule [ "my" "gens" ] [ "clan" "core" "vars" "generators" ])', 'lib.mkRenamedOptionModule [ "my" "gens" ] [ "clan" "core" "vars" "generators" ]'],
    ['(lib.mkAliasOptionModule [ "clan" ] [ "mine" ])', 'lib.mkAliasOptionModule [ "clan" ] [ "mine" ]'],
    ['(lib.mkRenamedOptionModule from [ "services" "new" ])', 'lib.mkRenamedOptionModule from [ "services" "new" ]'],
    ['(lib.mkMergedOptionModule [ [ "a" ] [ "b" ] ] [ "c" ] (config: 1))', 'lib.mkMergedOptionModule [ [ "a" ] [ "b" ] ] [ "c" ] (config: 1)'],
    ['(lib.mkRenamedOptionModule [ "clan" ] [ "flake" "clan" ])', 'lib.mkRenamedOptionModule [ "clan" ] [ "flake" "clan" ]'],
  ]) {
    const machines = await machine(imports);
    assert.deepEqual(machines.m!.unknowns, [`a module not known statically (${text})`], imports);
  }
});

test("clan-core's own move of clan to flake.clan among the clan's own flake-parts modules keeps the clan read", async () => {
  const machines = await ownMachines(
    {
      'flake.nix': '{ outputs = inputs@{ flake-parts, ... }: flake-parts.lib.mkFlake { inherit inputs; } { imports = [ ./clan.nix ]; }; }\n',
      'clan.nix': '{ lib, ... }:\n{\n  imports = [\n    (lib.mkRenamedOptionModule [ "clan" ] [ "flake" "clan" ])\n    ./more.nix\n  ];\n}\n',
      'more.nix': `{\n  clan.machines.m = { ${KEY} };\n}\n`,
      'machines/m/configuration.nix': '{ }\n',
    },
    roots,
  );
  assert.deepEqual(machines, { m: { generators: ['k'], unknowns: [] } });
});
