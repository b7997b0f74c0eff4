// Edges of the sops key material and file format that the other secrets tests leave open: a key.json
// linked out of the clan, a group whose member links are broken, the key cache of a scan, ENC values
// whose iv decodes to nothing, pgp lists with holes, an empty metadata block, shared passage vars
// with a file in a folder, and how a SecretError shows in a log.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { Confinement } from '../../server/src/base/confinement';
import { SecretError } from '../../server/src/secrets/errors';
import { listPassageVars } from '../../server/src/secrets/passage';
import { isEncValue, parseEnc, parseSopsFile, sopsRecipients } from '../../server/src/secrets/sopsFormat';
import { keyOwners, readKeyJson, resolveSecretLinks } from '../../server/src/secrets/sopsKeys';
import { write } from '../helpers/secretsClan';
import { tempDir } from '../helpers/secretsEnv';

const AGE_A = 'age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq';
const AGE_B = 'age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj';

const b64 = (n: number, fill = 1) => Buffer.alloc(n, fill).toString('base64');
const enc = (o: { data?: string; iv?: string; tag?: string; type?: string } = {}) =>
  `ENC[AES256_GCM,data:${o.data ?? b64(5)},iv:${o.iv ?? b64(32)},tag:${o.tag ?? b64(16)},type:${o.type ?? 'str'}]`;

/** The message of what `f` throws (a SecretError, with its code), or what it returned. */
function thrown(f: () => unknown): string {
  try {
    return `returned ${JSON.stringify(f())}`;
  } catch (e) {
    return e instanceof SecretError ? `${e.code}: ${e.message}` : `not a SecretError: ${String(e)}`;
  }
}

test("a key.json linked out of the clan is not read: the link's problem says it leads out, and its key has no owner", () => {
  const outside = tempDir('clan-vars-outside-key-');
  write(outside, 'key.json', JSON.stringify({ publickey: AGE_B, type: 'age' }));
  const root = tempDir('clan-vars-keyjson-out-');
  write(root, 'sops/users/admin/key.json', JSON.stringify({ publickey: AGE_A, type: 'age' }));
  fs.mkdirSync(path.join(root, 'sops/users/mallory'), { recursive: true });
  fs.symlinkSync(path.join(outside, 'key.json'), path.join(root, 'sops/users/mallory/key.json'));
  const s = path.join(root, 'sops/secrets/s');
  fs.mkdirSync(path.join(s, 'users'), { recursive: true });
  fs.symlinkSync('../../../users/admin', path.join(s, 'users/admin'));
  fs.symlinkSync('../../../users/mallory', path.join(s, 'users/mallory'));
  const reads = Confinement.within(root);
  assert.deepEqual(readKeyJson(reads, path.join(root, 'sops/users/mallory')), { error: `${root}/sops/users/mallory/key.json leads out of the clan` });
  assert.deepEqual(
    resolveSecretLinks(reads, s).map((l) => [l.name, l.problem, l.keys.map((k) => `${k.key.publickey} of ${k.owner}`)]),
    [
      ['admin', null, [`${AGE_A} of user admin`]],
      ['mallory', `user mallory: ${root}/sops/users/mallory/key.json leads out of the clan`, []],
    ],
  );
  assert.deepEqual(Object.fromEntries(keyOwners(root)), { [AGE_A]: ['user admin'] }, 'the key outside is never read, so it has no owner');
});

test("a group with broken member links is itself broken: it names its first broken member, and still gives its good members' keys", () => {
  const root = tempDir('clan-vars-group-broken-');
  write(root, 'sops/users/alice/key.json', JSON.stringify({ publickey: AGE_A, type: 'age' }));
  write(root, 'sops/machines/box/key.json', JSON.stringify({ publickey: AGE_B, type: 'age' }));
  const ops = path.join(root, 'sops/groups/ops');
  fs.mkdirSync(path.join(ops, 'users'), { recursive: true });
  fs.mkdirSync(path.join(ops, 'machines'), { recursive: true });
  fs.symlinkSync('../../../users/alice', path.join(ops, 'users/alice'));
  fs.symlinkSync('../../../users/gone', path.join(ops, 'users/gone'));
  fs.writeFileSync(path.join(ops, 'users/plain'), 'alice');
  fs.symlinkSync('../../../machines/box', path.join(ops, 'machines/box'));
  // a group with only good members has no problem
  const fine = path.join(root, 'sops/groups/fine/users');
  fs.mkdirSync(fine, { recursive: true });
  fs.symlinkSync('../../../users/alice', path.join(fine, 'alice'));
  const s = path.join(root, 'sops/secrets/s');
  fs.mkdirSync(path.join(s, 'groups'), { recursive: true });
  fs.symlinkSync('../../../groups/fine', path.join(s, 'groups/fine'));
  fs.symlinkSync('../../../groups/ops', path.join(s, 'groups/ops'));
  assert.deepEqual(
    resolveSecretLinks(Confinement.within(root), s).map((l) => [l.name, l.problem, l.keys.map((k) => `${k.key.publickey} of ${k.owner}`)]),
    [
      ['fine', null, [`${AGE_A} of user alice (group fine)`]],
      // gone and plain are both broken; the first (in name order) is the one named
      ['ops', `user gone (group ops): the link points to ${root}/sops/users/gone, which does not exist`, [`${AGE_A} of user alice (group ops)`, `${AGE_B} of machine box (group ops)`]],
    ],
  );
});

