// shared-definition-mismatch: a shared generator every machine must declare identically. clan
// compares each machine's evaluated generator (files without owner, group and mode; prompts;
// dependencies; the validation hash) and stops with "Machines a and b have different definitions
// for shared generator 'x' (differ in: ...)". Each case is a small clan with machines a, b (and c);
// what a user sees is compared whole: where, how severe, the message and the related locations.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { analyzeFolder } from '../../server/src/cli/analyzeFolder';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { removeTree, writeTree } from '../helpers/tempClan';
import { NixParser } from '../../server/src/syntax/nixParser';
import { WorkspaceAnalysis } from '../../server/src/rules/workspaceAnalysis';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

interface Seen {
  at: string;
  severity: string;
  message: string;
  related?: string[];
}

/** The shared-definition-mismatch findings on the clan `files`: `file:line:col`, severity, message, related as `file:line:col message`. */
async function findings(files: Record<string, string>): Promise<Seen[]> {
  const root = writeTree({ 'flake.nix': '{ }', ...files });
  roots.push(root);
  const report = await analyzeFolder(root, DEFAULT_SETTINGS, () => {});
  const where = (file: string, r: { start: { line: number; character: number } }) => `${path.relative(root, file)}:${r.start.line + 1}:${r.start.character + 1}`;
  return report.problems
    .filter((p) => p.code === 'shared-definition-mismatch')
    .map((p) => ({
      at: where(p.file, p.range),
      severity: p.severity,
      message: p.message,
      ...(p.related ? { related: p.related.map((r) => `${where(r.location.file, r.location.range)} ${r.message}`) } : {}),
    }))
    .sort((x, y) => x.at.localeCompare(y.at));
}

/** A module declaring shared generator `x` with `body` (Nix attributes) besides share and a script. */
const x = (body: string, head = '{ ... }:') => `${head} {\n  clan.core.vars.generators.x = { share = true; script = "touch $out/k"; ${body} };\n}\n`;
/** A module adjusting generator `x` with `body` (no script, no prompts). */
const adjust = (body: string, head = '{ ... }:') => `${head} {\n  clan.core.vars.generators.x = { ${body} };\n}\n`;
/** The finding of machines a and b differing in `differ` for `x`, on `file` (machine b's) with the related locations. */
const mismatch = (file: string, differ: string, there = 'machines/a/x.nix', col = 29, a = 'a', b = 'b') => ({
  at: `${file}:2:${col}`,
  severity: 'error',
  message:
    `Machines ${a} and ${b} have different definitions for shared generator 'x' (differ in: ${differ}). ` +
    `clan vars generate stops with this error: every machine using a shared generator must declare it identically. ` +
    `Declare it once in a module both machines import.`,
  related: [`${there}:2:29 'x' as ${a} has it (${there})`, `${file}:2:${col} 'x' as ${b} has it`],
});

/** Machines a and b, each with its own module declaring x. */
const two = (a: string, b: string, extra: Record<string, string> = {}) => ({ 'machines/a/x.nix': a, 'machines/b/x.nix': b, ...extra });

const CFG = '{ config, ... }:';
/** A module whose generator x only evaluation can list (lib.genAttrs), with `body`. */
const EVALUATED = (json: string) => `{ ... }: {\n  clan.core.vars.generators = builtins.fromJSON ''{ "x": ${json} }'';\n}\n`;

