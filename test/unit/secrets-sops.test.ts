// sops files written by the tests themselves: several recipients, a tampered file whose MAC must
// fail, a file for a recipient the user lacks, nested trees, machine-key fallback, bad input.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { SecretError } from '../../server/src/secrets/errors';
import { revealSops } from '../../server/src/actions/reveal';
import { decryptWithKey, unwrapDataKey } from '../../server/src/secrets/sopsDecrypt';
import { parseSopsFile } from '../../server/src/secrets/sopsFormat';
import { keyOwners } from '../../server/src/secrets/sopsKeys';
import { addKey, addSopsSecret, newClan, newKey, write } from '../helpers/secretsClan';
import { identitiesFrom, tempDir } from '../helpers/secretsEnv';
import { encLeaf, encryptSopsSecret, encryptSopsTree, sopsFileFromParts } from '../helpers/sopsEncrypt';

const text = (v: Uint8Array) => Buffer.from(v).toString('utf8');
const withKeys = (root: string, ...keys: string[]) => ({ root, identities: identitiesFrom({ SOPS_AGE_KEY: keys.join('\n') }), owners: keyOwners(root) });

async function rejects(p: Promise<unknown>, code: string, pattern?: RegExp): Promise<SecretError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof SecretError, `expected a SecretError, got ${e}`);
    assert.equal(e.code, code, e.message);
    if (pattern) assert.match(e.message, pattern);
    return e;
  }
  assert.fail(`expected a ${code} error`);
}

