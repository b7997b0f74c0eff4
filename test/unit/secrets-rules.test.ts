// The secret rules over a clan tree with sops secrets in every state, and over the shared fixtures.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { analyzeFolder } from '../../server/src/cli/analyzeFolder';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { invalidateVarsOnDisk } from '../../server/src/model/varsOnDisk';
import { secretsScenario } from '../helpers/secretsScenario';
import { addKey, addSopsSecret, newKey, write } from '../helpers/secretsClan';
import { FIXTURES, tempDir } from '../helpers/secretsEnv';

const SECRET_CODES = new Set(['secret-recipients-outdated', 'secret-not-shared-with-machine', 'broken-secret-link']);

async function secretProblems(root: string) {
  const report = await analyzeFolder(root, DEFAULT_SETTINGS, () => {});
  return report.problems.filter((p) => SECRET_CODES.has(p.code)).map((p) => ({ ...p, where: `${path.relative(root, p.file)}:${p.range.start.line + 1} ${p.code}` }));
}

describe('secret rules', () => {
  test('each finding lands on the generator declaration of its machine', async () => {
    const s = await secretsScenario();
    const found = await secretProblems(s.root);
    assert.deepEqual(found.map((p) => p.where).sort(), s.expected);
    const outdated = found.find((p) => p.where.startsWith('machines/box/configuration.nix:4'))!;
    assert.match(outdated.message, /not yet encrypted for user bob \(age1/);
    assert.match(outdated.message, /Run clan vars fix box --generator outdated\./);
    const grouped = found.find((p) => p.where.startsWith('modules/common.nix'))!;
    assert.match(grouped.message, /user bob \(group ops\)/);
    const dangling = found.find((p) => p.code === 'broken-secret-link')!;
    assert.match(dangling.message, /machines\/gone \(machine gone: the link points to .*sops\/machines\/gone, which does not exist\)/);
    const nolink = found.find((p) => p.code === 'secret-not-shared-with-machine')!;
    assert.match(nolink.message, /'k' of generator 'nolink' on machine 'box'.*no machines\/box link/);
    // the range is the generator name
    const line = fs.readFileSync(path.join(s.root, 'machines/box/configuration.nix'), 'utf8').split('\n')[outdated.range.start.line];
    assert.equal(line.slice(outdated.range.start.character, outdated.range.end.character), 'outdated');
  });

  test('a secret clan uploads from the admin machine (neededFor activation or partitioning) needs no machine link', async () => {
    for (const [neededFor, expected] of [['"activation"', 0], ['"partitioning"', 0], ['"services"', 1]] as const) {
      const s = await secretsScenario();
      const file = path.join(s.root, 'machines/box/configuration.nix');
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('nolink = { files.k = { };', `nolink = { files.k.neededFor = ${neededFor};`));
      invalidateVarsOnDisk(s.root);
      const found = (await secretProblems(s.root)).filter((p) => p.code === 'secret-not-shared-with-machine');
      assert.equal(found.length, expected, neededFor);
    }
  });

  test('a deploy that cannot be read (computed) may be false: no warning', async () => {
    const s = await secretsScenario();
    const file = path.join(s.root, 'machines/box/configuration.nix');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('nolink = { files.k = { };', 'nolink = { files.k.deploy = config.adminOnly;').replace('{ ... }:', '{ config, ... }:'));
    invalidateVarsOnDisk(s.root);
    const found = (await secretProblems(s.root)).filter((p) => p.code === 'secret-not-shared-with-machine');
    assert.deepEqual(found, []);
  });

  test('the scan is cached until invalidated', async () => {
    const s = await secretsScenario();
    assert.equal((await secretProblems(s.root)).length, 4);
    fs.rmSync(path.join(s.root, 'vars/per-machine/box/dangling/k/machines/gone'));
    invalidateVarsOnDisk(s.root);
    assert.equal((await secretProblems(s.root)).length, 3);
  });

  test('clan-core fixtures: consistent trees are quiet; dangling shared links are reported', async () => {
    for (const [dir, gens, expected] of [
      ['sops-backend-service-dummy-test', ['dummy-generator', 'new-service'], []],
      ['sops-shared-yggdrasil', ['zerotier-controller'], ['broken-secret-link']],
    ] as const) {
      // the fixtures have no .nix files: a temp clan with their vars and sops folders (copied, links as
      // they are: a folder linked out of the clan is read as nothing) and declarations beside them
      const root = tempDir();
      for (const sub of ['vars', 'sops']) if (fs.existsSync(path.join(FIXTURES, dir, sub))) fs.cpSync(path.join(FIXTURES, dir, sub), path.join(root, sub), { recursive: true, verbatimSymlinks: true });
      fs.writeFileSync(path.join(root, 'flake.nix'), '{ }\n');
      fs.writeFileSync(path.join(root, 'gens.nix'), `{ ${gens.map((g) => `clan.core.vars.generators.${g}.files.x = { };`).join(' ')} }\n`);
      assert.deepEqual((await secretProblems(root)).map((p) => p.code), expected, dir);
    }
  });

  test('a machine\'s declarations are merged (deploy = false in a second module wins), and a computed name is not applied to a var it might match', async () => {
    const s = await secretsScenario();
    write(s.root, 'machines/box/admin-only.nix', '{ clan.core.vars.generators.nolink.files.k.deploy = false; }\n');
    write(s.root, 'machines/box/mqtt.nix', '{ user, ... }: { clan.core.vars.generators."mqtt-${user}".files.password.deploy = true; }\n');
    const admin = await newKey();
    addKey(s.root, 'users', 'carol', [admin.recipient]);
    await addSopsSecret(s.root, { value: 'v', users: ['carol'], machine: 'box', generator: 'mqtt-alice', file: 'password', recipients: [admin.recipient] });
    const found = (await secretProblems(s.root)).map((p) => p.where).sort();
    assert.deepEqual(found, s.expected.filter((e) => !e.includes('secret-not-shared-with-machine')));
  });
});
