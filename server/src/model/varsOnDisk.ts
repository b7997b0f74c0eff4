// What a clan has on disk under `vars/`, `sops/` and `secrets/clan-vars/`: each var with its kind,
// the links next to each sops secret and the recipients it is encrypted for. Reading this costs
// file-system calls, so it is computed lazily, cached per clan root, and dropped only when a file
// under one of those directories changes (`invalidateVarsOnDisk`). Never decrypts anything. Reads
// stay inside the clan (base/confinement.ts): a `vars/` linked out of the clan holds nothing.
import type * as FS from 'node:fs';
import * as path from 'node:path';
import { Confinement } from '../base/confinement';
import { keyOwners, resolveSecretLinks, type LinkCache, type ResolvedLink } from '../secrets/sopsKeys';
import { sopsRecipients } from '../secrets/sopsFormat';
import { relDir, type VarRef } from '../secrets/varRef';

export type VarKind = 'public' | 'sops' | 'age';

export interface VarOnDisk {
  ref: VarRef;
  kind: VarKind;
  /** The `value`, `secret` or `<file>.age` file. */
  path: string;
  /** The var's directory. */
  dir: string;
  /** sops only: the users/machines/groups links. */
  links: ResolvedLink[];
  /** sops only: the recipients in the file's metadata; null when it cannot be read. */
  recipients: { age: string[]; pgp: string[] } | null;
}

export interface VarsOnDisk {
  root: string;
  vars: VarOnDisk[];
  /** Machines named anywhere on disk (vars/per-machine, sops/machines, secrets/age-keys/machines). */
  machines: Set<string>;
  /** Public key -> owners ("user admin", "machine peer1"). */
  owners: Map<string, string[]>;
  /** `vars/<rel_dir>/.validation-hash` contents, by rel_dir (`per-machine/<m>/<gen>`, `shared/<gen>`). */
  validationHashes: Map<string, string>;
  /** Which secret stores the clan's folders show: sops (`sops/`), age (`secrets/clan-vars/`, `secrets/age-keys/`). */
  stores: { sops: boolean; age: boolean };
}

const VAR_DIRS = ['vars', 'sops', 'secrets'];
const MAX_DEPTH = 8;

/**
 * Whether `dir` (listed as `entries`) holds a file `name`, links followed: a plain file or folder in
 * the listing answers without asking the file system again; a link, or an entry of a type the
 * listing does not tell, is looked up.
 */
function holdsFile(reads: Confinement, dir: string, entries: readonly FS.Dirent[], name: string): boolean {
  const e = entries.find((x) => x.name === name);
  if (!e || e.isDirectory()) return false;
  return e.isFile() || reads.isFile(path.join(dir, name));
}

/** Var directories below a generator directory (listed as `top`): those holding a `secret` or `value` file. */
function scanGenerator(reads: Confinement, genDir: string, top: readonly FS.Dirent[], machine: string | null, generator: string, out: VarOnDisk[], links: LinkCache): void {
  // one listing of a folder answers where its secret and value are, and what is below it
  const walk = (dir: string, entries: readonly FS.Dirent[], rel: string[], depth: number) => {
    const secret = path.join(dir, 'secret');
    const value = path.join(dir, 'value');
    const ref: VarRef = { machine, generator, file: rel.join('/') };
    const hasSecret = rel.length > 0 && holdsFile(reads, dir, entries, 'secret');
    const hasValue = rel.length > 0 && holdsFile(reads, dir, entries, 'value');
    if (hasSecret) {
      let recipients: VarOnDisk['recipients'] = null;
      try {
        recipients = sopsRecipients(reads.readText(secret));
      } catch {
        /* unreadable: recipients stay unknown */
      }
      out.push({ ref, kind: 'sops', path: secret, dir, links: resolveSecretLinks(reads, dir, links, entries), recipients });
    }
    if (hasValue) out.push({ ref, kind: 'public', path: value, dir, links: [], recipients: null });
    if (hasSecret || hasValue) return;
    for (const e of entries) {
      if (!e.isDirectory() || e.name.startsWith('.')) continue;
      if (rel.length && ['users', 'machines', 'groups'].includes(e.name)) continue;
      const below = path.join(dir, e.name);
      if (depth < MAX_DEPTH) walk(below, reads.entries(below), [...rel, e.name], depth + 1);
    }
  };
  walk(genDir, top, [], 0);
}

