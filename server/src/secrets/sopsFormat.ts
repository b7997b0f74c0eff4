// The sops file format as clan writes it: JSON with the encrypted tree and a `sops` metadata block.
// Binary secrets (clan's `secret` files) are `{"data": "ENC[…]", "sops": {…}}`. Parsing only; no keys.
import { SecretError } from './errors';
import { parseOrderedJson, type JsonNode } from './orderedJson';

export interface SopsAgeStanza {
  recipient: string;
  /** Armored age file holding the 32-byte data key. */
  enc: string;
}

/**
 * Which leaves sops encrypts: those with no key on their path ending with `unencryptedSuffix`
 * (sops's default, `_unencrypted`), or only those with a key ending with `encryptedSuffix`.
 */
export type EncryptionRule = { unencryptedSuffix: string } | { encryptedSuffix: string };

export interface SopsFile {
  /** The document without its `sops` key, keys in document order. */
  tree: [string, JsonNode][];
  rule: EncryptionRule;
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
  let parsed: JsonNode;
  try {
    parsed = parseOrderedJson(text);
  } catch (e) {
    throw new SecretError('corrupt', `${what} is not a sops file: it is not valid JSON (${(e as Error).message}).`);
  }
  if (parsed.t !== 'object') throw new SecretError('corrupt', `${what} is not a sops file: expected a JSON object.`);
  const tree = parsed.entries.filter(([k]) => k !== 'sops');
  const sops = parsed.entries.filter(([k]) => k === 'sops').map(([, v]) => v);
  if (sops.length !== 1 || sops[0].t !== 'object') throw new SecretError('corrupt', `${what} is not a sops file: it has no "sops" metadata.`);
  const meta = new Map<string, unknown>(sops[0].entries.map(([k, v]) => [k, plain(v)]));
  const age: SopsAgeStanza[] = [];
  const list = meta.get('age');
  if (Array.isArray(list)) {
    for (const a of list) {
      const recipient = str((a as Record<string, unknown>)?.recipient);
      const enc = str((a as Record<string, unknown>)?.enc);
      if (recipient && enc) age.push({ recipient: recipient.trim(), enc });
    }
  }
  const pgp: string[] = [];
  const pgpList = meta.get('pgp');
  if (Array.isArray(pgpList)) for (const p of pgpList) if (str((p as Record<string, unknown>)?.fp)) pgp.push(String((p as Record<string, unknown>).fp));
  const lastmodified = str(meta.get('lastmodified'));
  const mac = str(meta.get('mac'));
  if (!lastmodified || !mac) throw new SecretError('corrupt', `${what} is not a complete sops file: "sops.lastmodified" or "sops.mac" is missing.`);
  return { tree, rule: encryptionRule(meta, what), age, pgp, lastmodified, mac, macOnlyEncrypted: meta.get('mac_only_encrypted') === true, version: str(meta.get('version')) };
}

const RULE_KEYS = ['unencrypted_suffix', 'encrypted_suffix', 'unencrypted_regex', 'encrypted_regex', 'unencrypted_comment_regex', 'encrypted_comment_regex'];

/** sops's rule selection (stores.go): at most one rule; none means `unencrypted_suffix: _unencrypted`. */
function encryptionRule(meta: Map<string, unknown>, what: string): EncryptionRule {
  const set = RULE_KEYS.filter((k) => typeof meta.get(k) === 'string' && meta.get(k) !== '');
  if (set.length > 1) throw new SecretError('corrupt', `${what} sets more than one of ${set.join(', ')}; sops refuses such a file.`);
  if (set.length === 0) return { unencryptedSuffix: '_unencrypted' };
  const value = meta.get(set[0]) as string;
  if (set[0] === 'unencrypted_suffix') return { unencryptedSuffix: value };
  if (set[0] === 'encrypted_suffix') return { encryptedSuffix: value };
  // sops matches these with Go's RE2; a workspace's regex is not run here
  throw new SecretError('unsupported-format', `${what} uses sops' ${set[0]}, which is not supported here (clan writes none); the value is not shown.`);
}

/** Whether sops encrypts the leaf at `path` (sops.go shouldBeEncrypted, for the suffix rules). */
export function shouldBeEncrypted(rule: EncryptionRule, path: string[]): boolean {
  if ('unencryptedSuffix' in rule) return !path.some((k) => k.endsWith(rule.unencryptedSuffix));
  return path.some((k) => k.endsWith(rule.encryptedSuffix));
}

/** A JsonNode as plain values, for the metadata block (objects with null prototypes). */
function plain(n: JsonNode): unknown {
  if (n.t === 'value') return n.value;
  if (n.t === 'array') return n.items.map(plain);
  const out: Record<string, unknown> = Object.create(null);
  for (const [k, v] of n.entries) out[k] = plain(v);
  return out;
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
