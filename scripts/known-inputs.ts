// Writes server/src/inputs/data/known-inputs.json: what the extension knows about well-known flake
// inputs without having them on disk. Facts come from the inputs' sources, read with our own
// extractor (extractFile, as workspace/externalModules.ts reads an input in the store):
//   - clan-core: the facts of every file of clanServices/ (tests/ left out), nixosModules/ and
//     darwinModules/ at each revision given, rebased to a root token, slimmed to what the machine
//     model reads, stored once per distinct content; plus which generators each
//     nixosModules.<n> / darwinModules.<n> output declares;
//   - other flakes: "declares no clan vars generators" at the revisions the corpus clans lock (read
//     from bare git mirrors), or no entry at all when a declaration was found or nothing could be read.
// Run: node --import tsx scripts/known-inputs.ts [--shared DIR] [--mirrors DIR] [--out FILE]
// (defaults: ../shared beside the repository, /work/.mirror). Re-running refreshes the file.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { extractFile } from '../server/src/facts/file';
import { inputKey } from '../server/src/inputs/lockIdentity';
import { DATA_FORMAT, payloadDigest, rebase, ROOT_TOKEN, type Checked, type FlakeEntry, type KnownInputsFile, type Variant } from '../server/src/inputs/knownInputs';
import type { FileFacts, Generator, ModuleFacts } from '../server/src/facts/types';
import { NixParser } from '../server/src/syntax/nixParser';

const repoRoot = path.resolve(__dirname, '..');
export const CLAN_CORE = 'git.clan.lol/clan/clan-core';
const MAX_FILE_BYTES = 2_000_000;

/** Other names the same flake is locked under (moved repositories, mirrors). */
const ALIASES: Record<string, string[]> = {
  [CLAN_CORE]: ['github:clan-lol/clan-core'],
  'github:nix-darwin/nix-darwin': ['github:lnl7/nix-darwin'],
  'github:microvm-nix/microvm.nix': ['github:astro/microvm.nix'],
  'github:nix-community/stylix': ['github:danth/stylix'],
  'github:nixos/nixos-hardware': [],
};

/**
 * Flakes the issue names as commonly imported, read at their mirror's newest commit when no corpus
 * clan locks them. nixpkgs is not among them: its snapshot is too large to read here.
 */
const COMMON = [
  'github:nix-community/home-manager', 'github:nix-community/disko', 'github:nix-community/srvos', 'github:nixos/nixos-hardware',
  'github:determinatesystems/determinate', 'github:microvm-nix/microvm.nix', 'github:mic92/sops-nix', 'github:ryantm/agenix',
  'github:nix-community/nix-index-database', 'github:nix-community/stylix', 'github:nix-community/nixvim',
  'github:nix-community/impermanence', 'github:nix-community/lanzaboote', 'github:nix-darwin/nix-darwin', 'github:hercules-ci/flake-parts',
];

// ---------------------------------------------------------------------------------------------
// clan-core

/** Whether a path (relative to clan-core's root) is one of the files whose facts are shipped. */
export function shippedClanCoreFile(rel: string): boolean {
  const parts = rel.split('/');
  if (!rel.endsWith('.nix')) return false;
  if (parts[0] === 'clanServices') return !parts.includes('tests');
  return parts[0] === 'nixosModules' || parts[0] === 'darwinModules';
}

/** The facts of clan-core's shipped files in `dir` (a checkout), by path relative to it, rebased to ROOT_TOKEN and slimmed. */
export function clanCoreFacts(dir: string, parser: NixParser): Map<string, FileFacts> {
  const out = new Map<string, FileFacts>();
  for (const rel of walk(dir).filter(shippedClanCoreFile).sort()) {
    const file = path.join(dir, rel);
    const stat = fs.statSync(file);
    if (stat.size > MAX_FILE_BYTES) continue;
    const text = fs.readFileSync(file, 'utf8');
    const tree = parser.parse(text);
    try {
      out.set(rel, rebase(slim(extractFile(file, tree, { registry: false, matrix: false }, text, parser)), dir, ROOT_TOKEN) as FileFacts);
    } finally {
      tree.delete();
    }
  }
  return out;
}