/** age backend: `secrets/clan-vars/<rel_dir>/<file>/<basename(file)>.age`. */
function scanAgeGenerator(reads: Confinement, genDir: string, machine: string | null, generator: string, out: VarOnDisk[]): void {
  const walk = (dir: string, rel: string[], depth: number) => {
    if (depth > MAX_DEPTH) return;
    if (rel.length) {
      const file = path.join(dir, rel[rel.length - 1] + '.age');
      if (reads.isFile(file)) {
        out.push({ ref: { machine, generator, file: rel.join('/') }, kind: 'age', path: file, dir, links: [], recipients: null });
        return;
      }
    }
    for (const e of reads.entries(dir)) if (e.isDirectory()) walk(path.join(dir, e.name), [...rel, e.name], depth + 1);
  };
  walk(genDir, [], 0);
}

function forEachGenerator(reads: Confinement, base: string, visit: (genDir: string, machine: string | null, generator: string) => void, machines: Set<string>): void {
  for (const m of reads.entries(path.join(base, 'per-machine'))) {
    if (!m.isDirectory()) continue;
    machines.add(m.name);
    for (const g of reads.entries(path.join(base, 'per-machine', m.name))) if (g.isDirectory()) visit(path.join(base, 'per-machine', m.name, g.name), m.name, g.name);
  }
  for (const g of reads.entries(path.join(base, 'shared'))) if (g.isDirectory()) visit(path.join(base, 'shared', g.name), null, g.name);
}

export function scanVarsOnDisk(root: string): VarsOnDisk {
  const reads = Confinement.within(root);
  const vars: VarOnDisk[] = [];
  const machines = new Set<string>();
  const links: LinkCache = new Map(); // each link target looked up, and its key.json read, once per scan
  const validationHashes = new Map<string, string>();
  const readHash = (genDir: string, machine: string | null, generator: string, entries: readonly FS.Dirent[]) => {
    // most generators have none (3,910 of the 4,354 in the 100 public clans): a read of a missing file resolves its path twice
    if (!holdsFile(reads, genDir, entries, '.validation-hash')) return;
    try {
      const hash = reads.readText(path.join(genDir, '.validation-hash'), 4096).trim();
      validationHashes.set(relDir({ machine, generator }), hash);
    } catch {
      /* no validation hash */
    }
  };
  forEachGenerator(
    reads,
    path.join(root, 'vars'),
    (d, m, g) => {
      const entries = reads.entries(d);
      scanGenerator(reads, d, entries, m, g, vars, links);
      readHash(d, m, g, entries);
    },
    machines,
  );
  forEachGenerator(reads, path.join(root, 'secrets', 'clan-vars'), (d, m, g) => scanAgeGenerator(reads, d, m, g, vars), machines);
  for (const dir of [path.join(root, 'sops', 'machines'), path.join(root, 'secrets', 'age-keys', 'machines')]) {
    for (const e of reads.entries(dir)) if (e.isDirectory()) machines.add(e.name);
  }
  const isDir = (p: string) => reads.isDirectory(p);
  const stores = { sops: isDir(path.join(root, 'sops')), age: isDir(path.join(root, 'secrets', 'clan-vars')) || isDir(path.join(root, 'secrets', 'age-keys')) };
  return { root, vars, machines, owners: keyOwners(root), validationHashes, stores };
}

const cache = new Map<string, VarsOnDisk>();

/** The cached scan of a clan root (computed on first use). */
export function varsOnDisk(root: string): VarsOnDisk {
  let v = cache.get(root);
  if (!v) cache.set(root, (v = scanVarsOnDisk(root)));
  return v;
}

/** Drops cached scans: of one clan root, or all of them. */
export function invalidateVarsOnDisk(root?: string): void {
  if (root === undefined) cache.clear();
  else cache.delete(root);
}

/** True when `file` lies under `<root>/vars`, `<root>/sops` or `<root>/secrets`: a change there may change the scan. */
export function isVarsPath(root: string, file: string): boolean {
  const first = path.relative(root, file).split(path.sep)[0];
  return VAR_DIRS.includes(first);
}
