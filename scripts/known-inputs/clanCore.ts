// clan-core in the shipped knowledge: one variant per revision a clan locks whose source is here, and
// for each variant the other commits of the mirror whose shipped files are the same, file for file.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FileFacts } from '../../server/src/facts/types';
import { encodeCommits } from '../../server/src/model/inputs/commitSet';
import { packRanges } from '../../server/src/model/inputs/shippedFacts';
import type { FlakeEntry, Variant } from '../../server/src/model/inputs/knownInputs';
import type { NixParser } from '../../server/src/syntax/nixParser';
import { clanCoreFacts, factsId, LIB_MODULES, outputGenerators, SHIPPED_DIRS } from './clanCoreFacts';
import { commitOf, commitTime, git, snapshotHead } from './git';
import { lockableCommits } from './history';
import type { Lock } from './locks';
import { narHashOf } from './nar';

export const CLAN_CORE = 'git.clan.lol/clan/clan-core';
export const CLAN_CORE_ALIASES = ['github:clan-lol/clan-core'];

export interface ClanCoreSource {
  dir: string;
  rev: string;
  lastModified: number;
  /** Always read (a source of the shared folder, which known-inputs.test.ts reads again). */
  shared?: true;
  /** Where it was read: relative to the shared folder (inputs/clan-lol+clan-core@090b766c7f31), `clan-inputs/...`, or `git mirror clan-lol/clan-core`. */
  source: string;
}

