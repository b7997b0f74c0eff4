// sops values as sops writes and reads them: typed leaves (bool in every form Go's ParseBool takes,
// int, float), empty strings left as they are, the modes and malformed parts it refuses, and which
// age stanzas are tried.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { encryptAgeArmored } from '../../server/src/secrets/ageDecrypt';
import { SecretError } from '../../server/src/secrets/errors';
import { decryptWithKey, unwrapDataKey } from '../../server/src/secrets/sopsDecrypt';
import { parseSopsFile } from '../../server/src/secrets/sopsFormat';
import { newKey } from '../helpers/secretsClan';
import { encLeaf, sopsFileFromParts } from '../helpers/sopsEncrypt';

const key = randomBytes(32);

async function decrypt(entries: [string, unknown][], macOf: string[], meta: Record<string, unknown> = {}) {
  const k = await newKey();
  const doc = JSON.parse(await sopsFileFromParts(entries, macOf, key, [k.recipient]));
  Object.assign(doc.sops, meta);
  const file = parseSopsFile(JSON.stringify(doc), 'f');
  const dataKey = await unwrapDataKey(file, [k.identity], 'f');
  assert.ok(dataKey);
  return decryptWithKey(file, dataKey, 'f');
}

function failsWith(code: string, re: RegExp) {
  return (e: unknown) => e instanceof SecretError && e.code === code && re.test(e.message);
}

test('typed leaves: bool in each form of Go ParseBool, int, float; the MAC takes a bool as True or False', async () => {
  const forms: [string, boolean][] = [['1', true], ['t', true], ['T', true], ['TRUE', true], ['true', true], ['True', true], ['0', false], ['f', false], ['F', false], ['FALSE', false], ['false', false], ['False', false]];
  const entries: [string, unknown][] = [['data', encLeaf(key, 'abc', ['data'])], ...forms.map(([s], i): [string, unknown] => [`b${i}`, encLeaf(key, s, [`b${i}`], 'bool')])];
  entries.push(['n', encLeaf(key, '5432', ['n'], 'int')], ['x', encLeaf(key, '0.5', ['x'], 'float')]);
  const out = await decrypt(entries, ['abc', ...forms.map(([, b]) => (b ? 'True' : 'False')), '5432', '0.5']);
  assert.deepEqual(Object.entries(out.tree).slice(1, 1 + forms.length).map(([, v]) => v), forms.map(([, b]) => b));
  assert.equal(out.tree.n, 5432);
  assert.equal(out.tree.x, 0.5);
  assert.equal(out.data?.toString('utf8'), 'abc');
  // the MAC over the bytes as written ('t'), not as sops feeds them ('True'), does not match
  await assert.rejects(decrypt([['data', encLeaf(key, 'abc', ['data'])], ['b', encLeaf(key, 't', ['b'], 'bool')]], ['abc', 't']), failsWith('mac-mismatch', /MAC/));
});

test('a bool that Go would not parse is refused, its text cut short', async () => {
  const long = 'yes'.repeat(20);
  await assert.rejects(decrypt([['data', encLeaf(key, 'abc', ['data'])], ['b', encLeaf(key, long, ['b'], 'bool')]], ['abc', 'True']), (e: unknown) => e instanceof SecretError && e.code === 'corrupt' && e.message.includes(`a value of type bool holds "${long.slice(0, 20)}"`) && !e.message.includes(long));
});

test('empty strings are left as sops leaves them, outside the MAC; an empty clan secret is empty', async () => {
  const out = await decrypt([['data', encLeaf(key, 'abc', ['data'])], ['empty', '']], ['abc']);
  assert.equal(out.tree.empty, '');
  const empty = await decrypt([['data', '']], []);
  assert.equal(empty.data?.length, 0);
});

test("sops' mac_only_encrypted mode is refused, not guessed at", async () => {
  await assert.rejects(decrypt([['data', encLeaf(key, 'abc', ['data'])]], ['abc'], { mac_only_encrypted: true }), failsWith('unsupported-format', /mac_only_encrypted/));
});

test('a value in a malformed ENC[...] form is corrupt (a tag that is not 16 bytes, no iv, another cipher)', async () => {
  const good = encLeaf(key, 'abc', ['data']);
  const b64 = (n: number) => Buffer.alloc(n, 1).toString('base64');
  for (const bad of [good.replace(/tag:[^,]*/, `tag:${b64(12)}`), good.replace(/iv:[^,]*/, 'iv:'), good.replace('AES256_GCM', 'AES128_GCM'), `${good} `]) {
    await assert.rejects(decrypt([['data', bad]], ['abc']), (e: unknown) => e instanceof SecretError && (e.code === 'corrupt' || e.code === 'mac-mismatch'), bad);
  }
  await assert.rejects(decrypt([['data', good.replace(/tag:[^,]*/, `tag:${b64(12)}`)]], ['abc']), failsWith('corrupt', /not in the form ENC\[AES256_GCM/));
});

test('a data key that is not 32 bytes is corrupt; stanzas labelled for someone else are still tried, mine first', async () => {
  const [me, other] = await Promise.all([newKey(), newKey()]);
  const doc = JSON.parse(await sopsFileFromParts([['data', encLeaf(key, 'abc', ['data'])]], ['abc'], key, [other.recipient]));
  doc.sops.age = [{ recipient: me.recipient, enc: await encryptAgeArmored(randomBytes(16), [me.recipient]) }];
  await assert.rejects(unwrapDataKey(parseSopsFile(JSON.stringify(doc), 'f'), [me.identity], 'f'), failsWith('corrupt', /has 16 bytes instead of 32/));
  // a stanza encrypted to me but labelled with another recipient, after stanzas I cannot open
  const strangers = await Promise.all([1, 2, 3].map(() => newKey()));
  doc.sops.age = [
    ...(await Promise.all(strangers.map(async (s) => ({ recipient: s.recipient, enc: await encryptAgeArmored(key, [s.recipient]) })))),
    { recipient: other.recipient, enc: await encryptAgeArmored(key, [me.recipient]) },
  ];
  assert.deepEqual(await unwrapDataKey(parseSopsFile(JSON.stringify(doc), 'f'), [me.identity], 'f'), key);
  assert.equal(await unwrapDataKey(parseSopsFile(JSON.stringify(doc), 'f'), [strangers[0].identity.replace(/.$/, '')], 'f'), null, 'a malformed identity opens nothing');
});
