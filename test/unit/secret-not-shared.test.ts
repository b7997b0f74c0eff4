// secret-not-shared-with-machine, from clan's sops layout: a per-machine sops secret that the
// machine's sops-nix must decrypt needs a machines/<that machine> link; nothing else stands in for
// it, and secrets the machine never decrypts are left alone.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyzeFolder } from '../../server/src/cli/analyzeFolder';
import { openFolder } from '../../server/src/cli/folder';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { invalidateVarsOnDisk } from '../../server/src/model/varsOnDisk';
import { addKey, addSopsSecret, link, newClan, newKey, write } from '../helpers/secretsClan';

const CODE = 'secret-not-shared-with-machine';

async function findings(root: string) {
  const report = await analyzeFolder(root, DEFAULT_SETTINGS, () => {});
  return report.problems.filter((p) => p.code === CODE).map((p) => `${path.relative(root, p.file)}:${p.range.start.line + 1} ${p.severity}`);
}

async function clanWith(generator: string) {
  const [admin, box] = await Promise.all([newKey(), newKey()]);
  const root = newClan();
  addKey(root, 'users', 'admin', [admin.recipient]);
  addKey(root, 'users', 'box', [admin.recipient]); // a user named like the machine
  addKey(root, 'machines', 'box', [box.recipient]);
  addKey(root, 'machines', 'web', [box.recipient]);
  write(root, 'machines/box/configuration.nix', `{ config, ... }:\n{\n  clan.core.vars.generators.${generator};\n}\n`);
  return { root, admin, box };
}

test('only a machines/<machine> link counts: a user of the same name or another machine does not', async () => {
  const { root, admin } = await clanWith('g = { files.k = { }; }');
  await addSopsSecret(root, { machine: 'box', generator: 'g', file: 'k', value: 'v', recipients: [admin.recipient], users: ['admin', 'box'], machines: ['web'] });
  assert.deepEqual(await findings(root), ['machines/box/configuration.nix:3 warning']);
  link(root, 'vars/per-machine/box/g/k/machines/box', 'sops/machines/box');
  invalidateVarsOnDisk(root);
  assert.deepEqual(await findings(root), []);
});

test('a neededFor the syntax cannot read may be activation or partitioning: no warning', async () => {
  const { root, admin } = await clanWith('g = { files.k.neededFor = config.phase; }');
  await addSopsSecret(root, { machine: 'box', generator: 'g', file: 'k', value: 'v', recipients: [admin.recipient], users: ['admin'] });
  assert.deepEqual(await findings(root), []);
});

test('shared secrets and the age backend are not per-machine sops secrets: no warning', async () => {
  const { root } = await clanWith('g = { share = true; files.k = { }; }');
  write(root, 'vars/shared/g/k/secret', 'x');
  link(root, 'vars/shared/g/k/users/admin', 'sops/users/admin');
  assert.deepEqual(await findings(root), []);
  const age = await clanWith('g = { files.k = { }; }');
  write(age.root, 'secrets/clan-vars/per-machine/box/g/k.age', 'age file');
  assert.deepEqual(await findings(age.root), []);
});

test('the warning lands on the generator that declares the file, not on another one of the machine', async () => {
  const { root, admin } = await clanWith('other = { files.x = { }; };\n  clan.core.vars.generators.g = { files.k = { }; }');
  await addSopsSecret(root, { machine: 'box', generator: 'g', file: 'k', value: 'v', recipients: [admin.recipient], users: ['admin'] });
  write(root, 'machines/box/a-more.nix', '{ clan.core.vars.generators.g.files.other = { }; }\n');
  assert.deepEqual(await findings(root), ['machines/box/configuration.nix:4 warning']);
});

test('the message says which secret, why the machine cannot decrypt it and both ways out', async () => {
  const { root, admin } = await clanWith('g = { files.k = { }; }');
  await addSopsSecret(root, { machine: 'box', generator: 'g', file: 'k', value: 'v', recipients: [admin.recipient], users: ['admin'] });
  const report = await analyzeFolder(root, DEFAULT_SETTINGS, () => {});
  const [p] = report.problems.filter((x) => x.code === CODE);
  assert.equal(p.message, `Secret 'k' of generator 'g' on machine 'box' is deployed (deploy is not false) but has no machines/box link, so box cannot decrypt it. Run clan vars fix box --generator g, or set files."k".deploy = false if only admins need it.`);
});

test('a public value of a per-machine generator has no recipients: no warning', async () => {
  const { root } = await clanWith('g = { files.pub.secret = false; }');
  write(root, 'vars/per-machine/box/g/pub/value', 'ssh-ed25519 AAAA\n');
  assert.deepEqual(await findings(root), []);
});

test('the server checks again when the vars on disk change: a link added clears the warning, without another edit', async () => {
  const { root, admin } = await clanWith('g = { files.k = { }; }');
  await addSopsSecret(root, { machine: 'box', generator: 'g', file: 'k', value: 'v', recipients: [admin.recipient], users: ['admin'] });
  const index = await openFolder(root, DEFAULT_SETTINGS, () => {});
  const codes = () => [...index.allProblems().values()].flat().filter((p) => p.code === CODE).length;
  assert.equal(codes(), 1);
  link(root, 'vars/per-machine/box/g/k/machines/box', 'sops/machines/box');
  index.varsChanged(path.join(root, 'vars/per-machine/box/g/k/machines/box'));
  assert.equal(codes(), 0);
});
