// Decrypts a parsed sops file: unwrap the data key from the age stanza matching one of the user's
// identities, AES-256-GCM-decrypt each `ENC[…]` leaf with its path as AAD, then recompute the MAC
// (SHA-512 over the plaintext leaves, uppercase hex) and compare it with the stored one, which is
// itself encrypted with AAD = `lastmodified`. A mismatch refuses the value.
import { createDecipheriv, createHash, timingSafeEqual, type Hash } from 'node:crypto';
import { decryptAge, recipientOf } from './ageDecrypt';
import { SecretError } from './errors';
import type { JsonNode } from './orderedJson';
import { isEncValue, parseEnc, shouldBeEncrypted, type EncryptionRule, type SopsFile } from './sopsFormat';

export interface DecryptedSops {
  /** The tree with every `ENC[…]` leaf replaced by its typed value (strings stay strings). */
  tree: Record<string, unknown>;
  /** Raw plaintext of the top-level `data` leaf (clan's binary format), when there is one. */
  data: Buffer | null;
}

/** Stanzas tried whose recipient is none of the user's: a file may list thousands. */
const MAX_OTHER_STANZAS = 8;

/** The stanzas worth trying: those for the given identities, then a few others (a mislabelled stanza); and the user's recipients. */
async function orderedStanzas(file: SopsFile, keys: string[]) {
  const mine = new Set((await Promise.all(keys.map(recipientOf))).filter((r): r is string => !!r));
  const matching = file.age.filter((s) => mine.has(s.recipient));
  return { mine, stanzas: [...matching, ...file.age.filter((s) => !mine.has(s.recipient)).slice(0, MAX_OTHER_STANZAS)] };
}

/**
 * The 32-byte data key, or null when none of the identities is a recipient. When nothing opens and
 * a stanza for one of the user's own recipients is damaged, its error is thrown (as sops reports
 * each key's failure): "none of your identities" would be wrong there.
 */
export async function unwrapDataKey(file: SopsFile, keys: string[], what: string): Promise<Buffer | null> {
  if (file.age.length === 0) {
    throw new SecretError('unsupported-format', `${what} has no age recipients${file.pgp.length ? ' (only PGP, which is not supported here)' : ''}.`);
  }
  const { mine, stanzas } = await orderedStanzas(file, keys);
  let damaged: unknown = null;
  for (const stanza of stanzas) {
    let key: Uint8Array | null;
    try {
      key = await decryptAge(stanza.enc, keys, `the data key for ${stanza.recipient} in ${what}`);
    } catch (e) {
      // a damaged stanza: another one may still work
      if (mine.has(stanza.recipient)) damaged ??= e;
      continue;
    }
    if (key === null) continue;
    if (key.length !== 32) throw new SecretError('corrupt', `${what}: the data key for ${stanza.recipient} has ${key.length} bytes instead of 32.`);
    return Buffer.from(key);
  }
  if (damaged) throw damaged;
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

/** Go's strconv.ParseBool, which sops uses for `type:bool`. */
function parseBool(s: string, what: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  throw new SecretError('corrupt', `${what}: a value of type bool holds ${JSON.stringify(s.slice(0, 20))}.`);
}

function typed(plain: Buffer, type: string, what: string): unknown {
  const s = plain.toString('utf8');
  switch (type) {
    case 'int':
    case 'float':
      return Number(s);
    case 'bool':
      return parseBool(s, what);
    default:
      return s;
  }
}

/** Bytes of a leaf as sops feeds them to the MAC (sops.go ToBytes). */
function macBytes(v: string | number | boolean): Buffer {
  if (typeof v === 'boolean') return Buffer.from(v ? 'True' : 'False');
  return Buffer.from(String(v), 'utf8');
}

interface Walk {
  key: Buffer;
  mac: Hash;
  rule: EncryptionRule;
  what: string;
}

/** One leaf, decrypted when sops encrypts it there; adds it to the MAC as sops.go's Decrypt does. */
function leaf(value: string | number | boolean | null, path: string[], w: Walk): { value: unknown; plain: Buffer | null; type: string } {
  if (value === null) return { value: null, plain: null, type: 'null' }; // sops skips nil leaves, MAC included
  if (!shouldBeEncrypted(w.rule, path)) {
    const bytes = macBytes(value);
    w.mac.update(bytes);
    return { value, plain: typeof value === 'string' ? bytes : null, type: typeof value === 'string' ? 'str' : typeof value };
  }
  const at = path.join(':');
  if (typeof value !== 'string' || (value !== '' && !isEncValue(value))) {
    throw new SecretError('corrupt', `${w.what}: the value at "${at}" is not encrypted, but sops encrypts every value there; the file was changed by hand. The value is not shown.`);
  }
  if (value === '') return { value: '', plain: Buffer.alloc(0), type: 'str' }; // sops leaves empty strings as they are
  const { plain, type } = aesDecrypt(value, w.key, at + ':', w.what);
  const v = typed(plain, type, w.what);
  w.mac.update(type === 'bool' ? macBytes(v as boolean) : plain);
  return { value: v, plain, type };
}

function walk(node: JsonNode, path: string[], w: Walk): unknown {
  if (node.t === 'array') return node.items.map((e) => walk(e, path, w)); // sequences add no path element
  if (node.t === 'object') return entriesToObject(node.entries, path, w);
  return leaf(node.value, path, w).value;
}

/** Keys become own properties (never a prototype, whatever the name), in document order. */
function entriesToObject(entries: [string, JsonNode][], path: string[], w: Walk): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries) Object.defineProperty(out, k, { value: walk(v, [...path, k], w), enumerable: true, writable: true, configurable: true });
  return out;
}

/** Decrypts every value with a known data key and verifies the MAC. Throws `mac-mismatch` on tampering. */
export function decryptWithKey(file: SopsFile, key: Buffer, what: string): DecryptedSops {
  if (file.macOnlyEncrypted) {
    throw new SecretError('unsupported-format', `${what} uses sops' mac_only_encrypted mode, which is not supported here; the value is not shown.`);
  }
  const w: Walk = { key, mac: createHash('sha512'), rule: file.rule, what };
  const tree: Record<string, unknown> = {};
  let data: Buffer | null = null;
  let dataProblem: string | null = null;
  for (const [k, node] of file.tree) {
    let value: unknown;
    if (k === 'data' && node.t === 'value') {
      const r = leaf(node.value, [k], w);
      value = r.value;
      if (r.type === 'str' && r.plain) data = r.plain;
      else dataProblem = `its "data" value is of type ${r.type}, not a string`;
    } else {
      value = walk(node, [k], w);
      if (k === 'data') dataProblem = `its "data" value is ${node.t === 'array' ? 'a list' : 'an object'}, not a string`;
    }
    Object.defineProperty(tree, k, { value, enumerable: true, writable: true, configurable: true });
  }
  // compared exactly, as sops does (`originalMac != mac`, its MAC being `%X` of the hash): no trimming, no case folding
  const stored = aesDecrypt(file.mac, key, file.lastmodified, what).plain.toString('utf8');
  const computed = w.mac.digest('hex').toUpperCase();
  const a = Buffer.from(stored);
  const b = Buffer.from(computed);
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new SecretError('mac-mismatch', `${what}: the sops MAC does not match the content: the file was changed or corrupted after it was encrypted. The value is not shown.`);
  }
  if (dataProblem) throw new SecretError('corrupt', `${what} is not a clan secret: ${dataProblem}.`);
  return { tree, data };
}
