// The sops file format as sops writes it (stores.go, sops.go): the ENC[...] value form, the
// metadata block, and which leaves the one encryption rule of a file covers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SecretError } from '../../server/src/secrets/errors';
import { parseEnc, parseSopsFile, shouldBeEncrypted } from '../../server/src/secrets/sopsFormat';

const b64 = (n: number, fill = 1) => Buffer.alloc(n, fill).toString('base64');
const enc = (o: { data?: string; iv?: string; tag?: string; type?: string } = {}) =>
  `ENC[AES256_GCM,data:${o.data ?? b64(5)},iv:${o.iv ?? b64(32)},tag:${o.tag ?? b64(16)},type:${o.type ?? 'str'}]`;

test('ENC[...] values: the exact form, a 16-byte tag and an iv; empty data is allowed', () => {
  const v = parseEnc(enc());
  assert.ok(v);
  assert.equal(v.data.length, 5);
  assert.equal(v.iv.length, 32);
  assert.equal(v.tag.length, 16);
  assert.equal(v.type, 'str');
  assert.equal(parseEnc(enc({ data: '' }))?.data.length, 0);
  assert.equal(parseEnc(enc({ type: 'bool' }))?.type, 'bool');
  for (const bad of [enc({ tag: b64(12) }), enc({ tag: b64(17) }), enc({ iv: '' }), enc({ type: 'STR' }), enc({ type: '' }), ` ${enc()}`, `${enc()} `, `x${enc()}`, enc().replace('AES256_GCM', 'AES128_GCM'), enc({ data: 'not base64!' })])
    assert.equal(parseEnc(bad), null, bad);
});

function sopsText(meta: Record<string, unknown>, tree: Record<string, unknown> = { data: enc() }) {
  return JSON.stringify({ ...tree, sops: { lastmodified: '2025-01-01T00:00:00Z', mac: enc(), ...meta } });
}

test('metadata: age stanzas (recipient trimmed, incomplete ones left out), pgp fingerprints, version, mac_only_encrypted only when true', () => {
  const f = parseSopsFile(
    sopsText({
      age: [{ recipient: ' age1abc\n', enc: 'E1' }, { recipient: 'age1def' }, { enc: 'E3' }, null, { recipient: 7, enc: 'E5' }, { recipient: 'age1ghi', enc: 'E6' }],
      pgp: [{ fp: 'FP1' }, { fp: 5 }, {}],
      version: '3.10.2',
      mac_only_encrypted: 'true',
    }),
    'f',
  );
  assert.deepEqual(f.age, [{ recipient: 'age1abc', enc: 'E1' }, { recipient: 'age1ghi', enc: 'E6' }]);
  assert.deepEqual(f.pgp, ['FP1']);
  assert.equal(f.version, '3.10.2');
  assert.equal(f.macOnlyEncrypted, false, 'the string "true" is not the boolean');
  assert.equal(parseSopsFile(sopsText({ mac_only_encrypted: true }), 'f').macOnlyEncrypted, true);
  assert.equal(parseSopsFile(sopsText({ age: 'age1abc', pgp: 'FP' }), 'f').age.length, 0);
  assert.deepEqual(parseSopsFile(sopsText({}, { data: enc(), note: 'x' }), 'f').tree.map(([k]) => k), ['data', 'note']);
});

test('metadata: lastmodified and mac are both needed; exactly one "sops" block', () => {
  const fails = (text: string, re: RegExp) => assert.throws(() => parseSopsFile(text, 'f'), (e: unknown) => e instanceof SecretError && e.code === 'corrupt' && re.test(e.message), text);
  fails(JSON.stringify({ data: 'x', sops: { mac: 'm' } }), /"sops.lastmodified" or "sops.mac" is missing/);
  fails(JSON.stringify({ data: 'x', sops: { lastmodified: 't' } }), /"sops.lastmodified" or "sops.mac" is missing/);
  fails(JSON.stringify({ data: 'x', sops: { lastmodified: 't', mac: 5 } }), /"sops.lastmodified" or "sops.mac" is missing/);
  fails('{"data":"x","sops":{"lastmodified":"t","mac":"m"},"sops":{"lastmodified":"t","mac":"m"}}', /no "sops" metadata/);
  fails(JSON.stringify({ data: 'x', sops: 'meta' }), /no "sops" metadata/);
});

test('the encryption rule: none is unencrypted_suffix _unencrypted; one suffix rule; a regex rule is not run; two rules are refused', () => {
  const rule = (meta: Record<string, unknown>) => parseSopsFile(sopsText(meta), 'f').rule;
  assert.deepEqual(rule({}), { unencryptedSuffix: '_unencrypted' });
  assert.deepEqual(rule({ unencrypted_suffix: '' }), { unencryptedSuffix: '_unencrypted' }, 'an empty rule is no rule');
  assert.deepEqual(rule({ unencrypted_suffix: '_clear' }), { unencryptedSuffix: '_clear' });
  assert.deepEqual(rule({ encrypted_suffix: '_secret' }), { encryptedSuffix: '_secret' });
  for (const k of ['unencrypted_regex', 'encrypted_regex', 'unencrypted_comment_regex', 'encrypted_comment_regex'])
    assert.throws(() => rule({ [k]: '^x' }), (e: unknown) => e instanceof SecretError && e.code === 'unsupported-format' && e.message.includes(`sops' ${k}`), k);
  assert.throws(() => rule({ unencrypted_suffix: '_u', encrypted_suffix: '_e' }), (e: unknown) => e instanceof SecretError && e.code === 'corrupt' && e.message.includes('more than one of unencrypted_suffix, encrypted_suffix;'));
});

test('which leaves a rule encrypts: a suffix on any key of the path counts, at its end only', () => {
  const clear = { unencryptedSuffix: '_unencrypted' };
  assert.equal(shouldBeEncrypted(clear, ['data']), true);
  assert.equal(shouldBeEncrypted(clear, ['note_unencrypted']), false);
  assert.equal(shouldBeEncrypted(clear, ['meta_unencrypted', 'inner']), false, 'a parent key with the suffix');
  assert.equal(shouldBeEncrypted(clear, ['meta', 'inner_unencrypted']), false);
  assert.equal(shouldBeEncrypted(clear, ['_unencrypted_not_at_end']), true);
  const secret = { encryptedSuffix: '_secret' };
  assert.equal(shouldBeEncrypted(secret, ['db_secret']), true);
  assert.equal(shouldBeEncrypted(secret, ['db_secret', 'password']), true, 'a parent key with the suffix');
  assert.equal(shouldBeEncrypted(secret, ['db', 'password_secret']), true);
  assert.equal(shouldBeEncrypted(secret, ['db', 'password']), false);
  assert.equal(shouldBeEncrypted(secret, ['_secret_db']), false);
});
