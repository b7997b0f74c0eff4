// The registry pipeline's evaluation makes one record per distinct generator (model/clanEvaluation.ts
// GeneratorRecords): machines that select the same registry entry share its record, found by the
// objects its fields are made of. A generator that differs in any field the record reads, in its
// name, or in where its name is written gets a record of its own.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { Confinement } from '../../server/src/base/confinement';
import { readsWithin } from '../../server/src/facts/eval/context';
import { AstCache } from '../../server/src/facts/eval/index';
import { evaluateClan } from '../../server/src/model/clanEvaluation';
import { NixParser } from '../../server/src/syntax/nixParser';
import { removeTree, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

const REGISTRY = `{ pkgs ? null }:
{
  db = {
    generator = "db";
    files.password = { };
    prompts.user = { };
    share = false;
    dependencies = [ "base" ];
    validation.v = 1;
  };
}
`;

// every machine selects "db"; the other keys change one part of its generator
const GENERATORS = `{ keys ? null, pkgs ? null }:
let
  registry = import ./secret-registry.nix { inherit pkgs; };
  has = k: builtins.elem k keys;
  db = removeAttrs registry.db [ "generator" ]
    // (if has "files" then { files.other = { }; } else { })
    // (if has "prompts" then { prompts.other = { }; } else { })
    // (if has "share" then { share = true; } else { })
    // (if has "deps" then { dependencies = [ "other" ]; } else { })
    // (if has "validation" then { validation.v = 2; } else { });
in
if has "alt" then { db = db; } else builtins.listToAttrs (map (n: { name = "\${n}"; value = db; }) [ "db" "copy" ])
`;

const MATRIX = `{
  plain = [ "db" ];
  same = [ "db" ];
  files = [ "db" "files" ];
  prompts = [ "db" "prompts" ];
  share = [ "db" "share" ];
  deps = [ "db" "deps" ];
  validation = [ "db" "validation" ];
  alt = [ "db" "alt" ];
}
`;

test('registry evaluation: machines selecting the same entry share one record; any difference the record reads makes another', async () => {
  const root = writeTree({ 'lib/secret-registry.nix': REGISTRY, 'lib/vars-generators.nix': GENERATORS, 'lib/machine-env-matrix.nix': MATRIX });
  roots.push(root);
  const lib = (f: string) => path.join(root, 'lib', f);
  const e = evaluateClan(
    await NixParser.load(),
    { registryFile: lib('secret-registry.nix'), matrixFile: lib('machine-env-matrix.nix'), generatorsFile: lib('vars-generators.nix') },
    { machines: null },
    { reads: readsWithin(Confinement.within(root)), astCache: new AstCache(10) },
  );
  const gen = (machine: string, name = 'db') => {
    const g = e.machines.get(machine)?.find((x) => x.name === name);
    assert.ok(g, `${machine} has generator ${name}`);
    return g;
  };
  const plain = gen('plain');
  assert.deepEqual([plain.files, plain.prompts, plain.share, plain.dependencies], [['password'], ['user'], false, ['base']]);
  assert.ok(plain.validationHash);
  // the same entry on another machine: the same record
  assert.equal(gen('same'), plain);
  // the same values under another name, written in the same place: a record of that name
  assert.equal(gen('plain', 'copy').name, 'copy');
  assert.deepEqual(gen('plain', 'copy').nameLocation, plain.nameLocation);
  // each field the record reads, changed on one machine
  assert.deepEqual(gen('files').files, ['other']);
  assert.deepEqual(gen('prompts').prompts, ['other']);
  assert.equal(gen('share').share, true);
  assert.deepEqual(gen('deps').dependencies, ['other']);
  assert.notEqual(gen('validation').validationHash, plain.validationHash);
  assert.ok(gen('validation').validationHash);
  // the name written elsewhere: where it is written is the other place
  assert.notDeepEqual(gen('alt').nameLocation, plain.nameLocation);
  assert.ok(gen('alt').nameLocation);
  // and those machines' records are otherwise what plain's is
  for (const [m, field] of [['files', 'prompts'], ['prompts', 'files'], ['share', 'dependencies'], ['deps', 'share'], ['validation', 'files']] as const) assert.deepEqual(gen(m)[field], plain[field], `${m}: ${field}`);
});
