// A machine's generator written as one dotted binding from the clan's configuration
// (`clan.machines.m.clan.core.vars.generators.x = { ... }`) is the machine's, as the module system
// reads it: it was read as no machine's, and the machine was called fully known without it.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { ownMachines } from '../helpers/ownGenerators';
import { removeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

const FLAKE = '{ outputs = inputs@{ flake-parts, ... }: flake-parts.lib.mkFlake { inherit inputs; } { imports = [ ./clan.nix ]; }; }\n';
const BODY = '{ files.j = { }; script = "echo > $out/j"; }';

test('a generator of a machine written as one dotted binding, in the clan module or below `clan`, is that machine\'s alone', async () => {
  for (const clan of [
    `{\n  clan.machines.m.clan.core.vars.generators.j = ${BODY};\n  clan.machines.other = { };\n}\n`,
    `{ ... }: {\n  clan = {\n    machines.m.clan.core.vars.generators.j = ${BODY};\n    machines.other = { };\n  };\n}\n`,
    `{\n  clan.machines.m = { clan.core.vars.generators.j = ${BODY}; };\n  clan.machines.other = { };\n}\n`,
  ]) {
    const machines = await ownMachines({ 'flake.nix': FLAKE, 'clan.nix': clan, 'machines/m/configuration.nix': '{ }\n', 'machines/other/configuration.nix': '{ }\n' }, roots);
    assert.deepEqual(machines, { m: { generators: ['j'], unknowns: [] }, other: { generators: [], unknowns: [] } }, clan);
  }
});
