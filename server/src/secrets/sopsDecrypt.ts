// Decrypts a parsed sops file: unwrap the data key from the age stanza matching one of the user's
// identities, AES-256-GCM-decrypt each `ENC[…]` leaf with its path as AAD, then recompute the MAC
// (SHA-512 over the plaintext leaves, uppercase hex) and compare it with the stored one, which is
// itself encrypted with AAD = `lastmodified`. A mismatch refuses the value.
import { createDecipheriv, createHash, timingSafeEqual, type Hash } from 'node:crypto';
import { decryptAge, recipientOf } from './ageDecrypt';
import { SecretError } from './errors';
import { isEncValue, parseEnc, type SopsFile } from './sopsFormat';

export interface DecryptedSops {
  /** The tree with every `ENC[…]` leaf replaced by its typed value (strings stay strings). */
  tree: Record<string, unknown>;
  /** Raw plaintext of the top-level `data` leaf (clan's binary format), when there is one. */
  data: Buffer | null;
}

/** The recipients of the stanzas, best guess first: those matching the given identities. */
async function orderedStanzas(file: SopsFile, keys: string[]) {
  const mine = new Set((await Promise.all(keys.map(recipientOf))).filter((r): r is string => !!r));
  const matching = file.age.filter((s) => mine.has(s.recipient));
  return matching.length ? matching : file.age;
}

/** The 32-byte data key, or null when none of the identities is a recipient. */
export async function unwrapDataKey(file: SopsFile, keys: string[], what: string): Promise<Buffer | null> {
  if (file.age.length === 0) {
    throw new SecretError('unsupported-format', `${what} has no age recipients${file.pgp.length ? ' (only PGP, which is not supported here)' : ''}.`);
  }
  for (const stanza of await orderedStanzas(file, keys)) {
    let key: Uint8Array | null;
    try {
      key = await decryptAge(stanza.enc, keys, `the data key for ${stanza.recipient} in ${what}`);
    } catch {
      continue; // a damaged stanza: another one may still work
    }
    if (key === null) continue;
    if (key.length !== 32) throw new SecretError('corrupt', `${what}: the data key for ${stanza.recipient} has ${key.length} bytes instead of 32.`);
    return Buffer.from(key);
  }
  return null;
}

function aesDecrypt(enc: string, key: Buffer, aad: string, what: string): { plain: Buffer; type: string } {
  const v = parseEnc(enc);
  if (!v) throw new SecretError('corrupt', `${what}: a value is not in the form ENC[AES256_GCM,data:…,iv:…,tag:…,type:…].`);
  try {
    const d = createDecipheriv('aes-256-gcm', key, v.iv);
    d.setAAD(Buffer.from(aad, 'utf8'));
    d.setAuthTag(v.tag);
    return { plain: Buffer.concat([d.update(v.data), d.final()]), type: v.type };
  } catch {
    throw new SecretError(
      'mac-mismatch',
      `${what}: the value at "${aad}" fails its integrity check: the file was changed or corrupted after it was encrypted. The value is not shown.`,
    );
  }
}

function typed(plain: Buffer, type: string): unknown {
  const s = plain.toString('utf8');
  switch (type) {
    case 'int':
    case 'float':
      return Number(s);
    case 'bool':
      return s === 'True';
    default:
      return s;
  }
}

/** Bytes of an unencrypted leaf as sops feeds them to the MAC. */
function plainBytes(v: unknown): Buffer {
  if (typeof v === 'boolean') return Buffer.from(v ? 'True' : 'False');
  if (v === null || v === undefined) return Buffer.alloc(0);
  return Buffer.from(String(v), 'utf8');
}

function walk(node: unknown, path: string[], key: Buffer, mac: Hash, onlyEncrypted: boolean, what: string, top: { data: Buffer | null }): unknown {
  if (Array.isArray(node)) return node.map((e) => walk(e, path, key, mac, onlyEncrypted, what, top)); // sequences add no path element
  if (node && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node as Record<string, unknown>)) out[k] = walk(v, [...path, k], key, mac, onlyEncrypted, what, top);
    return out;
  }
  if (isEncValue(node)) {
    const { plain, type } = aesDecrypt(node, key, path.join(':') + ':', what);
    if (type !== 'comment') mac.update(plain);
    if (path.length === 1 && path[0] === 'data') top.data = plain;
    return typed(plain, type);
  }
  if (!onlyEncrypted) mac.update(plainBytes(node));
  if (path.length === 1 && path[0] === 'data' && typeof node === 'string') top.data = Buffer.from(node, 'utf8');
  return node;
}

/** Decrypts every value with a known data key and verifies the MAC. Throws `mac-mismatch` on tampering. */
export function decryptWithKey(file: SopsFile, key: Buffer, what: string): DecryptedSops {
  if (file.macOnlyEncrypted) {
    throw new SecretError('unsupported-format', `${what} uses sops' mac_only_encrypted mode, which is not supported here; the value is not shown.`);
  }
  const mac = createHash('sha512');
  const top = { data: null as Buffer | null };
  const tree = walk(file.tree, [], key, mac, false, what, top) as Record<string, unknown>;
  const stored = aesDecrypt(file.mac, key, file.lastmodified, what).plain.toString('utf8').trim().toUpperCase();
  const computed = mac.digest('hex').toUpperCase();
  const a = Buffer.from(stored);
  const b = Buffer.from(computed);
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new SecretError('mac-mismatch', `${what}: the sops MAC does not match the content: the file was changed or corrupted after it was encrypted. The value is not shown.`);
  }
  return { tree, data: top.data };
}
