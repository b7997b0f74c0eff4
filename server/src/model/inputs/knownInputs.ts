// What the extension ships about well-known flake inputs (server/src/model/inputs/data/known-inputs.json,
// written by scripts/known-inputs.ts from the inputs' sources; docs/known-inputs.md): at which commits
// a flake declares no clan vars generators, and for clan-core the facts of its services' and modules'
// files per revision read. Everything is said of exact commits: an input is known only at a commit
// that was read. Data only: the file is parsed and checked against its digest, nothing in it is
// evaluated. A missing or damaged file leaves every input unknown ('unavailable'), never a throw.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileFacts } from '../../facts/types';
import { commitsHold, decodeCommits, type CommitSet } from './commitSet';
import type { LockedInput } from './lockIdentity';
import { unpackFacts } from './shippedFacts';

export type Knowledge =
  | { kind: 'empty'; flake: string; checked: string }
  | {
      kind: 'modules';
      flake: string;
      /** The revision whose facts these are. */
      rev: string;
      /** What was read, for the locked revision: `git.clan.lol/clan/clan-core at 090b766c7f31`. */
      checked: string;
      /** A virtual absolute directory the facts are rebased to, e.g. /clan-vars-known/clan-lol+clan-core@090b766c7f31. */
      root: string;
      /** Facts of root/<rel>, rebased to root; null: not a file of the shipped set. */
      read(file: string): FileFacts | null;
      /** 'nixosModules.installer' -> the generator names its modules declare; null: not known. */
      moduleGenerators(output: string): string[] | null;
    }
  | { kind: 'unavailable'; reason: string };

/** Stands for the flake's source directory in the shipped facts' paths. */
export const ROOT_TOKEN = '@ROOT@';
/** Where shipped facts are rebased: no real file is ever read below it. */
export const KNOWN_ROOT = '/clan-vars-known';
export const DATA_FORMAT = 2;

/** The file as written: the payload, and the sha256 of `JSON.stringify(payload)`. */
export interface KnownInputsFile {
  format: number;
  sha256: string;
  payload: KnownPayload;
}

export interface KnownPayload {
  about: string;
  flakes: Record<string, FlakeEntry>;
}

export interface Checked {
  rev: string;
  /** Commit date, YYYY-MM-DD. */
  date: string;
  /** Where and how it was read: "locked rev, from the git mirror", "files read one by one ...". */
  how: string;
  /** The NAR hash of the tree read (`sha256-<base64>`), what a lock without a revision names. */
  narHash?: string;
}

/** Commits of a flake's git history, each known to be as the entry says (declaring no generators; having a variant's files). */
export interface ReadHistory extends CommitSet {
  /** The git mirror read and its newest commit: `nix-community/srvos at e49ccb0d84ed (2026-08-20)`. */
  snapshot: string;
}

export type FlakeEntry =
  | { kind: 'empty'; aliases?: string[]; source: string; checked: Checked[]; history?: ReadHistory }
  | { kind: 'modules'; aliases?: string[]; source: string; variants: Variant[]; facts: Record<string, FileFacts> };

export interface Variant {
  rev: string;
  /** Commit time, seconds since the epoch (what a lock's `lastModified` holds for a git input). */
  lastModified: number;
  /** Where the source was read (e.g. shared/inputs/clan-lol+clan-core@090b766c7f31). */
  source: string;
  /**
   * Path relative to the flake root -> id of its facts in `facts`: all of them, or with `filesFrom`,
   * those that differ from that earlier variant's (variantFiles gives them all).
   */
  files: Record<string, string>;
  /** The rev of an earlier variant whose files these are, but for `files` and `dropped`. */
  filesFrom?: string;
  /** With `filesFrom`: that variant's files this one has not. */
  dropped?: string[];
  /** `nixosModules.<n>` / `darwinModules.<n>` -> generator names its modules declare. */
  moduleGenerators: Record<string, string[]>;
  /** The NAR hash of the revision's tree. */
  narHash?: string;
  /** Other commits whose every file the facts and module generators come from is the same as this revision's. */
  same?: ReadHistory;
}

