// The validation hash computed statically: sha256 of Nix's toJSON, checked on real data.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { nixToJson, staticValidation, validationHashOf } from '../../server/src/model/generatorView/validationHash';
import { FIXTURES } from '../helpers/secretsEnv';
import { clanWith } from '../helpers/varsModel';
import { clanOfFolder } from '../../server/src/cli/folder';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { generatorView } from '../../server/src/model/generatorView/generatorView';
import { removeTree, writeTree } from '../helpers/tempClan';

const VANIXIETS = path.join(FIXTURES, 'validation-hash-vanixiets', 'vars', 'per-machine', 'cinnabar', 'openssh-cert', '.validation-hash');

test('the hash of vanixiets openssh-cert validation equals the one clan stored', () => {
  const stored = fs.readFileSync(VANIXIETS, 'utf8');
  assert.equal(nixToJson({ name: 'cinnabar', domains: { zt: 'zt' } }), '{"domains":{"zt":"zt"},"name":"cinnabar"}');
  assert.equal(validationHashOf({ name: 'cinnabar', domains: { zt: 'zt' } }), stored);
});

test('Nix JSON: escapes, raw UTF-8, integers, nested key order', () => {
  assert.equal(nixToJson({ b: [1, true, null], a: 'q"\\\n\t\u0001ü' }), '{"a":"q\\"\\\\\\n\\t\\u0001ü","b":[1,true,null]}');
  assert.equal(nixToJson({ Z: 1, a: 2, _: 3 }), '{"Z":1,"_":3,"a":2}');
});

const decl = (body: string) => `{ clan.core.vars.generators.openssh-cert = ${body}; }`;

const CASES: [string, string, string][] = [
  ['literal attrset', decl('{ validation = { name = "cinnabar"; domains = { zt = "zt"; }; }; }'), 'value b4efca7b8f217ac6600094d0b91be37aa6a499f702db4e7ce37617d4fd2d2e4d'],
  ['dotted bindings', decl('{ validation.name = "cinnabar"; validation.domains.zt = "zt"; }'), 'value b4efca7b8f217ac6600094d0b91be37aa6a499f702db4e7ce37617d4fd2d2e4d'],
  ['no validation', decl('{ files.x = { }; }'), 'none'],
  ['validation = null', decl('{ validation = null; }'), 'none'],
  ['a variable inside', decl('{ validation = { name = machineName; }; }'), 'unknown'],
  ['a function call', decl('{ validation = { domains = lib.genAttrs searchDomains lib.id; }; }'), 'unknown'],
  ['a list', decl('{ validation = { xs = [ 1 2 ]; }; }'), 'unknown'],
  ['a literal string', decl('{ validation = "v1"; }'), `value ${validationHashOf('v1')}`],
];

for (const [name, text, expected] of CASES) {
  test(`static validation: ${name}`, async () => {
    const clan = await clanWith('/nonexistent-clan', { 'machines/cinnabar/x.nix': text });
    const v = staticValidation(clan.byName.get('openssh-cert') ?? []);
    const got = v.kind === 'value' ? `value ${validationHashOf(v.value)}` : v.kind;
    assert.equal(got, expected, JSON.stringify(v));
  });
}

test('static validation: workspace attribute names never reach Object.prototype', async () => {
  for (const key of ['__proto__', 'constructor', 'prototype']) {
    const clan = await clanWith('/nonexistent-clan', { 'machines/m/x.nix': decl(`{ validation.${key}.polluted = "yes"; validation.${key}.id = 1; }`) });
    const v = staticValidation(clan.byName.get('openssh-cert') ?? []);
    assert.equal(v.kind, 'unknown', `${key}: ${JSON.stringify(v)}`);
    assert.equal(({} as Record<string, unknown>).polluted, undefined, key);
    assert.equal(({} as Record<string, unknown>).id, undefined, key);
  }
});

test('static validation: names of Object.prototype members are ordinary attributes', async () => {
  const clan = await clanWith('/nonexistent-clan', { 'machines/m/x.nix': decl('{ validation.toString = "a"; validation.hasOwnProperty.x = "b"; }') });
  const v = staticValidation(clan.byName.get('openssh-cert') ?? []);
  assert.equal(v.kind === 'value' && nixToJson(v.value), '{"hasOwnProperty":{"x":"b"},"toString":"a"}');
});

test("a registry pipeline's generator: the evaluated validation's hash against the stored one (the evaluation's hash was computed and never read)", async () => {
  const hash = validationHashOf({ key: 'api' });
  const root = writeTree({
    'flake.nix': '{ }',
    'lib/secret-registry.nix': '{ ... }: { api = { generator = "api-key"; files.value = { }; script = "x > $out/value"; }; web = { generator = "web-key"; files.value = { }; script = "x > $out/value"; }; }\n',
    'lib/machine-env-matrix.nix': '{ a = [ "api" ]; b = [ "api" "web" ]; }\n',
    'lib/vars-generators.nix': `{ keys, pkgs ? null }:
let registry = import ./secret-registry.nix { inherit pkgs; };
in builtins.listToAttrs (map (key: { name = registry.\${key}.generator; value = { inherit (registry.\${key}) files script; validation = { inherit key; }; }; }) keys)
`,
    'vars/per-machine/a/api-key/value/value': 'v',
    'vars/per-machine/a/api-key/.validation-hash': hash,
    'vars/per-machine/b/api-key/value/value': 'v',
    'vars/per-machine/b/api-key/.validation-hash': validationHashOf({ key: 'old' }),
  });
  try {
    const clan = await clanOfFolder(root, DEFAULT_SETTINGS, () => {});
    const kinds = (name: string) => generatorView(clan, name).placements.map((p) => `${p.machine} ${p.validation.kind}`);
    assert.deepEqual(kinds('api-key'), ['a match', 'b outdated']);
    assert.deepEqual(kinds('web-key'), ['b absent']);
  } finally {
    removeTree(root);
  }
});