describe('sops secrets written by the tests', () => {
  test('several recipients: each one decrypts', async () => {
    const [a, b, c] = await Promise.all([newKey(), newKey(), newKey()]);
    const root = newClan();
    const file = write(root, 'vars/per-machine/m/g/f/secret', await encryptSopsSecret('multi\nline\n', [a.recipient, b.recipient, c.recipient]));
    for (const k of [a, b, c]) assert.equal(text((await revealSops(withKeys(root, k.identity), file)).value), 'multi\nline\n');
  });

  test('binary values survive byte for byte', async () => {
    const k = await newKey();
    const root = newClan();
    const bytes = Buffer.from([0, 255, 1, 254, 10, 13, 0x80]);
    const file = write(root, 's/secret', await encryptSopsSecret(bytes, [k.recipient]));
    assert.deepEqual(Buffer.from((await revealSops(withKeys(root, k.identity), file)).value), bytes);
  });

  test('a MAC that does not match the content refuses the value', async () => {
    const k = await newKey();
    const root = newClan();
    const file = write(root, 's/secret', await encryptSopsSecret('real', [k.recipient], { macTree: { data: 'other' } }));
    await rejects(revealSops(withKeys(root, k.identity), file), 'mac-mismatch', /changed or corrupted.*not shown/s);
  });

  test('a changed ciphertext refuses the value', async () => {
    const k = await newKey();
    const root = newClan();
    const doc = JSON.parse(await encryptSopsSecret('hello world', [k.recipient]));
    doc.data = doc.data.replace(/data:(.)/, (_: string, ch: string) => `data:${ch === 'A' ? 'B' : 'A'}`);
    const file = write(root, 's/secret', JSON.stringify(doc));
    await rejects(revealSops(withKeys(root, k.identity), file), 'mac-mismatch', /not shown/);
  });

  test('a swapped lastmodified breaks the MAC', async () => {
    const k = await newKey();
    const root = newClan();
    const doc = JSON.parse(await encryptSopsSecret('x', [k.recipient], { lastmodified: '2025-01-01T00:00:00Z' }));
    doc.sops.lastmodified = '2025-01-02T00:00:00Z';
    const file = write(root, 's/secret', JSON.stringify(doc));
    await rejects(revealSops(withKeys(root, k.identity), file), 'mac-mismatch');
  });

  test('not a recipient: the message lists the recipients and who they are', async () => {
    const [me, alice, box] = await Promise.all([newKey(), newKey(), newKey()]);
    const root = newClan();
    addKey(root, 'users', 'alice', [alice.recipient]);
    addKey(root, 'machines', 'box', [box.recipient], true);
    const file = await addSopsSecret(root, { machine: 'box', generator: 'g', file: 'f', value: 'v', recipients: [alice.recipient, box.recipient], users: ['alice'], machines: ['box'] });
    const e = await rejects(revealSops(withKeys(root, me.identity), file), 'not-a-recipient');
    assert.ok(e.message.includes(`${alice.recipient} (user alice)`), e.message);
    assert.ok(e.message.includes(`${box.recipient} (machine box)`), e.message);
    assert.ok(e.message.includes(me.recipient), 'names the user identity (public part)');
    assert.ok(!e.message.includes(me.identity), 'never shows a private key');
  });

  test('thousands of foreign recipients: a short message', async () => {
    const [me, other] = await Promise.all([newKey(), newKey()]);
    const root = newClan();
    const doc = JSON.parse(await encryptSopsSecret('v', [other.recipient]));
    const stanza = doc.sops.age[0];
    doc.sops.age = Array.from({ length: 3000 }, (_, i) => ({ ...stanza, recipient: i === 0 ? stanza.recipient : `age1foreign${i}` }));
    const e = await rejects(revealSops(withKeys(root, me.identity), write(root, 's/secret', JSON.stringify(doc))), 'not-a-recipient');
    assert.ok(e.message.split('\n').length < 25, `${e.message.split('\n').length} lines`);
    assert.match(e.message, new RegExp(`${other.recipient} \\(unknown key\\)[\\s\\S]*… and 2988 more`));
  });

  test('machine key fallback: a secret only for the machine opens through sops/secrets/<m>-age.key', async () => {
    const [admin, box] = await Promise.all([newKey(), newKey()]);
    const root = newClan();
    addKey(root, 'users', 'admin', [admin.recipient]);
    addKey(root, 'machines', 'box', [box.recipient]);
    write(root, 'sops/secrets/box-age.key/secret', await encryptSopsSecret(`# machine key\n${box.identity}\n`, [admin.recipient]));
    const file = await addSopsSecret(root, { machine: 'box', generator: 'openssh', file: 'ssh.id_ed25519', value: 'PRIVATE', recipients: [box.recipient], machines: ['box'] });
    const r = await revealSops(withKeys(root, admin.identity), file);
    assert.equal(text(r.value), 'PRIVATE');
    assert.equal(r.via, 'machine key of box');
  });

  test('nested trees use the key path as AAD, lists add no index, typed values', async () => {
    const k = await newKey();
    const tree = { db: { password: 'pw', port: 5432, ratio: 0.5, on: true, list: ['a', 'b'] }, note_unencrypted: 'plain' };
    const file = parseSopsFile(await encryptSopsTree(tree, [k.recipient]), 'nested');
    assert.deepEqual(file.tree.find(([k]) => k === 'note_unencrypted')?.[1], { t: 'value', value: 'plain' });
    const key = await unwrapDataKey(file, [k.identity], 'nested');
    assert.ok(key);
    const out = decryptWithKey(file, key, 'nested');
    assert.deepEqual(out.tree, tree);
  });

  test('sops exactness: leaves, key order and data follow sops rules, not JavaScript objects', async () => {
    const k = await newKey();
    const key = randomBytes(32);
    const root = tempDir();
    const ctx = withKeys(root, k.identity);
    const enc = (plain: string, ...path: string[]) => encLeaf(key, plain, path);
    const file = async (entries: [string, unknown][], macOf: string[]) => write(root, `x${Math.random()}/secret`, await sopsFileFromParts(entries, macOf, key, [k.recipient]));
    // valid per sops: document order, integer-like key after data, an _unencrypted leaf, a null leaf
    const ok = await file([['data', enc('abc', 'data')], ['0', enc('z', '0')], ['note_unencrypted', 'n'], ['gone', null]], ['abc', 'z', 'n']);
    assert.equal(text((await revealSops(ctx, ok)).value), 'abc');
    const cases: [string, [string, unknown][], string[], string, RegExp][] = [
      // the MAC taken in Object.entries order ("0" first) while the document has data first
      ['integer-like key, JavaScript order', [['data', enc('abc', 'data')], ['0', enc('z', '0')]], ['z', 'abc'], 'mac-mismatch', /MAC/],
      // an encrypted leaf replaced by a plaintext one with the same bytes: the MAC alone cannot tell
      ['extra plaintext leaf', [['data', enc('abc', 'data')], ['extra', 'def']], ['abc', 'def'], 'corrupt', /"extra" is not encrypted/],
      ['plaintext data', [['data', 'abc']], ['abc'], 'corrupt', /"data" is not encrypted/],
      ['data in a list', [['data', [enc('abc', 'data')]]], ['abc'], 'corrupt', /"data" value is a list/],
      ['data of type int', [['data', encLeaf(key, '7', ['data'], 'int')]], ['7'], 'corrupt', /"data" value is of type int/],
      ['a number where sops encrypts', [['data', enc('abc', 'data')], ['n', 5]], ['abc', '5'], 'corrupt', /"n" is not encrypted/],
    ];
    for (const [name, entries, macOf, code, re] of cases) {
      const e = await rejects(revealSops(ctx, await file(entries, macOf)), code, re);
      assert.ok(!e.message.includes('abc'), `${name}: never shows the value`);
    }
  });

  test('sops rules: encrypted_suffix and unencrypted_suffix from the file, several rules refused, regex rules not run', async () => {
    const k = await newKey();
    const key = randomBytes(32);
    const root = tempDir();
    const ctx = withKeys(root, k.identity);
    const withMeta = async (entries: [string, unknown][], macOf: string[], meta: Record<string, unknown>) => {
      const doc = JSON.parse(await sopsFileFromParts(entries, macOf, key, [k.recipient]));
      Object.assign(doc.sops, meta);
      return write(root, `y${Math.random()}/secret`, JSON.stringify(doc));
    };
    const enc = encLeaf(key, 'abc', ['data']);
    assert.equal(text((await revealSops(ctx, await withMeta([['data', enc], ['note', 'plain']], ['abc', 'plain'], { encrypted_suffix: 'data' }))).value), 'abc');
    assert.equal(text((await revealSops(ctx, await withMeta([['data', enc], ['note_clear', 'plain']], ['abc', 'plain'], { unencrypted_suffix: '_clear' }))).value), 'abc');
    await rejects(revealSops(ctx, await withMeta([['data', enc], ['note_unencrypted', 'plain']], ['abc', 'plain'], { unencrypted_suffix: '_clear' })), 'corrupt', /"note_unencrypted" is not encrypted/);
    await rejects(revealSops(ctx, await withMeta([['data', enc]], ['abc'], { unencrypted_suffix: '_u', encrypted_regex: '^d' })), 'corrupt', /more than one/);
    await rejects(revealSops(ctx, await withMeta([['data', enc]], ['abc'], { encrypted_regex: '^(a+)+$' })), 'unsupported-format', /encrypted_regex/);
  });

  test('bad input gives clear errors, never a crash', async () => {
    const k = await newKey();
    const root = tempDir();
    const ctx = withKeys(root, k.identity);
    const cases: [string, string, RegExp][] = [
      ['not json {', 'corrupt', /not valid JSON/],
      ['[1,2]', 'corrupt', /expected a JSON object/],
      ['{"data":"x"}', 'corrupt', /no "sops" metadata/],
      ['{"data":"x","sops":{"age":[]}}', 'corrupt', /lastmodified.*mac.*missing/],
      ['{"data":"x","sops":{"lastmodified":"t","mac":"m","pgp":[{"fp":"ABC"}]}}', 'unsupported-format', /only PGP/],
    ];
    for (const [content, code, re] of cases) await rejects(revealSops(ctx, write(root, 'bad/secret', content)), code, re);
    const good = JSON.parse(await encryptSopsSecret('v', [k.recipient]));
    good.sops.age[0].enc = '-----BEGIN AGE ENCRYPTED FILE-----\nnot base64 !!\n-----END AGE ENCRYPTED FILE-----\n';
    // the user's own stanza is damaged and nothing else opens: its error, not "none of your identities"
    const damaged = await rejects(revealSops(ctx, write(root, 'bad/secret', JSON.stringify(good))), 'corrupt');
    assert.equal(damaged.message, `the data key for ${k.recipient} in bad/secret is not a valid armored age file (invalid line length).`);
    // a damaged stanza of someone else's is passed over: the user is no recipient
    const other = await newKey();
    const foreign = JSON.parse(await encryptSopsSecret('v', [other.recipient]));
    foreign.sops.age[0].enc = good.sops.age[0].enc;
    await rejects(revealSops(ctx, write(root, 'bad/secret', JSON.stringify(foreign))), 'not-a-recipient');
    await rejects(revealSops(ctx, path.join(root, 'missing/secret')), 'not-found', /does not exist/);
  });

  test('no identity: the message lists every place it looked', async () => {
    const root = newClan();
    const file = write(root, 's/secret', await encryptSopsSecret('v', [(await newKey()).recipient]));
    const home = tempDir('clan-vars-home-');
    const e = await rejects(revealSops({ root, identities: identitiesFrom({}, home) }, file), 'no-identity');
    for (const where of ['SOPS_AGE_KEY: not set', 'SOPS_AGE_KEY_FILE: not set', '~/.config/sops/age/keys.txt', 'AGE_KEY: not set', 'AGE_KEYFILE: not set', '~/.config/age/identities', '~/.age/key.txt']) {
      assert.ok(e.message.includes(where), `mentions ${where}:\n${e.message}`);
    }
  });

  test('only an SSH key: says SSH identities are unsupported', async () => {
    const root = newClan();
    const file = write(root, 's/secret', await encryptSopsSecret('v', [(await newKey()).recipient]));
    const ssh = write(root, 'id_ed25519', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n');
    const e = await rejects(revealSops({ root, identities: identitiesFrom({ SOPS_AGE_KEY_FILE: ssh }) }, file), 'unsupported-identity', /SSH key/);
    assert.ok(!e.message.includes('b3BlbnNzaC1rZXktdjEAAAAA'));
    assert.ok(fs.existsSync(ssh));
  });
});
