// The sops file format as clan writes it: JSON with the encrypted tree and a `sops` metadata block.
// Binary secrets (clan's `secret` files) are `{"data": "ENC[…]", "sops": {…}}`. Parsing only; no keys.
import { SecretError } from './errors';

export interface SopsAgeStanza {
  recipient: string;
  /** Armored age file holding the 32-byte data key. */
  enc: string;
}

export interface SopsFile {
  /** The document without its `sops` key. */
  tree: Record<string, unknown>;
  age: SopsAgeStanza[];
  /** PGP fingerprints, for recipient comparison only (PGP is not decrypted here). */
  pgp: string[];
  lastmodified: string;
  mac: string;
  macOnlyEncrypted: boolean;
  version: string | null;
}

export interface EncValue {
  data: Buffer;
  iv: Buffer;
  tag: Buffer;
  type: string;
}

const ENC = /^ENC\[AES256_GCM,data:([A-Za-z0-9+/=]*),iv:([A-Za-z0-9+/=]+),tag:([A-Za-z0-9+/=]+),type:([a-z]+)\]$/;

export function isEncValue(v: unknown): v is string {
  return typeof v === 'string' && v.startsWith('ENC[');
}

/** Splits `ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]`; null when it is not that shape. */
export function parseEnc(v: string): EncValue | null {
  const m = ENC.exec(v);
  if (!m) return null;
  const b64 = (s: string) => Buffer.from(s, 'base64');
  const r = { data: b64(m[1]), iv: b64(m[2]), tag: b64(m[3]), type: m[4] };
  if (r.tag.length !== 16 || r.iv.length === 0) return null;
  return r;
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

/** Parses the text of a sops JSON file. Throws a `corrupt` SecretError naming `what` on bad input. */
export function parseSopsFile(text: string, what: string): SopsFile {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new SecretError('corrupt', `${what} is not a sops file: it is not valid JSON (${(e as Error).message}).`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new SecretError('corrupt', `${what} is not a sops file: expected a JSON object.`);
  const { sops, ...tree } = doc as Record<string, unknown>;
  if (!sops || typeof sops !== 'object' || Array.isArray(sops)) throw new SecretError('corrupt', `${what} is not a sops file: it has no "sops" metadata.`);
  const meta = sops as Record<string, unknown>;
  const age: SopsAgeStanza[] = [];
  if (Array.isArray(meta.age)) {
    for (const a of meta.age) {
      const recipient = str((a as Record<string, unknown>)?.recipient);
      const enc = str((a as Record<string, unknown>)?.enc);
      if (recipient && enc) age.push({ recipient: recipient.trim(), enc });
    }
  }
  const pgp: string[] = [];
  if (Array.isArray(meta.pgp)) for (const p of meta.pgp) if (str((p as Record<string, unknown>)?.fp)) pgp.push(String((p as Record<string, unknown>).fp));
  const lastmodified = str(meta.lastmodified);
  const mac = str(meta.mac);
  if (!lastmodified || !mac) throw new SecretError('corrupt', `${what} is not a complete sops file: "sops.lastmodified" or "sops.mac" is missing.`);
  return { tree, age, pgp, lastmodified, mac, macOnlyEncrypted: meta.mac_only_encrypted === true, version: str(meta.version) };
}

/** Only the recipients of a sops file, tolerant of everything else (for the on-disk scan). */
export function sopsRecipients(text: string): { age: string[]; pgp: string[] } | null {
  try {
    const doc = JSON.parse(text) as { sops?: { age?: { recipient?: unknown }[]; pgp?: { fp?: unknown }[] } };
    const s = doc?.sops;
    if (!s || typeof s !== 'object') return null;
    const age = Array.isArray(s.age) ? s.age.map((a) => a?.recipient).filter((r): r is string => typeof r === 'string').map((r) => r.trim()) : [];
    const pgp = Array.isArray(s.pgp) ? s.pgp.map((p) => p?.fp).filter((r): r is string => typeof r === 'string') : [];
    return { age, pgp };
  } catch {
    return null;
  }
}
