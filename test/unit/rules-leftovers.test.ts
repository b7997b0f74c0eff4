// duplicate-matrix-key, evaluation-error and facts-leftover as a clan user meets them: the finding's
// place, severity, message, related locations and fix; and the finding following an edit of the
// matrix, the registry pipeline, a module or flake.lock in the editor (the rules' inputs).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { analyzeFolder } from '../../server/src/cli/analyzeFolder';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import type { Problem, Range } from '../../server/src/base/types';
import { applyEdits } from '../../server/src/cli/applyFixes';
import { WorkspaceAnalysis } from '../../server/src/rules/workspaceAnalysis';
import { NixParser } from '../../server/src/syntax/nixParser';
import { REGISTRY_PIPELINE, removeTree, writeTree, clanCorePinnedAt } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

const clan = (files: Record<string, string>): string => {
  const root = writeTree(files);
  roots.push(root);
  return root;
};

async function findings(root: string, code: string): Promise<{ problems: Problem[]; log: string[] }> {
  const log: string[] = [];
  const report = await analyzeFolder(root, DEFAULT_SETTINGS, (l) => log.push(l));
  return { problems: report.problems.filter((p) => p.code === code), log };
}

/** The range of the `nth` (0-based) occurrence of `needle` in `text`. */
function rangeOf(text: string, needle: string, nth = 0): Range {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
  assert.ok(at >= 0, `${needle} #${nth} in the text`);
  const before = text.slice(0, at).split('\n');
  const line = before.length - 1;
  const character = before[line].length;
  return { start: { line, character }, end: { line, character: character + needle.length } };
}

/** The problems of `code` an editor shows, after the edits so far. */
function shownIn(index: WorkspaceAnalysis, code: string): string[] {
  return [...index.allProblems().values()].flat().filter((p) => p.code === code).map((p) => `${path.basename(p.file)}:${p.range.start.line + 1} ${p.severity} ${p.message}`);
}

// ---- duplicate-matrix-key ----

const MATRIX = 'lib/machine-env-matrix.nix';

test('duplicate-matrix-key: the second mention of a key in one machine\'s list is a warning, with the first mention and a fix removing the second', async () => {
  const text = '{\n  lea = [ "a" "b" "a" ];\n  emily = [ "a" "b" ];\n}\n';
  const root = clan({ 'flake.nix': '{ }', [MATRIX]: text });
  const { problems } = await findings(root, 'duplicate-matrix-key');
  const file = path.join(root, MATRIX);
  assert.deepEqual(problems, [
    {
      file,
      range: rangeOf(text, '"a"', 1),
      severity: 'warning',
      code: 'duplicate-matrix-key',
      message: "Key 'a' is already in the list of machine 'lea'; the second mention changes nothing. Remove it.",
      related: [{ location: { file, range: rangeOf(text, '"a"', 0) }, message: 'first mention' }],
      fixes: [{ title: "Remove the duplicate 'a'", edits: [{ file, range: rangeOf(text, '"a"', 1), newText: '' }], safe: false }],
    },
  ]);
  assert.equal(applyEdits(text, problems[0].fixes![0].edits), '{\n  lea = [ "a" "b"  ];\n  emily = [ "a" "b" ];\n}\n');
});

test('duplicate-matrix-key: a key twice in a list several machines share names each of them; its first mention is the first of the list', async () => {
  // core's second "a" is a second mention for lea and emily; the third "a" (zoe's own, after core's) for zoe only
  const text = 'let\n  core = [ "a" "b" "a" ];\nin\n{\n  lea = core;\n  emily = core ++ [ "c" ];\n  zoe = core ++ [ "a" ];\n}\n';
  const root = clan({ 'flake.nix': '{ }', [MATRIX]: text });
  const { problems } = await findings(root, 'duplicate-matrix-key');
  const file = path.join(root, MATRIX);
  assert.deepEqual(
    problems.map((p) => ({ line: p.range.start.line + 1, message: p.message, related: p.related })),
    [
      { line: 2, message: "Key 'a' is already in the list of machines 'lea', 'emily', 'zoe'; the second mention changes nothing. Remove it.", related: [{ location: { file, range: rangeOf(text, '"a"', 0) }, message: 'first mention' }] },
      { line: 7, message: "Key 'a' is already in the list of machine 'zoe'; the second mention changes nothing. Remove it.", related: [{ location: { file, range: rangeOf(text, '"a"', 0) }, message: 'first mention' }] },
    ],
  );
  assert.deepEqual(problems.map((p) => p.range), [rangeOf(text, '"a"', 1), rangeOf(text, '"a"', 2)]);
});

