// unknown-registry-key, from what a clan user sees (the mutants that survived the rule's tests): a
// key in the machine matrix with no entry in the secret registry makes evaluation throw `Unknown
// secret key in envMatrix: <key>`. The finding's exact message (which machines list the key, the
// closest registry key), its severity, range and explanation, where the suggested key is defined
// (related information, only where the registry file says so), and its quick fixes: change the
// key to the suggestion, and add the key to the registry in the registry's own style.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { analyzeFolder } from '../../server/src/cli/analyzeFolder';
import type { Problem } from '../../server/src/base/types';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { removeTree, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

const REGISTRY = 'lib/secret-registry.nix';
const MATRIX = 'lib/machine-env-matrix.nix';

/** The unknown-registry-key findings of a clan with these files, in the matrix's order, and the clan's folder. */
async function findings(files: Record<string, string>): Promise<{ root: string; all: Problem[]; ps: Problem[]; log: string[] }> {
  const root = writeTree({ 'flake.nix': '{ }', ...files });
  roots.push(root);
  const log: string[] = [];
  const { problems } = await analyzeFolder(root, DEFAULT_SETTINGS, (l) => log.push(l));
  const ps = problems
    .filter((p) => p.code === 'unknown-registry-key')
    .sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return { root, all: problems, ps, log };
}

const range = (line: number, from: number, to: number) => ({ start: { line, character: from }, end: { line, character: to } });

// a registry in the style of lib/secret-registry.nix: entries built by a helper, one a line
const HELPER_REGISTRY = `{ pkgs ? null }:
let
  mkPromptedSecret = { generator, envVar ? null, ... }: { inherit generator envVar; };
in
{
  openrouter = mkPromptedSecret { generator = "openrouter-api-key"; };
  deepseek = mkPromptedSecret { generator = "deepseek-api-key"; };
  gmail = mkPromptedSecret { generator = "gmail-app-password"; };
}
`;

test('a misspelled key: an error on the key with the closest registry key, where that key is defined, and fixes changing it or adding the key', async () => {
  const { root, ps } = await findings({
    [REGISTRY]: HELPER_REGISTRY,
    [MATRIX]: '{\n  lea = [ "gmail" "deepsek" ];\n}\n',
  });
  assert.equal(ps.length, 1);
  const [p] = ps;
  assert.equal(p.file, path.join(root, MATRIX));
  assert.equal(p.severity, 'error');
  assert.deepEqual(p.range, range(1, 18, 27));
  assert.equal(p.message, "Unknown secret key 'deepsek' for machine 'lea': lib/secret-registry.nix has no entry 'deepsek'. Did you mean 'deepseek'?");
  assert.equal(p.explanation, 'Evaluation throws "Unknown secret key in envMatrix: deepsek".');
  // deepseek is the registry's second entry, on its seventh line
  assert.deepEqual(p.related, [{ location: { file: path.join(root, REGISTRY), range: range(6, 2, 10) }, message: "'deepseek' is defined here" }]);
  assert.deepEqual(p.fixes, [
    { title: "Change to 'deepseek'", edits: [{ file: path.join(root, MATRIX), range: range(1, 18, 27), newText: '"deepseek"' }], safe: false },
    {
      title: "Add 'deepsek' to the secret registry",
      edits: [{ file: path.join(root, REGISTRY), range: range(8, 0, 0), newText: '  deepsek = mkPromptedSecret { generator = "deepsek-app-password"; };\n' }],
      safe: false,
    },
  ]);
});

test('a key close to no registry key: the message ends with the missing entry, no related information, and only the fix adding the key', async () => {
  const { root, ps } = await findings({
    [REGISTRY]: HELPER_REGISTRY,
    [MATRIX]: '{\n  lea = [ "zzzzzzzz" ];\n}\n',
  });
  assert.deepEqual(
    ps.map((p) => `${p.severity}: ${p.message}`),
    ["error: Unknown secret key 'zzzzzzzz' for machine 'lea': lib/secret-registry.nix has no entry 'zzzzzzzz'."],
  );
  const [p] = ps;
  assert.equal(p.related, undefined);
  assert.deepEqual(p.fixes, [
    {
      title: "Add 'zzzzzzzz' to the secret registry",
      edits: [{ file: path.join(root, REGISTRY), range: range(8, 0, 0), newText: '  zzzzzzzz = mkPromptedSecret { generator = "zzzzzzzz-app-password"; };\n' }],
      safe: false,
    },
  ]);
});

test('a registry written on one line: the suggested key is defined on its first line, and related information points there', async () => {
  const { root, ps } = await findings({
    [REGISTRY]: '{ openrouter = { generator = "openrouter-api-key"; }; gmail = { generator = "gmail-app-password"; }; }\n',
    [MATRIX]: '{ lea = [ "gmial" ]; }\n',
  });
  assert.deepEqual(
    ps.map((p) => p.message),
    ["Unknown secret key 'gmial' for machine 'lea': lib/secret-registry.nix has no entry 'gmial'. Did you mean 'gmail'?"],
  );
  assert.deepEqual(ps[0].related, [{ location: { file: path.join(root, REGISTRY), range: range(0, 54, 59) }, message: "'gmail' is defined here" }]);
  assert.deepEqual(
    ps[0].fixes?.map((f) => f.title),
    ["Change to 'gmail'", "Add 'gmial' to the secret registry"],
  );
});

test('a registry whose entries come from another file: the suggestion, but no related information (the registry file does not say where) and no fix adding the key', async () => {
  const { root, ps } = await findings({
    [REGISTRY]: '{ pkgs ? null }: import ./entries.nix { }\n',
    'lib/entries.nix': '{ }:\n{\n  openrouter = { generator = "openrouter-api-key"; };\n  deepseek = { generator = "deepseek-api-key"; };\n}\n',
    [MATRIX]: '{ lea = [ "openroute" ]; }\n',
  });
  assert.deepEqual(
    ps.map((p) => p.message),
    ["Unknown secret key 'openroute' for machine 'lea': lib/secret-registry.nix has no entry 'openroute'. Did you mean 'openrouter'?"],
  );
  assert.equal(ps[0].related, undefined);
  assert.deepEqual(ps[0].fixes, [{ title: "Change to 'openrouter'", edits: [{ file: path.join(root, MATRIX), range: range(0, 10, 21), newText: '"openrouter"' }], safe: false }]);
});

test('a key in a list several machines share: one finding naming them all, up to five, then how many more', async () => {
  const { ps } = await findings({
    [REGISTRY]: HELPER_REGISTRY,
    [MATRIX]: `let
  two = [ "aaaaaaaa" ];
  five = [ "bbbbbbbb" ];
  seven = [ "cccccccc" ];
in
{
  a = two; b = two;
  c = five; d = five; e = five; f = five; g = five;
  h = seven; i = seven; j = seven; k = seven; l = seven; m = seven; n = seven;
}
`,
  });
  assert.deepEqual(
    ps.map((p) => `${p.range.start.line}: ${p.message}`),
    [
      "1: Unknown secret key 'aaaaaaaa' for machines 'a', 'b': lib/secret-registry.nix has no entry 'aaaaaaaa'.",
      "2: Unknown secret key 'bbbbbbbb' for machines 'c', 'd', 'e', 'f', 'g': lib/secret-registry.nix has no entry 'bbbbbbbb'.",
      "3: Unknown secret key 'cccccccc' for machines 'h', 'i', 'j', 'k', 'l' and 2 more: lib/secret-registry.nix has no entry 'cccccccc'.",
    ],
  );
});

test('the same misspelled key for several machines, in lists of their own: a finding each, each with the suggestion', async () => {
  const { ps } = await findings({
    [REGISTRY]: HELPER_REGISTRY,
    [MATRIX]: '{\n  lea = [ "gmial" ];\n  emily = [ "gmial" ];\n}\n',
  });
  assert.deepEqual(
    ps.map((p) => `${p.range.start.line}: ${p.message} [${p.fixes?.map((f) => f.title).join('; ')}]`),
    [
      "1: Unknown secret key 'gmial' for machine 'lea': lib/secret-registry.nix has no entry 'gmial'. Did you mean 'gmail'? [Change to 'gmail'; Add 'gmial' to the secret registry]",
      "2: Unknown secret key 'gmial' for machine 'emily': lib/secret-registry.nix has no entry 'gmial'. Did you mean 'gmail'? [Change to 'gmail'; Add 'gmial' to the secret registry]",
    ],
  );
});

test('a key in a list no machine uses (only itself): reported all the same, saying so', async () => {
  const { ps } = await findings({
    [REGISTRY]: HELPER_REGISTRY,
    [MATRIX]: 'rec {\n  extra = [ "gmial" ] ++ extra;\n}\n',
  });
  assert.deepEqual(
    ps.map((p) => p.message),
    ["Unknown secret key 'gmial' in a key list no machine uses yet: lib/secret-registry.nix has no entry 'gmial'. Did you mean 'gmail'?"],
  );
});

test('a registry without a matrix, or with a matrix whose shape is not understood: no finding at all, and the rule does not fail', async () => {
  const clans: Record<string, string>[] = [{ [REGISTRY]: HELPER_REGISTRY }, { [REGISTRY]: HELPER_REGISTRY, [MATRIX]: 'builtins.fromJSON (builtins.readFile ./matrix.json)\n', 'lib/matrix.json': '{ "lea": [ "nope" ] }' }];
  for (const files of clans) {
    const { all, log } = await findings(files);
    assert.deepEqual(all.map((p) => `${p.code}: ${p.message}`), [], Object.keys(files).join(', '));
    // a rule that throws is logged (with its stack) and its findings are lost
    assert.deepEqual(log.filter((l) => /^rule \S+ failed/.test(l)), [], Object.keys(files).join(', '));
  }
});
