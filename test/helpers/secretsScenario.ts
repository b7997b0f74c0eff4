// A clan with machines `box` and `web`, users `admin` and `bob`, and sops secrets in every state
// the secret rules care about. Used by the unit, CLI and server tests of those rules.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { addKey, addSopsSecret, link, newClan, newKey, write } from './secretsClan';

export interface Scenario {
  root: string;
  /** `file:line code` expected from the secret rules (1-based lines). */
  expected: string[];
}

export async function secretsScenario(): Promise<Scenario> {
  const [admin, bob, box, web] = await Promise.all([newKey(), newKey(), newKey(), newKey()]);
  const root = newClan();
  addKey(root, 'users', 'admin', [admin.recipient], true); // single-object format
  addKey(root, 'users', 'bob', [bob.recipient]); // list format
  addKey(root, 'machines', 'box', [box.recipient]);
  addKey(root, 'machines', 'web', [web.recipient]);
  write(root, 'machines/box/configuration.nix', [
    '{ ... }:',
    '{',
    '  clan.core.vars.generators.ok = { files.k = { }; };',
    '  clan.core.vars.generators.outdated = { files.k = { }; };',
    '  clan.core.vars.generators.nolink = { files.k = { }; files.adminonly.deploy = false; };',
    '  clan.core.vars.generators.dangling = { files.k = { }; };',
    '}',
    '',
  ].join('\n'));
  // a shared module: its machine cannot be told, so it gets the findings of every machine
  write(root, 'modules/common.nix', '{ clan.core.vars.generators.grouped = { files.k = { }; }; }\n');
  // web declares `ok` too, but web's secrets are fine: nothing is reported there
  write(root, 'machines/web/configuration.nix', '{ clan.core.vars.generators.ok = { files.k = { }; }; }\n');

  const base = { value: 'v', users: ['admin'] };
  await addSopsSecret(root, { ...base, machine: 'box', generator: 'ok', file: 'k', recipients: [admin.recipient, box.recipient], machines: ['box'] });
  await addSopsSecret(root, { ...base, machine: 'web', generator: 'ok', file: 'k', recipients: [admin.recipient, web.recipient], machines: ['web'] });
  // bob was added to the links, but the secret was not re-encrypted
  await addSopsSecret(root, { ...base, machine: 'box', generator: 'outdated', file: 'k', recipients: [admin.recipient, box.recipient], users: ['admin', 'bob'], machines: ['box'] });
  // deployed file without a machines/box link; deploy = false file without one is fine
  await addSopsSecret(root, { ...base, machine: 'box', generator: 'nolink', file: 'k', recipients: [admin.recipient] });
  await addSopsSecret(root, { ...base, machine: 'box', generator: 'nolink', file: 'adminonly', recipients: [admin.recipient] });
  // a link to a machine that has no key
  await addSopsSecret(root, { ...base, machine: 'box', generator: 'dangling', file: 'k', recipients: [admin.recipient, box.recipient], machines: ['box'] });
  link(root, 'vars/per-machine/box/dangling/k/machines/gone', 'sops/machines/gone');
  // groups: the group has bob and web; the secret is encrypted for admin and web only
  fs.mkdirSync(path.join(root, 'sops/groups/ops'), { recursive: true });
  link(root, 'sops/groups/ops/users/bob', 'sops/users/bob');
  link(root, 'sops/groups/ops/machines/web', 'sops/machines/web');
  await addSopsSecret(root, { ...base, machine: 'web', generator: 'grouped', file: 'k', recipients: [admin.recipient, web.recipient], machines: ['web'], groups: ['ops'] });
  return {
    root,
    expected: [
      'machines/box/configuration.nix:4 secret-recipients-outdated',
      'machines/box/configuration.nix:5 secret-not-shared-with-machine',
      'machines/box/configuration.nix:6 broken-secret-link',
      'modules/common.nix:1 secret-recipients-outdated',
    ],
  };
}