function walk(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...walk(dir, r));
    else if (e.isFile()) out.push(r);
  }
  return out;
}

/**
 * Only what the machine model and the module graph read of an input's file: generators (names,
 * share, dependencies, files, prompts, options, how they were known), the module structure
 * (imports, flake modules, clan services and roles) and generator sets that cannot be enumerated.
 * Scripts, accesses, legacy secrets and edit positions stay out.
 */
export function slim(f: FileFacts): FileFacts {
  const out: FileFacts = { file: f.file, generators: f.generators.map(slimGenerator), opaqueGeneratorSources: f.opaqueGeneratorSources, importApplies: [], accesses: [] };
  if (f.hasSyntaxErrors) out.hasSyntaxErrors = true;
  if (f.modules) {
    const m: ModuleFacts = { imports: f.modules.imports, flakeModules: f.modules.flakeModules, machineModules: [], instances: [], services: f.modules.services };
    if (f.modules.isClanService) m.isClanService = true;
    if (f.modules.serviceRoles?.length) m.serviceRoles = f.modules.serviceRoles;
    out.modules = m;
  }
  return out;
}

function slimGenerator(g: Generator): Generator {
  const out: Generator = {
    name: g.name,
    file: g.file,
    origin: g.origin,
    share: g.share,
    dependencies: g.dependencies,
    files: g.files.map((v) => (v.deploy === undefined ? { name: v.name, range: v.range } : { name: v.name, range: v.range, deploy: v.deploy })),
    prompts: g.prompts,
    options: g.options.map(({ removal: _r, elements: _e, ...o }) => o),
  };
  if (g.aliases?.length) out.aliases = g.aliases;
  if (g.evaluated) out.evaluated = true;
  if (g.filesUnknown) out.filesUnknown = true;
  return out;
}

/** Content address of a file's facts. */
export function factsId(f: FileFacts): string {
  return createHash('sha256').update(JSON.stringify(f)).digest('hex').slice(0, 16);
}

/**
 * `nixosModules.<n>` / `darwinModules.<n>` -> the generator names their modules declare, read from
 * the flake modules' definitions (`flake.nixosModules.x = ./file`, `.imports = [ ... ]`) and the
 * imports of the files they reach. Inputs of clan-core (sops-nix, disko, data-mesher) are not
 * followed: they are other flakes. A definition bound through a `let` (clanCore) is not seen by the
 * extractor: MODULE_ROOTS names its files, checked by hand against nixosModules/flake-module.nix.
 */
export function moduleGenerators(facts: Map<string, FileFacts>): Record<string, string[]> {
  const byFile = new Map([...facts].map(([rel, f]) => [rel, f]));
  const relOf = (p: string) => (p.startsWith(ROOT_TOKEN + '/') ? p.slice(ROOT_TOKEN.length + 1) : null);
  const defs = new Map<string, { files: string[]; refs: { path?: string; flakeModule?: { cls: string; name: string } }[] }>();
  for (const [rel, f] of facts) {
    if (!rel.endsWith('flake-module.nix')) continue;
    for (const d of f.modules?.flakeModules ?? []) {
      if (d.cls !== 'nixos' && d.cls !== 'darwin') continue;
      const key = `${d.cls}Modules.${d.name}`;
      const def = defs.get(key) ?? defs.set(key, { files: [], refs: [] }).get(key)!;
      if (d.target) def.refs.push({ path: d.target });
      def.refs.push(...d.imports);
    }
  }
  for (const [key, { roots }] of Object.entries(MODULE_ROOTS)) {
    if (!defs.has(key) || defs.get(key)!.refs.length === 0) defs.set(key, { files: [], refs: roots.map((r) => ({ path: `${ROOT_TOKEN}/${r}` })) });
  }
  const fileOf = (p: string): string | null => {
    const rel = relOf(p);
    if (rel === null) return null;
    return byFile.has(rel) ? rel : byFile.has(`${rel}/default.nix`) ? `${rel}/default.nix` : null;
  };
  const out: Record<string, string[]> = {};
  for (const key of [...defs.keys()].sort()) {
    const names = new Set<string>();
    // files imported only on NixOS (`lib.optionals (_class == "nixos") [...]`) are left out of a darwin output
    const seen = new Set<string>(MODULE_ROOTS[key]?.skip.map((s) => fileOf(`${ROOT_TOKEN}/${s}`) ?? s) ?? []);
    const queue = [...defs.get(key)!.refs];
    while (queue.length) {
      const ref = queue.pop()!;
      if (ref.flakeModule) {
        const other = defs.get(`${ref.flakeModule.cls}Modules.${ref.flakeModule.name}`);
        if (other && !seen.has(`#${ref.flakeModule.cls}.${ref.flakeModule.name}`)) seen.add(`#${ref.flakeModule.cls}.${ref.flakeModule.name}`), queue.push(...other.refs);
        continue;
      }
      const rel = ref.path ? fileOf(ref.path) : null;
      if (!rel || seen.has(rel)) continue;
      seen.add(rel);
      const f = byFile.get(rel)!;
      for (const g of f.generators) names.add(g.name.name ?? g.name.pattern ?? '*');
      queue.push(...(f.modules?.imports ?? []));
    }
    out[key] = [...names].sort();
  }
  return out;
}

