// The migration quick fixes of facts-leftover and sops-nix-secret, applied to the fixtures (a facts
// machine, a sops-nix host): the rewritten Nix parses without errors, the syntax extraction and the
// static evaluator both read the expected generators from it, and no diagnostic of ours remains.
import assert from 'node:assert/strict';
import { ownGenerators } from '../helpers/ownGenerators';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { analyzeFolder } from '../../server/src/cli/analyzeFolder';
import { migrationSteps } from '../../server/src/ide/migrationSteps';
import { applyEdits } from '../../server/src/cli/applyFixes';
import { evaluateGenerators } from '../../server/src/facts/evaluatedGenerators';
import { extractFile } from '../../server/src/facts/file';
import { rewriteFactsScript } from '../../server/src/facts/legacyGenerators';
import type { TextEdit } from '../../server/src/base/types';
import type { Generator } from '../../server/src/facts/types';
import { NixParser } from '../../server/src/syntax/nixParser';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { generatorLines } from '../helpers/generatorCases';
import { clanWith } from '../helpers/varsModel';
import { clanVarsStatus } from '../../server/src/ide/vars/varsStatus';
import { describeGenerator, valuesToMove } from '../../client/src/vars/describeState';
import { REPO_ROOT, removeTree, writeTree, clanCorePinnedAt } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

function copyFixture(name: string): string {
  const dir = path.join(REPO_ROOT, 'test', 'fixtures', 'migration', name);
  const files: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else files[path.relative(dir, full)] = fs.readFileSync(full, 'utf8');
    }
  };
  walk(dir);
  const root = writeTree(files);
  roots.push(root);
  return root;
}

/** Runs the checker, applies every fix of `code` (each fix is one generator and its readers), returns the rewritten module. */
async function migrate(root: string, code: string, module: string): Promise<{ before: string[]; titles: string[]; text: string }> {
  const report = await analyzeFolder(root, DEFAULT_SETTINGS, () => {});
  const file = path.join(root, module);
  const ours = report.problems.filter((p) => p.code === code && p.file === file);
  const edits: TextEdit[] = ours.flatMap((p) => p.fixes?.[0]?.edits ?? []);
  for (const e of edits) assert.equal(e.file, file, 'every edit of the fixture is in its one module');
  const text = applyEdits(fs.readFileSync(file, 'utf8'), edits);
  fs.writeFileSync(file, text);
  return { before: ours.map((p) => `${p.range.start.line + 1} ${p.severity}`), titles: ours.map((p) => p.fixes?.[0]?.title ?? '(none)'), text };
}

function option(g: Generator, p: string): string | undefined {
  return g.options.find((o) => o.path.join('.') === p)?.text;
}

/** `evaluate`: also the static evaluator, which reads a module on its own (not one that imports files). */
async function readBack(file: string, text: string, evaluate = true) {
  const parser = await NixParser.load();
  const tree = parser.parse(text);
  try {
    assert.equal(tree.rootNode.hasError, false, `the rewritten module parses:\n${text}`);
    const facts = extractFile(file, tree, { registry: false, matrix: false }, text, parser);
    const evaluated = evaluate ? evaluateGenerators(NixParser.flatten(tree), file, parser) : { generators: [] };
    assert.ok(evaluated, 'the static evaluator reads the module');
    const evalLines = evaluated.generators.map((g) => `${g.name.name} [] {${[...(g.files ?? ['?'])].sort().join(',')}}${g.prompts?.length ? ` <${[...g.prompts].sort().join(',')}>` : ''}`);
    return { facts, syntax: generatorLines(facts).sort(), evaluated: evalLines.sort() };
  } finally {
    tree.delete();
  }
}

