// flake-aspects (vic/flake-aspects), the dendritic layout's `<aspect>.<class>` form: its flake-parts
// module transposes `flake.aspects.<aspect>.<class>` into `flake.modules.<class>.<aspect>`, so an
// aspect's nixos module is the flake module machines import and its "clan.service" class a clan
// service. An aspect that `includes` others (or is not a set) imports modules the model does not
// follow: its modules stay open, with the reason.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { ownMachines } from '../helpers/ownGenerators';
import { removeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

const FLAKE = `{ outputs = inputs@{ flake-parts, ... }: flake-parts.lib.mkFlake { inherit inputs; } (inputs.import-tree ./modules); }\n`;
const CLAN = `{ config, inputs, ... }: {
  imports = [ inputs.flake-aspects.flakeModule inputs.flake-parts.flakeModules.modules ];
  clan.modules = config.flake.modules."clan.service";
  clan.inventory.machines.s = { };
  clan.inventory.instances.h = { module.name = "h"; module.input = "self"; roles.default.machines.s = { }; };
  clan.machines.s.imports = [ config.flake.modules.nixos.base ];
}\n`;
const SERVICE = `{
    _class = "clan.service";
    manifest.name = "h";
    roles.default.perInstance = { ... }: {
      nixosModule = { clan.core.vars.generators.hg = { files.k = { }; script = "echo > $out/k"; }; };
    };
  }`;
const BASE = `{ clan.core.vars.generators.base = { files.b = { }; script = "echo > $out/b"; }; }`;

function machinesOf(tree: Record<string, string>) {
  return ownMachines({ 'flake.nix': FLAKE, 'modules/clan.nix': CLAN, 'machines/s/configuration.nix': '{ }\n', ...tree }, roots);
}

test('an aspect of flake-aspects is the flake module of each of its classes: nixos imported by a machine, "clan.service" a clan service', async () => {
  const machines = await machinesOf({
    'modules/base.nix': `{\n  flake.aspects.base.nixos = ${BASE};\n}\n`,
    'modules/h.nix': `{\n  flake.aspects.h."clan.service" = ${SERVICE};\n}\n`,
  });
  assert.deepEqual(machines.s, { generators: ['base', 'hg'], unknowns: [] });
});

test('aspects written as one set, a class defined in parts (`base.nixos.clan.core...`)', async () => {
  const machines = await machinesOf({
    'modules/aspects.nix': `{\n  flake.aspects = {\n    base.nixos.clan.core.vars.generators.base = { files.b = { }; script = "echo > $out/b"; };\n    h."clan.service" = ${SERVICE};\n    base.description = "the base";\n  };\n}\n`,
  });
  assert.deepEqual(machines.s, { generators: ['base', 'hg'], unknowns: [] });
});

test('the options of an aspect are no classes: an aspect with only a description gives no nixos module', async () => {
  const machines = await machinesOf({
    'modules/base.nix': `{\n  flake.aspects.base.description = "nothing";\n  flake.aspects.base.name = "base";\n}\n`,
    'modules/h.nix': `{\n  flake.aspects.h."clan.service" = ${SERVICE};\n}\n`,
  });
  assert.deepEqual(machines.s!.generators, ['hg']);
  assert.match(machines.s!.unknowns.join('\n'), /flake module 'base' \(nixos\) not defined in this clan/);
});

for (const [what, text, why] of [
  ['includes other aspects', `{\n  flake.aspects.base = { nixos = ${BASE}; includes = [ ]; };\n}\n`, /flake module 'base' \(nixos\): flake-aspects aspect 'base' includes other aspects \(modules\/base\.nix:2\)/],
  ['is a provider function', `{\n  flake.aspects.base = { class, aspect-chain }: { nixos = ${BASE}; };\n}\n`, /flake-aspects aspect 'base' is not written as a set/],
  ['comes from aspects computed as a whole', `{\n  flake.aspects = { aspects, ... }: { base.nixos = ${BASE}; };\n}\n`, /flake module 'base' \(nixos\): the aspects of flake-aspects are computed/],
] as const) {
  test(`an aspect that ${what} leaves its modules open`, async () => {
    const machines = await machinesOf({ 'modules/base.nix': text, 'modules/h.nix': `{\n  flake.aspects.h."clan.service" = ${SERVICE};\n}\n` });
    assert.ok(!machines.s!.generators.includes('base'));
    assert.match(machines.s!.unknowns.join('\n'), why);
  });
}

for (const [what, text] of [
  ['in one binding with its name', `{\n  flake.modules.nixos.base.clan.core.vars.generators.base = { files.b = { }; script = "echo > $out/b"; };\n}\n`],
  ['in a set of flake modules', `{\n  flake.modules = {\n    nixos.base.clan.core.vars.generators.base = { files.b = { }; script = "echo > $out/b"; };\n  };\n}\n`],
  ['as an aspect, in one binding', `{\n  flake.aspects.base.nixos.clan.core.vars.generators.base = { files.b = { }; script = "echo > $out/b"; };\n}\n`],
  ['as an aspect in the module\'s config', `{ config, ... }: {\n  config = {\n    flake.aspects.base.nixos = { clan.core.vars.generators.base = { files.b = { }; script = "echo > $out/b"; }; };\n  };\n}\n`],
] as const) {
  test(`a flake module's generator written ${what} is the module's`, async () => {
    const machines = await machinesOf({ 'modules/base.nix': text, 'modules/h.nix': `{\n  flake.aspects.h."clan.service" = ${SERVICE};\n}\n` });
    assert.deepEqual(machines.s, { generators: ['base', 'hg'], unknowns: [] });
  });
}