/** Cases: the clan, and what the user sees (no finding: []). */
const CASES: { name: string; files: Record<string, string>; expect: Seen[] }[] = [
  { name: 'different files: an error on the second machine, related to the first', files: two(x('files.k = { };'), x('files.k = { }; files.j = { };')), expect: [mismatch('machines/b/x.nix', 'files')] },
  { name: 'files listed in another order are the same files', files: two(x('files.k = { }; files.j = { };'), x('files.j = { }; files.k = { };')), expect: [] },
  { name: "a file's settings spelled out as clan-core's defaults are no difference", files: two(x('files.k = { secret = true; deploy = true; neededFor = "services"; };'), x('files.k = { };')), expect: [] },
  { name: 'a file secret on one machine and public on the other differs', files: two(x('files.k = { };'), x('files.k.secret = false;')), expect: [mismatch('machines/b/x.nix', 'files')] },
  { name: 'a file not deployed on one machine differs', files: two(x('files.k = { };'), x('files.k.deploy = false;')), expect: [mismatch('machines/b/x.nix', 'files')] },
  { name: 'a file needed for users on one machine differs', files: two(x('files.k = { };'), x('files.k.neededFor = "users";')), expect: [mismatch('machines/b/x.nix', 'files')] },
  { name: "a prompt's settings spelled out as clan-core's defaults (its description is its name) are no difference", files: two(x('prompts.p = { type = "line"; persist = false; description = "p"; };'), x('prompts.p = { };')), expect: [] },
  { name: 'a prompt hidden on one machine differs', files: two(x('prompts.p = { };'), x('prompts.p.type = "hidden";')), expect: [mismatch('machines/b/x.nix', 'prompts')] },
  { name: 'a prompt persisted on one machine differs, and so do the files (a persisted prompt is a file)', files: two(x('prompts.p = { };'), x('prompts.p.persist = true;')), expect: [mismatch('machines/b/x.nix', 'files, prompts')] },
  {
    // UncleGravity/dotfiles: restartUnits on a nixos machine only; clan compares no restartUnits
    name: "a machine that names a persisted prompt's file only to adjust it (files.p.restartUnits) has the same files",
    files: two(x('prompts.p.persist = true;'), x('prompts.p.persist = true;'), { 'machines/b/y.nix': adjust('files.p.restartUnits = [ "u.service" ];') }),
    expect: [],
  },
  { name: "a file of a persisted prompt's name declared on one machine is no difference", files: two(x('prompts.p.persist = true;'), x('prompts.p.persist = true; files.p = { };')), expect: [] },
  { name: 'a prompt whose persist is not a literal leaves the files uncompared', files: two(x('prompts.p.persist = config.my.persist;', CFG), x('prompts.p.persist = false; files.j = { };')), expect: [] },
  { name: 'a prompt described differently differs', files: two(x('prompts.p = { };'), x('prompts.p.description = "the p";')), expect: [mismatch('machines/b/x.nix', 'prompts')] },
  { name: 'a value that is not a literal is not compared: not even the other files', files: two(x('files.k.secret = config.my.secret;', CFG), x('files.k.secret = false; files.j = { };')), expect: [] },
  { name: 'a value that is not a literal leaves the other parts compared', files: two(x('files.k.secret = config.my.secret; prompts.p = { };', CFG), x('files.k.secret = false; files.j = { }; prompts.p.persist = true;')), expect: [mismatch('machines/b/x.nix', 'prompts')] },
  { name: 'two modules of a machine setting one option alike: that value', files: two(x('files.k.neededFor = "users";', CFG), x('files.k.neededFor = "activation";'), { 'machines/a/y.nix': adjust('files.k.neededFor = "users";') }), expect: [mismatch('machines/b/x.nix', 'files')] },
  { name: 'two modules of a machine setting one option differently (priorities decide): not compared', files: two(x('files.k.neededFor = "users";', CFG), x('files.k.neededFor = "activation";'), { 'machines/a/y.nix': adjust('files.k.neededFor = "partitioning";') }), expect: [] },
  { name: "a file whose settings are not read is not compared", files: two(x('files.k = config.my.file;', CFG), x('files.k.secret = false;')), expect: [] },
  { name: "a prompt named like a file whose settings are not read is compared", files: two(x('files.k = config.my.file; prompts.k = { };', CFG), x('files.k = { }; prompts.k.type = "hidden";')), expect: [mismatch('machines/b/x.nix', 'prompts')] },
  { name: "a file whose settings are not read in one module of a machine is not compared", files: two(x('files.k.secret = false;'), x('files.k = { }; files.j = { };'), { 'machines/a/y.nix': adjust('files.j = config.my.file;', CFG) }), expect: [] },
  { name: "a file whose settings are not read but whose compared settings are all set elsewhere: the machines' other files are compared", files: two(x('files.k = { secret = false; deploy = true; neededFor = "services"; }; files.j = { };'), x('files.k = { }; files.j = { };'), { 'machines/a/y.nix': adjust('files.k = config.my.file;', CFG) }), expect: [mismatch('machines/b/x.nix', 'files')] },
  { name: 'a machine whose declaration names a file by a computed name is not compared', files: two(x('files.${config.my.name} = { }; files.k = { };', CFG), x('files.k.secret = false;')), expect: [] },
  { name: 'the same on the second machine', files: two(x('files.k.secret = false;'), x('files.${config.my.name} = { }; files.k = { };', CFG)), expect: [] },
  { name: 'files an evaluation computes beside a setting of a computed file name: the files are not compared', files: two(x('files = lib.genAttrs [ "k" "j" ] (_: { }); files.${lib.toLower "J"}.secret = false;', '{ lib, ... }:'), x('files.k = { }; files.j.secret = false;')), expect: [] },
  { name: "a file named by a computed name in a setting only may be the other machine's second file: not compared", files: two(x('files.k = { }; files.${config.my.name}.secret = false;', CFG), x('files.k = { }; files.j.secret = false;')), expect: [] },
  { name: "a prompt named by a computed name in a setting only may be the other machine's second prompt: not compared", files: two(x('prompts.p = { }; prompts.${config.my.name}.type = "hidden";', CFG), x('prompts.p = { }; prompts.q.type = "hidden";')), expect: [] },
  { name: 'a machine whose declaration names a prompt by a computed name is not compared', files: two(x('prompts.${config.my.name} = { }; prompts.p = { };', CFG), x('prompts.p.type = "hidden";')), expect: [] },
  { name: 'files computed as a whole: not compared', files: two(x('files.k.secret = false;'), x('files.k = { };'), { 'machines/a/y.nix': adjust('files = config.my.files;', CFG) }), expect: [] },
  { name: 'files computed as a whole on the second machine: not compared', files: two(x('files.k = { };'), x('files.k.secret = false;'), { 'machines/b/y.nix': adjust('files = config.my.files;', CFG) }), expect: [] },
  { name: 'prompts computed as a whole: not compared', files: two(x('prompts.p.type = "hidden";'), x('prompts.p = { };'), { 'machines/a/y.nix': adjust('prompts = config.my.prompts;', CFG) }), expect: [] },
  { name: "a machine whose only declaration with a script has its files computed is not compared", files: two(x('files = config.my.files; prompts.p.type = "hidden";', CFG), x('prompts.p = { };')), expect: [] },
  { name: 'dependencies in another order are the same', files: two(x('dependencies = [ "p" "q" ];'), x('dependencies = [ "q" "p" ];')), expect: [] },
  { name: 'different dependencies differ', files: two(x('dependencies = [ "p" "q" ];'), x('dependencies = [ "pq" ];')), expect: [mismatch('machines/b/x.nix', 'dependencies')] },
  { name: 'one dependency fewer differs', files: two(x('dependencies = [ "p" "q" ];'), x('dependencies = [ "p" ];')), expect: [mismatch('machines/b/x.nix', 'dependencies')] },
  { name: 'a computed dependency: the dependencies are not compared', files: two(x('dependencies = [ "p" config.my.dep ];', CFG), x('dependencies = [ "r" ];')), expect: [] },
  { name: 'validations in another order are the same', files: two(x('validation.a = 1; validation.b = 2;'), x('validation.b = 2; validation.a = 1;')), expect: [] },
  { name: 'different validations differ', files: two(x('validation.a = 1;'), x('validation.a = 2;')), expect: [mismatch('machines/b/x.nix', 'validation_hash')] },
  { name: 'a validation attribute nested differently differs', files: two(x('validation.ab = 1;'), x('validation.a.b = 1;')), expect: [mismatch('machines/b/x.nix', 'validation_hash')] },
  { name: 'two validation attributes differ from one named like them joined', files: two(x('validation.a = 1; validation.b = 2;'), x('validation."a=1validation.b" = 2;')), expect: [mismatch('machines/b/x.nix', 'validation_hash')] },
  { name: 'validation = null is no validation', files: two(x('validation = null;'), x('files.k = { };'.replace('files.k = { };', ''))), expect: [] },
  { name: 'a validation attribute that is null is a validation', files: two(x('validation.a = null;'), x('')), expect: [mismatch('machines/b/x.nix', 'validation_hash')] },
  { name: 'a validation set with different values differs', files: two(x('validation = { a = 1; };'), x('validation = { a = 2; };')), expect: [mismatch('machines/b/x.nix', 'validation_hash')] },
  { name: 'a deep validation set with different keys differs, its values read or not', files: two(x('validation.a.b.c.d.e = { f = config.my.v; };', CFG), x('validation.a.b.c.d.e = { g = config.my.v; };', CFG)), expect: [mismatch('machines/b/x.nix', 'validation_hash')] },
  { name: 'a validation value that is not a literal: the validations are not compared', files: two(x('validation.a = config.my.v;', CFG), x('validation.a = config.my.w;', CFG)), expect: [] },
  { name: 'a validation value that is not a literal beside literal ones: the validations are not compared', files: two(x('validation.a = config.my.v; validation.b = 1;', CFG), x('validation.a = config.my.w; validation.b = 1;', CFG)), expect: [] },
  { name: "validations holding the machine's name that come out the same on both machines are the same", files: two(x('validation.h = "b" + config.networking.hostName + config.networking.hostName;', CFG), x('validation.h = config.networking.hostName + "a" + "a";', CFG)), expect: [] },
  { name: 'different files and prompts: both named', files: two(x('files.k = { }; prompts.p = { };'), x('files.j = { }; prompts.q = { };')), expect: [mismatch('machines/b/x.nix', 'files, prompts')] },
  { name: 'an evaluated declaration adding dependencies: the dependencies are not compared', files: two(x('dependencies = [ "p" ];'), x('dependencies = [ "p" ];'), { 'machines/a/y.nix': EVALUATED('{ "dependencies": [ "q" ] }') }), expect: [] },
  { name: 'a machine whose declaration is evaluated is not compared: the others are, with each other', files: { 'machines/a/x.nix': EVALUATED('{ "share": true, "script": "touch $out/k", "prompts": { "p": { "type": "hidden" } } }'), 'machines/b/x.nix': x('prompts.p = { };'), 'machines/c/x.nix': x('prompts.p.persist = true;') }, expect: [mismatch('machines/c/x.nix', 'files, prompts', 'machines/b/x.nix', 29, 'b', 'c')] },
  { name: 'a machine whose declaration has its files computed is not compared: the others are, with each other', files: { 'machines/a/x.nix': x('files = config.my.files; prompts.p.type = "hidden";', CFG), 'machines/b/x.nix': x('prompts.p = { };'), 'machines/c/x.nix': x('prompts.p.persist = true;') }, expect: [mismatch('machines/c/x.nix', 'files, prompts', 'machines/b/x.nix', 29, 'b', 'c')] },
  {
    name: 'the declarations each machine has and the other lacks: reported on the second, related to the first',
    files: {
      'modules/common.nix': x('files.k = { };'),
      'machines/a/configuration.nix': '{ imports = [ ../../modules/common.nix ./extra.nix ]; }\n',
      'machines/a/extra.nix': adjust('prompts.p = { };'),
      'machines/b/configuration.nix': '{ imports = [ ../../modules/common.nix ./extra.nix ]; }\n',
      'machines/b/extra.nix': adjust('prompts.q = { };'),
    },
    expect: [mismatch('machines/b/extra.nix', 'prompts', 'machines/a/extra.nix')],
  },
  {
    name: "a validation holding the machine's name in a module every machine imports: reported once, where it is written",
    files: {
      'modules/x.nix': `{ config, ... }: {
  clan.core.vars.generators.x = {
    share = true;
    script = "touch $out/k";
    prompts.p.description = "for \${config.networking.hostName}";
    validation.v = "1";
    validation.host = config.networking.hostName;
    validation.fqdn = config.networking.fqdn;
  };
}
`,
      'machines/a/configuration.nix': '{ imports = [ ../../modules/x.nix ]; }\n',
      'machines/b/configuration.nix': '{ imports = [ ../../modules/x.nix ]; }\n',
      'machines/c/configuration.nix': '{ imports = [ ../../modules/x.nix ]; }\n',
    },
    expect: [
      {
        at: 'modules/x.nix:7:23',
        severity: 'error',
        message:
          "validation.host of shared generator 'x' holds the machine's name (config.networking.hostName), so machines a and b have different definitions (differ in: validation_hash). " +
          "clan vars generate stops with this error. Use a value that is the same on every machine, or make 'x' per-machine (share = false).",
      },
    ],
  },
  { name: 'prompts an evaluation computes beside a setting of a computed prompt name: the prompts are not compared', files: two(x('prompts.p = { }; prompts.${lib.toLower "Q"}.type = "hidden";', '{ lib, ... }:'), x('prompts.p = { }; prompts.q.type = "hidden";')), expect: [] },
  // the prompt's settings are computed, so whether it is persisted (a file) is not known
  { name: 'a setting of a computed prompt name leaves the files uncompared', files: two(x('files.k.secret = false; prompts.${lib.toLower "Q"}.type = "hidden";', '{ lib, ... }:'), x('files.k = { }; prompts.q.type = "hidden";')), expect: [] },
  { name: 'a setting of a computed prompt name leaves the dependencies compared', files: two(x('dependencies = [ "d" ]; prompts.${lib.toLower "Q"}.type = "hidden";', '{ lib, ... }:'), x('prompts.q.type = "hidden";'), { 'machines/a/d.nix': adjust('files.k = { };').replace(/\.x =/, '.d =') }), expect: [mismatch('machines/b/x.nix', 'dependencies')] },
  { name: 'a validation that is one value differs from another one', files: two(x('validation = "1";'), x('validation = "2";')), expect: [mismatch('machines/b/x.nix', 'validation_hash')] },
  { name: 'a validation that is not a literal as a whole: not compared', files: two(x('validation = config.my.v;', CFG), x('validation.a = 1;')), expect: [] },
  { name: 'two files differ from one named like them written together', files: two(x('files.p = { }; files.q = { };'), x('files."p(true,true,\\"services\\")q" = { };')), expect: [mismatch('machines/b/x.nix', 'files')] },
];