/** The clan-core checkouts in the shared folder: inputs/clan-lol+clan-core@<rev12> (revisions from its README) and corpus/clan-lol+clan-core. */
export function clanCoreSources(shared: string, mirror: string | null): ClanCoreSource[] {
  const readme = fs.readFileSync(path.join(shared, 'inputs', 'README.md'), 'utf8');
  const out: ClanCoreSource[] = [];
  for (const m of readme.matchAll(/^\|\s*(clan-lol\+clan-core@[0-9a-f]{12})\s*\|\s*([0-9a-f]{40})\s*\|\s*(\d{4}-\d\d-\d\d)\s*\|/gm)) {
    out.push({ dir: path.join(shared, 'inputs', m[1]), rev: m[2], lastModified: commitTime(mirror, m[2]) ?? Date.parse(m[3]) / 1000, source: `inputs/${m[1]}`, shared: true });
  }
  // the corpus's own clan-core: its revision is named in the same README ("clan-core at d7c35d9")
  const own = /corpus\/clan-lol\+clan-core` itself is clan-core at ([0-9a-f]{7,40}) \((\d{4}-\d\d-\d\d)\)/.exec(readme);
  const dir = path.join(shared, 'corpus', 'clan-lol+clan-core');
  if (own && fs.existsSync(dir)) {
    const rev = (mirror && commitOf(mirror, own[1])) || own[1];
    out.push({ dir, rev, lastModified: commitTime(mirror, rev) ?? Date.parse(own[2]) / 1000, source: 'corpus/clan-lol+clan-core', shared: true });
  }
  return out;
}

/**
 * The revisions of clan-core the clans lock (`locks`) that the shared sources do not hold, each
 * read from `<clanInputs>/clan-lol+clan-core@<rev12>` (a copy of the revision's .nix files) or else
 * extracted from the mirror into a folder under `tmp`. A revision found in neither is left out.
 */
export function lockedClanCoreSources(locks: Lock[], have: ClanCoreSource[], clanInputs: string, mirror: string | null, tmp: string, log: (s: string) => void): ClanCoreSource[] {
  const out: ClanCoreSource[] = [];
  const known = (rev: string) => [...have, ...out].some((s) => s.rev.startsWith(rev) || rev.startsWith(s.rev));
  for (const lock of locks) {
    const rev = (mirror && commitOf(mirror, lock.rev)) || lock.rev;
    if (known(rev)) continue;
    const lastModified = commitTime(mirror, rev) ?? lock.lastModified;
    const folder = `clan-lol+clan-core@${rev.slice(0, 12)}`;
    if (rev.length === 40 && lastModified !== null && fs.existsSync(path.join(clanInputs, folder))) {
      out.push({ dir: path.join(clanInputs, folder), rev, lastModified, source: `clan-inputs/${folder}` });
      continue;
    }
    if (!mirror || rev.length !== 40 || lastModified === null || !commitOf(mirror, rev)) {
      log(`clan-core ${lock.rev.slice(0, 12)} (locked by ${path.basename(lock.clan)}): no source here, not known`);
      continue;
    }
    const dir = path.join(tmp, folder);
    fs.mkdirSync(dir, { recursive: true });
    // what the variant is read from (a folder a revision lacks is left out: git archive refuses it)
    const paths = [...SHIPPED_DIRS, 'lib'].filter((p) => git(mirror, ['cat-file', '-e', `${rev}:${p}`]) !== null);
    const archive = execFileSync('git', ['--git-dir', mirror, 'archive', '--format=tar', rev, '--', ...paths], { maxBuffer: 1024 ** 3 });
    execFileSync('tar', ['-x', '-C', dir], { input: archive });
    out.push({ dir, rev, lastModified, source: 'git mirror of clan-lol/clan-core' });
  }
  return out;
}

/**
 * The clan-core entry: one variant per source, facts stored once per distinct content. A source whose
 * revision is among the commits with the same files as one read before it (`same`) adds nothing and
 * is left out; the shared sources come first and are always read (known-inputs.test.ts checks them).
 */
export function clanCoreEntry(sources: ClanCoreSource[], parser: NixParser, mirror: string | null = null, log: (s: string) => void = () => {}): Extract<FlakeEntry, { kind: 'modules' }> {
  const facts: Record<string, FileFacts> = {};
  const variants: Variant[] = [];
  const same = mirror ? sameCommits(mirror, sources.map((s) => s.rev)) : new Map<string, string[]>();
  const head = mirror && snapshotHead(mirror);
  const kept: ClanCoreSource[] = [];
  for (const s of sources) {
    const covered = !s.shared && kept.find((k) => same.get(k.rev)?.includes(s.rev));
    if (covered) log(`clan-core ${s.rev.slice(0, 12)}: its files are those of ${covered.rev.slice(0, 12)}, not read again`);
    else kept.push(s);
  }
  for (const s of kept.sort((a, b) => a.lastModified - b.lastModified || a.rev.localeCompare(b.rev))) {
    const byRel = clanCoreFacts(s.dir, parser);
    const files: Record<string, string> = {};
    for (const [rel, f] of byRel) {
      const id = factsId(f);
      facts[id] = packRanges(f) as FileFacts;
      files[rel] = id;
    }
    const variant: Variant = { rev: s.rev, lastModified: s.lastModified, source: s.source, files, moduleGenerators: outputGenerators(s.dir, byRel, parser) };
    const narHash = mirror && narHashOf(mirror, s.rev);
    if (narHash) variant.narHash = narHash;
    const others = same.get(s.rev);
    if (others?.length && head) variant.same = { ...encodeCommits(others), snapshot: `clan-lol/clan-core at ${head.rev.slice(0, 12)} (${head.date})` };
    variants.push(variant);
  }
  deltaFiles(variants);
  return { kind: 'modules', aliases: CLAN_CORE_ALIASES, source: 'clan-core at the revisions the clans lock (shared/inputs, the corpus copy, /work/clan-inputs, the git mirror); each variant says where it was read', variants, facts };
}

/** Writes each variant's files as what differs from the variant before it, where that is shorter (knownInputs.ts variantFiles reads them). */
function deltaFiles(variants: Variant[]): void {
  for (let i = variants.length - 1; i > 0; i--) {
    const [base, v] = [variants[i - 1].files, variants[i].files];
    const files = Object.fromEntries(Object.entries(v).filter(([rel, id]) => base[rel] !== id));
    const dropped = Object.keys(base).filter((rel) => !Object.hasOwn(v, rel));
    if (JSON.stringify(files).length + JSON.stringify(dropped).length >= JSON.stringify(v).length) continue;
    variants[i].files = files;
    variants[i].filesFrom = variants[i - 1].rev;
    if (dropped.length) variants[i].dropped = dropped;
  }
}

/** The paths whose content makes a variant: the shipped folders and the library modules' files. */
export const VARIANT_PATHS = [...SHIPPED_DIRS, ...new Set(LIB_MODULES.flatMap((m) => [m.file, m.boundIn]))];

/**
 * For each of `revs` in the mirror: the other commits a lock may pin (history.ts lockableCommits) whose VARIANT_PATHS are the same objects (trees and blobs, by hash) as at that revision. Their
 * shipped facts and module generators are then those of the revision, file for file.
 */
export function sameCommits(mirror: string, revs: string[]): Map<string, string[]> {
  const commits = lockableCommits(mirror);
  const all = [...commits];
  const wanted = revs.filter((r) => commits.has(r) || commitOf(mirror, r) === r);
  const names = [...all, ...wanted.filter((r) => !commits.has(r))];
  const lines = names.flatMap((c) => VARIANT_PATHS.map((p) => `${c}:${p}`));
  const objects = (git(mirror, ['cat-file', '--batch-check=%(objectname)'], lines.join('\n') + '\n') ?? '').split('\n');
  const signature = new Map<string, string>();
  names.forEach((c, i) => signature.set(c, objects.slice(i * VARIANT_PATHS.length, (i + 1) * VARIANT_PATHS.length).join(' ')));
  const out = new Map<string, string[]>();
  for (const rev of wanted) {
    const sig = signature.get(rev);
    if (sig === undefined || sig.includes('missing')) continue;
    out.set(
      rev,
      all.filter((c) => c !== rev && signature.get(c) === sig),
    );
  }
  return out;
}

/** A scratch folder for revisions extracted from a mirror. */
export function scratch(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'known-inputs-'));
}