/**
 * Outputs defined through a `let` binding in nixosModules/flake-module.nix, checked by hand at the
 * five revisions: `clanCore` imports ./clanCore (and, on darwin, ../darwinModules/hosts.nix);
 * nixosModules/clanCore/default.nix imports these folders and files only when `_class == "nixos"`.
 */
const NIXOS_ONLY = ['image', 'nixos-facter.nix', 'postgresql', 'machine-id', 'state-version', 'wayland-proxy-virtwl.nix', 'zerotier', 'zfs.nix'].map((p) => `nixosModules/clanCore/${p}`);
const MODULE_ROOTS: Record<string, { roots: string[]; skip: string[] }> = {
  'nixosModules.clanCore': { roots: ['nixosModules/clanCore'], skip: [] },
  'darwinModules.clanCore': { roots: ['nixosModules/clanCore', 'darwinModules/hosts.nix'], skip: NIXOS_ONLY },
};

/**
 * Modules clan-core's machines import from its library rather than from a module output
 * (`clan-core.clanLib.test.minifyModule` in checks/installation): the output, the file it is, and
 * the binding that makes it so, checked by hand at the five revisions (lib/default.nix binds
 * `test = import ./test`; lib/test/default.nix binds `minifyModule = ./minify.nix`). The binding is
 * checked again at every revision read: where it is not found, the output is not listed (not known).
 */
const LIB_MODULES: { output: string; file: string; boundIn: string; binding: RegExp }[] = [
  { output: 'clanLib.test.minifyModule', file: 'lib/test/minify.nix', boundIn: 'lib/test/default.nix', binding: /^\s*minifyModule\s*=\s*\.\/minify\.nix\s*;/m },
];

/**
 * The generator names of LIB_MODULES in the checkout `dir`, read with our extractor: a module
 * that imports others or sets generators the syntax cannot list is left out (not known).
 */
export function libModuleGenerators(dir: string, parser: NixParser): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const m of LIB_MODULES) {
    const read = (rel: string) => {
      try {
        return fs.readFileSync(path.join(dir, rel), 'utf8');
      } catch {
        return null;
      }
    };
    const bound = read(m.boundIn);
    const text = read(m.file);
    if (bound === null || text === null || !m.binding.test(bound)) continue;
    const tree = parser.parse(text);
    try {
      const f = extractFile(path.join(dir, m.file), tree, { registry: false, matrix: false }, text, parser);
      if (f.hasSyntaxErrors || f.opaqueGeneratorSources.length || f.modules?.imports.length) continue;
      out[m.output] = [...new Set(f.generators.map((g) => g.name.name ?? g.name.pattern ?? '*'))].sort();
    } finally {
      tree.delete();
    }
  }
  return out;
}

/** What a clan-core variant ships as its module outputs' generators: module outputs, then library modules. */
export function outputGenerators(dir: string, facts: Map<string, FileFacts>, parser: NixParser): Record<string, string[]> {
  return { ...moduleGenerators(facts), ...libModuleGenerators(dir, parser) };
}

export interface ClanCoreSource {
  dir: string;
  rev: string;
  lastModified: number;
  /** Where it was read, relative to the shared folder (e.g. inputs/clan-lol+clan-core@090b766c7f31). */
  source: string;
}

