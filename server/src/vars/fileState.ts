// Where one var lives for the configured backend, and whether it is there: public values in
// `vars/<rel_dir>/<f>/value`; secrets in `vars/<rel_dir>/<f>/secret` (sops),
// `secrets/clan-vars/<rel_dir>/<f>/<basename f>.age` (age) or `<store>/clan-vars/<rel_dir>/<f>.{age,gpg}`
// (password-store, outside the repo). Reads only existence and sops metadata; never decrypts.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FileStatus, SecretBackend } from '../protocol';
import { relDir, type VarRef } from '../secrets/varRef';
import type { VarOnDisk, VarsOnDisk } from '../workspace/varsOnDisk';

export interface StoreContext {
  root: string;
  backend: SecretBackend;
  disk: VarsOnDisk;
  /** password-store roots to look in (passage and pass). */
  passwordStores: string[];
  /** sops vars by `machine\0generator\0file`. */
  sopsVars: Map<string, VarOnDisk>;
}

export function refKey(ref: VarRef): string {
  return `${ref.machine ?? ''}\0${ref.generator}\0${ref.file}`;
}

/** The password stores clan may use: `$PASSAGE_DIR` or `~/.passage/store`, `$PASSWORD_STORE_DIR` or `~/.password-store`. */
export function passwordStoreDirs(env: NodeJS.ProcessEnv = process.env, home = os.homedir()): string[] {
  return [env.PASSAGE_DIR || path.join(home, '.passage', 'store'), env.PASSWORD_STORE_DIR || path.join(home, '.password-store')];
}

export function storeContext(root: string, backend: SecretBackend, disk: VarsOnDisk, passwordStores = passwordStoreDirs()): StoreContext {
  const sopsVars = new Map<string, VarOnDisk>();
  for (const v of disk.vars) if (v.kind === 'sops') sopsVars.set(refKey(v.ref), v);
  return { root, backend, disk, passwordStores, sopsVars };
}

function exists(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
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

function secretLocation(ctx: StoreContext, ref: VarRef): { kind: FileStatus['kind']; path: string; found: boolean } {
  const rel = relDir(ref);
  switch (ctx.backend) {
    case 'sops': {
      const p = path.join(ctx.root, 'vars', rel, ref.file, 'secret');
      return { kind: 'sops', path: p, found: exists(p) };
    }
    case 'age': {
      const p = path.join(ctx.root, 'secrets', 'clan-vars', rel, ref.file, path.posix.basename(ref.file) + '.age');
      return { kind: 'age', path: p, found: exists(p) };
    }
    case 'password-store': {
      const candidates = ctx.passwordStores.flatMap((s) => ['.age', '.gpg'].map((ext) => path.join(s, 'clan-vars', rel, ref.file + ext)));
      const hit = candidates.find(exists);
      return { kind: 'password-store', path: hit ?? candidates[0], found: !!hit };
    }
  }
}

export function fileStatus(ctx: StoreContext, ref: VarRef, secret: boolean | null): FileStatus {
  const publicPath = path.join(ctx.root, 'vars', relDir(ref), ref.file, 'value');
  const base = { name: ref.file, secret };
  if (secret === false) {
    const found = exists(publicPath);
    return { ...base, state: found ? 'generated' : 'missing', kind: 'public', path: publicPath };
  }
  const s = secretLocation(ctx, ref);
  if (secret === null && !s.found && exists(publicPath)) return { ...base, state: 'generated', kind: 'public', path: publicPath, detail: 'found as a public value' };
  if (!s.found) return { ...base, state: 'missing', kind: s.kind, path: s.path };
  if (s.kind === 'sops') {
    const v = ctx.sopsVars.get(refKey(ref));
    if (v && recipientsOutdated(v)) {
      return { ...base, state: 'recipients-outdated', kind: s.kind, path: s.path, detail: 'encrypted for other keys than its users/machines/groups links name; run clan vars fix' };
    }
  }
  return { ...base, state: 'generated', kind: s.kind, path: s.path };
}

