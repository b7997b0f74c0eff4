// What the evaluations of a clan's module structure read from disk (a data file a computed set
// imports, a folder it lists) is a dependency of the structure: when the editor's watcher reports a
// change there (WorkspaceAnalysis.changedOnDisk), the machines are read again, and only then.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { machinesReport } from '../../server/src/ide/machinesReport';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { WorkspaceAnalysis } from '../../server/src/rules/workspaceAnalysis';
import { NixParser } from '../../server/src/syntax/nixParser';
import { ownGenerators } from '../helpers/ownGenerators';
import { removeTree, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

const FLAKE = `{ outputs = inputs@{ flake-parts, ... }: flake-parts.lib.mkFlake { inherit inputs; } { imports = [ ./modules/clan.nix ]; }; }\n`;
const SERVICE = 'clan.modules.imp = { _class = "clan.service"; manifest.name = "imp"; roles.default = { }; };';
const gen = (name: string) => `{ clan.core.vars.generators.${name} = { files.k = { }; script = "echo > $out/k"; }; }\n`;
/** An instance per file of ./tags, for the machines with that tag; the machines' tags from data.nix. */
const CLAN = `{ lib, ... }:\n{\n  ${SERVICE}\n  clan.inventory.machines = lib.mapAttrs (name: t: { tags = t; }) (import ../data.nix);\n  clan.inventory.instances = builtins.listToAttrs (map (f: let tag = lib.removeSuffix ".nix" f; in {
    name = "with-\${tag}";
    value = { module = { name = "imp"; input = "self"; }; roles.default = { tags.\${tag} = { }; extraModules = [ "\${../tags}/\${f}" ]; }; };
  }) (builtins.attrNames (builtins.readDir ../tags)));\n}\n`;

async function clan() {
  const root = writeTree({
    'flake.nix': FLAKE,
    'machines/s/configuration.nix': '{ }\n',
    'machines/c/configuration.nix': '{ }\n',
    'data.nix': '{ s = [ "web" ]; c = [ "db" ]; }\n',
    'tags/web.nix': gen('webkey'),
    'tags/db.nix': gen('dbkey'),
    'tags/notes.txt': 'not a module\n',
    'modules/clan.nix': CLAN,
    'other/unrelated.nix': '{ }\n',
  });
  roots.push(root);
  const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load());
  await index.scan();
  const machines = () => {
    index.commit();
    return Object.fromEntries(machinesReport(index.clan(root)).machines.map((m) => [m.name, ownGenerators(m.generators)]));
  };
  return { root, index, machines };
}

test('a data file a computed set imports, changed on disk: the machines follow once the watcher reports it', async () => {
  const { root, index, machines } = await clan();
  assert.deepEqual(machines(), { s: ['webkey'], c: ['dbkey'] });
  const data = path.join(root, 'data.nix');
  fs.writeFileSync(data, '{ s = [ "web" "db" ]; c = [ ]; }\n');
  // data.nix's own facts say nothing of machines: indexing it again changes no input of the model
  await index.updateFromDisk(data);
  assert.deepEqual(machines(), { s: ['webkey'], c: ['dbkey'] }, 'read again without the watcher: the old structure (the limit this closes)');
  assert.equal(index.changedOnDisk(data), true);
  assert.deepEqual(machines(), { s: ['dbkey', 'webkey'], c: [] });
});

test('a file added to a folder a computed set lists, even one that is not Nix, is a change of the structure; a file nothing read is not', async () => {
  const { root, index, machines } = await clan();
  assert.deepEqual(machines(), { s: ['webkey'], c: ['dbkey'] });
  const revisions = index.revisions();
  assert.equal(index.changedOnDisk(path.join(root, 'other/unrelated.nix')), false);
  assert.equal(index.changedOnDisk(path.join(root, 'README.md')), false);
  assert.equal(index.revisions(), revisions, 'a change nothing read moves no version');
  // the folder listed gains a tag module: its instance gives the machines tagged so its generator
  fs.writeFileSync(path.join(root, 'data.nix'), '{ s = [ "web" "ops" ]; c = [ "db" ]; }\n');
  assert.equal(index.changedOnDisk(path.join(root, 'data.nix')), true);
  fs.writeFileSync(path.join(root, 'tags/ops.nix'), gen('opskey'));
  assert.equal(index.changedOnDisk(path.join(root, 'tags/notes.txt')), true, 'below a folder listed');
  assert.deepEqual(machines(), { s: ['webkey'], c: ['dbkey'] }, 'tags/ops.nix is not indexed yet: its instance imports a store path of the folder, read whole');
  await index.updateFromDisk(path.join(root, 'tags/ops.nix'));
  assert.deepEqual(machines(), { s: ['opskey', 'webkey'], c: ['dbkey'] });
});
