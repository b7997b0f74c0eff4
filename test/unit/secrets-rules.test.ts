// The secret rules over a clan tree with sops secrets in every state, and over the shared fixtures.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { analyzeFolder } from '../../server/src/cli/analyzeFolder';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { invalidateVarsOnDisk } from '../../server/src/model/varsOnDisk';
import { secretsScenario } from '../helpers/secretsScenario';
import { addKey, addSopsSecret, link, newKey, write } from '../helpers/secretsClan';
import { encryptSopsSecret } from '../helpers/sopsEncrypt';
import { openFolder } from '../../server/src/cli/folder';
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

describe('broken-secret-link', () => {
  /** A clan with a shared secret `wg/key` linked to user admin, machines box, web and gone, and group ops (no sops/groups/ops), and box's secret `solo/k` linked to user ghost only. */
  async function brokenLinks() {
    const [admin, box, web] = await Promise.all([newKey(), newKey(), newKey()]);
    const root = tempDir();
    write(root, 'flake.nix', '{ }\n');
    addKey(root, 'users', 'admin', [admin.recipient]);
    addKey(root, 'machines', 'box', [box.recipient]);
    addKey(root, 'machines', 'web', [web.recipient]);
    write(root, 'modules/shared.nix', '{\n  clan.core.vars.generators.wg = { share = true; files.key = { }; };\n}\n');
    write(root, 'machines/box/configuration.nix', '{\n  imports = [ ../../modules/shared.nix ];\n  clan.core.vars.generators.solo = { files.k = { }; };\n}\n');
    await addSopsSecret(root, { machine: 'box', generator: 'solo', file: 'k', value: 'v', recipients: [admin.recipient], users: ['ghost'] });
    const dir = 'vars/shared/wg/key';
    write(root, `${dir}/secret`, await encryptSopsSecret('v', [admin.recipient, box.recipient, web.recipient]));
    link(root, `${dir}/users/admin`, 'sops/users/admin');
    for (const m of ['box', 'gone', 'web']) link(root, `${dir}/machines/${m}`, `sops/machines/${m}`);
    link(root, `${dir}/groups/ops`, 'sops/groups/ops');
    return root;
  }

  test('the message counts the broken links, names each, and gives the fix command with the machines a shared secret is deployed to', async () => {
    const root = await brokenLinks();
    const found = (await secretProblems(root)).filter((p) => p.code === 'broken-secret-link').sort((a, b) => a.where.localeCompare(b.where));
    assert.deepEqual(found.map((p) => `${p.where} ${p.severity}`), ['machines/box/configuration.nix:3 broken-secret-link warning', 'modules/shared.nix:2 broken-secret-link warning']);
    const [solo, wg] = found;
    assert.match(solo.message, /^Secret 'k' of generator 'solo' on machine 'box' has a broken link: users\/ghost \([^;]*\)\. Add the missing key under sops\/ or remove the link, then run clan vars fix box --generator solo\.$/);
    assert.match(
      wg.message,
      /^Secret 'key' of generator 'wg' \(shared\) has 2 broken links: machines\/gone \(machine gone: [^;]*\); groups\/ops \(group ops: [^;]*\)\. Add the missing key under sops\/ or remove the link, then run clan vars fix box gone web --generator wg\.$/,
    );
  });

  test('a clan that keeps its secrets in the age store never opens the sops files left in vars/: no finding on them, until it goes back to sops', async () => {
    // departamento-de-decentralizacion/infra moved to the age store (clan.nix: vars.settings.secretStore
    // = "age") and left its sops secrets, linked to a sops/ folder it deleted, in vars/
    const root = await brokenLinks();
    write(root, 'clan.nix', '{\n  meta.name = "x";\n  vars.settings.secretStore = "age";\n}\n');
    assert.deepEqual(await secretProblems(root), []);
    const index = await openFolder(root, DEFAULT_SETTINGS, () => {});
    const codes = () => [...new Set([...index.allProblems().values()].flat().filter((p) => SECRET_CODES.has(p.code)).map((p) => p.code))].sort();
    assert.deepEqual(codes(), []);
    index.updateFromText(path.join(root, 'clan.nix'), '{\n  meta.name = "x";\n  vars.settings.secretStore = "sops";\n}\n');
    assert.deepEqual(codes(), ['broken-secret-link', 'secret-not-shared-with-machine']);
  });

  test('the secret store setting decides it as the clan would; folders of the age store beside sops ones do not (clan keeps sops unless told)', async () => {
    const root = await brokenLinks();
    const codes = async (settings = DEFAULT_SETTINGS) => [...new Set((await analyzeFolder(root, settings, () => {})).problems.filter((p) => SECRET_CODES.has(p.code)).map((p) => p.code))].sort();
    assert.deepEqual(await codes({ ...DEFAULT_SETTINGS, secretStore: 'age' }), []);
    assert.deepEqual(await codes({ ...DEFAULT_SETTINGS, secretStore: 'password-store' }), []);
    write(root, 'clan.nix', '{\n  meta.name = "x";\n  vars.settings.secretStore = "age";\n}\n');
    assert.deepEqual(await codes({ ...DEFAULT_SETTINGS, secretStore: 'sops' }), ['broken-secret-link', 'secret-not-shared-with-machine']);
    fs.rmSync(path.join(root, 'clan.nix'));
    write(root, 'secrets/age-keys/machines/box/pub', 'age1xyz\n');
    assert.deepEqual(await codes(), ['broken-secret-link', 'secret-not-shared-with-machine']);
  });

  test('the editor follows renamed declarations and links fixed on disk', async () => {
    const root = await brokenLinks();
    const index = await openFolder(root, DEFAULT_SETTINGS, () => {});
    const broken = () => [...index.allProblems().values()].flat().filter((p) => p.code === 'broken-secret-link').map((p) => `${path.relative(root, p.file)}:${p.range.start.line + 1}`).sort();
    assert.deepEqual(broken(), ['machines/box/configuration.nix:3', 'modules/shared.nix:2']);
    // the shared generator renamed: its secret on disk no longer belongs to a declaration
    index.updateFromText(path.join(root, 'modules/shared.nix'), '{\n  clan.core.vars.generators.wg2 = { share = true; files.key = { }; };\n}\n');
    assert.deepEqual(broken(), ['machines/box/configuration.nix:3']);
    fs.rmSync(path.join(root, 'vars/per-machine/box/solo/k/users/ghost'));
    index.varsChanged(path.join(root, 'vars/per-machine/box/solo/k/users/ghost'));
    assert.deepEqual(broken(), []);
  });
});