for (const c of CASES) {
  test(`shared-definition-mismatch: ${c.name}`, async () => {
    assert.deepEqual(await findings(c.files), c.expect);
  });
}

test('shared-definition-mismatch: an edit of a machine\'s imports alone (no generator changed) clears the finding once both machines import the same module', async () => {
  const files = {
    'flake.nix': '{ }',
    'modules/x1.nix': x('files.k = { };'),
    'modules/x2.nix': x('files.k.secret = false;'),
    'machines/a/configuration.nix': '{ imports = [ ../../modules/x1.nix ]; }\n',
    'machines/b/configuration.nix': '{ imports = [ ../../modules/x2.nix ]; }\n',
  };
  const root = writeTree(files);
  roots.push(root);
  const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load(), () => {});
  await index.scan();
  const found = () => [...index.allProblems().values()].flat().filter((p) => p.code === 'shared-definition-mismatch').map((p) => `${path.relative(root, p.file)}:${p.range.start.line + 1} ${p.message.split('. ')[0]}`);
  assert.deepEqual(found(), ["modules/x2.nix:2 Machines a and b have different definitions for shared generator 'x' (differ in: files)"]);
  index.updateFromText(`${root}/machines/b/configuration.nix`, '{ imports = [ ../../modules/x1.nix ]; }\n');
  assert.deepEqual(found(), []);
  index.updateFromText(`${root}/machines/b/configuration.nix`, '{ imports = [ ../../modules/x2.nix ]; }\n');
  assert.deepEqual(found(), ["modules/x2.nix:2 Machines a and b have different definitions for shared generator 'x' (differ in: files)"]);
});

