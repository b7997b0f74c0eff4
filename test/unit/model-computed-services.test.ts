// A clan whose own services and instances are computed in Nix files, as tyrongabriel's tyclan writes
// them: a flake-parts module gives `clan.modules = import "${self}/services" { inherit inputs; }`,
// the services file folds sets with `inputs.nixpkgs.lib`, and the inventory's instances are merged
// with `lib.recursiveUpdate` from files imported with `inputs`. What Nix does: `self` is the flake,
// whose source is the clan's folder; `inputs.nixpkgs.lib` is nixpkgs' lib where the input
// `nixpkgs` is nixpkgs. The model evaluates them so, or keeps the machines open with the reason.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { removeTree } from '../helpers/tempClan';
import { ownMachines } from '../helpers/ownGenerators';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

const lock = (nixpkgs: Record<string, string>) =>
  JSON.stringify({ nodes: { root: { inputs: { nixpkgs: 'nixpkgs', 'clan-core': 'clan-core' } }, nixpkgs: { locked: { ...nixpkgs, rev: 'a'.repeat(40), type: 'github' } }, 'clan-core': { locked: { type: 'github', owner: 'clan-lol', repo: 'clan-core', rev: 'b'.repeat(40) } } }, root: 'root', version: 7 });

const service = (name: string, generator: string) => `{ ... }: {
  _class = "clan.service";
  manifest.name = "${name}";
  roles.default.perInstance = { ... }: {
    nixosModule = { ... }: { clan.core.vars.generators.${generator} = { files.k = { }; script = "echo > $out/k"; }; };
  };
}
`;

const TYCLAN = {
  'flake.lock': lock({ owner: 'NixOS', repo: 'nixpkgs' }),
  'flake.nix': '{ outputs = inputs: inputs.flake-parts.lib.mkFlake { inherit inputs; } { imports = [ ./parts/clan.nix ]; }; }\n',
  'parts/clan.nix': `{ inputs, self, lib, ... }:
let
  modules = import "\${self}/services/default.nix" { inherit inputs; };
in
{
  clan = {
    inherit self modules;
    inventory = import "\${self}/inventory" { inherit inputs; };
  };
}
`,
  'services/default.nix': `{ inputs, ... }:
let
  inherit (inputs.nixpkgs) lib;
  definitions = {
    "@me/vpn" = import ./vpn;
    "@me/backup" = ./backup;
  };
in
lib.foldr lib.recursiveUpdate { } [ definitions ]
`,
  'machines/a/configuration.nix': '{ }\n',
  'machines/b/configuration.nix': '{ }\n',
  'services/vpn/default.nix': service('vpn', 'vpn-key'),
  'services/backup/default.nix': service('backup', 'backup-key'),
  'inventory/default.nix': `{ inputs, ... }:
let
  inherit (inputs.nixpkgs) lib;
  core = import ./core.nix { inherit inputs; };
in
{
  machines = core.machines;
  instances = lib.recursiveUpdate core.instances { backup = { module = { name = "@me/backup"; input = "self"; }; roles.default.machines.b = { }; }; };
}
`,
  'inventory/core.nix': `{ inputs, ... }:
{
  machines = { a = { }; b = { }; };
  instances.vpn = { module = { name = "@me/vpn"; input = "self"; }; roles.default.machines.a = { }; roles.default.machines.b = { }; };
}
`,
};

test("model: the clan's own services computed from its files through self and inputs.nixpkgs.lib, and its instances merged with lib.recursiveUpdate: each machine gets its services' generators and is known", async () => {
  const machines = await ownMachines(TYCLAN, roots);
  assert.deepEqual(machines, { a: { generators: ['vpn-key'], unknowns: [] }, b: { generators: ['backup-key', 'vpn-key'], unknowns: [] } });
});

test("model: where the input named nixpkgs is not nixpkgs, its lib is not known: the instances stay open, with why", async () => {
  const machines = await ownMachines({ ...TYCLAN, 'flake.lock': lock({ owner: 'someone', repo: 'not-nixpkgs' }) }, roots);
  for (const m of ['a', 'b']) {
    assert.equal(machines[m].unknowns.length > 0, true, m);
    assert.match(machines[m].unknowns.join('\n'), /the clan's (service instances|machines).*not known statically/);
  }
});

test("model: a computed set of services that cannot be evaluated says so on the instances of this clan's services it leaves unfound, not on another flake's", async () => {
  const machines = await ownMachines(
    {
      ...TYCLAN,
      'services/default.nix': '{ inputs, ... }: inputs.my-services.modules\n',
      'inventory/core.nix': TYCLAN['inventory/core.nix'].replace('instances.vpn =', 'instances.other = { module = { name = "other"; input = "elsewhere"; }; roles.default.machines.a = { }; };\n  instances.vpn ='),
    },
    roots,
  );
  assert.match(machines.a.unknowns.join('\n'), /clan service '@me\/vpn' from self \(instance 'vpn'\): the clan's services are computed in parts\/clan\.nix:7 \(evaluated: /);
  assert.ok(machines.a.unknowns.includes("clan service 'other' from elsewhere (instance 'other')"), machines.a.unknowns.join('\n'));
});
