// The edges of sops decryption a clan user meets: which age stanzas are tried and in what order
// (the user's own first, then at most 8 others), the exact messages for a file with no age
// recipient or a "data" value that is no string, values the file's rule leaves in clear, the MAC
// compared exactly as sops compares it, and a decrypted tree that behaves as a plain object.
import assert from 'node:assert/strict';
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { encryptAgeArmored } from '../../server/src/secrets/ageDecrypt';
import { SecretError } from '../../server/src/secrets/errors';
import { decryptWithKey, unwrapDataKey } from '../../server/src/secrets/sopsDecrypt';
import { parseSopsFile, type SopsFile } from '../../server/src/secrets/sopsFormat';
import { newKey, type TestKey } from '../helpers/secretsClan';
import { encLeaf, sopsFileFromParts } from '../helpers/sopsEncrypt';

const key = randomBytes(32);
const enc = (plain: string, ...path: string[]) => encLeaf(key, plain, path);
const LASTMODIFIED = '2025-01-01T00:00:00Z'; // the one sopsFileFromParts writes
const MAC_MISMATCH = 'f: the sops MAC does not match the content: the file was changed or corrupted after it was encrypted. The value is not shown.';

let me: TestKey;
const ready = newKey().then((k) => (me = k));

/** A sops file for `me` (data key `key`) with these top-level entries, MAC'd over `macOf`, `meta` merged into its "sops" block. */
async function fileWith(entries: [string, unknown][], macOf: string[], meta: Record<string, unknown> = {}): Promise<SopsFile> {
  await ready;
  const doc = JSON.parse(await sopsFileFromParts(entries, macOf, key, [me.recipient]));
  Object.assign(doc.sops, meta);
  return parseSopsFile(JSON.stringify(doc), 'f');
}

/** The MAC field as sops writes it: AES-256-GCM with AAD = lastmodified (no trailing colon). */
function encMac(text: string): string {
  const iv = randomBytes(32);
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(Buffer.from(LASTMODIFIED, 'utf8'));
  const data = Buffer.concat([c.update(Buffer.from(text, 'utf8')), c.final()]);
  return `ENC[AES256_GCM,data:${data.toString('base64')},iv:${iv.toString('base64')},tag:${c.getAuthTag().toString('base64')},type:str]`;
}

function is(code: string, message: string) {
  return (e: unknown) => {
    assert.ok(e instanceof SecretError, `expected a SecretError, got ${e}`);
    assert.equal(e.code, code);
    assert.equal(e.message, message);
    return true;
  };
}

/** An age stanza labelled `label`, holding `dataKey` encrypted for `to`. */
async function stanza(label: string, dataKey: Uint8Array, to: string) {
  return { recipient: label, enc: await encryptAgeArmored(dataKey, [to]) };
}

/** `file`'s stanzas replaced by `age`, re-parsed. */
async function withStanzas(age: { recipient: string; enc: string }[]): Promise<SopsFile> {
  await ready;
  const doc = JSON.parse(await sopsFileFromParts([['data', enc('abc', 'data')]], ['abc'], key, [me.recipient]));
  doc.sops.age = age;
  return parseSopsFile(JSON.stringify(doc), 'f');
}

test('a file with no age recipient: the message says so, and names PGP when that is all it has', async () => {
  const bare = parseSopsFile('{"data":"x","sops":{"lastmodified":"t","mac":"m"}}', 'f');
  await assert.rejects(unwrapDataKey(bare, [(await ready).identity], 'f'), is('unsupported-format', 'f has no age recipients.'));
  const pgp = parseSopsFile('{"data":"x","sops":{"lastmodified":"t","mac":"m","pgp":[{"fp":"ABC"}]}}', 'f');
  await assert.rejects(unwrapDataKey(pgp, [me.identity], 'f'), is('unsupported-format', 'f has no age recipients (only PGP, which is not supported here).'));
});

test("the user's own stanzas are tried first, wherever they are in the file", async () => {
  const strangers = await Promise.all(Array.from({ length: 9 }, () => newKey()));
  // mine after 8 others: found although only 8 others are ever tried
  const eight = await Promise.all(strangers.slice(0, 8).map((s) => stanza(s.recipient, key, s.recipient)));
  assert.deepEqual(await unwrapDataKey(await withStanzas([...eight, await stanza(me.recipient, key, me.recipient)]), [me.identity], 'f'), key);
  // a stanza labelled for a stranger but opening for me with a bad key comes first in the file:
  // mine is tried before it, so the file opens
  const bad = await stanza(strangers[8].recipient, randomBytes(16), me.recipient);
  assert.deepEqual(await unwrapDataKey(await withStanzas([bad, await stanza(me.recipient, key, me.recipient)]), [me.identity], 'f'), key);
  // ...and on its own that stanza is tried (a mislabelled stanza), and its key refused
  await assert.rejects(unwrapDataKey(await withStanzas([bad]), [me.identity], 'f'), is('corrupt', `f: the data key for ${strangers[8].recipient} has 16 bytes instead of 32.`));
});

