// The checker reports an undefined variable of the registry pipeline where it is written, as the
// language server does (same rules, through the bin script a user runs).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { REPO_ROOT, removeTree, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

test('cli: an undefined variable in the registry, with exit 1 and a did-you-mean', () => {
  const root = writeTree({
    'flake.nix': '{ }',
    'lib/machine-env-matrix.nix': '{\n  lea = [ "api" ];\n}\n',
    'lib/secret-registry.nix': `{ pkgs ? null }:
let
  mkPromptedSecret = { generator }: { inherit generator; files.key = { }; };
in
{
  api = mkPromptedSecret { generator = "api-key"; };
  mail = mkPromtedSecret { generator = "mail"; };
}
`,
    'lib/vars-generators.nix': `{ keys, pkgs ? null }:
let registry = import ./secret-registry.nix { inherit pkgs; };
in builtins.listToAttrs (map (key: { name = registry.\${key}.generator; value = { }; }) keys)
`,
  });
  roots.push(root);
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'clan-vars-lint.js'), '--format', 'compact', root], { encoding: 'utf8' });
  assert.equal(r.status, 1, r.stderr);
  const [first] = r.stdout.split('\n');
  assert.match(first, /^lib\/secret-registry\.nix:7:10: error undefined-variable 'mkPromtedSecret' is not defined here\..* Did you mean 'mkPromptedSecret'\?$/);
});
