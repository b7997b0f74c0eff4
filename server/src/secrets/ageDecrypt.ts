// age decryption with the npm `age-encryption` package (bundled by esbuild; under tsx, Node's
// require(esm) loads it). Armored and binary age files are both accepted.
import * as age from 'age-encryption';
import { createHash } from 'node:crypto';
import { describeError, SecretError } from './errors';

const ARMOR_BEGIN = '-----BEGIN AGE ENCRYPTED FILE-----';

/** Bytes of an age file, armored or binary; throws a `corrupt` error for anything else. */
export function ageBytes(input: Uint8Array | string, what: string): Uint8Array {
  const text = typeof input === 'string' ? input : null;
  const head = typeof input === 'string' ? input.slice(0, 64) : Buffer.from(input.subarray(0, 64)).toString('latin1');
  if (head.trimStart().startsWith(ARMOR_BEGIN)) {
    const armored = (text ?? Buffer.from(input as Uint8Array).toString('utf8')).trim().replace(/\r\n/g, '\n') + '\n';
    try {
      return age.armor.decode(armored);
    } catch (e) {
      throw new SecretError('corrupt', `${what} is not a valid armored age file (${describeError(e)}).`);
    }
  }
  if (head.startsWith('age-encryption.org/v1')) return typeof input === 'string' ? Buffer.from(input, 'latin1') : input;
  throw new SecretError('corrupt', `${what} is not an age file (it should start with "${ARMOR_BEGIN}").`);
}

/**
 * Decrypts an age file with the first identity that opens it. Returns null when none of the
 * identities is a recipient; throws `corrupt` when the file is damaged.
 */
export async function decryptAge(input: Uint8Array | string, keys: string[], what: string): Promise<Uint8Array | null> {
  const bytes = ageBytes(input, what);
  if (keys.length === 0) return null;
  const d = new age.Decrypter();
  for (const k of keys) {
    try {
      d.addIdentity(k);
    } catch {
      // a malformed key string: discovery filters these, so skip silently (never echo a key)
    }
  }
  try {
    return await d.decrypt(bytes, 'uint8array');
  } catch (e) {
    const m = describeError(e);
    if (m.includes('no identity matched')) return null;
    throw new SecretError('corrupt', `${what} could not be decrypted: ${m}.`);
  }
}

const recipientCache = new Map<string, string>();

/** The public recipient (`age1…`) of an identity; null for a malformed key. */
export async function recipientOf(key: string): Promise<string | null> {
  const id = createHash('sha256').update(key).digest('hex'); // never keep the key itself as a map key
  const cached = recipientCache.get(id);
  if (cached) return cached;
  try {
    const r = await age.identityToRecipient(key);
    recipientCache.set(id, r);
    return r;
  } catch {
    return null;
  }
}

/** Encrypts bytes to recipients, armored. Used for tests and interop; never for user secrets on disk. */
export async function encryptAgeArmored(plaintext: Uint8Array | string, recipients: string[]): Promise<string> {
  const e = new age.Encrypter();
  for (const r of recipients) e.addRecipient(r);
  return age.armor.encode(await e.encrypt(plaintext));
}
