// The inputs of a flake lock that are on this machine's disk: `path` inputs, and `git`, `hg`,
// `tarball` and `file` inputs whose URL is a `file:` URL or a path. `nix flake archive` copies each
// into the Nix store, where every user can read it (a 0600 key becomes 0444), so one outside the
// clan's folder is only fetched when the user names it; and nix runs git (or hg) in a local
// repository input, so its configuration is checked like the clan's (fetchPlan.ts). Both the
// `locked` and the `original` entry of each node are read. A relative path is resolved against the
// folder of the input that declares it (the clan's for the root's inputs); one declared by an input
// that is not on disk (a GitHub flake) is inside that input's copy in the store, not on this disk.
import * as path from 'node:path';
import type { FlakeLock, LockNode } from '../base/flakeLock';
import { LOCAL_SCHEME, type FlakeNixRef } from './flakeNixRefs';
import { gitDirsFor } from '../base/gitRepoConfig';
import { isInside, realPathOf } from '../base/searchPath';

export type LocalKind = 'path' | 'git' | 'hg' | 'tarball' | 'file';

export interface LocalInput {
  /** The lock's node name. */
  node: string;
  kind: LocalKind;
  /** Absolute (a relative one resolved). */
  path: string;
  /** Its real path, links resolved (the path itself when it does not resolve). */
  real: string;
  /** Whether the real path is outside the clan's real folder. */
  outside: boolean;
}

/** A node is resolved against at most this many folders (a lock that loops through relative paths ends). */
const MAX_BASES = 8;

const LOCAL_KINDS: ReadonlySet<string> = new Set<LocalKind>(['path', 'git', 'hg', 'tarball', 'file']);

/** The path a URL names on this disk (`file:` and `path:` URLs, and paths), as written (maybe relative); null for any other URL. */
function pathOfUrl(url: string): string | null {
  const u = url.replace(/^[a-z]+\+(?=file:)/i, ''); // git+file:, tarball+file:, file+file:
  const scheme = /^(file|path):/i.exec(u)?.[0];
  if (!scheme) return u.startsWith('/') || u.startsWith('.') ? u.replace(/[?#].*$/s, '') : null;
  let rest = u.slice(scheme.length).replace(/[?#].*$/s, '');
  if (rest.startsWith('//')) rest = rest.slice(2).replace(/^[^/]*/, ''); // a host, if any, is dropped
  try {
    return decodeURIComponent(rest);
  } catch {
    return rest;
  }
}

/** The path an entry of a node names on this disk, as written (maybe relative); null when it names none. */
function writtenPath(entry: Record<string, unknown> | undefined): { kind: LocalKind; written: string } | null {
  if (!entry || typeof entry.type !== 'string' || !LOCAL_KINDS.has(entry.type)) return null;
  const kind = entry.type as LocalKind;
  const written = kind === 'path' ? (typeof entry.path === 'string' ? entry.path : null) : typeof entry.url === 'string' ? pathOfUrl(entry.url) : null;
  return written ? { kind, written } : null;
}

function localInput(node: string, kind: LocalKind, written: string, base: string, realRoot: string): LocalInput {
  const abs = path.resolve(base, written);
  const real = realPathOf(abs) ?? abs;
  return { node, kind, path: abs, real, outside: !isInside(realRoot, real) };
}

const SCHEME_KINDS: Record<string, LocalKind> = { 'path:': 'path', 'file:': 'file', 'git+file:': 'git', 'hg+file:': 'hg', 'tarball+file:': 'tarball', 'file+file:': 'file' };

/**
 * The input on this disk a string of flake.nix names (flakeNixRefs.ts), relative paths resolved
 * against the clan; null when it names none. A bare path is a git input when a `.git` is at it or
 * above it (nix looks for one), else a path input.
 */
export function flakeNixInput(ref: FlakeNixRef, clanRoot: string): LocalInput | null {
  const realRoot = realPathOf(clanRoot) ?? path.resolve(clanRoot);
  const node = `flake.nix ${ref.where}`;
  if (ref.attribute === 'path') return localInput(node, 'path', ref.value, clanRoot, realRoot);
  const scheme = LOCAL_SCHEME.exec(ref.value)?.[0].toLowerCase();
  const written = pathOfUrl(ref.value);
  if (written === null || (!scheme && ref.attribute !== 'url')) return null;
  if (scheme) return localInput(node, SCHEME_KINDS[scheme], written, clanRoot, realRoot);
  const input = localInput(node, 'path', written, clanRoot, realRoot);
  return gitDirsFor(input.path).length ? { ...input, kind: 'git' } : input;
}

/** The local inputs the lock names (each path once), walking from the root node through the inputs that name nodes. */
export function localInputs(lock: FlakeLock, clanRoot: string): LocalInput[] {
  const realRoot = realPathOf(clanRoot) ?? path.resolve(clanRoot);
  const out = new Map<string, LocalInput>();
  const basesOf = new Map<string, Set<string | null>>();
  // each node with the folder its relative paths are resolved against (null: not on this disk)
  const queue: { name: string; base: string | null }[] = [{ name: lock.root, base: clanRoot }];
  while (queue.length) {
    const { name, base } = queue.shift()!;
    const seen = basesOf.get(name) ?? basesOf.set(name, new Set()).get(name)!;
    if (seen.has(base) || seen.size >= MAX_BASES) continue; // a loop of relative paths ends
    seen.add(base);
    const node: LockNode | null = lock.node(name);
    if (!node) continue;
    let ownFolder: string | null = name === lock.root ? base : null;
    for (const entry of [node.locked, node.original]) {
      const found = writtenPath(entry);
      if (!found) continue;
      if (!path.isAbsolute(found.written) && base === null) continue; // inside a copy in the store
      const input = localInput(name, found.kind, found.written, base ?? '/', realRoot);
      ownFolder ??= found.kind === 'path' || found.kind === 'git' || found.kind === 'hg' ? input.path : null;
      if (!out.has(`${found.kind}\0${input.path}`)) out.set(`${found.kind}\0${input.path}`, input);
    }
    const inputs = typeof node.inputs === 'object' && node.inputs !== null ? Object.values(node.inputs) : [];
    for (const child of inputs) if (typeof child === 'string') queue.push({ name: child, base: ownFolder });
  }
  return [...out.values()];
}