test('duplicate-matrix-key: the same key in different machines\' lists, or a list reached twice, is no duplicate; a clan without a matrix or with one it cannot read has none either', async () => {
  const distinct = clan({ 'flake.nix': '{ }', [MATRIX]: '{\n  lea = [ "a" "b" ];\n  emily = [ "a" "b" ];\n}\n' });
  assert.deepEqual((await findings(distinct, 'duplicate-matrix-key')).problems, []);
  // one place reached twice through `++` is one mention
  const twice = clan({ 'flake.nix': '{ }', [MATRIX]: 'let core = [ "a" ]; in { lea = core ++ core; }\n' });
  assert.deepEqual((await findings(twice, 'duplicate-matrix-key')).problems, []);
  const cases: Record<string, string>[] = [{ 'flake.nix': '{ }', 'machines/m/configuration.nix': '{ }\n' }, { 'flake.nix': '{ }', [MATRIX]: 'builtins.fromJSON (builtins.readFile ./matrix.json)\n' }];
  for (const files of cases) {
    const { problems, log } = await findings(clan(files), 'duplicate-matrix-key');
    assert.deepEqual(problems, []);
    assert.deepEqual(log.filter((l) => /failed/.test(l)), [], 'the rule runs without failing');
  }
});

test('duplicate-matrix-key: a duplicate typed into the matrix in the editor is found, and goes when removed', async () => {
  const root = clan({ 'flake.nix': '{ }', [MATRIX]: '{\n  lea = [ "a" "b" ];\n}\n' });
  const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load());
  await index.scan();
  assert.deepEqual(shownIn(index, 'duplicate-matrix-key'), []);
  index.updateFromText(path.join(root, MATRIX), '{\n  lea = [ "a" "b" "a" ];\n}\n');
  assert.deepEqual(shownIn(index, 'duplicate-matrix-key'), ["machine-env-matrix.nix:2 warning Key 'a' is already in the list of machine 'lea'; the second mention changes nothing. Remove it."]);
  index.updateFromText(path.join(root, MATRIX), '{\n  lea = [ "a" "b" ];\n}\n');
  assert.deepEqual(shownIn(index, 'duplicate-matrix-key'), []);
});

// ---- evaluation-error ----

const REGISTRY = 'lib/secret-registry.nix';
const GENERATORS = 'lib/vars-generators.nix';
/** Throws for an entry without a generator: the throw is reported on the matrix key that selected it. */
const GENERATORS_OF_REGISTRY = REGISTRY_PIPELINE;
/**
 * Throws for b and x, retired together, whatever the registry holds: the message names both (the
 * same message for either), and the key listed is among its parts, so the throw is on the key.
 */
const retiring = (on: boolean) => `{ keys, pkgs ? null }:
let
  retired = key: if key == "b" then [ key "x" ] else [ "b" key ];
in
builtins.listToAttrs (map (key:
  if ${on ? 'key == "b" || key == "x"' : 'false'}
  then throw "\${builtins.concatStringsSep " and " (retired key)} are retired"
  else { name = key; value = { files.k = { }; }; }) keys)
`;

