// The sops key material of a clan: `sops/{users,machines}/<name>/key.json` (a single object or a
// list of objects) and the `users/`, `machines/`, `groups/` links next to each secret, which say
// who a secret should be encrypted for. Links may be real symlinks or, in checkouts without
// symlink support, small files holding the link target.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readWorkspaceText } from '../base/readWorkspaceFile';

export interface PublicKey {
  publickey: string;
  type: 'age' | 'pgp';
}

export type LinkKind = 'users' | 'machines' | 'groups';

export interface ResolvedLink {
  kind: LinkKind;
  name: string;
  /** The link itself (absolute). */
  entry: string;
  /** Where it points (absolute), or null when it cannot be read. */
  target: string | null;
  /** Why this link is broken, or null. */
  problem: string | null;
  /** The keys it contributes, each with its owner ("user admin", "machine peer1 (group ops)"). */
  keys: { key: PublicKey; owner: string }[];
}

/** Reads a key.json: `{ publickey, type }` or a list of such objects. */
export function readKeyJson(dir: string): { keys: PublicKey[] } | { error: string } {
  const file = path.join(dir, 'key.json');
  let text: string;
  try {
    text = readWorkspaceText(file, 1_000_000);
  } catch (e) {
    return { error: (e as NodeJS.ErrnoException).code === 'ENOENT' ? `${file} does not exist` : `${file} cannot be read` };
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { error: `${file} is not valid JSON (${(e as Error).message})` };
  }
  const items = Array.isArray(doc) ? doc : [doc];
  const keys: PublicKey[] = [];
  for (const item of items) {
    const o = item as Record<string, unknown> | null;
    const pk = typeof o?.publickey === 'string' ? o.publickey.trim() : '';
    const type = typeof o?.type === 'string' ? o.type.toLowerCase() : '';
    if (!pk) return { error: `${file}: an entry has no "publickey"` };
    if (type !== 'age' && type !== 'pgp') return { error: `${file}: key type "${String(o?.type)}" is not age or pgp` };
    keys.push({ publickey: pk, type });
  }
  return { keys };
}

/** The target of a link entry: a symlink, or a small file whose content is a relative path. */
export function linkTarget(entry: string): { target: string | null; isLink: boolean } {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(entry);
  } catch {
    return { target: null, isLink: false };
  }
  if (st.isSymbolicLink()) {
    try {
      return { target: path.resolve(path.dirname(entry), fs.readlinkSync(entry)), isLink: true };
    } catch {
      return { target: null, isLink: true };
    }
  }
  if (st.isDirectory()) return { target: entry, isLink: false };
  if (st.isFile() && st.size < 4096) {
    try {
      const text = readWorkspaceText(entry, 4096).trim();
      if (/^\.\.?\/[^\n\0]*$/.test(text)) return { target: path.resolve(path.dirname(entry), text), isLink: true };
    } catch {
      /* not a link file */
    }
  }
  return { target: null, isLink: false };
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function listDir(dir: string): string[] {
  try {
    return fs.readdirSync(dir).sort();
  } catch {
    return [];
  }
}

type KeyCache = Map<string, ReturnType<typeof readKeyJson>>;

function resolveOne(kind: LinkKind, name: string, entry: string, via: string | null, depth: number, cache: KeyCache): ResolvedLink {
  const { target } = linkTarget(entry);
  const link: ResolvedLink = { kind, name, entry, target, problem: null, keys: [] };
  const label = `${kind === 'users' ? 'user' : kind === 'machines' ? 'machine' : 'group'} ${name}${via ? ` (group ${via})` : ''}`;
  if (!target) {
    link.problem = `${label}: not a link`;
    return link;
  }
  if (!isDir(target)) {
    link.problem = `${label}: the link points to ${target}, which does not exist`;
    return link;
  }
  if (kind === 'groups') {
    if (depth > 0) return link;
    for (const sub of ['users', 'machines'] as const) {
      for (const member of listDir(path.join(target, sub))) {
        const inner = resolveOne(sub, member, path.join(target, sub, member), name, depth + 1, cache);
        if (inner.problem) link.problem ??= inner.problem;
        link.keys.push(...inner.keys);
      }
    }
    return link;
  }
  let r = cache.get(target);
  if (!r) cache.set(target, (r = readKeyJson(target)));
  if ('error' in r) link.problem = `${label}: ${r.error}`;
  else link.keys = r.keys.map((key) => ({ key, owner: label }));
  return link;
}

/** Resolves every `users/`, `machines/` and `groups/` entry of a secret's directory. Pass one `cache` for a whole scan. */
export function resolveSecretLinks(secretDir: string, cache: KeyCache = new Map()): ResolvedLink[] {
  const out: ResolvedLink[] = [];
  for (const kind of ['users', 'machines', 'groups'] as const) {
    for (const name of listDir(path.join(secretDir, kind))) out.push(resolveOne(kind, name, path.join(secretDir, kind, name), null, 0, cache));
  }
  return out;
}

/** Public key -> its owners ("user admin", "machine peer1") from `sops/users` and `sops/machines`. */
export function keyOwners(clanRoot: string): Map<string, string[]> {
  const owners = new Map<string, string[]>();
  for (const [kind, label] of [['users', 'user'], ['machines', 'machine']] as const) {
    const base = path.join(clanRoot, 'sops', kind);
    for (const name of listDir(base)) {
      const r = readKeyJson(path.join(base, name));
      if ('error' in r) continue;
      for (const k of r.keys) {
        const list = owners.get(k.publickey) ?? [];
        list.push(`${label} ${name}`);
        owners.set(k.publickey, list);
      }
    }
  }
  return owners;
}
