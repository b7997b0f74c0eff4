// Edges of age files, identity discovery and the passage store listing, as a clan user meets them:
// armor with too much blank space in front, comments that mention ssh keys, key lines with extra
// text, passphrase-protected identity files, the counts in "looked at" lines, the passage
// identities file, and the order and depth of a passage store listing.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import * as age from 'age-encryption';
import { ageBytes, decryptAge, encryptAgeArmored } from '../../server/src/secrets/ageDecrypt';
import { SecretError } from '../../server/src/secrets/errors';
import { discoverIdentities } from '../../server/src/secrets/identities';
import { listPassageVars } from '../../server/src/secrets/passage';
import { newKey, write } from '../helpers/secretsClan';
import { tempDir } from '../helpers/secretsEnv';

const text = (b: Uint8Array | null) => (b === null ? null : Buffer.from(b).toString('utf8'));

describe('age files', () => {
  test('an armored file is recognised by its first 64 characters, as text and as bytes alike', async () => {
    const k = await newKey();
    const armored = await encryptAgeArmored('v', [k.recipient]);
    // a little blank space in front is tolerated, in both forms
    const near = '\n'.repeat(30) + armored;
    assert.equal(text(await decryptAge(near, [k.identity], 'f')), 'v');
    assert.equal(text(await decryptAge(Buffer.from(near), [k.identity], 'f')), 'v');
    // the header past the first 64 characters: not an age file (the age tool rejects any blank space in front)
    const far = '\n'.repeat(40) + armored;
    const message = 'f is not an age file (it should start with "-----BEGIN AGE ENCRYPTED FILE-----").';
    for (const input of [far, Buffer.from(far)])
      assert.throws(() => ageBytes(input, 'f'), (x: unknown) => x instanceof SecretError && x.code === 'corrupt' && x.message === message);
  });
});