// a registry clan: the pipeline gives machine a the registry entry 'tok', whose generator is 'x'
const registryClan = (matrix: string, common: string) => ({
  'flake.nix': `{ outputs = { clan-core, ... }: { clan = clan-core.lib.clan { machines.a.imports = [ ./common.nix ]; machines.b.imports = [ ./common.nix ]; }; }; }\n`,
  'common.nix': common,
  'lib/secret-registry.nix': `{ pkgs ? null }:\n{\n  tok = { generator = "x"; files.tok = { }; prompts.value = { }; script = "cat $prompts/value > $out/tok"; };\n}\n`,
  'lib/machine-env-matrix.nix': matrix,
  'lib/vars-generators.nix': `{ keys, pkgs ? null }:
let registry = import ./secret-registry.nix { }; in
builtins.listToAttrs (map (key: { name = registry.\${key}.generator; value = { inherit (registry.\${key}) files prompts script; }; }) keys)
`,
});

test("shared-definition-mismatch: a registry entry that merges into a shared generator on one machine only makes the definitions differ (clan compares the merged generator)", async () => {
  const shared = `{ ... }: {\n  clan.core.vars.generators.x = { share = true; files.k.secret = false; script = "touch $out/k"; };\n}\n`;
  assert.deepEqual(await findings(registryClan('{ a = [ "tok" ]; b = [ ]; }\n', shared)), [
    {
      at: 'lib/secret-registry.nix:3:23',
      severity: 'error',
      message:
        "Machines a and b have different definitions for shared generator 'x' (differ in: files, prompts). clan vars generate stops with this error: every machine using a shared generator must declare it identically. Declare it once in a module both machines import.",
      related: ["common.nix:2:29 'x' as b has it (common.nix)", "lib/secret-registry.nix:3:23 'x' as a has it"],
    },
  ]);
  // on both machines: the same merged generator, nothing to report
  assert.deepEqual(await findings(registryClan('{ a = [ "tok" ]; b = [ "tok" ]; }\n', shared)), []);
});

test("shared-definition-mismatch: a machine with only a registry entry's declaration of the name (not shared there) is not compared", async () => {
  // machine b shares x from its module; machine a has x from the registry alone, where it is not shared
  const common = `{ ... }: { }\n`;
  const files = registryClan('{ a = [ "tok" ]; b = [ ]; }\n', common);
  files['flake.nix'] = `{ outputs = { clan-core, ... }: { clan = clan-core.lib.clan { machines.a.imports = [ ./common.nix ]; machines.b.imports = [ ./b.nix ]; }; }; }\n`;
  assert.deepEqual(await findings({ ...files, 'b.nix': `{ ... }: {\n  clan.core.vars.generators.x = { share = true; files.k.secret = false; script = "touch $out/k"; };\n}\n` }), []);
});