test('evaluation-error: a throw reached by several machines through one shared key is one error naming each machine, with the throw as related location', async () => {
  const matrix = 'let\n  shared = [ "b" ];\nin\n{\n  lea = shared;\n  emily = shared;\n  zoe = shared ++ [ "a" ];\n}\n';
  const root = clan({
    'flake.nix': '{ }',
    [REGISTRY]: '{ pkgs ? null }: {\n  a = { generator = "a-gen"; files.k = { }; };\n  b = { files.k = { }; };\n}\n',
    [MATRIX]: matrix,
    [GENERATORS]: GENERATORS_OF_REGISTRY,
  });
  const { problems } = await findings(root, 'evaluation-error');
  const file = path.join(root, MATRIX);
  const thrown = rangeOf(GENERATORS_OF_REGISTRY, 'throw "Registry entry');
  assert.equal(problems.length, 1, JSON.stringify(problems));
  const [p] = problems;
  assert.deepEqual({ file: p.file, range: p.range, severity: p.severity, message: p.message }, {
    file,
    range: rangeOf(matrix, '"b"'),
    severity: 'error',
    message: `Evaluating the generators for machines 'lea', 'emily', 'zoe': lib/vars-generators.nix throws "Registry entry b has no generator". clan vars and clan machines update stop with this error.`,
  });
  assert.equal(p.related?.length, 1);
  assert.equal(p.related![0].message, 'the throw');
  assert.equal(p.related![0].location.file, path.join(root, GENERATORS));
  assert.deepEqual(p.related![0].location.range.start, thrown.start);
});

test('evaluation-error: a clan without a registry file still gets the throws of its generators file', async () => {
  const matrix = '{\n  lea = [ "a" "b" ];\n}\n';
  const root = clan({ 'flake.nix': '{ }', [MATRIX]: matrix, [GENERATORS]: retiring(true) });
  const { problems, log } = await findings(root, 'evaluation-error');
  assert.deepEqual(problems.map((p) => [p.range, p.severity, p.message]), [
    [rangeOf(matrix, '"b"'), 'error', `Evaluating the generators for machine 'lea': lib/vars-generators.nix throws "b and x are retired". clan vars and clan machines update stop with this error.`],
  ]);
  assert.deepEqual(log.filter((l) => /failed/.test(l)), []);
});

test('evaluation-error follows edits of the registry, the matrix and the generators file in the editor', async () => {
  const root = clan({
    'flake.nix': '{ }',
    [REGISTRY]: '{ pkgs ? null }: {\n  a = { generator = "a"; };\n  b = { generator = "b"; };\n}\n',
    [MATRIX]: '{\n  lea = [ "a" "b" ];\n}\n',
    [GENERATORS]: retiring(true),
  });
  const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load());
  await index.scan();
  const error = (line: number) => `machine-env-matrix.nix:${line} error Evaluating the generators for machine 'lea': lib/vars-generators.nix throws "b and x are retired". clan vars and clan machines update stop with this error.`;
  assert.deepEqual(shownIn(index, 'evaluation-error'), [error(2)]);
  // b leaves the registry: unknown-registry-key reports the key, the same throw is left to it
  index.updateFromText(path.join(root, REGISTRY), '{ pkgs ? null }: {\n  a = { generator = "a"; };\n}\n');
  assert.deepEqual(shownIn(index, 'evaluation-error'), []);
  index.updateFromText(path.join(root, REGISTRY), '{ pkgs ? null }: {\n  a = { generator = "a"; };\n  b = { generator = "b"; };\n}\n');
  assert.deepEqual(shownIn(index, 'evaluation-error'), [error(2)]);
  // "b" becomes "x", in the same place, throwing the same: x is no registry key
  index.updateFromText(path.join(root, MATRIX), '{\n  lea = [ "a" "x" ];\n}\n');
  assert.deepEqual(shownIn(index, 'evaluation-error'), []);
  index.updateFromText(path.join(root, MATRIX), '{\n  lea = [ "a" "b" ];\n}\n');
  assert.deepEqual(shownIn(index, 'evaluation-error'), [error(2)]);
  // the generators file retires nothing: no error
  index.updateFromText(path.join(root, GENERATORS), retiring(false));
  assert.deepEqual(shownIn(index, 'evaluation-error'), []);
});

// ---- facts-leftover ----

