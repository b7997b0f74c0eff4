// One identity for a flake however a flake.lock locks it (`github`, `gitlab`, `sourcehut` nodes; git
// URLs; forge archive tarballs; FlakeHub), and the revision the lock names. The shipped knowledge of
// flake inputs (knownInputs.ts) is keyed by this identity; what it says holds only for the revision,
// a git commit hash, which names the same tree in every copy of the repository.

/** A root input of a clan's lock, as the shipped knowledge is asked about it. */
export interface LockedInput {
  name: string;
  key: string | null;
  /** The locked commit (lockedRev). */
  rev: string | null;
  lastModified: number | null;
  /** The lock's NAR hash of the source (`sha256-<base64>`; null when it is not one). */
  narHash: string | null;
}

/**
 * The identity of a flake.lock node's `locked` (or `original`) attrs, lowercased:
 * - `github:owner/repo` for `github` nodes and every GitHub URL (`git+https://github.com/o/r(.git)`,
 *   `ssh://git@github.com/o/r`, archive tarballs `github.com/o/r/archive/<rev>.tar.gz`,
 *   `codeload.github.com`, `api.github.com/repos/o/r/tarball/<rev>`), and for FlakeHub tarballs
 *   (`api.flakehub.com/f/pinned/<Owner>/<repo>/<version>/<id>/source.tar.gz`): FlakeHub names a flake
 *   after the GitHub repository it publishes from (flakehub-push's default). Only the identity rests
 *   on that: what is known holds for the locked commit alone, and a commit hash is one tree wherever
 *   it is published, so a FlakeHub flake named otherwise is at worst not found;
 * - `gitlab:group/repo` for `gitlab` nodes and gitlab.com URLs (subgroups kept: `gitlab:a/b/c`);
 * - `sourcehut:~owner/repo` for `sourcehut` nodes and git.sr.ht URLs;
 * - `host/path` for other forges (`git.clan.lol/clan/clan-core`, `codeberg.org/o/r`), from git URLs
 *   and from gitea/forgejo archive URLs (`/api/v1/repos/o/r/archive/<rev>.tar.gz`, `/o/r/archive/<ref>.tar.gz`);
 *   `gitlab`, `github` and `sourcehut` nodes of another host likewise;
 * - `github:nixos/nixpkgs` for nixpkgs channel tarballs (releases.nixos.org, channels.nixos.org).
 * null: a local path or file URL, an indirect reference, a GitHub URL that is not a repository
 * (a release asset, `github.com/<user>.keys`), or a form not recognised.
 */
export function inputKey(locked: Record<string, unknown>): string | null {
  const str = (k: string) => (typeof locked[k] === 'string' ? (locked[k] as string) : null);
  const type = str('type');
  const owner = str('owner');
  const repo = str('repo');
  if ((type === 'github' || type === 'gitlab' || type === 'sourcehut') && owner && repo) {
    const host = str('host')?.toLowerCase() ?? null;
    // gitlab writes a subgroup's owner as `group%2Fsub`
    const o = type === 'gitlab' ? safeDecode(owner) : owner;
    const r = stripGit(repo);
    if (type === 'sourcehut') {
      const own = o.startsWith('~') ? o : `~${o}`;
      return (host && host !== 'git.sr.ht' ? `${host}/${own}/${r}` : `sourcehut:${own}/${r}`).toLowerCase();
    }
    const home = type === 'github' ? 'github.com' : 'gitlab.com';
    return (host && host !== home ? `${host}/${o}/${r}` : `${type}:${o}/${r}`).toLowerCase();
  }
  const url = str('url');
  if ((type === 'git' || type === 'tarball' || type === 'file') && url) return urlKey(url);
  return null;
}

/**
 * The commit a lock node names: its `rev`, or for a tarball locked without one, the full commit hash
 * its URL names (`github.com/o/r/archive/<rev>.tar.gz`, a gitea `archive/<rev>.tar.gz`, gitlab's
 * `-/archive/<rev>/`, `?rev=<rev>`): such an archive is that commit's tree. null: neither.
 */
