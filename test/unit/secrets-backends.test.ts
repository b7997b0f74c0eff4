// The age backend through the machine key (secrets/age-keys/machines/<m>/key.age), passage store
// entries, and the `deploy` flag the secret rules read from declarations.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { encryptAgeArmored } from '../../server/src/secrets/ageDecrypt';
import { SecretError } from '../../server/src/secrets/errors';
import { discoverIdentities } from '../../server/src/secrets/identities';
import { listPassageVars } from '../../server/src/secrets/passage';
import { revealAgeBackend, revealPassage, revealVar } from '../../server/src/actions/reveal';
import { extractFile } from '../../server/src/facts/file';
import { NixParser } from '../../server/src/syntax/nixParser';
import { scanVarsOnDisk } from '../../server/src/model/varsOnDisk';
import { newClan, newKey, write } from '../helpers/secretsClan';
import { identitiesFrom, tempDir } from '../helpers/secretsEnv';

const text = (v: Uint8Array) => Buffer.from(v).toString('utf8');

describe('age backend', () => {
  test('a machine secret opens through the machine key encrypted for the user', async () => {
    const [user, machine, stranger] = await Promise.all([newKey(), newKey(), newKey()]);
    const root = newClan();
    write(root, 'secrets/age-keys/machines/box/pub', machine.recipient + '\n');
    write(root, 'secrets/age-keys/machines/box/key.age', await encryptAgeArmored(`# box\n${machine.identity}\n`, [user.recipient]));
    write(root, 'secrets/clan-vars/per-machine/box/api/token/token.age', await encryptAgeArmored('t0ken', [machine.recipient]));
    write(root, 'secrets/clan-vars/shared/wg/psk/psk.age', await encryptAgeArmored('shared-psk', [machine.recipient]));
    write(root, 'secrets/clan-vars/shared/wg/psk/psk.age.recipients', machine.recipient + '\n');
    const scan = scanVarsOnDisk(root);
    assert.deepEqual(scan.vars.map((v) => `${v.kind} ${v.ref.machine ?? 'shared'}/${v.ref.generator}/${v.ref.file}`).sort(), ['age box/api/token', 'age shared/wg/psk']);
    const ctx = { root, identities: identitiesFrom({ AGE_KEY: user.identity }) };
    for (const v of scan.vars) {
      const r = await revealVar(ctx, v);
      assert.equal(r.via, 'machine key of box');
      assert.equal(text(r.value), v.ref.file === 'token' ? 't0ken' : 'shared-psk');
    }
    const other = { root, identities: identitiesFrom({ AGE_KEY: stranger.identity }) };
    await assert.rejects(revealAgeBackend(other, scan.vars[0].path, 'box'), (e: SecretError) => e.code === 'not-a-recipient' && e.message.includes(`${machine.recipient} (machine box)`));
  });

  test('a damaged .age file is reported as corrupt', async () => {
    const root = newClan();
    const file = write(root, 'secrets/clan-vars/per-machine/box/g/f/f.age', 'hello, not age\n');
    const ctx = { root, identities: identitiesFrom({ AGE_KEY: (await newKey()).identity }) };
    await assert.rejects(revealAgeBackend(ctx, file, 'box'), (e: SecretError) => e.code === 'corrupt' && /is not an age file/.test(e.message));
  });
});

describe('passage store', () => {
  test('entries are listed by rel_dir and decrypt with the passage identities file', async () => {
    const k = await newKey();
    const store = tempDir('clan-vars-passage-');
    write(store, 'clan-vars/per-machine/box/db/password.age', await encryptAgeArmored('pw', [k.recipient]));
    write(store, 'clan-vars/shared/ca/ca.key.age', await encryptAgeArmored('ca', [k.recipient]));
    write(store, 'other/unrelated.age', 'x');
    const entries = listPassageVars(store);
    assert.deepEqual(entries.map((e) => `${e.ref.machine ?? 'shared'}/${e.ref.generator}/${e.ref.file}`), ['box/db/password', 'shared/ca/ca.key']);
    const home = tempDir('clan-vars-home-');
    write(home, '.passage/identities', k.identity + '\n');
    const ctx = { root: store, identities: identitiesFrom({}, home) };
    await assert.rejects(revealPassage(ctx, store, entries[0].path), (e: SecretError) => e.code === 'no-identity');
    const withPassage = { root: store, identities: discoverIdentities({ env: {}, home, platform: 'linux', passage: true }) };
    assert.equal(text((await revealPassage(withPassage, store, entries[0].path)).value), 'pw');
    await assert.rejects(revealPassage(withPassage, store, path.join(store, 'x.gpg')), (e: SecretError) => e.code === 'unsupported-format');
  });
});

describe('deploy flag of declared files', () => {
  test('literal true/false in both forms, null when computed, absent when not written', async () => {
    const parser = await NixParser.load();
    const nix = `{ lib, ... }: { clan.core.vars.generators.g = {
      files.a.deploy = false;
      files.b = { secret = true; deploy = lib.mkDefault false; };
      files.c = { deploy = true; };
      files.d.deploy = someFlag;
      files.e = { };
    }; }`;
    const tree = parser.parse(nix);
    try {
      const facts = extractFile('/x/g.nix', tree, { registry: false, matrix: false });
      const files = facts.generators[0].files.map((f) => `${f.name}=${f.deploy}`);
      assert.deepEqual(files, ['a=false', 'b=false', 'c=true', 'd=null', 'e=undefined']);
    } finally {
      tree.delete();
    }
  });
});
