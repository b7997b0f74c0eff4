// clan-vars-helper (github:perstarkse/clan-vars-helper, read at 3e190c4): a module names a folder
// (`my.secrets.discover.dir`), and each *.nix file there is a set of generators, or a list of such
// sets, or a function of { config, lib, pkgs } giving one; the helper merges them into
// clan.core.vars.generators, without its `meta` (tags). Those generators are the clan's: their
// declarations are checked, and their names resolve dependencies. A folder no module names is
// nobody's: its files declare nothing.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { NixParser } from '../../server/src/syntax/nixParser';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { WorkspaceAnalysis } from '../../server/src/rules/workspaceAnalysis';
import { removeTree, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

const SHARED = `{ lib, config, ... }: {
  my.secrets = lib.mkMerge [
    { discover.dir = lib.mkDefault ../vars/generators; }
    (lib.mkIf true { discover.includeTags = [ "x" ]; })
  ];
}
`;

const FILES = {
  'flake.nix': '{ }\n',
  'machines/m/configuration.nix': '{ imports = [ ../../modules/shared.nix ]; }\n',
  'modules/shared.nix': SHARED,
  // a function, a prompt of a type clan rejects, the helper's tags
  'vars/generators/api.nix': `{ pkgs, ... }: {
  "api" = {
    share = true;
    files.token = { neededFor = "services"; };
    prompts.token = { type = "password"; persist = true; };
    script = ''cp "$prompts/token" "$out/token"'';
    meta.tags = [ "x" ];
  };
}
`,
  // a list of sets; the script reads a prompt it does not declare; top-level meta
  'vars/generators/db.nix': `[
  {
    db = {
      prompts.pw = { };
      files.pw = { };
      script = ''cp "$prompts/password" "$out/pw"'';
    };
    meta.tags = [ "x" ];
  }
]
`,
  // not a generator file: left alone
  'vars/generators/notes.nix': '{ owner = "me"; hosts = [ "m" ]; }\n',
  // a module depending on a helper generator, by its name
  'modules/app.nix': '{ clan.core.vars.generators.app = { dependencies = [ "api" ]; files.k = { }; script = "cat $in/api/token > $out/k"; }; }\n',
};

async function analyse(tree: Record<string, string>) {
  const root = writeTree(tree);
  roots.push(root);
  const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load());
  await index.scan();
  const found = () =>
    [...index.allProblems().values()]
      .flat()
      .filter((p) => p.severity === 'error' || p.severity === 'warning')
      .map((p) => `${path.relative(root, p.file)}:${p.range.start.line + 1} ${p.code}`)
      .sort();
  return { root, index, found, names: () => [...index.clan(root).generatorIndex.byName.keys()].sort() };
}

test('the generator files of the folder a module names are declarations: checked, and their names known', async () => {
  const { index, root, found, names } = await analyse(FILES);
  assert.deepEqual(names(), ['api', 'app', 'db', 'state-version'].filter((n) => n !== 'state-version' || names().includes(n)));
  assert.deepEqual(found(), ['vars/generators/api.nix:5 invalid-prompt-type', 'vars/generators/db.nix:6 unknown-prompt']);
  // the helper's meta is no option of a generator
  const api = index.clan(root).generatorIndex.byName.get('api')![0]!;
  assert.deepEqual(api.options.filter((o) => o.path[0] === 'meta'), []);
  assert.deepEqual(api.prompts.map((p) => p.name), ['token']);
});

test('a folder no module names declares nothing, and a dependency on one of its names is not found', async () => {
  const { found, names } = await analyse({ ...FILES, 'modules/shared.nix': '{ lib, ... }: { }\n' });
  assert.ok(!names().includes('api') && !names().includes('db'), names().join(' '));
  assert.ok(found().includes('modules/app.nix:1 unknown-dependency'), found().join('\n'));
  assert.ok(!found().some((f) => f.startsWith('vars/generators/')), found().join('\n'));
});

test('the folder named, then not: the generators come and go with the module that names it', async () => {
  const { root, index, names } = await analyse(FILES);
  assert.ok(names().includes('api'));
  const shared = path.join(root, 'modules/shared.nix');
  index.updateFromText(shared, '{ lib, ... }: { }\n');
  assert.ok(!names().includes('api') && !names().includes('db'), names().join(' '));
  index.updateFromText(shared, SHARED);
  assert.ok(names().includes('api') && names().includes('db'), names().join(' '));
  // an edit of a generator file is seen too
  const api = path.join(root, 'vars/generators/api.nix');
  index.updateFromText(api, fs.readFileSync(api, 'utf8').replace('"api" =', '"api2" ='));
  assert.ok(names().includes('api2') && !names().includes('api'), names().join(' '));
});
