// The passage store's place and listing, var paths, and age decryption with keys that are not all
// good: what the vars view and Reveal Secret rely on, at the edges.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import * as age from 'age-encryption';
import { ageBytes, decryptAge, encryptAgeArmored, recipientOf } from '../../server/src/secrets/ageDecrypt';
import { SecretError } from '../../server/src/secrets/errors';
import { listPassageVars, passageStoreDir } from '../../server/src/secrets/passage';
import { sopsRecipients } from '../../server/src/secrets/sopsFormat';
import { parseVarPath, relDir, varLabel } from '../../server/src/secrets/varRef';
import { newKey, write } from '../helpers/secretsClan';
import { tempDir } from '../helpers/secretsEnv';

test('passage store: $PASSAGE_DIR (trimmed), else ~/.passage/store', () => {
  assert.equal(passageStoreDir({ PASSAGE_DIR: ' /srv/store ' }, '/home/u'), '/srv/store');
  assert.equal(passageStoreDir({ PASSAGE_DIR: '   ' }, '/home/u'), '/home/u/.passage/store');
  assert.equal(passageStoreDir({}, '/home/u'), '/home/u/.passage/store');
});

test('passage store listing: sorted, .age files only, hidden and malformed entries left out, a missing store is empty', () => {
  const store = tempDir('clan-vars-passage-edges-');
  for (const rel of ['per-machine/web/b/f.age', 'per-machine/box/z/f.age', 'per-machine/box/a/f.age', 'shared/ca/key.age', 'shared/ca/.hidden.age', 'shared/ca/notes.txt', 'per-machine/box/short.age', 'per-machine/box/a/deep/er/file.age'])
    write(store, `clan-vars/${rel}`, 'x');
  const names = listPassageVars(store).map((e) => `${e.ref.machine ?? 'shared'}|${e.ref.generator}|${e.ref.file}|${path.relative(store, e.path)}`);
  assert.deepEqual(names, [
    'box|a|deep/er/file|clan-vars/per-machine/box/a/deep/er/file.age',
    'box|a|f|clan-vars/per-machine/box/a/f.age',
    'box|z|f|clan-vars/per-machine/box/z/f.age',
    'web|b|f|clan-vars/per-machine/web/b/f.age',
    'shared|ca|key|clan-vars/shared/ca/key.age',
  ]);
  assert.equal(listPassageVars(store, 2).length, 2, 'the limit');
  assert.deepEqual(listPassageVars(path.join(store, 'nowhere')), []);
  fs.writeFileSync(path.join(store, 'file-store'), '');
  assert.deepEqual(listPassageVars(path.join(store, 'file-store')), []);
});

test('var paths: per-machine and shared, files with slashes; anything else is no var', () => {
  assert.deepEqual(parseVarPath('per-machine/box/g/keys/PK/PK.key'), { machine: 'box', generator: 'g', file: 'keys/PK/PK.key' });
  assert.deepEqual(parseVarPath('shared/ca/ca.key'), { machine: null, generator: 'ca', file: 'ca.key' });
  assert.deepEqual(parseVarPath('/shared//ca/ca.key/'), { machine: null, generator: 'ca', file: 'ca.key' });
  for (const bad of ['per-machine/box/g', 'shared/ca', 'other/box/g/f', 'per-machine/box/../f', 'shared/./ca/f', ''])
    assert.equal(parseVarPath(bad), null, bad);
  assert.equal(relDir({ machine: 'box', generator: 'g' }), 'per-machine/box/g');
  assert.equal(relDir({ machine: null, generator: 'g' }), 'shared/g');
  assert.equal(varLabel({ machine: null, generator: 'g', file: 'f' }), 'shared / g / f');
  assert.equal(varLabel({ machine: 'box', generator: 'g', file: 'f' }), 'box / g / f');
});

