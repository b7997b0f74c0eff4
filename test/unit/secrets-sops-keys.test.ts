// The sops key material of a clan as clan writes it: `sops/{users,machines}/<name>/key.json` (one
// object or a list) and the users/, machines/, groups/ links beside each secret, as symlinks or as
// small files holding the target (checkouts without symlinks). Every way a key or a link is broken
// gets its own message; nothing is guessed.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { keyOwners, linkTarget, readKeyJson, resolveSecretLinks } from '../../server/src/secrets/sopsKeys';
import { Confinement } from '../../server/src/base/confinement';
import { write } from '../helpers/secretsClan';
import { tempDir } from '../helpers/secretsEnv';

const AGE_A = 'age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq';
const AGE_B = 'age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj';

test('key.json: one object or a list; age and pgp keys, the type in any case; each malformed form named', () => {
  const root = tempDir('clan-vars-keyjson-');
  const dir = (name: string, content: string) => path.dirname(write(root, `${name}/key.json`, content));
  assert.deepEqual(readKeyJson(Confinement.within(root), dir('one', JSON.stringify({ publickey: ` ${AGE_A}\n`, type: 'AGE' }))), { keys: [{ publickey: AGE_A, type: 'age' }] });
  assert.deepEqual(readKeyJson(Confinement.within(root), dir('list', JSON.stringify([{ publickey: AGE_A, type: 'age' }, { publickey: 'ABCDEF0123', type: 'pgp' }]))), {
    keys: [{ publickey: AGE_A, type: 'age' }, { publickey: 'ABCDEF0123', type: 'pgp' }],
  });
  const error = (r: ReturnType<typeof readKeyJson>) => ('error' in r ? r.error : `keys: ${JSON.stringify(r.keys)}`);
  assert.match(error(readKeyJson(Confinement.within(root), path.join(root, 'missing'))), /missing\/key\.json does not exist$/);
  assert.match(error(readKeyJson(Confinement.within(root), dir('broken', '{ "publickey": '))), /broken\/key\.json is not valid JSON \(/);
  assert.match(error(readKeyJson(Confinement.within(root), dir('nokey', JSON.stringify({ type: 'age' })))), /nokey\/key\.json: an entry has no "publickey"$/);
  assert.match(error(readKeyJson(Confinement.within(root), dir('blank', JSON.stringify([{ publickey: AGE_A, type: 'age' }, { publickey: '  ', type: 'age' }])))), /an entry has no "publickey"$/);
  assert.match(error(readKeyJson(Confinement.within(root), dir('ssh', JSON.stringify({ publickey: 'ssh-ed25519 AAAA', type: 'ssh' })))), /key type "ssh" is not age or pgp$/);
  assert.match(error(readKeyJson(Confinement.within(root), dir('notype', JSON.stringify({ publickey: AGE_A })))), /key type "undefined" is not age or pgp$/);
  assert.match(error(readKeyJson(Confinement.within(root), dir('null', 'null'))), /an entry has no "publickey"$/);
  fs.mkdirSync(path.join(root, 'isdir', 'key.json'), { recursive: true });
  assert.match(error(readKeyJson(Confinement.within(root), path.join(root, 'isdir'))), /isdir\/key\.json cannot be read$/);
});

test('link entries: a symlink, a directory, a small file holding a relative path; anything else is not a link', () => {
  const root = tempDir('clan-vars-links-');
  fs.mkdirSync(path.join(root, 'sops/users/alice'), { recursive: true });
  const secret = path.join(root, 'sops/secrets/s/users');
  fs.mkdirSync(secret, { recursive: true });
  fs.symlinkSync('../../../users/alice', path.join(secret, 'alice'));
  fs.writeFileSync(path.join(secret, 'file-link'), '../../../users/alice\n');
  fs.writeFileSync(path.join(secret, 'sibling'), './x');
  fs.writeFileSync(path.join(secret, 'prose'), 'alice');
  fs.writeFileSync(path.join(secret, 'two-lines'), '../a\n../b');
  fs.writeFileSync(path.join(secret, 'big'), '../' + 'a'.repeat(5000));
  fs.mkdirSync(path.join(secret, 'folder'));
  const alice = path.join(root, 'sops/users/alice');
  assert.deepEqual(linkTarget(Confinement.within(root), path.join(secret, 'alice')), { target: alice, isLink: true });
  assert.deepEqual(linkTarget(Confinement.within(root), path.join(secret, 'file-link')), { target: alice, isLink: true });
  assert.deepEqual(linkTarget(Confinement.within(root), path.join(secret, 'sibling')), { target: path.join(secret, 'x'), isLink: true });
  assert.deepEqual(linkTarget(Confinement.within(root), path.join(secret, 'folder')), { target: path.join(secret, 'folder'), isLink: false });
  for (const name of ['prose', 'two-lines', 'big', 'missing']) assert.deepEqual(linkTarget(Confinement.within(root), path.join(secret, name)), { target: null, isLink: false }, name);
});

test("a secret's links resolved: users, machines, groups with their members; each broken link says why", () => {
  const root = tempDir('clan-vars-resolve-');
  write(root, 'sops/users/alice/key.json', JSON.stringify({ publickey: AGE_A, type: 'age' }));
  write(root, 'sops/machines/box/key.json', JSON.stringify({ publickey: AGE_B, type: 'age' }));
  write(root, 'sops/users/nokey/key.json', '[]');
  fs.mkdirSync(path.join(root, 'sops/users/empty'), { recursive: true });
  fs.mkdirSync(path.join(root, 'sops/groups/ops/users'), { recursive: true });
  fs.mkdirSync(path.join(root, 'sops/groups/ops/machines'), { recursive: true });
  fs.mkdirSync(path.join(root, 'sops/groups/ops/groups'), { recursive: true });
  fs.symlinkSync('../../../users/alice', path.join(root, 'sops/groups/ops/users/alice'));
  fs.symlinkSync('../../../machines/box', path.join(root, 'sops/groups/ops/machines/box'));
  fs.symlinkSync('../../../groups/ops', path.join(root, 'sops/groups/ops/groups/ops'), 'dir');
  const s = path.join(root, 'sops/secrets/s');
  for (const kind of ['users', 'machines', 'groups']) fs.mkdirSync(path.join(s, kind), { recursive: true });
  fs.symlinkSync('../../../users/alice', path.join(s, 'users/alice'));
  fs.symlinkSync('../../../users/empty', path.join(s, 'users/empty'));
  fs.symlinkSync('../../../users/gone', path.join(s, 'users/gone'));
  fs.writeFileSync(path.join(s, 'users/plain'), 'alice');
  fs.symlinkSync('../../../machines/box', path.join(s, 'machines/box'));
  fs.symlinkSync('../../../groups/ops', path.join(s, 'groups/ops'));
  const links = resolveSecretLinks(Confinement.within(root), s);
  const shown = links.map((l) => `${l.kind} ${l.name}: ${l.problem ? l.problem.replace(root, '<root>') : l.keys.map((k) => `${k.key.publickey.slice(0, 8)} of ${k.owner}`).join(', ')}`);
  assert.deepEqual(shown, [
    `users alice: ${AGE_A.slice(0, 8)} of user alice`,
    'users empty: user empty: <root>/sops/users/empty/key.json does not exist',
    'users gone: user gone: the link points to <root>/sops/users/gone, which does not exist',
    'users plain: user plain: not a link',
    `machines box: ${AGE_B.slice(0, 8)} of machine box`,
    // a group's own groups/ entries are not followed; its members are, and named with the group
    `groups ops: ${AGE_A.slice(0, 8)} of user alice (group ops), ${AGE_B.slice(0, 8)} of machine box (group ops)`,
  ]);
});

test("key owners: each public key with every user and machine whose key.json lists it; broken ones left out", () => {
  const root = tempDir('clan-vars-owners-');
  write(root, 'sops/users/alice/key.json', JSON.stringify([{ publickey: AGE_A, type: 'age' }, { publickey: AGE_B, type: 'age' }]));
  write(root, 'sops/users/bob/key.json', JSON.stringify({ publickey: AGE_B, type: 'age' }));
  write(root, 'sops/machines/box/key.json', JSON.stringify({ publickey: AGE_A, type: 'age' }));
  write(root, 'sops/machines/bad/key.json', 'not json');
  assert.deepEqual(Object.fromEntries(keyOwners(root)), { [AGE_A]: ['user alice', 'machine box'], [AGE_B]: ['user alice', 'user bob'] });
  assert.deepEqual(keyOwners(path.join(root, 'nowhere')).size, 0);
});