const FLAKE = `{ outputs = { clan-core, ... }: { clan = clan-core.lib.clan { machines.a.imports = [ ./a.nix ]; }; }; }\n`;
const lockAt = clanCorePinnedAt;
const BEFORE_REMOVAL = Date.UTC(2025, 10, 1) / 1000;
const AFTER_REMOVAL = Date.UTC(2026, 0, 1) / 1000;

test('facts-leftover: with no clan-core pinned (no flake.lock) a facts service is a warning that says which clan-core fails', async () => {
  const root = clan({ 'flake.nix': FLAKE, 'a.nix': '{ clan.core.facts.services.ssh = { secret.key = { }; generator.script = "touch $secrets/key"; }; }\n' });
  const { problems } = await findings(root, 'facts-leftover');
  assert.deepEqual(problems.map((p) => `${p.severity}: ${p.explanation}`), ['warning: clan-core removed the facts system on 2025-12-09: with a clan-core from then on, evaluation fails.']);
});

test('facts-leftover: a service the quick fix can rewrite says so; one declared by a path past its name has no fix and says nothing of one', async () => {
  const module = `{
  clan.core.facts.services.ssh = { secret.key = { }; generator.script = "touch $secrets/key"; };
  clan.core.facts.services.borg.secret.key = { };
}
`;
  const root = clan({ 'flake.nix': FLAKE, 'flake.lock': lockAt(AFTER_REMOVAL), 'a.nix': module });
  const { problems } = await findings(root, 'facts-leftover');
  assert.deepEqual(problems.map((p) => `${p.range.start.line + 1} ${p.severity} ${p.message} [${(p.fixes ?? []).map((f) => f.title).join('; ')}]`), [
    "2 error clan.core.facts.services.ssh belongs to the removed facts system: move it to a vars generator (clan.core.vars.generators.ssh); the quick fix rewrites it and every reader of its files. [Move facts service 'ssh' to a vars generator]",
    '3 error clan.core.facts.services.borg belongs to the removed facts system: move it to a vars generator (clan.core.vars.generators.borg). []',
  ]);
});

test('facts-leftover: a read of a facts service no module declares offers the vars read, not a safe fix; a vars generator of that name not moved from facts does not make it "moved"', async () => {
  const module = `{ config, ... }:
{
  clan.core.vars.generators.openssh = { files."ssh.id_ed25519.pub".secret = false; script = "echo k > $out/ssh.id_ed25519.pub"; };
  users.users.root.openssh.authorizedKeys.keys = [ config.clan.core.facts.services.openssh.public."ssh.id_ed25519.pub".value ];
}
`;
  const root = clan({ 'flake.nix': FLAKE, 'a.nix': module });
  const { problems } = await findings(root, 'facts-leftover');
  const file = path.join(root, 'a.nix');
  const read = 'config.clan.core.facts.services.openssh.public."ssh.id_ed25519.pub".value';
  const newText = 'config.clan.core.vars.generators.openssh.files."ssh.id_ed25519.pub".value';
  assert.deepEqual(
    problems.map((p) => ({ range: p.range, message: p.message, fixes: p.fixes })),
    [
      {
        range: rangeOf(module, read),
        message: `A read of facts service openssh, which no module of this clan declares (a clan-core module, another flake's): read ${newText} instead, once its vars generator exists.`,
        fixes: [{ title: `Read ${newText}`, edits: [{ file, range: rangeOf(module, read), newText }], safe: false }],
      },
    ],
  );
});

test('facts-leftover: a read of a facts system option with a vars counterpart offers that read (not a safe fix); a setting of one offers nothing', async () => {
  const module = `{ config, lib, ... }:
{
  clan.core.facts.publicStore = "in_repo";
  services.x = lib.mkIf (config.clan.core.facts.secretStore == "sops") { enable = true; };
}
`;
  const root = clan({ 'flake.nix': FLAKE, 'a.nix': module });
  const { problems } = await findings(root, 'facts-leftover');
  const file = path.join(root, 'a.nix');
  const newText = 'config.clan.core.vars.settings.secretStore';
  assert.deepEqual(
    problems.map((p) => ({ line: p.range.start.line + 1, fixes: p.fixes })),
    [
      { line: 3, fixes: [] },
      { line: 4, fixes: [{ title: `Read ${newText}`, edits: [{ file, range: rangeOf(module, 'config.clan.core.facts.secretStore'), newText }], safe: false }] },
    ],
  );
  assert.equal(applyEdits(module, problems[1].fixes![0].edits).split('\n')[3], `  services.x = lib.mkIf (${newText} == "sops") { enable = true; };`);
});