test('one cache for a scan: a key.json reached from several secrets and groups is read once', () => {
  const root = tempDir('clan-vars-key-cache-');
  write(root, 'sops/users/alice/key.json', JSON.stringify({ publickey: AGE_A, type: 'age' }));
  fs.mkdirSync(path.join(root, 'sops/groups/ops/users'), { recursive: true });
  fs.symlinkSync('../../../users/alice', path.join(root, 'sops/groups/ops/users/alice'));
  for (const name of ['s1', 's2']) {
    const s = path.join(root, 'sops/secrets', name);
    fs.mkdirSync(path.join(s, 'users'), { recursive: true });
    fs.mkdirSync(path.join(s, 'groups'), { recursive: true });
    fs.symlinkSync('../../../users/alice', path.join(s, 'users/alice'));
    fs.symlinkSync('../../../groups/ops', path.join(s, 'groups/ops'));
  }
  const reads = Confinement.within(root);
  const keyReads: string[] = [];
  const readText = reads.readText.bind(reads);
  reads.readText = (file: string, max?: number) => {
    if (path.basename(file) === 'key.json') keyReads.push(path.relative(root, file));
    return readText(file, max);
  };
  const cache = new Map();
  const keys = ['s1', 's2'].flatMap((name) => resolveSecretLinks(reads, path.join(root, 'sops/secrets', name), cache)).flatMap((l) => l.keys.map((k) => `${k.key.publickey} of ${k.owner}`));
  assert.deepEqual(keys, [`${AGE_A} of user alice`, `${AGE_A} of user alice (group ops)`, `${AGE_A} of user alice`, `${AGE_A} of user alice (group ops)`]);
  assert.deepEqual(keyReads, ['sops/users/alice/key.json']);
});

test('ENC values: an iv that decodes to no bytes is no ENC value; isEncValue is false for anything but a string', () => {
  for (const iv of ['=', 'A', '====']) assert.equal(parseEnc(enc({ iv })), null, iv);
  assert.equal(parseEnc(enc({ iv: 'AA==' }))?.iv.length, 1, 'one byte is an iv');
  assert.equal(isEncValue(enc()), true);
  assert.equal(isEncValue('ENC['), true);
  assert.equal(isEncValue('enc[x]'), false);
  for (const v of [null, undefined, 5, true, ['ENC[x]'], { value: 'ENC[x]' }]) assert.equal(isEncValue(v), false, JSON.stringify(v));
});

test('pgp fingerprints: a null entry in the list is skipped, in the full parse and in the recipients scan', () => {
  const meta = { lastmodified: '2025-01-01T00:00:00Z', mac: enc(), age: [{ recipient: AGE_A, enc: 'E' }], pgp: [null, { fp: 'FP1' }, 7, { fp: 'FP2' }] };
  const text = JSON.stringify({ data: enc(), sops: meta });
  assert.deepEqual(parseSopsFile(text, 'f').pgp, ['FP1', 'FP2']);
  assert.deepEqual(sopsRecipients(text), { age: [AGE_A], pgp: ['FP1', 'FP2'] });
  assert.equal(sopsRecipients('null'), null);
  assert.equal(sopsRecipients('{"data":"x"}'), null);
});

test('an empty object is an object: "{}" has no metadata, and an empty "sops" block lacks lastmodified and mac', () => {
  assert.equal(thrown(() => parseSopsFile('{}', 'secret x')), 'corrupt: secret x is not a sops file: it has no "sops" metadata.');
  assert.equal(thrown(() => parseSopsFile('{"data":"x","sops":{}}', 'secret x')), 'corrupt: secret x is not a complete sops file: "sops.lastmodified" or "sops.mac" is missing.');
  assert.equal(thrown(() => parseSopsFile('[]', 'secret x')), 'corrupt: secret x is not a sops file: expected a JSON object.');
});

test('passage store: a shared var whose file name has folders keeps them', () => {
  const store = tempDir('clan-vars-passage-shared-');
  write(store, 'clan-vars/shared/secure-boot/keys/PK/PK.key.age', 'x');
  write(store, 'clan-vars/per-machine/peer1/secure-boot/keys/KEK/KEK.key.age', 'x');
  assert.deepEqual(
    listPassageVars(store).map((e) => [e.ref, path.relative(store, e.path)]),
    [
      [{ machine: 'peer1', generator: 'secure-boot', file: 'keys/KEK/KEK.key' }, 'clan-vars/per-machine/peer1/secure-boot/keys/KEK/KEK.key.age'],
      [{ machine: null, generator: 'secure-boot', file: 'keys/PK/PK.key' }, 'clan-vars/shared/secure-boot/keys/PK/PK.key.age'],
    ],
  );
});

test('a SecretError shows as one in a log: its name heads the message and the stack', () => {
  let e: unknown;
  try {
    parseSopsFile('not json', 'secret x');
  } catch (err) {
    e = err;
  }
  assert.ok(e instanceof SecretError);
  assert.equal(e.name, 'SecretError');
  assert.match(String(e), /^SecretError: secret x is not a sops file: it is not valid JSON \(/);
  assert.match(e.stack ?? '', /^SecretError: secret x is not a sops file/);
});
