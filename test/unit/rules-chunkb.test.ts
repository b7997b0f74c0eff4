// restart-units-on-darwin and secret-not-shared-with-machine on small clans: which settings of a
// darwin machine's generator are restartUnits, which declarations of a per-machine sops secret say
// the machine never decrypts it (deploy = false, neededFor an admin-side phase, unknown files), where
// the warning lands, and that an edit re-runs the rules over what it may change.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyzeFolder } from '../../server/src/cli/analyzeFolder';
import { openFolder } from '../../server/src/cli/folder';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { logRuleRuns, relativeFindings, scannedClan } from '../helpers/ruleRuns';
import { addKey, addSopsSecret, newClan, newKey, write } from '../helpers/secretsClan';
import { clanCorePinnedAt } from '../helpers/tempClan';

logRuleRuns();

// ---------------------------------------------------------------------------------------------
// restart-units-on-darwin

const DARWIN = 'restart-units-on-darwin';

/** A clan whose darwin machine mac imports mac.nix, with the nixos machine box importing box.nix. */
const DARWIN_FLAKE = `{
  outputs = { self, clan-core, ... }: {
    clan = clan-core.lib.clan {
      inherit self;
      inventory.machines.mac.machineClass = "darwin";
      machines.mac.imports = [ ./mac.nix ];
      machines.box.imports = [ ./box.nix ];
    };
  };
}
`;

/** flake.lock pinning clan-core at `lastModified`. */
const lock = clanCorePinnedAt;
/** 2025-06-10 07:05:53 UTC: clan-core declares restartUnits on NixOS only, so any setting of it on darwin is an unknown option. */
const NIXOS_ONLY = 1749539153;

const shown = async (files: Record<string, string>) =>
  (await relativeFindings(DARWIN, { 'flake.nix': DARWIN_FLAKE, 'flake.lock': lock(NIXOS_ONLY), 'box.nix': '{ }', ...files })).map(
    (p) => `${p.file}:${p.range.start.line}:${p.range.start.character} ${p.severity} ${p.message.split(':')[0]}`,
  );

test('restart-units-on-darwin: only files.<f>.restartUnits is reported, not another setting of the file nor a restartUnits outside files', async () => {
  assert.deepEqual(
    await shown({
      'mac.nix': `{ lib, ... }: {
  clan.core.vars.generators.g = {
    files.key.secret = false;
    files.key.owner = "root";
    settings.key.restartUnits = [ "a.service" ];
    files.key.restartUnits = [ "b.service" ];
    script = "touch $out/key";
  };
}
`,
    }),
    ["mac.nix:5:14 error files.key.restartUnits of generator 'g' is set, but machine 'mac' is nix-darwin"],
  );
});

test('restart-units-on-darwin: a setting below restartUnits is not reported a second time', async () => {
  assert.deepEqual(
    await shown({ 'mac.nix': '{\n  clan.core.vars.generators.g = { files.key.restartUnits = { inner = [ "a.service" ]; }; script = "touch $out/key"; };\n}\n' }),
    ["mac.nix:1:44 error files.key.restartUnits of generator 'g' is set, but machine 'mac' is nix-darwin"],
  );
});

test('restart-units-on-darwin: its reach is the name: setting restartUnits in one module re-runs it over the generators of that module only (two of the four)', async () => {
  const { root, index, lines } = await scannedClan({
    'flake.nix': DARWIN_FLAKE,
    'flake.lock': lock(NIXOS_ONLY),
    'box.nix': '{\n  clan.core.vars.generators.other = { files.k = { }; script = "touch $out/k"; };\n}\n',
    'mac.nix': '{\n  clan.core.vars.generators.g = { files.key = { }; script = "touch $out/key"; };\n  clan.core.vars.generators.h = { files.key = { }; script = "touch $out/key"; };\n}\n',
    'more.nix': '{\n  clan.core.vars.generators.third = { files.k = { }; script = "touch $out/k"; };\n}\n',
  });
  const summary = () => [...index.allProblems().values()].flat().filter((p) => p.code === DARWIN).map((p) => `${path.relative(root, p.file)}:${p.range.start.line} ${p.severity}`);
  assert.deepEqual(summary(), []);
  lines.length = 0;
  index.updateFromText(path.join(root, 'mac.nix'), '{\n  clan.core.vars.generators.g = { files.key.restartUnits = [ "a.service" ]; script = "touch $out/key"; };\n  clan.core.vars.generators.h = { files.key = { }; script = "touch $out/key"; };\n}\n');
  assert.deepEqual(summary(), ['mac.nix:1 error']);
  assert.deepEqual(lines.filter((l) => l.startsWith(`rule ${DARWIN} `)).map((l) => l.replace(/ in [\d.]+ ms$/, '')), [`rule ${DARWIN} ran over 2 generators`]);
});

