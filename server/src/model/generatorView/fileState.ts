// Where one var lives, in the repository for each secret store and on the target machine for each
// `neededFor`, and whether it is there. In the repository: public values in
// `vars/<rel_dir>/<f>/value`; secrets in `vars/<rel_dir>/<f>/secret` (sops),
// `secrets/clan-vars/<rel_dir>/<f>/<basename f>.age` (age) or `<store>/clan-vars/<rel_dir>/<f>.{age,gpg}`
// (password-store, outside the repo). What is in the repository is told from the scan of its vars
// folders; only password-store entries are looked up on disk. Never decrypts.
import * as os from 'node:os';
import * as path from 'node:path';
import type { FileStatus, SecretBackend } from './types';
import { relDir, type VarRef } from '../../secrets/varRef';
import type { VarOnDisk, VarsOnDisk } from '../varsOnDisk';
import { Confinement } from '../../base/confinement';

export interface StoreContext {
  root: string;
  backend: SecretBackend;
  disk: VarsOnDisk;
  /** password-store roots to look in (passage and pass). */
  passwordStores: string[];
  /** What may be looked at in them: an entry named by the workspace's var names stays inside its store. */
  passwordStoreReads: Confinement;
  /** Whether one of them is a folder on this machine: where none is, whether a secret is stored cannot be told here. */
  passwordStoreFound: boolean;
  /** The scanned vars by `machine\0generator\0file\0kind`. */
  present: Map<string, VarOnDisk>;
}

const keyOf = (ref: VarRef, kind: VarOnDisk['kind']) => `${ref.machine ?? ''}\0${ref.generator}\0${ref.file}\0${kind}`;

/** The password stores clan may use: `$PASSAGE_DIR` or `~/.passage/store`, `$PASSWORD_STORE_DIR` or `~/.password-store`. */
export function passwordStoreDirs(env: NodeJS.ProcessEnv = process.env, home = os.homedir()): string[] {
  return [env.PASSAGE_DIR || path.join(home, '.passage', 'store'), env.PASSWORD_STORE_DIR || path.join(home, '.password-store')];
}

export function storeContext(root: string, backend: SecretBackend, disk: VarsOnDisk, passwordStores = passwordStoreDirs()): StoreContext {
  const present = new Map<string, VarOnDisk>();
  for (const v of disk.vars) present.set(keyOf(v.ref, v.kind), v);
  const passwordStoreReads = Confinement.within(...passwordStores);
  return { root, backend, disk, passwordStores, passwordStoreReads, passwordStoreFound: backend === 'password-store' && passwordStores.some((s) => passwordStoreReads.isDirectory(s)), present };
}

/** The file holding a var in the repository, relative to the clan root (password-store: relative to the store). */
export function repoPathOf(ref: VarRef, secret: boolean, backend: SecretBackend): string {
  const rel = relDir(ref);
  if (!secret) return `vars/${rel}/${ref.file}/value`;
  if (backend === 'age') return `secrets/clan-vars/${rel}/${ref.file}/${path.posix.basename(ref.file)}.age`;
  if (backend === 'password-store') return `clan-vars/${rel}/${ref.file}`;
  return `vars/${rel}/${ref.file}/secret`;
}

/** Where the file is found on the machine (a description for public files, which live in the Nix store). */
export function targetPathOf(ref: VarRef, secret: boolean, neededFor: string, backend: SecretBackend): string {
  const rel = relDir(ref);
  const file = ref.file;
  if (!secret) return `/nix/store/…-${rel.replace(/\//g, '-')}_${file.replace(/\//g, '-')} (public files are copied to the Nix store)`;
  const sops = backend === 'sops';
  switch (neededFor) {
    case 'users':
      return sops ? `/run/secrets-for-users/vars/${rel}/${file}` : `/run/user-secrets/${rel}/${file}`;
    case 'activation':
      return sops ? `/var/lib/sops-nix/activation/${rel}/${file}` : `/etc/secret-vars/activation/${rel}/${file}`;
    case 'partitioning':
      return `/run/partitioning-secrets/${rel}/${file} (only while installing)`;
    default:
      return sops ? `/run/secrets/vars/${rel}/${file}` : `/run/secrets/${rel}/${file}`;
  }
}


/** True when a sops secret's recipients differ from the keys its links name. */
export function recipientsOutdated(v: VarOnDisk): boolean {
  if (!v.recipients || v.links.length === 0 || v.links.some((l) => l.problem)) return false;
  const expected = new Set<string>();
  for (const l of v.links) for (const k of l.keys) expected.add(k.key.publickey);
  const actual = new Set([...v.recipients.age, ...v.recipients.pgp]);
  if (expected.size !== actual.size) return true;
  for (const k of expected) if (!actual.has(k)) return true;
  return false;
}

/** Where a secret is and whether it is there (null: not known here, no password store on this machine). */
function secretLocation(ctx: StoreContext, ref: VarRef): { kind: FileStatus['kind']; path: string; found: VarOnDisk | boolean | null } {
  if (ctx.backend === 'password-store') {
    const rel = repoPathOf(ref, true, 'password-store');
    const candidates = ctx.passwordStores.flatMap((s) => ['.age', '.gpg'].map((ext) => path.join(s, ...rel.split('/')) + ext));
    const hit = candidates.find((c) => ctx.passwordStoreReads.isFile(c));
    return { kind: 'password-store', path: hit ?? candidates[0], found: hit ? true : ctx.passwordStoreFound ? false : null };
  }
  const p = path.join(ctx.root, ...repoPathOf(ref, true, ctx.backend).split('/'));
  return { kind: ctx.backend, path: p, found: ctx.present.get(keyOf(ref, ctx.backend)) ?? false };
}

export function fileStatus(ctx: StoreContext, ref: VarRef, secret: boolean | null): FileStatus {
  const publicPath = path.join(ctx.root, ...repoPathOf(ref, false, ctx.backend).split('/'));
  const isPublic = ctx.present.has(keyOf(ref, 'public'));
  const base = { name: ref.file, secret };
  if (secret === false) return { ...base, state: isPublic ? 'generated' : 'missing', kind: 'public', path: publicPath };
  const s = secretLocation(ctx, ref);
  if (secret === null && !s.found && isPublic) return { ...base, state: 'generated', kind: 'public', path: publicPath, detail: 'found as a public value' };
  if (s.found === null) return { ...base, state: 'unknown', kind: s.kind, path: s.path, detail: `no password store on this machine (looked in ${ctx.passwordStores.join(' and ')})` };
  if (!s.found) return { ...base, state: 'missing', kind: s.kind, path: s.path };
  if (typeof s.found === 'object' && s.found.kind === 'sops' && recipientsOutdated(s.found)) {
    return { ...base, state: 'recipients-outdated', kind: s.kind, path: s.path, detail: 'encrypted for other keys than its users/machines/groups links name; run clan vars fix' };
  }
  return { ...base, state: 'generated', kind: s.kind, path: s.path };
}