test('facts-leftover follows edits in the editor: a facts option read typed into a module, and flake.lock moving clan-core past the removal', async () => {
  const module = (dir: string) => `{ config, ... }:\n{\n  clan.core.facts.services.ssh = { secret.key = { }; generator.script = "touch $secrets/key"; };\n  services.y.dir = ${dir};\n}\n`;
  const root = clan({ 'flake.nix': FLAKE, 'flake.lock': lockAt(BEFORE_REMOVAL), 'a.nix': module('"/run/x"') });
  const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load());
  await index.scan();
  const lines = () => shownIn(index, 'facts-leftover').map((s) => s.split(' ').slice(0, 2).join(' '));
  assert.deepEqual(lines(), ['a.nix:3 warning']);
  index.updateFromText(path.join(root, 'a.nix'), module('config.clan.core.facts.secretUploadDirectory'));
  assert.deepEqual(lines(), ['a.nix:3 warning', 'a.nix:4 warning']);
  fs.writeFileSync(path.join(root, 'flake.lock'), lockAt(AFTER_REMOVAL));
  index.structureFileChanged(path.join(root, 'flake.lock'));
  assert.deepEqual(lines(), ['a.nix:3 error', 'a.nix:4 error']);
});

test('facts-leftover: a facts service with a computed name declares no service of a literal name: a read is reported even when its name is spelled like the computed one', async () => {
  // the read's attribute is the string `"iwd.${name}"` (quotes and all), which is how the computed declaration is shown
  const module = `{ config, lib, ... }:
{
  config = lib.mkMerge (map (name: { clan.core.facts.services."iwd.\${name}".secret.psk = { }; }) [ "home" ]);
  services.x.keyFile = config.clan.core.facts.services."\\"iwd.\\\${name}\\"".secret.psk.path;
}
`;
  const root = clan({ 'flake.nix': FLAKE, 'a.nix': module });
  const { problems } = await findings(root, 'facts-leftover');
  assert.deepEqual(problems.map((p) => `${p.range.start.line + 1} ${p.message.split(',')[0]}`), [
    '3 clan.core.facts.services."iwd.${name}" (a computed name) belongs to the removed facts system: move it to a vars generator.',
    '4 A read of facts service "iwd.${name}"',
  ]);
});

test('facts-leftover: in a module no machine imports, every machine read (a template, an unused clan service role), it is a warning that says nothing fails yet; an open machine may import it, and it stays an error', async () => {
  const template = '{ config, ... }:\n{\n  clan.core.facts.services.wifi.secret.psk = { };\n  networking.wireless.secretsFile = config.clan.core.facts.services.disk.secret.key.path;\n}\n';
  const used = '{ clan.core.facts.services.ssh.secret.key = { }; }\n';
  const root = clan({ 'flake.nix': FLAKE, 'flake.lock': lockAt(AFTER_REMOVAL), 'a.nix': used, 'templates/machine.nix': template });
  const { problems } = await findings(root, 'facts-leftover');
  const unused = 'No machine of this clan imports this module, so nothing fails yet. clan-core removed the facts system on 2025-12-09: with the clan-core this flake pins, a machine that imports this module fails evaluation.';
  assert.deepEqual(
    problems.map((p) => `${path.relative(root, p.file)}:${p.range.start.line + 1} ${p.severity}: ${p.explanation}`),
    [
      'a.nix:1 error: clan-core removed the facts system on 2025-12-09: the clan-core this flake pins has no clan.core.facts option, so evaluation fails.',
      `templates/machine.nix:3 warning: ${unused}`,
      `templates/machine.nix:4 warning: ${unused}`,
    ],
  );
  // machine b's modules come from an input nobody can read here: it may import the template
  const open = `{ inputs.hosts.url = "github:someone/hosts"; outputs = { clan-core, hosts, ... }: { clan = clan-core.lib.clan { machines.a.imports = [ ./a.nix ]; machines.b.imports = [ hosts.nixosModules.b ]; }; }; }\n`;
  const openRoot = clan({ 'flake.nix': open, 'flake.lock': lockAt(AFTER_REMOVAL), 'a.nix': used, 'templates/machine.nix': template });
  const again = await findings(openRoot, 'facts-leftover');
  assert.deepEqual(again.problems.map((p) => `${path.relative(openRoot, p.file)}:${p.range.start.line + 1} ${p.severity}`), ['a.nix:1 error', 'templates/machine.nix:3 error', 'templates/machine.nix:4 error']);
});