test('at most 8 stanzas labelled for others are tried, and the ones labelled mine do not count among them', async () => {
  const strangers = await Promise.all(Array.from({ length: 9 }, () => newKey()));
  const others = await Promise.all(strangers.map((s) => stanza(s.recipient, key, s.recipient)));
  // a stanza for me labelled with a stranger's recipient, after 8 others: not tried
  const mislabelled = await stanza(strangers[8].recipient, key, me.recipient);
  assert.equal(await unwrapDataKey(await withStanzas([...others.slice(0, 8), mislabelled]), [me.identity], 'f'), null);
  // the same stanza as the 8th other, after one labelled mine that does not open for me: tried
  const mineButNot = await stanza(me.recipient, key, strangers[0].recipient);
  assert.deepEqual(await unwrapDataKey(await withStanzas([mineButNot, ...others.slice(1, 8), mislabelled]), [me.identity], 'f'), key);
});

test('"data" that is no string: the message says what it is', async () => {
  const notASecret = (what: string) => is('corrupt', `f is not a clan secret: its "data" value is ${what}, not a string.`);
  const cases: [[string, unknown][], string[], string][] = [
    [[['data', { a: enc('abc', 'data', 'a') }]], ['abc'], 'an object'],
    [[['data', [enc('abc', 'data')]]], ['abc'], 'a list'],
    [[['data', null]], [], 'of type null'], // sops leaves a null out of the MAC
    [[['data', encLeaf(key, '7', ['data'], 'int')]], ['7'], 'of type int'],
  ];
  for (const [entries, macOf, what] of cases) {
    const file = await fileWith(entries, macOf);
    assert.throws(() => decryptWithKey(file, key, 'f'), notASecret(what));
  }
});

test('a null leaf stays null in the tree and out of the MAC', async () => {
  const out = decryptWithKey(await fileWith([['data', enc('abc', 'data')], ['gone', null]], ['abc']), key, 'f');
  assert.strictEqual(out.tree.gone, null);
  assert.ok(Object.hasOwn(out.tree, 'gone'));
});

test("values the file's rule leaves in clear: clear data is the secret; clear data of another type is named by its type", async () => {
  const clear = { encrypted_suffix: '_enc' }; // only keys ending in _enc are encrypted
  const out = decryptWithKey(await fileWith([['data', 'abc'], ['pw_enc', enc('pw', 'pw_enc')]], ['abc', 'pw'], clear), key, 'f');
  assert.equal(out.data?.toString('utf8'), 'abc');
  assert.deepEqual(out.tree, { data: 'abc', pw_enc: 'pw' });
  const notASecret = (type: string) => is('corrupt', `f is not a clan secret: its "data" value is of type ${type}, not a string.`);
  const number = await fileWith([['data', 5]], ['5'], clear);
  assert.throws(() => decryptWithKey(number, key, 'f'), notASecret('number'));
  const bool = await fileWith([['data', true]], ['True'], clear);
  assert.throws(() => decryptWithKey(bool, key, 'f'), notASecret('boolean'));
});

test('the stored MAC is compared exactly as sops compares it: uppercase hex, nothing around it', async () => {
  const mac = createHash('sha512').update('abc', 'utf8').digest('hex');
  const withMac = (stored: string) => fileWith([['data', enc('abc', 'data')]], ['abc'], { mac: encMac(stored) });
  assert.equal(decryptWithKey(await withMac(mac.toUpperCase()), key, 'f').data?.toString('utf8'), 'abc');
  for (const stored of [mac.toUpperCase() + '\n', ' ' + mac.toUpperCase(), mac, 'ABC', '']) {
    const file = await withMac(stored);
    assert.throws(() => decryptWithKey(file, key, 'f'), is('mac-mismatch', MAC_MISMATCH), JSON.stringify(stored));
  }
});

test('a decrypted tree is a plain object: every key its own writable, enumerable, configurable property', async () => {
  const out = decryptWithKey(await fileWith([['data', enc('abc', 'data')], ['db', { password: enc('pw', 'db', 'password') }]], ['abc', 'pw']), key, 'f');
  const plain = (value: unknown) => ({ value, writable: true, enumerable: true, configurable: true });
  assert.deepEqual(Object.getOwnPropertyDescriptor(out.tree, 'data'), plain('abc'));
  const db = out.tree.db as Record<string, unknown>;
  assert.deepEqual(Object.getOwnPropertyDescriptor(out.tree, 'db'), plain(db));
  assert.deepEqual(Object.getOwnPropertyDescriptor(db, 'password'), plain('pw'));
});
