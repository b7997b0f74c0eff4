// A small sops *encrypt* path for tests (the product only decrypts): writes sops JSON files the way
// sops does for age recipients, so tests can make fresh secrets with any recipients, and tamper
// with them. Written from the format description in the reference notes.
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { encryptAgeArmored } from '../../server/src/secrets/ageDecrypt';

export interface SopsEncryptOptions {
  lastmodified?: string;
  /** Compute the MAC over this tree instead of the real one (to produce a MAC mismatch). */
  macTree?: Record<string, unknown>;
  /** Use this data key instead of a random one. */
  dataKey?: Buffer;
}

function encValue(key: Buffer, plain: Buffer, aad: string, type: string): string {
  const iv = randomBytes(32);
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(Buffer.from(aad, 'utf8'));
  const data = Buffer.concat([c.update(plain), c.final()]);
  const b64 = (b: Buffer) => b.toString('base64');
  return `ENC[AES256_GCM,data:${b64(data)},iv:${b64(iv)},tag:${b64(c.getAuthTag())},type:${type}]`;
}

function leafBytes(v: unknown): { bytes: Buffer; type: string } {
  if (Buffer.isBuffer(v)) return { bytes: v, type: 'str' };
  if (typeof v === 'boolean') return { bytes: Buffer.from(v ? 'True' : 'False'), type: 'bool' };
  if (typeof v === 'number') return { bytes: Buffer.from(String(v)), type: Number.isInteger(v) ? 'int' : 'float' };
  return { bytes: Buffer.from(String(v), 'utf8'), type: 'str' };
}

function walk(node: unknown, path: string[], visit: (leaf: unknown, path: string[]) => unknown): unknown {
  if (Array.isArray(node)) return node.map((e) => walk(e, path, visit));
  if (node && typeof node === 'object' && !Buffer.isBuffer(node)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) out[k] = walk(v, [...path, k], visit);
    return out;
  }
  return visit(node, path);
}

/** Encrypts a tree (`{ data: <value> }` for clan's binary format) for the given age recipients. */
export async function encryptSopsTree(tree: Record<string, unknown>, recipients: string[], o: SopsEncryptOptions = {}): Promise<string> {
  const key = o.dataKey ?? randomBytes(32);
  const encrypted = walk(tree, [], (leaf, path) => {
    if (path[path.length - 1]?.endsWith('_unencrypted')) return leaf;
    const { bytes, type } = leafBytes(leaf);
    if (bytes.length === 0) return '';
    return encValue(key, bytes, path.join(':') + ':', type);
  }) as Record<string, unknown>;
  const mac = createHash('sha512');
  walk(o.macTree ?? tree, [], (leaf) => (mac.update(leafBytes(leaf).bytes), leaf));
  const lastmodified = o.lastmodified ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const age = [];
  for (const r of recipients) age.push({ recipient: r, enc: await encryptAgeArmored(key, [r]) });
  const sops = {
    age,
    lastmodified,
    mac: encValue(key, Buffer.from(mac.digest('hex').toUpperCase()), lastmodified, 'str'),
    unencrypted_suffix: '_unencrypted',
    version: '3.10.2',
  };
  return JSON.stringify({ ...encrypted, sops }, null, '\t') + '\n';
}

/** A clan `secret` file: the binary format with the value under `data`. */
export function encryptSopsSecret(value: string | Buffer, recipients: string[], o: SopsEncryptOptions = {}): Promise<string> {
  return encryptSopsTree({ data: Buffer.isBuffer(value) ? value : Buffer.from(value, 'utf8') }, recipients, o);
}

/** One `ENC[…]` leaf at `path` (its AAD), for building files by hand. */
export function encLeaf(key: Buffer, plain: string | Buffer, path: string[], type = 'str'): string {
  return encValue(key, Buffer.isBuffer(plain) ? plain : Buffer.from(plain, 'utf8'), path.join(':') + ':', type);
}

/**
 * A sops file from parts, for tests of sops's exact rules: the top-level `entries` in the given
 * order (written as given), and a correctly encrypted MAC over `macOf` (leaf texts, in that order).
 */
export async function sopsFileFromParts(entries: [string, unknown][], macOf: string[], key: Buffer, recipients: string[]): Promise<string> {
  const mac = createHash('sha512');
  for (const m of macOf) mac.update(m, 'utf8');
  const lastmodified = '2025-01-01T00:00:00Z';
  const age = [];
  for (const r of recipients) age.push({ recipient: r, enc: await encryptAgeArmored(key, [r]) });
  const sops = { age, lastmodified, mac: encValue(key, Buffer.from(mac.digest('hex').toUpperCase()), lastmodified, 'str'), version: '3.10.2' };
  return '{' + [...entries, ['sops', sops] as [string, unknown]].map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',') + '}\n';
}