export function lockedRev(locked: Record<string, unknown>): string | null {
  if (typeof locked.rev === 'string') return locked.rev;
  if (typeof locked.url !== 'string' || (locked.type !== 'tarball' && locked.type !== 'file')) return null;
  const m = /(?:\/archive\/|\/tarball\/|\/tar\.gz\/|[?&]rev=)([0-9a-f]{40})(?![0-9a-zA-Z])/i.exec(locked.url);
  return m ? m[1].toLowerCase() : null;
}

/**
 * What the knowledge needs of a lock node: its identity, revision, commit time and NAR hash. A flake
 * in a subfolder of its repository (`dir`) gets a key of its own: what is shipped is read from the
 * repository's root.
 */
export function lockedInput(name: string, locked: Record<string, unknown>): LockedInput {
  const key = inputKey(locked);
  const dir = typeof locked.dir === 'string' && locked.dir.replace(/^\.?\/+|\/+$/g, '');
  return {
    name,
    key: key && dir ? `${key}?dir=${dir}` : key,
    rev: lockedRev(locked),
    lastModified: typeof locked.lastModified === 'number' ? locked.lastModified : null,
    narHash: typeof locked.narHash === 'string' && /^sha256-[A-Za-z0-9+/]{43}=$/.test(locked.narHash) ? locked.narHash : null,
  };
}

function urlKey(raw: string): string | null {
  let u: URL;
  try {
    u = new URL(raw.replace(/^git\+/, ''));
  } catch {
    return null;
  }
  if (!['https:', 'http:', 'ssh:', 'git:'].includes(u.protocol)) return null;
  const host = u.hostname.toLowerCase();
  let parts = u.pathname.split('/').filter(Boolean).map(safeDecode);
  // nixpkgs channels: releases.nixos.org/nixos/26.05/<release>/nixexprs.tar.xz, channels.nixos.org/<channel>/...
  if (host === 'releases.nixos.org' || host === 'channels.nixos.org' || (host === 'nixos.org' && parts[0] === 'channels')) return 'github:nixos/nixpkgs';
  if (host === 'api.flakehub.com' || host === 'flakehub.com') {
    // api.flakehub.com/f/pinned/<Owner>/<repo>/..., flakehub.com/f/<Owner>/<repo>/... (an `original`)
    const at = parts[0] === 'f' ? (parts[1] === 'pinned' ? 2 : 1) : -1;
    return at > 0 && parts.length >= at + 2 ? `github:${parts[at]}/${parts[at + 1]}`.toLowerCase() : null;
  }
  if (host === 'api.github.com' && parts[0] === 'repos') parts = parts.slice(1);
  // gitea/forgejo: /api/v1/repos/<o>/<r>/archive/<rev>.tar.gz
  if (parts[0] === 'api' && parts[1] === 'v1' && parts[2] === 'repos') parts = parts.slice(3);
  if (host === 'github.com' || host === 'api.github.com' || host === 'codeload.github.com') {
    // a repository, or its archive; a release asset or anything else is no flake of the repository
    if (parts.length < 2 || (parts.length > 2 && !['archive', 'tarball', 'zipball', 'tar.gz', 'zip', 'legacy.tar.gz'].includes(parts[2]))) return null;
    return `github:${parts[0]}/${stripGit(parts[1])}`.toLowerCase();
  }
  // gitlab: /<group>[/<sub>...]/<repo>[.git][/-/archive/...]
  const dash = parts.indexOf('-');
  if (dash > 0) parts = parts.slice(0, dash);
  else {
    // a forge archive: /<o>/<r>/archive/<ref>.tar.gz
    const archive = parts.indexOf('archive');
    if (archive >= 2) parts = parts.slice(0, archive);
  }
  if (!parts.length) return null;
  parts[parts.length - 1] = stripGit(parts[parts.length - 1]);
  const rest = parts.join('/');
  if (host === 'gitlab.com') return `gitlab:${rest}`.toLowerCase();
  if (host === 'git.sr.ht') return parts[0].startsWith('~') ? `sourcehut:${rest}`.toLowerCase() : null;
  return `${host}/${rest}`.toLowerCase();
}

const stripGit = (s: string) => s.replace(/\.git$/, '');

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
