// unknown-secret-key and restart-units-on-darwin on small clans: the exact findings a user sees
// (message, explanation, range, severity, fix), when they stay silent, and that an edit of the
// registry, the matrix, a caller, a generator or the clan-core pin brings them up to date.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { analyzeFolder } from '../../server/src/cli/analyzeFolder';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import type { Problem } from '../../server/src/base/types';
import { scannedClan } from '../helpers/ruleRuns';
import { removeTree, writeTree, clanCorePinnedAt } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

/** The findings of `code` in a clan of these files, with paths relative to it, sorted by file and position. */
async function findings(code: string, files: Record<string, string>): Promise<Problem[]> {
  const root = writeTree(files);
  roots.push(root);
  const report = await analyzeFolder(root, DEFAULT_SETTINGS, () => {});
  return report.problems
    .filter((p) => p.code === code)
    .map((p) => ({ ...p, file: path.relative(root, p.file), fixes: p.fixes?.map((f) => ({ ...f, edits: f.edits.map((e) => ({ ...e, file: path.relative(root, e.file) })) })) }))
    .sort((a, b) => a.file.localeCompare(b.file) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

/** `line:character-line:character`, 0-based as ranges are. */
const at = (p: { range: Problem['range'] }) => `${p.range.start.line}:${p.range.start.character}-${p.range.end.line}:${p.range.end.character}`;

// ---------------------------------------------------------------------------------------------
// unknown-secret-key

const REGISTRY = `{ pkgs ? null }:
let
  mkPromptedSecret = { generator ? null, envVar ? null, ... }: { inherit generator envVar; };
in
{
  openrouter = mkPromptedSecret { generator = "openrouter-api-key"; envVar = "OPENROUTER_API_KEY"; };
  deepseek = mkPromptedSecret { generator = "deepseek-api-key"; envVar = "DEEPSEEK_API_KEY"; };
  gmail = mkPromptedSecret { generator = "gmail-app-password"; };
  computed = mkPromptedSecret { generator = "\${prefix}-token"; };
  bare = mkPromptedSecret { envVar = "BARE"; };
}
`;

/** A host module calling registry accessors: one `name = secrets.<accessor> { key = "<key>"; };` line each (line 3 on). */
const caller = (calls: [string, string][]) => `{ osConfig, ... }:
let secrets = import ../../../lib/secrets.nix { pkgs = null; }; in
{
${calls.map(([accessor, key], i) => `  v${i} = secrets.${accessor} { inherit osConfig; key = "${key}"; };`).join('\n')}
}
`;

const KEYS = 'unknown-secret-key';

test('unknown-secret-key: a key the registry lacks, with a close one: the message, its explanation, severity, range and the fix to it', async () => {
  const found = await findings(KEYS, {
    'flake.nix': '{ }',
    'lib/secret-registry.nix': REGISTRY,
    'lib/machine-env-matrix.nix': '{ lea = [ "openrouter" "deepseek" ]; }',
    'modules/hosts/lea/mail.nix': caller([['getPath', 'deepsek']]),
  });
  assert.equal(found.length, 1, JSON.stringify(found, null, 1));
  const [p] = found;
  assert.equal(p.file, 'modules/hosts/lea/mail.nix');
  assert.equal(p.severity, 'error');
  assert.equal(at(p), '3:49-3:58'); // the key's string, quotes included
  assert.equal(p.message, "getPath is called with key 'deepsek', which lib/secret-registry.nix does not define. Did you mean 'deepseek'?");
  assert.equal(p.explanation, "Evaluation fails: the registry has no entry 'deepsek' for getPath to look up.");
  assert.deepEqual(p.fixes, [{ title: "Change to 'deepseek'", edits: [{ file: 'modules/hosts/lea/mail.nix', range: p.range, newText: '"deepseek"' }], safe: false }]);
});

test('unknown-secret-key: a key the registry lacks with no close one: no suggestion and no fix', async () => {
  const found = await findings(KEYS, {
    'flake.nix': '{ }',
    'lib/secret-registry.nix': REGISTRY,
    'lib/machine-env-matrix.nix': '{ lea = [ "openrouter" ]; }',
    'modules/hosts/lea/mail.nix': caller([['mkPasswordCmd', 'zzzzzzzzzzzzzz']]),
  });
  assert.equal(found.length, 1, JSON.stringify(found, null, 1));
  assert.equal(found[0].message, "mkPasswordCmd is called with key 'zzzzzzzzzzzzzz', which lib/secret-registry.nix does not define.");
  assert.equal(found[0].explanation, "Evaluation fails: the registry has no entry 'zzzzzzzzzzzzzz' for mkPasswordCmd to look up.");
  assert.deepEqual(found[0].fixes, []);
});

test('unknown-secret-key: without a matrix, only keys missing from the registry are reported', async () => {
  const found = await findings(KEYS, {
    'flake.nix': '{ }',
    'lib/secret-registry.nix': REGISTRY,
    'modules/hosts/lea/mail.nix': caller([['getPath', 'deepseek'], ['getPath', 'nope-nope-nope']]),
  });
  assert.deepEqual(found.map((p) => `${p.file}:${p.range.start.line} ${p.message}`), ["modules/hosts/lea/mail.nix:4 getPath is called with key 'nope-nope-nope', which lib/secret-registry.nix does not define."]);
});

test("unknown-secret-key: a key the machine's list lacks, also one no machine selects; getVmPath is not checked against the list", async () => {
  const found = await findings(KEYS, {
    'flake.nix': '{ }',
    'lib/secret-registry.nix': REGISTRY,
    'lib/machine-env-matrix.nix': '{ lea = [ "openrouter" ]; emily = [ "deepseek" ]; }',
    'modules/hosts/lea/mail.nix': caller([['getPath', 'openrouter'], ['getPath', 'deepseek'], ['mkPasswordCmd', 'gmail'], ['getVmPath', 'gmail']]),
  });
  assert.deepEqual(
    found.map((p) => [p.file, at(p), p.severity, p.message, p.explanation, p.fixes]),
    [
      ['modules/hosts/lea/mail.nix', '4:49-4:59', 'error', "Machine 'lea' does not select key 'deepseek' in lib/machine-env-matrix.nix: add it to the machine's list.", 'Its generators do not include it, so getPath throws "Generator \'deepseek-api-key\' not configured for secret key \'deepseek\'".', undefined],
      ['modules/hosts/lea/mail.nix', '5:55-5:62', 'error', "Machine 'lea' does not select key 'gmail' in lib/machine-env-matrix.nix: add it to the machine's list.", 'Its generators do not include it, so mkPasswordCmd throws "Generator \'gmail-app-password\' not configured for secret key \'gmail\'".', undefined],
    ],
  );
});

test('unknown-secret-key: an entry whose generator name is computed, or which names none, is explained with <g>', async () => {
  const found = await findings(KEYS, {
    'flake.nix': '{ }',
    'lib/secret-registry.nix': REGISTRY,
    'lib/machine-env-matrix.nix': '{ lea = [ "openrouter" ]; emily = [ "computed" "bare" ]; }',
    'modules/hosts/lea/mail.nix': caller([['getPath', 'computed'], ['getPath', 'bare']]),
  });
  assert.deepEqual(
    found.map((p) => p.explanation),
    [
      'Its generators do not include it, so getPath throws "Generator \'<g>\' not configured for secret key \'computed\'".',
      'Its generators do not include it, so getPath throws "Generator \'<g>\' not configured for secret key \'bare\'".',
    ],
  );
});

test('unknown-secret-key: a module two machines share, or one of a machine the matrix does not list, is not checked against a list', async () => {
  const flake = `{
  outputs = { clan-core, ... }: {
    clan = clan-core.lib.clan {
      machines.lea.imports = [ ./modules/hosts/lea/own.nix ./modules/shared/mail.nix ];
      machines.emily.imports = [ ./modules/shared/mail.nix ];
      machines.zoe.imports = [ ./modules/hosts/zoe/own.nix ];
    };
  };
}
`;
  const found = await findings(KEYS, {
    'flake.nix': flake,
    'lib/secret-registry.nix': REGISTRY,
    'lib/machine-env-matrix.nix': '{ lea = [ "openrouter" ]; emily = [ "deepseek" ]; }',
    'modules/shared/mail.nix': caller([['getPath', 'deepseek'], ['getPath', 'openrouter'], ['getPath', 'gmail']]),
    'modules/hosts/zoe/own.nix': caller([['getPath', 'gmail']]),
    'modules/hosts/lea/own.nix': caller([['getPath', 'gmail']]),
  });
  assert.deepEqual(found.map((p) => `${p.file}:${p.range.start.line} ${p.message}`), ["modules/hosts/lea/own.nix:3 Machine 'lea' does not select key 'gmail' in lib/machine-env-matrix.nix: add it to the machine's list."]);
});

test('unknown-secret-key: an edit of the registry, of the matrix or of a caller (a new one too) brings the findings up to date', async () => {
  const { root, index } = await scannedClan({
    'lib/secret-registry.nix': REGISTRY,
    'lib/machine-env-matrix.nix': '{ lea = [ "openrouter" ]; }',
    'modules/hosts/lea/mail.nix': caller([['getPath', 'deepseek'], ['getPath', 'github']]),
  });
  const shown = () => [...index.allProblems().values()].flat().filter((p) => p.code === KEYS).map((p) => `${path.relative(root, p.file)}:${p.range.start.line} ${p.message.split(':')[0]}`).sort();
  const edit = (rel: string, text: string) => index.updateFromText(path.join(root, rel), text);
  assert.deepEqual(shown(), ["modules/hosts/lea/mail.nix:3 Machine 'lea' does not select key 'deepseek' in lib/machine-env-matrix.nix", "modules/hosts/lea/mail.nix:4 getPath is called with key 'github', which lib/secret-registry.nix does not define."]);
  edit('lib/secret-registry.nix', REGISTRY.replace('bare =', 'github = mkPromptedSecret { generator = "github-token"; };\n  bare ='));
  assert.deepEqual(shown(), ["modules/hosts/lea/mail.nix:3 Machine 'lea' does not select key 'deepseek' in lib/machine-env-matrix.nix", "modules/hosts/lea/mail.nix:4 Machine 'lea' does not select key 'github' in lib/machine-env-matrix.nix"]);
  edit('lib/machine-env-matrix.nix', '{ lea = [ "openrouter" "deepseek" "github" ]; }');
  assert.deepEqual(shown(), []);
  edit('modules/hosts/lea/mail.nix', caller([['getPath', 'deepseek'], ['getPath', 'gmail']]));
  assert.deepEqual(shown(), ["modules/hosts/lea/mail.nix:4 Machine 'lea' does not select key 'gmail' in lib/machine-env-matrix.nix"]);
  edit('modules/hosts/lea/other.nix', caller([['getPath', 'gmial']]));
  assert.deepEqual(shown(), [
    "modules/hosts/lea/mail.nix:4 Machine 'lea' does not select key 'gmail' in lib/machine-env-matrix.nix",
    "modules/hosts/lea/other.nix:3 getPath is called with key 'gmial', which lib/secret-registry.nix does not define. Did you mean 'gmail'?",
  ]);
});

// ---------------------------------------------------------------------------------------------
// restart-units-on-darwin

const DARWIN = 'restart-units-on-darwin';

/** A clan with darwin machines mac and mini sharing shared.nix, mac with its own mac.nix, and nixos machine box. */
const DARWIN_FLAKE = `{
  outputs = { self, clan-core, ... }: {
    clan = clan-core.lib.clan {
      inherit self;
      inventory.machines.mac.machineClass = "darwin";
      inventory.machines.mini.machineClass = "darwin";
      machines.mac.imports = [ ./mac.nix ./shared.nix ];
      machines.mini.imports = [ ./shared.nix ];
      machines.box.imports = [ ./shared.nix ];
    };
  };
}
`;

/** flake.lock pinning clan-core at `lastModified`. */
const lock = clanCorePinnedAt;
/** A module whose generators g0, g1, ... set files.key.restartUnits to these values (one per line, line 1 on). */
const units = (values: string[]) => `{ lib, config, ... }: {\n${values.map((v, i) => `  clan.core.vars.generators.g${i} = { files.key.restartUnits = ${v}; script = "touch $out/key"; };`).join('\n')}\n}\n`;

/**
 * The merges into clan-core's main: 2025-05-30 09:45:17 UTC adding restartUnits (declared everywhere,
 * unchecked); 2025-06-10 07:05:53 UTC declaring it on NixOS only; 2025-12-16 16:57:47 UTC declaring
 * it everywhere again, throwing on darwin.
 */
const DECLARED = 1748598317;
const NIXOS_ONLY = 1749539153;
const REJECTED = 1765904267;

test('restart-units-on-darwin: a module of two darwin machines: both named in the message, with the explanation of the clan-core it pins', async () => {
  const found = await findings(DARWIN, { 'flake.nix': DARWIN_FLAKE, 'flake.lock': lock(REJECTED), 'mac.nix': '{ }', 'shared.nix': units(['[ "sshd.service" ]']) });
  assert.deepEqual(
    found.map((p) => [p.file, at(p), p.severity, p.message, p.explanation]),
    [
      [
        'shared.nix',
        '1:45-1:57',
        'warning',
        "files.key.restartUnits of generator 'g0' is set, but machines 'mac', 'mini' are nix-darwin: remove it there (for example with lib.mkIf pkgs.stdenv.isLinux).",
        'clan-core rejects it on darwin: reading it throws "The restartUnits option is not supported on Darwin systems.", and no unit is restarted there.',
      ],
    ],
  );
  const undeclared = await findings(DARWIN, { 'flake.nix': DARWIN_FLAKE, 'flake.lock': lock(NIXOS_ONLY), 'mac.nix': units(['[ ]']), 'shared.nix': '{ }' });
  assert.deepEqual(
    undeclared.map((p) => [p.file, at(p), p.severity, p.message, p.explanation]),
    [
      [
        'mac.nix',
        '1:45-1:57',
        'error',
        "files.key.restartUnits of generator 'g0' is set, but machine 'mac' is nix-darwin: remove it there (for example with lib.mkIf pkgs.stdenv.isLinux).",
        "The clan-core this flake pins declares restartUnits on NixOS only, so evaluating a darwin machine fails with \"The option `clan.core.vars.generators.g0.files.key.restartUnits' does not exist.\"",
      ],
    ],
  );
});

test('restart-units-on-darwin: from the merge that rejects it on darwin, only a list that surely has units is reported', async () => {
  const values = [
    '[ ]',
    '[ ] ++ config.extraUnits',
    '["a.service"] ++ config.extraUnits',
    '[ "a.service" ] ++ config.extraUnits',
    'config.extraUnits ++ [\n      "a.service" ]',
    'config.extraUnits ++ config.moreUnits',
    'lib.optionals config.services.x.enable [ "x.service" ]',
    'lib.optional config.services.x.enable "x.service"',
    '[ "a.service" "b.service" ]',
  ];
  const found = await findings(DARWIN, { 'flake.nix': DARWIN_FLAKE, 'flake.lock': lock(REJECTED), 'mac.nix': units(values), 'shared.nix': '{ }' });
  assert.deepEqual(found.map((p) => `${p.message.split(' ').slice(0, 4).join(' ')} ${p.severity}`), [
    "files.key.restartUnits of generator 'g2' warning",
    "files.key.restartUnits of generator 'g3' warning",
    "files.key.restartUnits of generator 'g4' warning",
    "files.key.restartUnits of generator 'g8' warning",
  ]);
});

test('restart-units-on-darwin: [ ] is reported while the pinned clan-core has no such option or declares it on NixOS only, not while it declares it everywhere', async () => {
  const at = async (lastModified: number) => (await findings(DARWIN, { 'flake.nix': DARWIN_FLAKE, 'flake.lock': lock(lastModified), 'mac.nix': units(['[ ]']), 'shared.nix': '{ }' })).map((p) => `${p.file}:${p.range.start.line} ${p.severity}`);
  assert.deepEqual(await at(1740000000), ['mac.nix:1 error']); // 2025-02-19: no restartUnits yet
  assert.deepEqual(await at(DECLARED - 1), ['mac.nix:1 error']);
  assert.deepEqual(await at(DECLARED), []);
  assert.deepEqual(await at(1749000000), []); // 2025-06-04
  assert.deepEqual(await at(NIXOS_ONLY - 1), []); // 2025-06-10, just before the merge
  assert.deepEqual(await at(NIXOS_ONLY), ['mac.nix:1 error']);
  assert.deepEqual(await at(REJECTED - 1), ['mac.nix:1 error']);
  assert.deepEqual(await at(REJECTED), []);
});

test('restart-units-on-darwin: setting it, the clan-core pin changing and a machine becoming darwin bring the findings up to date', async () => {
  const flake = (darwin: string[]) => DARWIN_FLAKE.replace(/ {6}inventory\.machines\.\w+\.machineClass = "darwin";\n/g, '').replace('inherit self;\n', `inherit self;\n${darwin.map((m) => `      inventory.machines.${m}.machineClass = "darwin";\n`).join('')}`);
  const { root, index } = await scannedClan({ 'flake.nix': flake(['mac']), 'flake.lock': lock(REJECTED), 'mac.nix': units(['[ ]']), 'shared.nix': '{ }' });
  const shown = () => [...index.allProblems().values()].flat().filter((p) => p.code === DARWIN).map((p) => `${path.relative(root, p.file)}:${p.range.start.line} ${p.severity} ${p.message.split(': ')[0]}`).sort();
  assert.deepEqual(shown(), []);
  index.updateFromText(path.join(root, 'mac.nix'), units(['[ "a.service" ]']));
  assert.deepEqual(shown(), ["mac.nix:1 warning files.key.restartUnits of generator 'g0' is set, but machine 'mac' is nix-darwin"]);
  fs.writeFileSync(path.join(root, 'flake.lock'), lock(NIXOS_ONLY));
  index.structureFileChanged(path.join(root, 'flake.lock'));
  assert.deepEqual(shown(), ["mac.nix:1 error files.key.restartUnits of generator 'g0' is set, but machine 'mac' is nix-darwin"]);
  index.updateFromText(path.join(root, 'shared.nix'), units(['[ "b.service" ]']));
  assert.deepEqual(shown(), [
    "mac.nix:1 error files.key.restartUnits of generator 'g0' is set, but machine 'mac' is nix-darwin",
    "shared.nix:1 error files.key.restartUnits of generator 'g0' is set, but machine 'mac' is nix-darwin",
  ]);
  index.updateFromText(path.join(root, 'flake.nix'), flake(['mac', 'box']));
  assert.deepEqual(shown(), [
    "mac.nix:1 error files.key.restartUnits of generator 'g0' is set, but machine 'mac' is nix-darwin",
    "shared.nix:1 error files.key.restartUnits of generator 'g0' is set, but machines 'box', 'mac' are nix-darwin",
  ]);
});

test("restart-units-on-darwin: an instance's inline extraModules whose role also names a machine the clan does not define: the darwin one is reported", async () => {
  const flake = `{
  outputs = { self, clan-core, ... }: {
    clan = clan-core.lib.clan {
      inherit self;
      inventory.machines.mac.machineClass = "darwin";
      machines.mac.imports = [ ./mac.nix ];
      inventory.instances.extra = { module.name = "importer"; roles.default.machines = { ghost = { }; mac = { }; }; roles.default.extraModules = [ { clan.core.vars.generators.x = { files.key.restartUnits = [ "y.service" ]; script = "touch $out/key"; }; } ]; };
    };
  };
}
`;
  const found = await findings(DARWIN, { 'flake.nix': flake, 'mac.nix': '{ }' });
  assert.deepEqual(found.map((p) => `${p.file}:${p.range.start.line} ${p.message}`), [
    "flake.nix:6 files.key.restartUnits of generator 'x' is set, but machine 'mac' is nix-darwin: remove it there (for example with lib.mkIf pkgs.stdenv.isLinux).",
  ]);
});

test('restart-units-on-darwin: what a clan-core without the option, and one declaring it everywhere unchecked, do with it: the explanations', async () => {
  const explained = async (lastModified: number) => (await findings(DARWIN, { 'flake.nix': DARWIN_FLAKE, 'flake.lock': lock(lastModified), 'mac.nix': units(['[ "a.service" ]']), 'shared.nix': '{ }' })).map((p) => [p.severity, p.message, p.explanation]);
  const message = "files.key.restartUnits of generator 'g0' is set, but machine 'mac' is nix-darwin: remove it there (for example with lib.mkIf pkgs.stdenv.isLinux).";
  assert.deepEqual(await explained(DECLARED - 1), [['error', message, "The clan-core this flake pins has no restartUnits option yet (added 2025-05-30), so evaluating a machine that sets it fails with \"The option `clan.core.vars.generators.g0.files.key.restartUnits' does not exist.\""]]);
  assert.deepEqual(await explained(DECLARED), [['warning', message, 'The clan-core this flake pins declares restartUnits on darwin too, but no unit is restarted there.']]);
});

test('restart-units-on-darwin: without a clan-core pin, the newest clan-core is assumed: [ ] is fine, a list with units a warning', async () => {
  const found = await findings(DARWIN, { 'flake.nix': DARWIN_FLAKE, 'mac.nix': units(['[ ]', '[ "a.service" ]']), 'shared.nix': '{ }' });
  assert.deepEqual(found.map((p) => [`${p.file}:${p.range.start.line}`, p.severity, p.explanation]), [
    ['mac.nix:2', 'warning', 'clan-core rejects it on darwin: reading it throws "The restartUnits option is not supported on Darwin systems.", and no unit is restarted there.'],
  ]);
});