test('age: a malformed key among the identities is skipped; no key, or none of them a recipient, is null', async () => {
  const [k, other] = await Promise.all([newKey(), newKey()]);
  const file = await encryptAgeArmored('value', [k.recipient]);
  const text = (b: Uint8Array | null) => (b === null ? null : Buffer.from(b).toString('utf8'));
  assert.equal(text(await decryptAge(file, ['AGE-SECRET-KEY-1NOTAKEY', k.identity], 'f')), 'value');
  assert.equal(await decryptAge(file, [], 'f'), null);
  assert.equal(await decryptAge(file, [other.identity], 'f'), null);
  assert.equal(await recipientOf(k.identity), k.recipient);
  assert.equal(await recipientOf(k.identity), k.recipient, 'again (cached)');
  assert.equal(await recipientOf('AGE-SECRET-KEY-1NOTAKEY'), null);
});

test("a sops file's recipients for the on-disk scan: age recipients (trimmed) and pgp fingerprints; no sops section, or no JSON, is null", () => {
  const doc = { data: 'ENC[...]', sops: { age: [{ recipient: ' age1abc\n' }, { recipient: 7 }, null, { recipient: 'age1def' }], pgp: [{ fp: 'FP1' }, { nofp: 1 }] } };
  assert.deepEqual(sopsRecipients(JSON.stringify(doc)), { age: ['age1abc', 'age1def'], pgp: ['FP1'] });
  assert.deepEqual(sopsRecipients(JSON.stringify({ sops: {} })), { age: [], pgp: [] });
  assert.deepEqual(sopsRecipients(JSON.stringify({ sops: { age: 'age1abc', pgp: 'FP' } })), { age: [], pgp: [] });
  assert.equal(sopsRecipients(JSON.stringify({ data: 'x' })), null);
  assert.equal(sopsRecipients(JSON.stringify({ sops: 'x' })), null);
  assert.equal(sopsRecipients('null'), null);
  assert.equal(sopsRecipients('data: not json'), null);
});

test('age files: binary or armored, as bytes or as text, armor with CRLF and surrounding blank space; anything else is corrupt', async () => {
  const k = await newKey();
  const e = new age.Encrypter();
  e.addRecipient(k.recipient);
  const binary = await e.encrypt('bin');
  const armored = await encryptAgeArmored('arm', [k.recipient]);
  const text = (b: Uint8Array | null) => (b === null ? null : Buffer.from(b).toString('utf8'));
  const forms: [string, Uint8Array | string, string][] = [
    ['binary bytes', binary, 'bin'],
    ['binary as latin1 text', Buffer.from(binary).toString('latin1'), 'bin'],
    ['armored text', armored, 'arm'],
    ['armored bytes', Buffer.from(armored, 'utf8'), 'arm'],
    ['armored with CRLF and blank space around', `\r\n  ${armored.replace(/\n/g, '\r\n')}\r\n\r\n`, 'arm'],
  ];
  for (const [what, input, expected] of forms) assert.equal(text(await decryptAge(input, [k.identity], what)), expected, what);
  const corrupt = (input: Uint8Array | string, re: RegExp) => assert.throws(() => ageBytes(input, 'f'), (x: unknown) => x instanceof SecretError && x.code === 'corrupt' && re.test(x.message));
  corrupt('hello', /f is not an age file/);
  corrupt(Buffer.from('hello'), /f is not an age file/);
  corrupt('x'.repeat(70) + 'age-encryption.org/v1', /f is not an age file/);
  corrupt('-----BEGIN AGE ENCRYPTED FILE-----\nnot base64 !!\n-----END AGE ENCRYPTED FILE-----\n', /f is not a valid armored age file/);
  // a damaged body after a good header is corrupt, not "no identity"
  const damaged = Buffer.from(binary);
  damaged[damaged.length - 1] ^= 0xff;
  await assert.rejects(decryptAge(damaged, [k.identity], 'f'), (x: unknown) => x instanceof SecretError && x.code === 'corrupt' && /f could not be decrypted/.test(x.message));
});