test('migration: a facts service with secret and public files and a prompt becomes a vars generator, readers follow', async () => {
  const root = copyFixture('facts');
  const module = 'machines/alpha/configuration.nix';
  const { before, titles, text } = await migrate(root, 'facts-leftover', module);
  assert.deepEqual(before, ['4 error', '17 error']); // the fixture pins a clan-core from 2026: facts no longer exist
  assert.deepEqual(titles, ["Move facts service 'borgbackup' to a vars generator", "Move facts service 'wifi' to a vars generator"]);
  assert.doesNotMatch(text, /clan\.core\.facts|\$secrets|\$facts/);
  assert.match(text, /BORG_RSH = "ssh -i \$\{config\.clan\.core\.vars\.generators\.borgbackup\.files\."borgbackup\.ssh"\.path\}"/);
  assert.match(text, /secretsFile = config\.clan\.core\.vars\.generators\.wifi\.files\.psk\.path;/);
  assert.match(text, /config\.clan\.core\.vars\.generators\.borgbackup\.files\."borgbackup\.ssh\.pub"\.value/);
  const expected = ['borgbackup [] {borgbackup.ssh,borgbackup.ssh.pub}', 'wifi [] {psk} <prompt_value>'];
  const back = await readBack(path.join(root, module), text);
  assert.deepEqual(back.syntax, expected);
  assert.deepEqual(back.evaluated, expected);
  const [borg, wifi] = ['borgbackup', 'wifi'].map((n) => back.facts.generators.find((g) => g.name.name === n)!);
  assert.equal(option(borg, 'files.borgbackup.ssh.pub.secret'), 'false');
  assert.equal(option(borg, 'files.borgbackup.ssh.secret'), undefined, 'a facts secret is a vars secret: the default');
  assert.match(option(borg, 'runtimeInputs') ?? '', /pkgs\.openssh/);
  assert.match(borg.script?.raw ?? '', /-f "\$out"\/borgbackup\.ssh\n/);
  assert.match(borg.script?.raw ?? '', /# not needed with vars/);
  assert.equal(option(wifi, 'prompts.prompt_value.description'), '"Password of the home wifi"');
  // the typed value, where the facts script read it: the vars prompt's file, set as $prompt_value first
  assert.match(wifi.script?.raw ?? '', /^''\n\s*export prompt_value="\$\(cat "\$prompts"\/prompt_value\)"\n\s*printf '%s' "\$prompt_value" > \$out\/psk/);
  assert.deepEqual([borg.movedFrom, wifi.movedFrom], ['clan facts', 'clan facts']);
  const after = await analyzeFolder(root, DEFAULT_SETTINGS, () => {});
  assert.deepEqual(after.problems.map((p) => `${p.code} ${p.message}`), []);
});

test('migration: plain sops-nix secrets become prompted generators with owner, group, mode, neededFor; the rest is named', async () => {
  const root = copyFixture('sops');
  const module = 'machines/host/configuration.nix';
  // the vars view counts what the hints offer to move (the Problems panel leaves hints out)
  const original = clanVarsStatus(await clanWith(root, { [module]: fs.readFileSync(path.join(root, module), 'utf8') }));
  assert.equal(original.machines.find((m) => m.name === 'host')?.legacy, 4);
  const { before, text } = await migrate(root, 'sops-nix-secret', module);
  assert.deepEqual(before, ['6 hint', '11 hint', '12 hint', '18 hint']);
  assert.doesNotMatch(text, /sops\.secrets/);
  assert.match(text, /admin_password = "\$__file\{\$\{config\.clan\.core\.vars\.generators\.grafana-admin-password\.files\.value\.path\}\}"/);
  assert.match(text, /hashedPasswordFile = config\.clan\.core\.vars\.generators\.root-password\.files\.value\.path;/);
  // where the value was: kept for the migration script, written before or after this rewrite
  assert.match(text, /# moved from sops-nix secret "acme-credentials": carry the value over/);
  assert.match(text, /# where sops-nix read the value: sopsFile = \.\.\/\.\.\/secrets\/acme\.yaml; key = "rfc2136";\n/);
  const names = ['acme-credentials', 'grafana-admin-password', 'root-password', 'wireguard-key'];
  const expected = names.map((n) => `${n} [] {value} <value>`);
  const back = await readBack(path.join(root, module), text);
  assert.deepEqual(back.syntax, expected);
  assert.deepEqual(back.evaluated, expected);
  const g = (n: string) => back.facts.generators.find((x) => x.name.name === n)!;
  for (const n of names) {
    assert.equal(option(g(n), 'prompts.value.type'), '"hidden"');
    assert.equal(option(g(n), 'prompts.value.persist'), 'true');
  }
  assert.equal(option(g('grafana-admin-password'), 'files.value.owner'), '"grafana"');
  assert.equal(option(g('grafana-admin-password'), 'files.value.mode'), '"0400"');
  assert.equal(option(g('grafana-admin-password'), 'files.value.restartUnits'), '[ "grafana.service" ]');
  assert.equal(option(g('root-password'), 'files.value.neededFor'), '"users"');
  assert.equal(option(g('acme-credentials'), 'files.value.group'), '"nginx"');
  const after = await analyzeFolder(root, DEFAULT_SETTINGS, () => {});
  assert.deepEqual(after.problems.map((p) => `${p.code} ${p.message}`), []);
  // the vars view tells which migrated generators still wait for their value
  for (const n of names) assert.equal(g(n).movedFrom, 'sops-nix');
  const status = clanVarsStatus(await clanWith(root, { [module]: text }));
  const host = status.machines.find((m) => m.name === 'host')!;
  assert.deepEqual(host.generators.filter((x) => ownGenerators([x.name]).length).map((x) => `${x.name} ${x.movedFrom} ${describeGenerator(x, status.backend).short}`), names.map((n) => `${n} sops-nix moved from sops-nix, no value yet`));
  assert.match(describeGenerator(host.generators[0], status.backend).long, /migration script/);
  assert.deepEqual(valuesToMove([status]), [{ machine: 'host', count: 4 }], 'four values wait, one per generator');
  assert.equal(host.legacy, undefined, 'nothing is declared the old way any more');
});

test('migration: facts script rewriting', () => {
  assert.equal(rewriteFactsScript('echo x > $secrets/a\necho y > "$facts"/b\necho z > ${secrets}/c'), 'echo x > $out/a\necho y > "$out"/b\necho z > ${out}/c');
  assert.equal(rewriteFactsScript('  mv $secrets/k.pub $facts/k.pub'), '  # not needed with vars, where secrets and facts are both in $out: mv $out/k.pub $out/k.pub');
  assert.equal(rewriteFactsScript('mv $secrets/k.pub $facts/other.pub'), 'mv $out/k.pub $out/other.pub');
  assert.equal(rewriteFactsScript('echo $secretsDir $factsy'), 'echo $secretsDir $factsy');
});

test('migration: a vars generator still writing $secrets/$facts with migrateFact: one fix rewrites the script and removes the option', async () => {
  const module = `{ pkgs, ... }:
{
  clan.core.vars.generators.mycelium = {
    files.key = { };
    files.ip.secret = false;
    migrateFact = "mycelium";
    runtimeInputs = [ pkgs.coreutils ];
    script = ''
      head -c 32 /dev/urandom > "$secrets"/key
      echo 10.0.0.1 > $facts/ip
    '';
  };
}
`;
  const root = writeTree({ 'flake.nix': '{ outputs = _: { }; }\n', 'machines/m/configuration.nix': module });
  roots.push(root);
  const file = path.join(root, 'machines/m/configuration.nix');
  const report = await analyzeFolder(root, DEFAULT_SETTINGS, () => {});
  assert.deepEqual(report.problems.map((p) => p.code).sort(), ['missing-output', 'removed-option']);
  for (const p of report.problems) assert.equal(p.fixes?.[0]?.title, 'Rewrite for vars: $secrets and $facts become $out, migrateFact removed');
  const text = applyEdits(module, report.problems.find((p) => p.code === 'missing-output')!.fixes![0].edits);
  assert.doesNotMatch(text, /migrateFact|\$secrets|\$facts/);
  fs.writeFileSync(file, text);
  const back = await readBack(file, text);
  assert.deepEqual(back.syntax, ['mycelium [] {ip,key}']);
  assert.deepEqual((await analyzeFolder(root, DEFAULT_SETTINGS, () => {})).problems.map((p) => `${p.code} ${p.message}`), []);
});

test('migration: nested spellings get the fix too: a facts service set, sops = { secrets... }, config = { sops.secrets = { ... } }, config.sops.secrets', async () => {
  const flake = `{ outputs = { clan-core, ... }: { clan = clan-core.lib.clan { machines.a.imports = [ ./a.nix ]; machines.b.imports = [ ./b.nix ]; machines.c.imports = [ ./c.nix ]; }; }; }\n`;
  const root = writeTree({
    'flake.nix': flake,
    'a.nix': `{ config, ... }:
{
  clan.core.facts.services = {
    one = { secret.k = { }; generator.script = "touch $secrets/k"; };
    two = { public.p = { }; generator.script = "touch $facts/p"; };
  };
  sops = {
    defaultSopsFile = ./secrets.yaml;
    secrets.root-pw = { neededForUsers = true; };
  };
  users.users.root.hashedPasswordFile = config.sops.secrets.root-pw.path;
}
`,
    'b.nix': `{ config, lib, ... }:
{
  options.x.enable = lib.mkEnableOption "x";
  config = {
    sops.secrets = {
      api = { owner = "nginx"; };
    };
    services.nginx.enable = true;
  };
}
`,
    'c.nix': `{ config, ... }:
{
  config.sops.secrets.db = { };
  config.services.postgresql.enable = true;
}
`,
  });
  roots.push(root);
  for (const [module, code, names] of [
    ['a.nix', 'facts-leftover', ['one [] {k}', 'two [] {p}']],
    ['a.nix', 'sops-nix-secret', ['one [] {k}', 'root-pw [] {value} <value>', 'two [] {p}']],
    ['b.nix', 'sops-nix-secret', ['api [] {value} <value>']],
    ['c.nix', 'sops-nix-secret', ['db [] {value} <value>']],
  ] as const) {
    const { titles, text } = await migrate(root, code, module);
    assert.ok(titles.length && !titles.includes('(none)'), `${module}: every ${code} has a fix: ${titles}`);
    const back = await readBack(path.join(root, module), text);
    assert.deepEqual(back.syntax, names, text);
    assert.deepEqual(back.evaluated, names, text);
  }
  const files = (f: string) => fs.readFileSync(path.join(root, f), 'utf8');
  assert.match(files('a.nix'), /files\.value = \{ neededFor = "users"; \};/);
  assert.match(files('a.nix'), /hashedPasswordFile = config\.clan\.core\.vars\.generators\.root-pw\.files\.value\.path;/);
  // inside `config = { ... }` (the module declares options): the generator stays inside it
  assert.match(files('b.nix'), /config = \{\n {4}sops\.secrets = \{\n {4}\};\n {4}clan\.core\.vars\.generators\.api = \{/);
  // a module whose bindings are all `config.…` keeps them so
  assert.match(files('c.nix'), /^ {2}config\.clan\.core\.vars\.generators\.db = \{/m);
  const after = await analyzeFolder(root, DEFAULT_SETTINGS, () => {});
  assert.deepEqual(after.problems.filter((p) => p.code === 'facts-leftover' || p.code === 'sops-nix-secret').map((p) => `${p.code} ${p.message}`), []);
});

test('migration: facts services and sops-nix secrets in modules written inline in imports get the diagnostic, the fix and the script; a list that is not imports does not', async () => {
  const flake = `{ outputs = { clan-core, ... }: { clan = clan-core.lib.clan { machines.a.imports = [ ./a.nix ]; }; }; }\n`;
  const root = writeTree({
    'flake.nix': flake,
    'a.nix': `{ config, ... }:
{
  imports = [
    ./other.nix
    {
      clan.core.facts.services.borg = { secret.key = { }; public.pub = { }; generator.script = "touch $secrets/key $facts/pub"; };
    }
    ({ config, ... }: {
      sops.secrets.token = { owner = "svc"; };
      services.svc.tokenFile = config.sops.secrets.token.path;
    })
  ];
  environment.etc.x.text = builtins.toJSON [ { clan.core.facts.services.notamodule = { secret.s = { }; }; } ];
  services.borg.keyFile = config.clan.core.facts.services.borg.secret.key.path;
}
`,
    'other.nix': `{ }\n`,
  });
  roots.push(root);
  const report = await analyzeFolder(root, DEFAULT_SETTINGS, () => {});
  const ours = report.problems.filter((p) => p.code === 'facts-leftover' || p.code === 'sops-nix-secret');
  assert.deepEqual(ours.map((p) => `${p.code} ${p.range.start.line + 1} ${p.fixes?.length ?? 0}`).sort(), ['facts-leftover 6 1', 'sops-nix-secret 9 1']);
  const steps = migrationSteps(await clanWith(root, { 'flake.nix': flake, 'a.nix': fs.readFileSync(path.join(root, 'a.nix'), 'utf8'), 'other.nix': '{ }\n' }));
  assert.deepEqual(steps.map((s) => `${s.machine} ${s.varId}`), ['a borg/key', 'a borg/pub', 'a token/value']);
  await migrate(root, 'facts-leftover', 'a.nix');
  const { text } = await migrate(root, 'sops-nix-secret', 'a.nix');
  const back = await readBack(path.join(root, 'a.nix'), text, false);
  assert.deepEqual(back.syntax, ['borg [] {key,pub}', 'token [] {value} <value>'], text);
  assert.match(text, /keyFile = config\.clan\.core\.vars\.generators\.borg\.files\.key\.path;/);
  assert.match(text, /tokenFile = config\.clan\.core\.vars\.generators\.token\.files\.value\.path;/);
  assert.match(text, /notamodule/, 'the data in a list that is not imports is left as it is');
});

test('migration: facts services and sops-nix secrets with computed names get the finding (a let-bound name also the fix); the script leaves the computed ones to the user, saying so', async () => {
  const flake = `{ outputs = { clan-core, ... }: { clan = clan-core.lib.clan { machines.a.imports = [ ./a.nix ]; }; }; }\n`;
  const module = `{ config, lib, ... }:
let
  name = "borg";
  peers = [ "x" "y" ];
in
{
  clan.core.facts.services."\${name}" = { secret.key = { }; generator.script = "touch $secrets/key"; };
  clan.core.facts.services = lib.mkMerge [
    (lib.mapAttrs' (n: _: lib.nameValuePair "wg-\${n}" { secret.key = { }; }) (lib.genAttrs peers (p: p)))
  ];
  sops.secrets."\${config.networking.hostName}-token" = { };
  services.x.enable = true;
}
`;
  const root = writeTree({ 'flake.nix': flake, 'a.nix': module });
  roots.push(root);
  const report = await analyzeFolder(root, DEFAULT_SETTINGS, () => {});
  const ours = report.problems.filter((p) => p.code === 'facts-leftover' || p.code === 'sops-nix-secret');
  assert.deepEqual(ours.map((p) => `${p.code} ${p.range.start.line + 1} fixes=${p.fixes?.length ?? 0}`).sort(), ['facts-leftover 7 fixes=1', 'facts-leftover 9 fixes=0', 'sops-nix-secret 11 fixes=1']);
  assert.match(ours.find((p) => p.range.start.line === 6)!.message, /clan\.core\.facts\.services\.borg belongs to the removed facts system/);
  assert.match(ours.find((p) => p.range.start.line === 8)!.message, /computed names/);
  const steps = migrationSteps(await clanWith(root, { 'flake.nix': flake, 'a.nix': module }));
  assert.deepEqual(
    steps.map((s) => `${s.machine} ${s.varId} ${s.read ? 'read' : 'by hand'}`),
    // the machine's name makes one secret per machine: a-token, of no literal sopsFile here
    ['a borg/key read', 'a token/value by hand', `a lib.mapAttrs' (n: _: lib.nameValuePair "wg-\${n}" { secret... by hand`],
  );
  // silent: the same names outside facts and sops
  const quiet = writeTree({ 'flake.nix': flake, 'a.nix': `{ lib, ... }: let n = "x"; in { services."\${n}".enable = true; environment.etc = lib.mapAttrs' (k: v: v) { }; }\n` });
  roots.push(quiet);
  const none = (await analyzeFolder(quiet, DEFAULT_SETTINGS, () => {})).problems.filter((p) => p.code === 'facts-leftover' || p.code === 'sops-nix-secret');
  assert.deepEqual(none, []);
});

test('facts-leftover: a clan-core pinned after the removal was written (2025-12-03) but before it reached main (2025-12-09) still has facts: a warning', async () => {
  const lock = clanCorePinnedAt;
  const severityWith = async (lastModified: number) => {
    const root = writeTree({
      'flake.nix': `{ outputs = { clan-core, ... }: clan-core.lib.clan { self = ./.; meta.name = "d"; }; }\n`,
      'flake.lock': lock(lastModified),
      'machines/m/configuration.nix': '{ clan.core.facts.services.ssh = { secret.key = { }; generator.script = "touch $secrets/key"; }; }\n',
    });
    roots.push(root);
    const p = (await analyzeFolder(root, DEFAULT_SETTINGS, () => {})).problems.find((x) => x.code === 'facts-leftover')!;
    return `${p.severity}: ${p.explanation}`;
  };
  assert.match(await severityWith(Date.UTC(2025, 11, 6, 12) / 1000), /^warning: clan-core removed the facts system on 2025-12-09: the clan-core this flake pins still reads it/);
  assert.match(await severityWith(Date.UTC(2025, 11, 9, 8, 32, 15) / 1000), /^warning/, 'a second before the merge');
  assert.match(await severityWith(Date.UTC(2025, 11, 9, 8, 32, 16) / 1000), /^error: .*has no clan\.core\.facts option/, 'the merge itself');
});

test('facts-leftover: reads and settings of the facts system beside its services (secretStore, publicStore) are found; a read of secretStore gets its vars counterpart', async () => {
  const flake = `{ outputs = { clan-core, ... }: { clan = clan-core.lib.clan { machines.a.imports = [ ./a.nix ]; }; }; }\n`;
  const module = `{ config, lib, ... }:
{
  clan.core.facts.publicStore = "in_repo";
  services.x = lib.mkIf (config.clan.core.facts.secretStore == "sops") { enable = true; };
  services.y.dir = config.clan.core.facts.secretUploadDirectory;
  # silent: vars settings, and a facts-like name elsewhere
  services.z = lib.mkIf (config.clan.core.vars.settings.secretStore == "sops") { enable = true; };
  services.facts.secretStore = "x";
}
`;
  const root = writeTree({ 'flake.nix': flake, 'a.nix': module });
  roots.push(root);
  const ours = (await analyzeFolder(root, DEFAULT_SETTINGS, () => {})).problems.filter((p) => p.code === 'facts-leftover');
  assert.deepEqual(ours.map((p) => `${p.range.start.line + 1} ${p.message}`), [
    '3 clan.core.facts.publicStore sets an option of the removed facts system: remove it (clan.core.vars.settings has the vars counterparts).',
    '4 config.clan.core.facts.secretStore reads an option of the removed facts system: read config.clan.core.vars.settings.secretStore instead.',
    '5 config.clan.core.facts.secretUploadDirectory reads an option of the removed facts system: remove it, or read its vars counterpart.',
  ]);
  const fixed = applyEdits(module, ours[1].fixes![0].edits);
  assert.match(fixed, /lib\.mkIf \(config\.clan\.core\.vars\.settings\.secretStore == "sops"\)/);
});
