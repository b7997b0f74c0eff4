// Interop with the real `age` tool (Debian package `age`): files it encrypts decrypt here, and
// files encrypted here decrypt with `age -d`. Skipped (with a reason) when age is not installed.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { decryptAge, encryptAgeArmored, recipientOf } from '../../server/src/secrets/ageDecrypt';
import { revealAgeBackend, revealPassage, type RevealContext } from '../../server/src/actions/reveal';
import { parseSopsFile } from '../../server/src/secrets/sopsFormat';
import { newKey } from '../helpers/secretsClan';
import { tempDir } from '../helpers/secretsEnv';
import { encryptSopsSecret } from '../helpers/sopsEncrypt';

function hasTool(name: string): boolean {
  try {
    execFileSync(name, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const skip = hasTool('age') && hasTool('age-keygen') ? false : 'the age tool is not installed (apt-get install age): interop with it is not tested';
if (skip) process.stdout.write(`# SKIP ${skip}\n`);

function keygen(dir: string): { file: string; identity: string; recipient: string } {
  const file = path.join(dir, `key-${Math.random().toString(36).slice(2)}.txt`);
  execFileSync('age-keygen', ['-o', file], { stdio: ['ignore', 'ignore', 'pipe'] });
  const text = fs.readFileSync(file, 'utf8');
  return { file, identity: text.split('\n').find((l) => l.startsWith('AGE-SECRET-KEY-1'))!, recipient: /public key: (age1\w+)/.exec(text)![1] };
}

describe('interop with the age tool', { skip }, () => {
  test('age-keygen keys have the same recipient here', async () => {
    const k = keygen(tempDir());
    assert.equal(await recipientOf(k.identity), k.recipient);
  });

  test('armored and binary files from `age` decrypt here', async () => {
    const dir = tempDir();
    const k = keygen(dir);
    const other = await newKey();
    const plain = 'from the age tool\n\u00e9\u4e2d';
    const armored = execFileSync('age', ['-a', '-r', other.recipient, '-r', k.recipient], { input: plain });
    const binary = execFileSync('age', ['-r', k.recipient], { input: plain });
    for (const data of [armored.toString('utf8'), new Uint8Array(binary)]) {
      const out = await decryptAge(data, [k.identity], 'test file');
      assert.equal(Buffer.from(out!).toString('utf8'), plain);
    }
    assert.equal(await decryptAge(armored.toString('utf8'), [(await newKey()).identity], 'test file'), null);
  });

  test('armored and binary files written by `age` reveal from disk (passage store and age backend)', async () => {
    const dir = tempDir();
    const k = keygen(dir);
    const plain = Buffer.from([0x00, 0xff, 0xc3, 0x28, 0x0a, 0x41]); // not UTF-8, as binary secrets may be
    const ctx = { root: dir, identities: { identities: [{ key: k.identity, source: 'test' }], looked: [], unsupported: [] } } as unknown as RevealContext;
    for (const armor of [true, false]) {
      const file = path.join(dir, `entry-${armor ? 'armored' : 'binary'}.age`);
      execFileSync('age', [...(armor ? ['-a'] : []), '-r', k.recipient, '-o', file], { input: plain });
      assert.equal(fs.readFileSync(file).subarray(0, 21).toString('latin1') === 'age-encryption.org/v1', !armor);
      for (const reveal of [() => revealPassage(ctx, dir, file), () => revealAgeBackend(ctx, file, null)]) {
        const r = await reveal();
        assert.deepEqual(Buffer.from(r.value), plain, `${file} via ${r.backend}`);
      }
    }
  });

  test('files encrypted here decrypt with `age -d`', async () => {
    const dir = tempDir();
    const k = keygen(dir);
    const armored = await encryptAgeArmored('from typage\n', [k.recipient]);
    const file = path.join(dir, 'x.age');
    fs.writeFileSync(file, armored);
    assert.equal(execFileSync('age', ['-d', '-i', k.file, file]).toString('utf8'), 'from typage\n');
  });

  test('the data key stanza of a sops file written here opens with `age -d`', async () => {
    const dir = tempDir();
    const k = keygen(dir);
    const file = parseSopsFile(await encryptSopsSecret('v', [(await newKey()).recipient, k.recipient]), 'x');
    const key = execFileSync('age', ['-d', '-i', k.file], { input: file.age[1].enc });
    assert.equal(key.length, 32);
  });
});
