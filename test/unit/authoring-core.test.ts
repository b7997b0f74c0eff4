// The analysis core behind hover and completion: script paths, the static validation hash (checked
// against a real .validation-hash), the text context on half-typed Nix, the option table.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { generatorPath, textContext } from '../../server/src/ide/textContext';
import { nixToJson, staticValidation, validationHashOf } from '../../server/src/model/generatorView/validationHash';
import { repoPathOf, targetPathOf } from '../../server/src/model/generatorView/fileState';
import type { Generator } from '../../server/src/facts/types';
import { optionDocFor, OPTION_DOCS } from '../../server/src/base/optionDocs';
import { extractFile } from '../../server/src/facts/file';
import { extractPathLinks } from '../../server/src/facts/pathLinks';
import { scriptPaths } from '../../server/src/facts/scriptPaths';
import { NixParser } from '../../server/src/syntax/nixParser';
import { REPO_ROOT } from '../helpers/tempClan';

async function generatorsOf(nix: string) {
  const parser = await NixParser.load();
  const tree = parser.parse(nix);
  try {
    return extractFile('/clan/m.nix', tree, { registry: false, matrix: false }).generators;
  } finally {
    tree.delete();
  }
}

test('script paths: $out, ${out}, "$out"/x, $in/dep/file, $prompts, with ranges in the file', async () => {
  const [g] = await generatorsOf(`{ clan.core.vars.generators.g.script = ''\n  cp $in/dep/a.key "$out"/b\n  cat $prompts/pw > ''\${out}/c.pub.\n''; }`);
  const found = scriptPaths(g.script!).map((p) => `${p.kind}:${p.dep ? p.dep.name + '/' : ''}${p.name}@${p.nameRange.start.line}:${p.nameRange.start.character}`);
  assert.deepEqual(found, ['in:dep/a.key@1:13', 'out:b@1:26', 'prompts:pw@2:15', 'out:c.pub@2:29']);
});

/** The hash clan would store for one declaration: null without validation, undefined when not literal. */
function expectedValidationHash(g: Generator): string | null | undefined {
  const v = staticValidation([g]);
  return v.kind === 'none' ? null : v.kind === 'value' ? validationHashOf(v.value) : undefined;
}

test('validation hash: sha256 of Nix toJSON (keys sorted), equal to a real .validation-hash', async () => {
  const fixture = path.join(REPO_ROOT, '../../shared/fixtures/clan-core-vars/validation-hash-vanixiets/vars/per-machine/cinnabar/openssh-cert/.validation-hash');
  const stored = fs.readFileSync(fs.existsSync(fixture) ? fixture : '/work/shared/fixtures/clan-core-vars/validation-hash-vanixiets/vars/per-machine/cinnabar/openssh-cert/.validation-hash', 'utf8').trim();
  const [g] = await generatorsOf(`{ clan.core.vars.generators.openssh-cert = { validation = { name = "cinnabar"; domains = { zt = "zt"; }; }; }; }`);
  assert.equal(expectedValidationHash(g), stored);
  const [dotted] = await generatorsOf(`{ clan.core.vars.generators.x.validation = { name = "cinnabar"; domains.zt = "zt"; }; }`);
  assert.equal(expectedValidationHash(dotted), stored);
  assert.equal(nixToJson({ b: 1, a: { d: true, c: 'x' } }), '{"a":{"c":"x","d":true},"b":1}');
  const [none] = await generatorsOf(`{ clan.core.vars.generators.x.files.k = { }; }`);
  assert.equal(expectedValidationHash(none), null);
  const [computed] = await generatorsOf(`{ clan.core.vars.generators.x.validation = { name = config.networking.hostName; }; }`);
  assert.equal(expectedValidationHash(computed), undefined);
});

test('text context: attribute path, binding, list and string on half-typed text', () => {
  const at = (t: string) => textContext(t, t.length);
  let c = at('{ lib, ... }: {\n  clan.core.vars.generators = lib.mkMerge [ {\n    foo = {\n      files."a.b" = {\n        mo');
  assert.deepEqual(generatorPath([...c.path, ...c.frame.stmt]), { generator: 'foo', rest: ['files', 'a.b', 'mo'] });
  c = at('{ x.dependencies = [ "a" "b');
  assert.equal(c.frame.open, '[');
  assert.deepEqual(c.frame.key, ['x', 'dependencies']);
  assert.equal(c.string?.content, 'b');
  c = at('{ a = "x${ { b = 1; }.b }y"; # { not a brace\n c = /* { */ \'\'\n  $out/');
  assert.deepEqual(c.frame.stmt, ['c']);
  assert.equal(c.string?.kind, "''");
  c = at('{ g = with pkgs; [ ');
  assert.deepEqual(c.frame.key, ['g']);
  c = at('let a = { b = 1; }; in { c');
  assert.deepEqual(c.path, []);
  assert.deepEqual(c.frame.stmt, ['c']);
});

test('option docs: every option has a type, a default and text; paths map to scopes', () => {
  for (const d of OPTION_DOCS) assert.ok(d.type && d.default && d.doc.length > 20, d.name);
  assert.equal(optionDocFor(['files', 'k', 'mode'])?.default, '`"0400"`');
  assert.equal(optionDocFor(['prompts', 'p', 'display', 'required'])?.default, '`true`');
  assert.deepEqual(optionDocFor(['files', 'k', 'neededFor'])?.values, ['services', 'users', 'activation', 'partitioning']);
  assert.equal(optionDocFor(['files', 'k']), null);
});

test('var paths per backend and neededFor', () => {
  const m = (file: string) => ({ machine: 'm', generator: 'g', file });
  assert.equal(repoPathOf({ machine: null, generator: 'g', file: 'k' }, false, 'sops'), 'vars/shared/g/k/value');
  assert.equal(repoPathOf(m('keys/PK.key'), true, 'age'), 'secrets/clan-vars/per-machine/m/g/keys/PK.key/PK.key.age');
  assert.equal(repoPathOf(m('k'), true, 'sops'), 'vars/per-machine/m/g/k/secret');
  assert.equal(targetPathOf(m('k'), true, 'services', 'sops'), '/run/secrets/vars/per-machine/m/g/k');
  assert.equal(targetPathOf(m('k'), true, 'users', 'age'), '/run/user-secrets/per-machine/m/g/k');
  assert.match(targetPathOf(m('k'), true, 'activation', 'sops'), /^\/var\/lib\/sops-nix\/activation\//);
});

test('extract: aliases of a generator written twice, registry domain/kind, relative path links', async () => {
  const [g] = await generatorsOf('{\n  clan.core.vars.generators.x.files.k = { };\n  clan.core.vars.generators.x.script = "";\n}');
  assert.deepEqual(g.aliases?.map((a) => a.range.start), [{ line: 2, character: 28 }]);
  const parser = await NixParser.load();
  const reg = parser.parse('{ k = { generator = "g"; domain = "ai"; kind = "api-key"; }; }');
  const facts = extractFile('/clan/lib/secret-registry.nix', reg, { registry: true, matrix: false });
  assert.equal(facts.registry?.entries[0].domain, 'ai');
  assert.equal(facts.registry?.entries[0].kind, 'api-key');
  reg.delete();
  const links = parser.parse('{ imports = [ ./a.nix ../b <nixpkgs> ./${x}.nix /abs.nix ]; }');
  assert.deepEqual(extractPathLinks(NixParser.flatten(links).rootNode, '/clan/m/default.nix').map((l) => l.target), ['/clan/m/a.nix', '/clan/b']);
  links.delete();
});