// ---------------------------------------------------------------------------------------------
// secret-not-shared-with-machine

const SHARED = 'secret-not-shared-with-machine';

async function secretFindings(root: string) {
  const report = await analyzeFolder(root, DEFAULT_SETTINGS, () => {});
  return report.problems.filter((p) => p.code === SHARED).map((p) => `${path.relative(root, p.file)}:${p.range.start.line + 1} ${p.severity}`);
}

/** Machines box and web (web's key), box's configuration.nix holding these bindings under clan.core.vars.generators (line 3 on), a sops secret g/k of box its key is not a recipient of, and these other files. */
async function unlinked(bindings: string[], files: Record<string, string> = {}) {
  const [admin, box] = await Promise.all([newKey(), newKey()]);
  const root = newClan();
  addKey(root, 'users', 'admin', [admin.recipient]);
  addKey(root, 'machines', 'box', [box.recipient]);
  addKey(root, 'machines', 'web', [box.recipient]);
  write(root, 'machines/box/configuration.nix', `{ config, lib, ... }:\n{\n${bindings.map((b) => `  clan.core.vars.generators.${b};`).join('\n')}\n}\n`);
  for (const [f, text] of Object.entries(files)) write(root, f, text);
  await addSopsSecret(root, { machine: 'box', generator: 'g', file: 'k', value: 'v', recipients: [admin.recipient], users: ['admin'] });
  return root;
}

test('secret-not-shared-with-machine: a file declared by two modules of the machine gets one warning, on the first declaration', async () => {
  const root = await unlinked(['g = { files.k = { }; }'], { 'machines/box/more.nix': '{\n  clan.core.vars.generators.g.files.k.owner = "root";\n}\n' });
  assert.deepEqual(await secretFindings(root), ['machines/box/configuration.nix:3 warning']);
});

test('secret-not-shared-with-machine: one declaration with neededFor = "activation" is enough, another saying nothing does not undo it', async () => {
  const root = await unlinked(['g = { files.k = { }; }'], { 'machines/box/more.nix': '{\n  clan.core.vars.generators.g.files.k.neededFor = "activation";\n}\n' });
  assert.deepEqual(await secretFindings(root), []);
});

test('secret-not-shared-with-machine: a file whose settings are a value the syntax cannot read may be needed for activation: no warning', async () => {
  assert.deepEqual(await secretFindings(await unlinked(['g = { files.k = config.fileSettings; files.other = { }; }'])), []);
});

test('secret-not-shared-with-machine: unreadable settings of another file of the generator do not excuse this one', async () => {
  assert.deepEqual(await secretFindings(await unlinked(['g = { files.k = { }; files.other = config.fileSettings; }'])), ['machines/box/configuration.nix:3 warning']);
});

test('secret-not-shared-with-machine: a generator whose files are computed may say deploy = false: no warning', async () => {
  assert.deepEqual(await secretFindings(await unlinked(['g = { files = config.fileSet; }', 'g.files.k = { }'])), []);
});