const cache = new Map<string, Loaded>();
/** `modules`: the knowledge of each variant, made once (its facts are rebased on first read and kept). */
type Loaded = { ok: true; byKey: Map<string, { flake: string; entry: FlakeEntry }>; modules: Map<string, ModulesKnowledge>; histories: Map<ReadHistory, Buffer>; files: Map<Variant, Record<string, string>> } | { ok: false; reason: string };
type ModulesKnowledge = Extract<Knowledge, { kind: 'modules' }>;

export const DEFAULT_DATA_FILE = path.join(__dirname, 'data', 'known-inputs.json');

/** What is known about the flake an input is locked to; null: nothing (not a flake this data covers, or no key). */
export function knowledgeOf(input: LockedInput, dataFile = defaultDataFile()): Knowledge | null {
  const data = load(dataFile);
  if (!data.ok) return { kind: 'unavailable', reason: data.reason };
  const found = input.key ? data.byKey.get(input.key) : undefined;
  if (!found) return null;
  const { flake, entry } = found;
  const inHistory = (h: ReadHistory | undefined) => !!h && !!input.rev && commitsHold(data.histories.get(h)!, input.rev);
  // what was read at the locked revision only: a summary of another revision is a guess (a service
  // renamed its generators, a flake gained some), so the input then stays unknown
  if (entry.kind === 'empty') {
    const at = lockedRevision(entry.checked, input);
    if (at) return { kind: 'empty', flake, checked: `no clan vars generators in ${flake} at ${lockedName(input, at.rev)}, the locked revision (read${at.date ? ` ${at.date}` : ''})` };
    if (inHistory(entry.history)) return { kind: 'empty', flake, checked: `no clan vars generators in ${flake} at ${lockedName(input, '')}, the locked revision (a commit of its history read up to ${entry.history!.snapshot})` };
    return null;
  }
  const exact = lockedRevision(entry.variants, input);
  const variant = exact ?? entry.variants.find((v) => inHistory(v.same));
  if (!variant) return null;
  // one per variant: each rebuild of a clan's machine structure asks again, and reads the same facts
  const id = `${flake}@${variant.rev}`;
  let known = data.modules.get(id);
  if (!known) data.modules.set(id, (known = modulesKnowledge(flake, entry, variant, data.files.get(variant)!)));
  if (exact && input.rev) return known;
  if (exact) return { ...known, checked: `${flake} at ${lockedName(input, variant.rev)}` };
  return { ...known, checked: `${flake} at ${lockedName(input, '')} (its services and modules are those of ${variant.rev.slice(0, 12)}, file for file)` };
}

/** The locked revision as shown: the lock's rev, else the NAR hash that named what was read. */
function lockedName(input: Pick<LockedInput, 'rev' | 'narHash'>, readRev: string): string {
  return input.rev ? input.rev.slice(0, 12) : `${readRev.slice(0, 12)} (locked by its NAR hash ${input.narHash})`;
}

/**
 * The one read at the revision the lock names: by its rev (a full or abbreviated hash), or for a lock
 * without one, by the NAR hash of its tree; null when none was.
 */
export function lockedRevision<T extends { rev: string; narHash?: string }>(read: T[], input: { rev: string | null; narHash?: string | null }): T | null {
  const rev = input.rev?.toLowerCase();
  if (rev) return (rev.length >= 7 && read.find((v) => v.rev.toLowerCase().startsWith(rev))) || null;
  return (input.narHash && read.find((v) => v.narHash === input.narHash)) || null;
}

