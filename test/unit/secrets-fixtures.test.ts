// Decrypts every secret of the shared clan-core fixtures with its test key and compares the value
// with the one listed in the fixtures' README.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { recipientOf } from '../../server/src/secrets/ageDecrypt';
import { parseIdentityText } from '../../server/src/secrets/identities';
import { revealAgeBackend, revealSops, revealVar } from '../../server/src/actions/reveal';
import { scanVarsOnDisk } from '../../server/src/model/varsOnDisk';
import { FIXTURES, identitiesFromFile } from '../helpers/secretsEnv';

const DUMMY = path.join(FIXTURES, 'sops-backend-service-dummy-test');
const ADMIN_KEY = path.join(DUMMY, 'ADMIN-test-age-key.txt');
const text = (v: Uint8Array) => Buffer.from(v).toString('utf8');

describe('sops fixtures decrypt with the admin test key', () => {
  const cases: [string, string, string][] = [
    ['sops-backend-service-dummy-test', 'vars/per-machine/peer1/dummy-generator/generated-password/secret', '30102\n'],
    ['sops-backend-service-dummy-test', 'vars/per-machine/admin1/dummy-generator/generated-password/secret', '2550\n'],
    ['sops-backend-service-dummy-test', 'vars/per-machine/peer1/new-service/a-secret/secret', 'a-secret'],
  ];
  for (const [root, rel, expected] of cases) {
    test(rel, async () => {
      const ctx = { root: path.join(FIXTURES, root), identities: identitiesFromFile(ADMIN_KEY) };
      const r = await revealSops(ctx, path.join(ctx.root, rel));
      assert.equal(text(r.value), expected);
      assert.equal(r.backend, 'sops');
    });
  }

  test('machine private key admin1-age.key matches sops/machines/admin1/key.json', async () => {
    const ctx = { root: DUMMY, identities: identitiesFromFile(ADMIN_KEY) };
    const r = await revealSops(ctx, path.join(DUMMY, 'sops/secrets/admin1-age.key/secret'));
    const keys = parseIdentityText(text(r.value), 'machine key').keys;
    assert.equal(keys.length, 1);
    assert.equal(await recipientOf(keys[0].key), 'age12yt078p9ewxy2sh0a36nxdpgglv8wqqftmj4dkj9rgy5fuyn4p0q5nje9m');
  });

  test('shared yggdrasil zerotier identity', async () => {
    const root = path.join(FIXTURES, 'sops-shared-yggdrasil');
    const ctx = { root, identities: identitiesFromFile(ADMIN_KEY) };
    const r = await revealSops(ctx, path.join(root, 'vars/shared/zerotier-controller/zerotier-identity-secret/secret'));
    assert.match(text(r.value), /^[0-9a-f]{10}:0:[0-9a-f]+/);
  });

  test('legacy secret with the older sops format and key.age', async () => {
    const root = path.join(FIXTURES, 'sops-legacy-secrets-groups');
    const ctx = { root, identities: identitiesFromFile(path.join(root, 'key.age')) };
    const r = await revealSops(ctx, path.join(root, 'sops/secrets/secret/secret'));
    assert.equal(text(r.value), 'foo');
  });
});

describe('age backend fixtures decrypt with the machine test key', () => {
  const root = path.join(FIXTURES, 'age-backend');
  const expected: Record<string, string> = {
    'shared-secret': 'shared-secret-content',
    'perm-secret': 'permission-test-content',
    'user-secret': 'per-machine-user-secret',
    'service-secret': 'per-machine-service-secret',
    'activation-secret': 'activation-secret-content',
  };
  test('every .age file found by the scanner', async () => {
    const scan = scanVarsOnDisk(root);
    const ages = scan.vars.filter((v) => v.kind === 'age');
    assert.deepEqual(ages.map((v) => v.ref.file).sort(), Object.keys(expected).sort());
    const ctx = { root, identities: identitiesFromFile(path.join(root, 'age-fixtures/key.txt')) };
    for (const v of ages) {
      const r = await revealAgeBackend(ctx, v.path, v.ref.machine);
      assert.equal(text(r.value), expected[v.ref.file], v.ref.file);
    }
  });
});

describe('public values', () => {
  test('read directly, without identities', async () => {
    const scan = scanVarsOnDisk(path.join(FIXTURES, 'public-vars-test-flake'));
    const shared = scan.vars.find((v) => v.ref.machine === null && v.kind === 'public')!;
    const r = await revealVar({ root: scan.root, identities: { identities: [], looked: [], unsupported: [] } }, shared);
    assert.equal(text(r.value).trim(), 'foo-shared');
    const ygg = scanVarsOnDisk(path.join(FIXTURES, 'sops-shared-yggdrasil'));
    const ip = ygg.vars.find((v) => v.ref.file === 'zerotier-ip')!;
    assert.equal(text((await revealVar({ root: ygg.root, identities: { identities: [], looked: [], unsupported: [] } }, ip)).value).trim(), 'fd9c:ecf3:d17d:8a5:b299:939c:ecf3:d17d');
  });
});