test('secret-not-shared-with-machine: a sops secret of a generator no module of the machine declares gets no warning (nothing to put it on), and the declared one still gets its own', async () => {
  const root = await unlinked(['g = { files.k = { }; }']);
  const admin = await newKey();
  addKey(root, 'users', 'other-admin', [admin.recipient]);
  await addSopsSecret(root, { machine: 'box', generator: 'gone', file: 'x', value: 'v', recipients: [admin.recipient], users: ['other-admin'] });
  await addSopsSecret(root, { machine: 'box', generator: 'zgone', file: 'x', value: 'v', recipients: [admin.recipient], users: ['other-admin'] });
  assert.deepEqual(await secretFindings(root), ['machines/box/configuration.nix:3 warning']);
});

test('secret-not-shared-with-machine: another declaration of g on the machine that names no file does not excuse it', async () => {
  const root = await unlinked(['g = { files.k = { }; }'], { 'machines/box/more.nix': '{\n  clan.core.vars.generators.g.script = "touch $out/k";\n}\n' });
  assert.deepEqual(await secretFindings(root), ['machines/box/configuration.nix:3 warning']);
});

test('secret-not-shared-with-machine: deploy = false in the declaration of g on another machine does not excuse it on this one', async () => {
  const root = await unlinked(['g = { files.k = { }; }'], { 'machines/web/configuration.nix': '{\n  clan.core.vars.generators.g = { files.k.deploy = false; };\n}\n' });
  assert.deepEqual(await secretFindings(root), ['machines/box/configuration.nix:3 warning']);
});

test('secret-not-shared-with-machine: g in a module no machine is known to import, and a computed-name generator with deploy = false on another machine: still a warning', async () => {
  const root = await unlinked(['other = { files.x = { }; }'], {
    'modules/g.nix': '{\n  clan.core.vars.generators.g = { files.k = { }; };\n}\n',
    'machines/web/configuration.nix': '{ config, ... }:\n{\n  clan.core.vars.generators.${config.which} = { files.k.deploy = false; };\n}\n',
  });
  assert.deepEqual(await secretFindings(root), ['modules/g.nix:2 warning']);
});

test('secret-not-shared-with-machine: a generator with a computed name on the machine may be g and say deploy = false: no warning', async () => {
  assert.deepEqual(await secretFindings(await unlinked(['g = { files.k = { }; }', '${config.which} = { files.k.deploy = false; }'])), []);
});

test('secret-not-shared-with-machine: a computed-name generator saying deploy = false on another machine only does not excuse it', async () => {
  const root = await unlinked(['g = { files.k = { }; }'], { 'machines/web/configuration.nix': '{ config, ... }:\n{\n  clan.core.vars.generators.${config.which} = { files.k.deploy = false; };\n}\n' });
  assert.deepEqual(await secretFindings(root), ['machines/box/configuration.nix:3 warning']);
});

test('secret-not-shared-with-machine: setting deploy = false in the declaration clears the warning, without another change', async () => {
  const root = await unlinked(['g = { files.k = { }; }']);
  const index = await openFolder(root, DEFAULT_SETTINGS, () => {});
  const shownNow = () => [...index.allProblems().values()].flat().filter((p) => p.code === SHARED).map((p) => `${path.relative(root, p.file)}:${p.range.start.line + 1}`);
  assert.deepEqual(shownNow(), ['machines/box/configuration.nix:3']);
  index.updateFromText(path.join(root, 'machines/box/configuration.nix'), '{ config, lib, ... }:\n{\n  clan.core.vars.generators.g = { files.k.deploy = false; };\n}\n');
  assert.deepEqual(shownNow(), []);
});

test('secret-not-shared-with-machine: settings of the file the syntax cannot read, merged with deploy = true: they may set neededFor = "activation", no warning', async () => {
  const root = await unlinked([], {
    'machines/box/configuration.nix': '{ config, lib, ... }:\n{\n  config = lib.mkMerge [\n    { clan.core.vars.generators.g.files.k = config.fileSettings; }\n    { clan.core.vars.generators.g.files.k.deploy = true; }\n  ];\n}\n',
  });
  assert.deepEqual(await secretFindings(root), []);
});
