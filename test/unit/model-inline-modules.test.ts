// Modules written inline, not as files of their own: flake modules (`flake.nixosModules.x = { ... }`)
// and an instance role's extraModules. Each imports only what is written inside it, a chain shows it
// by its name or its line, and what is computed inside it opens the machines that import it. A file
// whose name has a `#` (kept in a machine's folder) is a file, not one of these.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { machinesReport } from '../../server/src/ide/machinesReport';
import { NixParser } from '../../server/src/syntax/nixParser';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { WorkspaceAnalysis } from '../../server/src/rules/workspaceAnalysis';
import { removeTree, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

test('inline modules: what each imports, the chains through them, and a generator set computed in one', async () => {
  const root = writeTree({
    'flake.nix': '{ }',
    'modules/flake-module.nix': `{ self, ... }: {
  flake.nixosModules.web = { lib, ... }: {
    clan.core.vars.generators = lib.genAttrs [ "a" ] (n: { files.k = { }; });
  };
  flake.nixosModules.db = { imports = [ ./db.nix ]; };
}\n`,
    'modules/db.nix': '{ clan.core.vars.generators.db = { files.k = { }; }; }\n',
    'machines/w/configuration.nix': '{ self, ... }: { imports = [ self.nixosModules.web self.nixosModules.db ]; }\n',
    'machines/w/wifi#home.nix': '{ clan.core.vars.generators.wifi = { files.k = { }; }; }\n',
    'machines/a/configuration.nix': '{ }\n',
    'machines/b/configuration.nix': '{ }\n',
    'clan.nix': `{ inventory.instances = {
  one = { module = { name = "importer"; input = "clan-core"; }; roles.default.machines.a = { }; roles.default.extraModules = [ { imports = [ ./modules/one.nix ]; } ]; };
  two = { module = { name = "importer"; input = "clan-core"; }; roles.default.machines.b = { }; roles.default.extraModules = [ { imports = [ ./modules/two.nix ]; } ]; };
}; }\n`,
    'modules/one.nix': '{ clan.core.vars.generators.one = { files.k = { }; }; }\n',
    'modules/two.nix': '{ clan.core.vars.generators.two = { files.k = { }; }; }\n',
  });
  roots.push(root);
  const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load());
  await index.scan();
  const machines = machinesReport(index.clan(root)).machines.map((m) => ({ name: m.name, generators: m.generators.filter((g) => g !== 'state-version'), unknowns: m.unknowns, chains: Object.fromEntries(Object.entries(m.chains).filter(([g]) => g !== 'state-version')) }));
  assert.deepEqual(machines, [
    { name: 'a', generators: ['one'], unknowns: ["clan service 'importer' from clan-core (instance 'one')"], chains: { one: ["instance 'one' (role default, extraModules)", 'clan.nix:2 (inline)', 'modules/one.nix'] } },
    { name: 'b', generators: ['two'], unknowns: ["clan service 'importer' from clan-core (instance 'two')"], chains: { two: ["instance 'two' (role default, extraModules)", 'clan.nix:3 (inline)', 'modules/two.nix'] } },
    {
      name: 'w',
      generators: ['db', 'wifi'],
      unknowns: ['generators computed in modules/flake-module.nix:3'],
      chains: { db: ['machines/w/configuration.nix', 'modules/flake-module.nix#db', 'modules/db.nix'], wifi: ['machines/w/wifi#home.nix'] },
    },
  ]);
});
