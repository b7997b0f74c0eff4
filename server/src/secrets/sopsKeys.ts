// The sops key material of a clan: `sops/{users,machines}/<name>/key.json` (a single object or a
// list of objects) and the `users/`, `machines/`, `groups/` links next to each secret, which say
// who a secret should be encrypted for. Links may be real symlinks or, in checkouts without
// symlink support, small files holding the link target. Everything is read inside the clan
// (base/confinement.ts): a link leading out of it is a broken link, never followed.
import type * as FS from 'node:fs';
import * as path from 'node:path';
import { Confinement, type ListedEntry } from '../base/confinement';

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
export function readKeyJson(reads: Confinement, dir: string): { keys: PublicKey[] } | { error: string } {
  const file = path.join(dir, 'key.json');
  let text: string;
  try {
    text = reads.readText(file, 1_000_000);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { error: code === 'ENOENT' ? `${file} does not exist` : code === 'EOUTSIDE' ? `${file} leads out of the clan` : `${file} cannot be read` };
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

/**
 * The target of a link entry: a symlink, or a small file whose content is a relative path. `listed`,
 * the entry as its folder's listing showed it (Confinement.entriesWithLinks), spares the calls that
 * cannot change the answer: what a link says is read, a plain folder is no link, a plain file none.
 */
export function linkTarget(reads: Confinement, entry: string, listed?: ListedEntry): { target: string | null; isLink: boolean } {
  const link = listed ? listed.link : reads.linkText(entry);
  if (link !== null) return { target: path.resolve(path.dirname(entry), link), isLink: true };
  const seen = listed?.entry;
  if (seen?.isDirectory() || (!seen?.isFile() && reads.isDirectory(entry))) return { target: entry, isLink: false };
  try {
    const text = reads.readText(entry, 4096).trim();
    if (/^\.\.?\/[^\n\0]*$/.test(text)) return { target: path.resolve(path.dirname(entry), text), isLink: true };
  } catch {
    /* not a link file */
  }
  return { target: null, isLink: false };
}

function listDir(reads: Confinement, dir: string): string[] {
  return reads.entries(dir).map((e) => e.name);
}

/**
 * What one scan learnt of each link target (many secrets link the same users and machines):
 * whether it is outside the clan or a folder, and its key.json once read.
 */
export type LinkCache = Map<string, { outside: boolean; folder: boolean; keys?: ReturnType<typeof readKeyJson> }>;

function resolveOne(reads: Confinement, kind: LinkKind, listed: ListedEntry, entry: string, via: string | null, depth: number, cache: LinkCache): ResolvedLink {
  const name = listed.entry.name;
  const { target } = linkTarget(reads, entry, listed);
  const link: ResolvedLink = { kind, name, entry, target, problem: null, keys: [] };
  const label = `${kind === 'users' ? 'user' : kind === 'machines' ? 'machine' : 'group'} ${name}${via ? ` (group ${via})` : ''}`;
  if (!target) {
    link.problem = `${label}: not a link`;
    return link;
  }
  let at = cache.get(target);
  if (!at) {
    const outside = 'outside' in reads.confine(target);
    cache.set(target, (at = { outside, folder: !outside && reads.isDirectory(target) }));
  }
  if (at.outside) {
    link.problem = `${label}: the link points to ${target}, outside the clan`;
    return link;
  }
  if (!at.folder) {
    link.problem = `${label}: the link points to ${target}, which does not exist`;
    return link;
  }
  if (kind === 'groups') {
    if (depth > 0) return link;
    for (const sub of ['users', 'machines'] as const) {
      for (const member of reads.entriesWithLinks(path.join(target, sub))) {
        const inner = resolveOne(reads, sub, member, path.join(target, sub, member.entry.name), name, depth + 1, cache);
        if (inner.problem) link.problem ??= inner.problem;
        link.keys.push(...inner.keys);
      }
    }
    return link;
  }
  const r = (at.keys ??= readKeyJson(reads, target));
  if ('error' in r) link.problem = `${label}: ${r.error}`;
  else link.keys = r.keys.map((key) => ({ key, owner: label }));
  return link;
}

/**
 * Resolves every `users/`, `machines/` and `groups/` entry of a secret's directory, inside `reads`
 * (the clan). Pass one `cache` for a whole scan, and the directory's `entries` when they were
 * listed already (a folder of links that is not among them, or is a plain file, lists nothing).
 */
export function resolveSecretLinks(reads: Confinement, secretDir: string, cache: LinkCache = new Map(), entries?: readonly FS.Dirent[]): ResolvedLink[] {
  const out: ResolvedLink[] = [];
  for (const kind of ['users', 'machines', 'groups'] as const) {
    if (entries && !entries.some((e) => e.name === kind && !e.isFile())) continue;
    for (const listed of reads.entriesWithLinks(path.join(secretDir, kind))) out.push(resolveOne(reads, kind, listed, path.join(secretDir, kind, listed.entry.name), null, 0, cache));
  }
  return out;
}

/** Public key -> its owners ("user admin", "machine peer1") from `sops/users` and `sops/machines`. */
export function keyOwners(clanRoot: string): Map<string, string[]> {
  const owners = new Map<string, string[]>();
  const reads = Confinement.within(clanRoot);
  for (const [kind, label] of [['users', 'user'], ['machines', 'machine']] as const) {
    const base = path.join(clanRoot, 'sops', kind);
    for (const name of listDir(reads, base)) {
      const r = readKeyJson(reads, path.join(base, name));
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