describe('identity files', () => {
  test('a comment that mentions an ssh key does not make the file an SSH key', async () => {
    const k = await newKey();
    const home = tempDir('clan-vars-home-');
    write(home, '.config/sops/age/keys.txt', `# converted from ssh-ed25519 AAAAC3NzaC1lZDI1NTE5 me@host with ssh-to-age\n${k.identity}\n`);
    const d = discoverIdentities({ env: {}, home, platform: 'linux' });
    assert.deepEqual(d.identities, [{ key: k.identity, source: 'sops default (~/.config/sops/age/keys.txt), line 2' }]);
    assert.deepEqual(d.unsupported, []);
  });

  test('an ssh key at the start of a line is an SSH key', () => {
    const home = tempDir('clan-vars-home-');
    write(home, '.config/sops/age/keys.txt', '# mine\nssh-ed25519 AAAAC3NzaC1lZDI1NTE5 me@host\n');
    const d = discoverIdentities({ env: {}, home, platform: 'linux' });
    assert.deepEqual(d.identities, []);
    assert.deepEqual(d.unsupported, [
      'sops default (~/.config/sops/age/keys.txt) is an SSH key; SSH identities are not supported here. Convert it with ssh-to-age, or point clanVars.ageIdentityFile at an age key.',
    ]);
  });

  test('a key line with text before or after the key is no age identity (age rejects it too)', async () => {
    const k = await newKey();
    const home = tempDir('clan-vars-home-');
    const file = write(home, 'keys.txt', `SOPS_AGE_KEY=${k.identity}\n${k.identity} # laptop\n`);
    const d = discoverIdentities({ env: { SOPS_AGE_KEY_FILE: file }, home, platform: 'linux' });
    assert.deepEqual(d.identities, []);
    assert.deepEqual(d.unsupported, [
      'SOPS_AGE_KEY_FILE (~/keys.txt), line 1: not an age identity (expected AGE-SECRET-KEY-1…).',
      'SOPS_AGE_KEY_FILE (~/keys.txt), line 2: not an age identity (expected AGE-SECRET-KEY-1…).',
    ]);
    assert.ok(d.looked.includes('SOPS_AGE_KEY_FILE (~/keys.txt): 0 keys'), d.looked.join('\n'));
  });

  test('a passphrase-protected identity file (binary age, as `age -p` writes) is reported as such', async () => {
    const k = await newKey();
    const e = new age.Encrypter();
    e.setPassphrase('correct horse');
    e.setScryptWorkFactor(2);
    const encrypted = await e.encrypt(`${k.identity}\n`);
    assert.equal(Buffer.from(encrypted.subarray(0, 21)).toString('latin1'), 'age-encryption.org/v1');
    const home = tempDir('clan-vars-home-');
    const file = write(home, 'keys.age', Buffer.from(encrypted));
    const d = discoverIdentities({ env: { AGE_KEYFILE: file }, home, platform: 'linux' });
    assert.deepEqual(d.identities, []);
    assert.deepEqual(d.unsupported, ['AGE_KEYFILE (~/keys.age) is an encrypted (passphrase-protected) identity file, which is not supported here.']);
  });

  test('inline keys are counted in the places looked at: 0 keys, 1 key, 2 keys', async () => {
    const [a, b, c] = await Promise.all([newKey(), newKey(), newKey()]);
    const home = tempDir('clan-vars-home-');
    let d = discoverIdentities({ env: { SOPS_AGE_KEY: `${a.identity}\n${b.identity}\n`, AGE_KEY: c.identity }, home, platform: 'linux' });
    assert.ok(d.looked.includes('SOPS_AGE_KEY: 2 keys'), d.looked.join('\n'));
    assert.ok(d.looked.includes('AGE_KEY: 1 key'), d.looked.join('\n'));
    d = discoverIdentities({ env: { SOPS_AGE_KEY: 'not-a-key' }, home, platform: 'linux' });
    assert.ok(d.looked.includes('SOPS_AGE_KEY: 0 keys'), d.looked.join('\n'));
    assert.deepEqual(d.unsupported, ['SOPS_AGE_KEY, line 1: not an age identity (expected AGE-SECRET-KEY-1…).']);
  });

  test('passage stores also read ~/.passage/identities, or $PASSAGE_IDENTITIES_FILE', async () => {
    const [a, b] = await Promise.all([newKey(), newKey()]);
    const home = tempDir('clan-vars-home-');
    write(home, '.passage/identities', `${a.identity}\n`);
    const other = write(home, 'elsewhere/ids', `${b.identity}\n`);
    let d = discoverIdentities({ env: {}, home, platform: 'linux', passage: true });
    assert.deepEqual(d.identities, [{ key: a.identity, source: 'passage identities (~/.passage/identities), line 1' }]);
    assert.equal(d.looked.at(-1), 'passage identities (~/.passage/identities): 1 key');
    d = discoverIdentities({ env: { PASSAGE_IDENTITIES_FILE: other }, home, platform: 'linux', passage: true });
    assert.deepEqual(d.identities, [{ key: b.identity, source: 'passage identities (~/elsewhere/ids), line 1' }]);
    assert.equal(discoverIdentities({ env: {}, home, platform: 'linux' }).identities.length, 0, 'not without passage');
  });
});

describe('passage store listing', () => {
  test("entries are in name order (UTF-16, as everywhere in the extension), not the file system's byte order", () => {
    const store = tempDir('clan-vars-passage-order-');
    // U+FF01 sorts after U+1F600 in UTF-16 code units but before it in UTF-8 bytes
    const gens = ['\uff01', '\u{1f600}', 'b', 'a', 'B'];
    for (const g of gens) write(store, `clan-vars/per-machine/box/${g}/f.age`, 'x');
    assert.deepEqual(
      listPassageVars(store).map((e) => e.ref.generator),
      ['B', 'a', 'b', '\u{1f600}', '\uff01'],
    );
  });

  test('entries up to 10 folders below clan-vars/ are listed, deeper ones are not', () => {
    const store = tempDir('clan-vars-passage-depth-');
    // clan-vars/per-machine (1)/box (2)/g (3)/d4 … d10 (10)/f.age
    const to10 = ['per-machine', 'box', 'g', 'd4', 'd5', 'd6', 'd7', 'd8', 'd9', 'd10'];
    write(store, `clan-vars/${to10.join('/')}/f.age`, 'x');
    write(store, `clan-vars/${to10.join('/')}/d11/f.age`, 'x');
    assert.deepEqual(
      listPassageVars(store).map((e) => path.relative(store, e.path)),
      [path.join('clan-vars', ...to10, 'f.age')],
    );
  });
});