test('facts-leftover in a module no machine imports says what fails once one does with each pin: none, one before the removal', async () => {
  const template = '{ clan.core.facts.services.wifi.secret.psk = { }; }\n';
  const explain = async (lock: Record<string, string>) => (await findings(clan({ 'flake.nix': FLAKE, ...lock, 'a.nix': '{ }\n', 'templates/machine.nix': template }), 'facts-leftover')).problems.map((p) => `${p.severity}: ${p.explanation}`);
  const unused = 'No machine of this clan imports this module, so nothing fails yet. clan-core removed the facts system on 2025-12-09: ';
  assert.deepEqual(await explain({}), [`warning: ${unused}with a clan-core from then on, a machine that imports this module fails evaluation.`]);
  assert.deepEqual(await explain({ 'flake.lock': lockAt(BEFORE_REMOVAL) }), [`warning: ${unused}the clan-core this flake pins still reads it, but a machine that imports this module fails evaluation once you update clan-core.`]);
});

test('facts-leftover follows which machines import the module: a machine importing the template makes its finding an error, and dropping the import a warning again', async () => {
  const root = clan({ 'flake.nix': FLAKE, 'flake.lock': lockAt(AFTER_REMOVAL), 'a.nix': '{ }\n', 'templates/machine.nix': '{ clan.core.facts.services.wifi.secret.psk = { }; }\n' });
  const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load());
  await index.scan();
  const lines = () => shownIn(index, 'facts-leftover').map((s) => s.split(' ').slice(0, 2).join(' '));
  assert.deepEqual(lines(), ['machine.nix:1 warning']);
  index.updateFromText(path.join(root, 'a.nix'), '{ imports = [ ./templates/machine.nix ]; }\n');
  assert.deepEqual(lines(), ['machine.nix:1 error']);
  index.updateFromText(path.join(root, 'a.nix'), '{ }\n');
  assert.deepEqual(lines(), ['machine.nix:1 warning']);
});

test('facts-leftover follows the matrix: a machine only the matrix names (no module of it read) may import the template, whose finding is an error while it is there', async () => {
  const root = clan({
    'flake.nix': '{ outputs = { clan-core, ... }: { clan = clan-core.lib.clan { }; }; }\n',
    'flake.lock': lockAt(AFTER_REMOVAL),
    'machines/a/configuration.nix': '{ }\n',
    'templates/machine.nix': '{ clan.core.facts.services.wifi.secret.psk = { }; }\n',
    [MATRIX]: '{ a = [ ]; }\n',
  });
  const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load());
  await index.scan();
  const lines = () => shownIn(index, 'facts-leftover').map((s) => s.split(' ').slice(0, 2).join(' '));
  assert.deepEqual(lines(), ['machine.nix:1 warning']);
  index.updateFromText(path.join(root, MATRIX), '{ a = [ ]; b = [ ]; }\n');
  assert.deepEqual(lines(), ['machine.nix:1 error']);
  index.updateFromText(path.join(root, MATRIX), '{ a = [ ]; }\n');
  assert.deepEqual(lines(), ['machine.nix:1 warning']);
});