/** The clan-core checkouts in the shared folder: inputs/clan-lol+clan-core@<rev12> (revisions from its README) and corpus/clan-lol+clan-core. */
export function clanCoreSources(shared: string, mirror: string | null): ClanCoreSource[] {
  const readme = fs.readFileSync(path.join(shared, 'inputs', 'README.md'), 'utf8');
  const out: ClanCoreSource[] = [];
  for (const m of readme.matchAll(/^\|\s*(clan-lol\+clan-core@[0-9a-f]{12})\s*\|\s*([0-9a-f]{40})\s*\|\s*(\d{4}-\d\d-\d\d)\s*\|/gm)) {
    out.push({ dir: path.join(shared, 'inputs', m[1]), rev: m[2], lastModified: commitTime(mirror, m[2]) ?? Date.parse(m[3]) / 1000, source: `inputs/${m[1]}` });
  }
  // the corpus's own clan-core: its revision is named in the same README ("clan-core at d7c35d9")
  const own = /corpus\/clan-lol\+clan-core` itself is clan-core at ([0-9a-f]{7,40}) \((\d{4}-\d\d-\d\d)\)/.exec(readme);
  const dir = path.join(shared, 'corpus', 'clan-lol+clan-core');
  if (own && fs.existsSync(dir)) {
    const rev = (mirror && git(mirror, ['rev-parse', `${own[1]}^{commit}`])?.trim()) || own[1];
    out.push({ dir, rev, lastModified: commitTime(mirror, rev) ?? Date.parse(own[2]) / 1000, source: 'corpus/clan-lol+clan-core' });
  }
  return out;
}

/** The clan-core entry: one variant per source, facts stored once per distinct content. */
export function clanCoreEntry(sources: ClanCoreSource[], parser: NixParser): Extract<FlakeEntry, { kind: 'modules' }> {
  const facts: Record<string, FileFacts> = {};
  const variants: Variant[] = [];
  for (const s of [...sources].sort((a, b) => a.lastModified - b.lastModified)) {
    const byRel = clanCoreFacts(s.dir, parser);
    const files: Record<string, string> = {};
    for (const [rel, f] of byRel) {
      const id = factsId(f);
      facts[id] = f;
      files[rel] = id;
    }
    variants.push({ rev: s.rev, lastModified: s.lastModified, source: s.source, files, moduleGenerators: outputGenerators(s.dir, byRel, parser) });
  }
  return { kind: 'modules', aliases: ALIASES[CLAN_CORE], source: 'clan-core checkouts at the revisions the corpus clans lock (shared/inputs) and the corpus copy of clan-core', variants, facts };
}

// ---------------------------------------------------------------------------------------------
// other flakes, from bare git mirrors

function git(gitDir: string, args: string[], maxBuffer = 256 * 1024 * 1024): string | null {
  try {
    return execFileSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8', maxBuffer, stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return null;
  }
}

function commitTime(gitDir: string | null, rev: string): number | null {
  const t = gitDir ? git(gitDir, ['show', '-s', '--format=%ct', `${rev}^{commit}`]) : null;
  return t && /^\d+\s*$/.test(t) ? Number(t) : null;
}

/** The bare git directory of a mirror folder (`<owner>+<repo>/repo` or the folder itself). */
function mirrorGitDir(mirrors: string, key: string): string | null {
  const m = /^github:([^/]+)\/(.+)$/.exec(key);
  if (!m || !fs.existsSync(mirrors)) return null;
  const want = `${m[1]}+${m[2]}`.toLowerCase();
  const folder = fs.readdirSync(mirrors).find((n) => n.toLowerCase() === want);
  if (!folder) return null;
  for (const d of [path.join(mirrors, folder, 'repo'), path.join(mirrors, folder)]) if (git(d, ['rev-parse', '--git-dir']) !== null) return d;
  return null;
}

/** Whether some .nix file of the flake at `rev` declares clan vars generators, by our extractor; null: unreadable. */
export function gitRevDeclares(gitDir: string, rev: string, parser: NixParser): { declares: boolean; files: string[] } | null {
  if (git(gitDir, ['cat-file', '-e', `${rev}^{commit}`]) === null) return null;
  // a cheap prefilter: a file that never writes the word cannot declare generators
  const listed = git(gitDir, ['grep', '-l', '-w', '-I', 'generators', rev, '--', '*.nix']);
  const candidates = (listed ?? '').split('\n').filter(Boolean).map((l) => l.slice(rev.length + 1));
  const declaring: string[] = [];
  for (const rel of candidates) {
    const text = git(gitDir, ['show', `${rev}:${rel}`]);
    if (text === null || text.length > MAX_FILE_BYTES) return null;
    const tree = parser.parse(text);
    try {
      const f = extractFile(`/flake/${rel}`, tree, { registry: false, matrix: false }, text, parser);
      if (f.generators.length > 0 || f.opaqueGeneratorSources.length > 0) declaring.push(rel);
    } finally {
      tree.delete();
    }
  }
  return { declares: declaring.length > 0, files: declaring };
}

interface Lock {
  key: string;
  rev: string;
  lastModified: number;
}

/** Every node locked by a corpus clan's flake.lock, by key. */
export function corpusLocks(corpus: string): Map<string, Lock[]> {
  const out = new Map<string, Lock[]>();
  for (const clan of fs.existsSync(corpus) ? fs.readdirSync(corpus).sort() : []) {
    const file = path.join(corpus, clan, 'flake.lock');
    if (!fs.existsSync(file)) continue;
    const lock = JSON.parse(fs.readFileSync(file, 'utf8')) as { nodes: Record<string, { locked?: Record<string, unknown> }> };
    for (const node of Object.values(lock.nodes)) {
      const locked = node.locked;
      const key = locked && inputKey(locked);
      if (!key || typeof locked.rev !== 'string' || typeof locked.lastModified !== 'number') continue;
      const list = out.get(key) ?? out.set(key, []).get(key)!;
      if (!list.some((l) => l.rev === locked.rev)) list.push({ key, rev: locked.rev, lastModified: locked.lastModified as number });
    }
  }
  return out;
}

/** The revisions of a flake to read: each locked one, or the newest mirror commit before it; with no lock, the newest commit. */
function revisionsToRead(gitDir: string, locks: Lock[]): { rev: string; how: string }[] {
  if (!locks.length) {
    const head = git(gitDir, ['log', '-1', '--all', '--format=%H'])?.trim();
    return head ? [{ rev: head, how: 'newest commit of the mirror (no corpus clan locks it)' }] : [];
  }
  const out: { rev: string; how: string }[] = [];
  for (const l of locks) {
    if (out.some((o) => o.rev === l.rev)) continue;
    if (git(gitDir, ['cat-file', '-e', `${l.rev}^{commit}`]) !== null) {
      out.push({ rev: l.rev, how: 'locked rev' });
      continue;
    }
    const before = git(gitDir, ['log', '-1', '--all', `--before=${l.lastModified}`, '--format=%H'])?.trim();
    if (before && !out.some((o) => o.rev === before)) out.push({ rev: before, how: `nearest earlier commit (locked ${l.rev.slice(0, 12)} is not in the mirror)` });
  }
  return out;
}

/** Keys to cover: every flake a corpus clan locks that has a mirror, and the common ones. */
export function emptyEntries(mirrors: string, locks: Map<string, Lock[]>, parser: NixParser, log: (s: string) => void): Record<string, FlakeEntry> {
  const keys = new Set([...COMMON, ...[...locks.keys()].filter((k) => k.startsWith('github:'))]);
  // an alias is read under its main key
  const mainOf = new Map(Object.entries(ALIASES).flatMap(([main, as]) => as.map((a) => [a, main] as const)));
  const out: Record<string, FlakeEntry> = {};
  for (const key of [...keys].map((k) => mainOf.get(k) ?? k).filter((k, i, a) => a.indexOf(k) === i).sort()) {
    if (key === CLAN_CORE || key === 'github:clan-lol/clan-core') continue;
    const gitDir = mirrorGitDir(mirrors, key);
    if (!gitDir) {
      if (COMMON.includes(key) || locks.has(key)) log(`${key}: no mirror, not known`);
      continue;
    }
    const lockList = [key, ...(ALIASES[key] ?? [])].flatMap((k) => locks.get(k) ?? []);
    const checked: Checked[] = [];
    let declares = false;
    for (const { rev, how } of revisionsToRead(gitDir, lockList)) {
      const r = gitRevDeclares(gitDir, rev, parser);
      if (!r) continue;
      if (r.declares) {
        log(`${key}@${rev.slice(0, 12)}: declares generators in ${r.files.join(', ')}; no entry`);
        declares = true;
        break;
      }
      const date = git(gitDir, ['show', '-s', '--format=%cs', rev])?.trim() ?? '';
      checked.push({ rev, date, how });
    }
    if (declares || !checked.length) continue;
    const entry: FlakeEntry = { kind: 'empty', source: `git mirror of ${key.slice('github:'.length)}`, checked };
    if (ALIASES[key]?.length) entry.aliases = ALIASES[key];
    out[key] = entry;
    log(`${key}: empty at ${checked.map((c) => `${c.rev.slice(0, 12)} (${c.date}, ${c.how})`).join('; ')}`);
  }
  return out;
}

/**
 * Flakes with no mirror here whose imported modules were read one file at a time through a code
 * search index (public file versions, not the locked tree): what was read and at which commits.
 * Only the modules corpus machines import are listed; each declares no clan vars generator.
 */
const READ_BY_FILE: Record<string, { files: string[]; checked: Checked[] }> = {
  'github:krebs/kartei': {
    files: ['flake.nix', 'modules/ca/default.nix', 'modules/retiolum/common.nix', 'modules/retiolum/nixos.nix', 'modules/retiolum/darwin.nix'],
    checked: [{ rev: '3f7c57c301e28eb577c39ee40eab4b28e890f8e0', date: '', how: 'files of the imported modules (ca, retiolum) read one by one from a code search index; the locked 7f2b5c5d0ee9 tree was not available' }],
  },
};

export function readByFileEntries(): Record<string, FlakeEntry> {
  return Object.fromEntries(Object.entries(READ_BY_FILE).map(([key, r]) => [key, { kind: 'empty', source: `code search index: ${r.files.join(', ')}`, checked: r.checked } satisfies FlakeEntry]));
}

export function writeKnownInputs(out: string, flakes: Record<string, FlakeEntry>): KnownInputsFile {
  const payload = {
    about: 'Written by scripts/known-inputs.ts from the inputs\' sources (each entry says where and at which revisions); do not edit: the loader checks sha256 over JSON.stringify(payload).',
    flakes,
  };
  const file: KnownInputsFile = { format: DATA_FORMAT, sha256: payloadDigest(payload), payload };
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(file) + '\n');
  return file;
}

async function main(): Promise<void> {
  const arg = (name: string, dflt: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 && process.argv[i + 1] ? path.resolve(process.argv[i + 1]) : dflt;
  };
  const shared = arg('--shared', path.resolve(repoRoot, '..', 'shared'));
  const mirrors = arg('--mirrors', '/work/.mirror');
  const out = arg('--out', path.join(repoRoot, 'server', 'src', 'inputs', 'data', 'known-inputs.json'));
  const parser = await NixParser.load();
  const log = (s: string) => process.stderr.write(s + '\n');
  const clanCoreMirror = mirrorGitDir(mirrors, 'github:clan-lol/clan-core');
  const sources = clanCoreSources(shared, clanCoreMirror);
  for (const s of sources) log(`clan-core ${s.rev.slice(0, 12)} (${new Date(s.lastModified * 1000).toISOString().slice(0, 10)}) from ${s.source}`);
  const flakes: Record<string, FlakeEntry> = { [CLAN_CORE]: clanCoreEntry(sources, parser) };
  Object.assign(flakes, readByFileEntries(), emptyEntries(mirrors, corpusLocks(path.join(shared, 'corpus')), parser, log));
  const file = writeKnownInputs(out, flakes);
  const size = fs.statSync(out).size;
  log(`wrote ${path.relative(process.cwd(), out)}: ${Object.keys(file.payload.flakes).length} flakes, ${size} bytes, sha256 ${file.sha256.slice(0, 12)}`);
}

if (require.main === module) {
  main().catch((e) => {
    process.stderr.write(`known-inputs: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  });
}