/** Every file of each variant (`filesFrom` resolved); null when a variant names no earlier one. */
export function variantFiles(variants: Variant[]): Map<Variant, Record<string, string>> | null {
  const out = new Map<Variant, Record<string, string>>();
  const byRev = new Map<string, Record<string, string>>();
  for (const v of variants) {
    let files: Record<string, string>;
    if (v.filesFrom === undefined) files = { ...v.files };
    else {
      const base = byRev.get(v.filesFrom);
      if (!base) return null;
      files = { ...base, ...v.files };
      for (const rel of v.dropped ?? []) delete files[rel];
    }
    byRev.set(v.rev, files);
    out.set(v, files);
  }
  return out;
}

function modulesKnowledge(flake: string, entry: Extract<FlakeEntry, { kind: 'modules' }>, variant: Variant, files: Record<string, string>): ModulesKnowledge {
  const root = `${KNOWN_ROOT}/${flake.replace(/[/:]/g, '+')}@${variant.rev.slice(0, 12)}`;
  const rebased = new Map<string, FileFacts | null>();
  return {
    kind: 'modules',
    flake,
    rev: variant.rev,
    checked: `${flake} at ${variant.rev.slice(0, 12)}`,
    root,
    read(file) {
      if (!file.startsWith(root + '/')) return null;
      const rel = file.slice(root.length + 1);
      if (!rebased.has(rel)) {
        const id = Object.hasOwn(files, rel) ? files[rel] : undefined;
        const facts = id !== undefined && Object.hasOwn(entry.facts, id) ? entry.facts[id] : undefined;
        rebased.set(rel, facts ? (unpackFacts(facts, ROOT_TOKEN, root) as FileFacts) : null);
      }
      return rebased.get(rel)!;
    },
    moduleGenerators: (output) => (Object.hasOwn(variant.moduleGenerators, output) ? [...variant.moduleGenerators[output]] : null),
  };
}

/** The digest the file carries: sha256 of the payload as JSON. */
export function payloadDigest(payload: unknown): string {
  return createHash('sha256').update(JSON.stringify(payload)).digest('hex');
}

/**
 * The digest of the payload as the file holds it, when the file is as writeKnownInputs writes it
 * (`{"format":…,"sha256":"…","payload":…}`): its text is then JSON.stringify(payload), and hashing
 * it as it is spares writing the payload out again (1.2 MB: 4 ms of every check's start, against 1
 * ms). A file laid out otherwise is checked by payloadDigest.
 */
export function writtenPayloadDigest(text: string): string | null {
  const start = text.indexOf(',"payload":');
  const end = text.trimEnd().length - 1;
  if (start < 0 || text[end] !== '}') return null;
  return createHash('sha256').update(text.slice(start + ',"payload":'.length, end)).digest('hex');
}

/** The data file next to the bundled server (dist/) or the sources (server/src/model/data). */
function defaultDataFile(): string {
  const bundled = path.join(__dirname, 'known-inputs.json');
  return fs.existsSync(bundled) ? bundled : DEFAULT_DATA_FILE;
}

function load(file: string): Loaded {
  let kept = cache.get(file);
  if (!kept) cache.set(file, (kept = read(file)));
  return kept;
}

/** Forgets loaded data files (tests replace them). */
export function clearKnownInputs(): void {
  cache.clear();
}

function read(file: string): Loaded {
  const fail = (why: string): Loaded => ({ ok: false, reason: `the shipped knowledge of flake inputs (${file}) ${why}` });
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return fail(`cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return fail(`is not valid JSON (${(e as Error).message})`);
  }
  const histories = new Map<ReadHistory, Buffer>();
  const files = new Map<Variant, Record<string, string>>();
  const shape = shapeError(data, histories, files);
  if (shape) return fail(`is damaged: ${shape}`);
  const d = data as KnownInputsFile;
  if (writtenPayloadDigest(text) !== d.sha256 && payloadDigest(d.payload) !== d.sha256) return fail('does not match its digest (edited or damaged); run scripts/known-inputs.ts to write it again');
  const byKey = new Map<string, { flake: string; entry: FlakeEntry }>();
  for (const [flake, entry] of Object.entries(d.payload.flakes)) {
    for (const key of [flake, ...(entry.aliases ?? [])]) byKey.set(key, { flake, entry });
  }
  return { ok: true, byKey, modules: new Map(), histories, files };
}

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';

/**
 * What is wrong with the file's shape, or null. Facts are checked as far as the model reads them;
 * each history's commits are decoded (and checked sorted) into `histories`, each variant's files
 * resolved into `files`.
 */
function shapeError(d: unknown, histories: Map<ReadHistory, Buffer>, files: Map<Variant, Record<string, string>>): string | null {
  const history = (h: unknown): boolean => {
    if (h === undefined) return true;
    const bytes = isObj(h) && isStr(h.snapshot) ? decodeCommits(h as unknown as CommitSet) : null;
    if (bytes) histories.set(h as unknown as ReadHistory, bytes);
    return !!bytes;
  };
  if (!isObj(d)) return 'not an object';
  if (d.format !== DATA_FORMAT) return `format ${JSON.stringify(d.format)}, expected ${DATA_FORMAT}`;
  if (!isStr(d.sha256) || !isObj(d.payload) || !isObj(d.payload.flakes)) return 'no sha256, payload or flakes';
  for (const [flake, e] of Object.entries(d.payload.flakes)) {
    const bad = (what: string) => `flake ${flake}: ${what}`;
    if (!isObj(e)) return bad('not an object');
    if (e.aliases !== undefined && !(Array.isArray(e.aliases) && e.aliases.every(isStr))) return bad('aliases');
    if (e.kind === 'empty') {
      if (!Array.isArray(e.checked) || !e.checked.every((c) => isObj(c) && isStr(c.rev) && isStr(c.date) && isStr(c.how) && (c.narHash === undefined || isStr(c.narHash)))) return bad('checked revisions');
      if (!history(e.history)) return bad('history');
      if (!e.checked.length && !e.history) return bad('nothing read');
      continue;
    }
    if (e.kind !== 'modules') return bad(`kind ${JSON.stringify(e.kind)}`);
    if (!Array.isArray(e.variants) || !e.variants.length || !isObj(e.facts)) return bad('variants or facts');
    const facts = e.facts;
    for (const [id, f] of Object.entries(facts)) {
      if (!isObj(f) || !isStr(f.file) || !Array.isArray(f.generators) || !Array.isArray(f.opaqueGeneratorSources)) return bad(`facts ${id}`);
      if (!f.generators.every((g) => isObj(g) && isObj(g.name) && Array.isArray(g.dependencies) && Array.isArray(g.files) && Array.isArray(g.prompts) && Array.isArray(g.options))) return bad(`generators of facts ${id}`);
      if (f.modules !== undefined && !(isObj(f.modules) && Array.isArray(f.modules.imports) && Array.isArray(f.modules.flakeModules) && Array.isArray(f.modules.services))) return bad(`modules of facts ${id}`);
    }
    for (const v of e.variants) {
      if (!isObj(v) || !isStr(v.rev) || typeof v.lastModified !== 'number' || !isObj(v.files) || !isObj(v.moduleGenerators)) return bad('a variant');
      if (!Object.values(v.files).every((id) => isStr(id) && Object.hasOwn(facts, id))) return bad(`variant ${v.rev}: a file without facts`);
      if (!Object.values(v.moduleGenerators).every((l) => Array.isArray(l) && l.every(isStr))) return bad(`variant ${v.rev}: module generators`);
      if ((v.narHash !== undefined && !isStr(v.narHash)) || !history(v.same)) return bad(`variant ${v.rev}: NAR hash or same commits`);
      if ((v.filesFrom !== undefined && !isStr(v.filesFrom)) || (v.dropped !== undefined && !(Array.isArray(v.dropped) && v.dropped.every(isStr)))) return bad(`variant ${v.rev}: files from`);
    }
    const all = variantFiles(e.variants as Variant[]);
    if (!all) return bad('a variant whose files come from no earlier one');
    for (const [v, f] of all) files.set(v, f);
  }
  return null;
}
