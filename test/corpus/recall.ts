// The recall gate's engine: mistakes seeded into copies of the real clans in ../shared/corpus
// (seeded.json), or of the clans gathered in ../clans (seeded-clans.json, with --clans), each
// checked by clan-vars-lint against the unseeded clan. A mistake is FOUND when
// the seeded copy has a new error or warning (one the unseeded copy does not have) with one of the
// seed's codes at exactly the seed's file and line.
// A correct edit must raise no new error or warning anywhere.
//
// Run alone to print the table: node --import tsx test/corpus/recall.ts [--clans] [--only ID,ID] [--jobs N] [--single]
// (--clans: the clans in ../clans and seeded-clans.json instead of ../shared/corpus and seeded.json;
// --single: one seed per checker run, no batches: exact, about twice as slow)
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
/** ../shared/corpus beside the project, or two levels up from a worktree under ../wt/ (the precision gate skips there). */
export const CORPUS = [path.resolve(REPO_ROOT, '..', 'shared', 'corpus'), path.resolve(REPO_ROOT, '..', '..', 'shared', 'corpus')].find((d) => fs.existsSync(d)) ?? path.resolve(REPO_ROOT, '..', 'shared', 'corpus');
export const SEEDS = path.join(__dirname, 'seeded.json');
/** ../clans beside the project (the clans gathered for issue 54, never tuned on), or two levels up from a worktree under ../wt/. */
export const CLANS = [path.resolve(REPO_ROOT, '..', 'clans'), path.resolve(REPO_ROOT, '..', '..', 'clans')].find((d) => fs.existsSync(d)) ?? path.resolve(REPO_ROOT, '..', 'clans');
export const CLAN_SEEDS = path.join(__dirname, 'seeded-clans.json');

export interface Edit {
  file: string;
  /** Occurs exactly once in the file. */
  find: string;
  replace: string;
}

export interface Seed {
  id: string;
  clan: string;
  kind: string;
  edits: Edit[];
  /** A mistake: where the checker must report it, with which code(s). Absent for a correct edit. */
  expect?: { file: string; line: number; codes: string[] };
  note: string;
}

interface Diagnostic {
  severity: string;
  file: string;
  line: number;
  code: string;
  message: string;
}

export interface Row {
  seed: Seed;
  found: boolean;
  /** For a mistake: the matching diagnostic, or what else appeared. For a correct edit: what appeared. */
  fresh: Diagnostic[];
  /** What the data itself gets wrong (a `find` not matching once, an expected line outside the edit). */
  invalid?: string;
}

export interface SeedFile {
  about: string;
  /** The revision of each clan the seeds were written against (seeded-clans.json). */
  clans?: Record<string, string>;
  seeds: Seed[];
}

export function readSeedFile(file = SEEDS): SeedFile {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as SeedFile;
}

export function readSeeds(file = SEEDS): Seed[] {
  return readSeedFile(file).seeds;
}

const occurrences = (text: string, find: string) => text.split(find).length - 1;

/** Applies a seed's edits to the copy; returns the original texts (to restore) or why it cannot. */
function apply(root: string, seed: Seed): { originals: Map<string, string> } | { invalid: string } {
  const originals = new Map<string, string>();
  const texts = new Map<string, string>();
  // where each replacement starts in its file's seeded text (a later edit before it moves it)
  const starts: { edit: Edit; at: number }[] = [];
  for (const e of seed.edits) {
    const full = path.join(root, e.file);
    if (!fs.existsSync(full)) return { invalid: `${e.file} does not exist` };
    const text = texts.get(e.file) ?? fs.readFileSync(full, 'utf8');
    if (!originals.has(e.file)) originals.set(e.file, text);
    const n = occurrences(text, e.find);
    if (n !== 1) return { invalid: `find occurs ${n} times in ${e.file}: ${JSON.stringify(e.find.slice(0, 60))}` };
    const at = text.indexOf(e.find);
    for (const s of starts) if (s.edit.file === e.file && s.at > at) s.at += e.replace.length - e.find.length;
    starts.push({ edit: e, at });
    texts.set(e.file, text.slice(0, at) + e.replace + text.slice(at + e.find.length));
  }
  if (seed.expect) {
    // the expected line must lie within a replaced text: the data says where the mistake is, not where some rule happens to point
    const x = seed.expect;
    const inside = starts.some(({ edit, at }) => {
      if (edit.file !== x.file) return false;
      const first = texts.get(edit.file)!.slice(0, at).split('\n').length;
      return x.line >= first && x.line <= first + edit.replace.split('\n').length - 1;
    });
    if (!inside) return { invalid: `expected line ${x.file}:${x.line} is not within the seed's replacement` };
  }
  for (const [file, text] of texts) fs.writeFileSync(path.join(root, file), text);
  return { originals };
}

/**
 * Where a diagnostic of the unseeded copy lands after the seed: lines after an edit move by the
 * lines it adds or removes, so a seed that adds a line does not make every later finding "new".
 */
function shiftedBaseline(baseline: Diagnostic[], originals: Map<string, string>, seed: Seed): Set<string> {
  const shifts: { file: string; after: number; by: number }[] = [];
  for (const e of seed.edits) {
    const text = originals.get(e.file)!;
    const at = text.indexOf(e.find);
    const line = text.slice(0, at).split('\n').length;
    const findLines = e.find.split('\n').length - 1;
    shifts.push({ file: e.file, after: line + findLines, by: e.replace.split('\n').length - 1 - findLines });
  }
  return new Set(baseline.map((d) => key({ ...d, line: d.line + shifts.filter((s) => s.file === d.file && d.line > s.after).reduce((n, s) => n + s.by, 0) })));
}

const key = (d: Diagnostic) => `${d.file}:${d.line}\t${d.code}\t${d.message}`;

/** clan-vars-lint over a folder, as a user runs it (no caches): its errors and warnings. */
function lint(root: string): Promise<Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'clan-vars-lint.js'), '--format', 'json', '--no-cache', root], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
    child.on('error', reject);
    child.on('close', (status) => {
      if ((status !== 0 && status !== 1) || !out.trim()) return reject(new Error(`clan-vars-lint failed on ${root} (exit ${status}): ${err}`));
      const { diagnostics } = JSON.parse(out) as { diagnostics: Diagnostic[] };
      resolve(diagnostics.filter((d) => d.severity === 'error' || d.severity === 'warning'));
    });
  });
}

/** Copies a clan without .git (symlinks as they are: the sops trees are links). */
function copyClan(corpus: string, clan: string, into: string): string {
  const root = path.join(into, clan);
  fs.cpSync(path.join(corpus, clan), root, { recursive: true, verbatimSymlinks: true, filter: (src) => path.basename(src) !== '.git' });
  return root;
}

export interface Result {
  rows: Row[];
  mistakes: number;
  found: number;
  seconds: number;
  runs: number;
}

/**
 * Mistakes of one clan in batches: seeds that edit different files are applied together and checked
 * in one run (each expects its finding in a file it edits, so a finding maps back to its seed). A
 * correct edit runs alone: anything new anywhere is its doing.
 */
function batches(seeds: Seed[], single: boolean): Seed[][] {
  const out: Seed[][] = [];
  for (const seed of seeds) {
    const files = new Set(seed.edits.map((e) => e.file));
    const fits = (b: Seed[]) => b[0].expect && b.every((o) => o.edits.every((e) => !files.has(e.file)));
    const batch = single || !seed.expect ? undefined : out.find(fits);
    if (batch) batch.push(seed);
    else out.push([seed]);
  }
  return out;
}

/**
 * Each clan is copied once; its seeds are applied, checked and reverted a batch at a time (a clan's
 * copy is used by one batch at a time, so `jobs` clans run side by side).
 */
export async function runRecall(options: { only?: Set<string>; jobs?: number; single?: boolean; corpus?: string; seeds?: string } = {}): Promise<Result> {
  const started = Date.now();
  const corpus = options.corpus ?? CORPUS;
  const seeds = readSeeds(options.seeds ?? SEEDS).filter((s) => !options.only || options.only.has(s.id));
  const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'clan-vars-recall-')));
  const rows = new Map<Seed, Row>();
  let runs = 0;
  const clans = [...new Set(seeds.map((s) => s.clan))].sort();
  try {
    const queue = [...clans];
    const worker = async () => {
      for (let clan = queue.shift(); clan; clan = queue.shift()) {
        const root = copyClan(corpus, clan, tmp);
        const baseline = await lint(root);
        runs++;
        for (const batch of batches(seeds.filter((s) => s.clan === clan), options.single ?? false)) {
          const applied: { seed: Seed; originals: Map<string, string> }[] = [];
          try {
            for (const seed of batch) {
              const a = apply(root, seed);
              if ('invalid' in a) rows.set(seed, { seed, found: false, fresh: [], invalid: a.invalid });
              else applied.push({ seed, originals: a.originals });
            }
            if (!applied.length) continue;
            const after = await lint(root);
            runs++;
            for (const { seed, originals } of applied) {
              // the baseline as this seed moved it; in a batch, only what appeared in this seed's files is its doing
              const before = shiftedBaseline(baseline, originals, seed);
              const fresh = after.filter((d) => !before.has(key(d)) && (batch.length === 1 || originals.has(d.file)));
              const x = seed.expect;
              const hit = x && fresh.find((d) => d.file === x.file && d.line === x.line && (x.codes.includes('*') || x.codes.includes(d.code)));
              rows.set(seed, { seed, found: !!hit, fresh: hit ? [hit] : fresh });
            }
          } finally {
            for (const { originals } of applied) for (const [file, text] of originals) fs.writeFileSync(path.join(root, file), text);
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, options.jobs ?? 2) }, worker));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const ordered = seeds.map((s) => rows.get(s)!);
  const mistakes = ordered.filter((r) => r.seed.expect);
  return { rows: ordered, mistakes: mistakes.length, found: mistakes.filter((r) => r.found).length, seconds: (Date.now() - started) / 1000, runs };
}

/** The table: one line per seed (id, kind, found / missed / clean / NOISY, what the checker said). */
export function table(result: Result): string {
  const lines = result.rows.map(({ seed, found, fresh, invalid }) => {
    const status = invalid ? 'INVALID' : seed.expect ? (found ? 'found' : 'missed') : fresh.length ? 'NOISY' : 'clean';
    const said = invalid ?? (fresh.length ? fresh.map((d) => `${d.severity} ${d.file}:${d.line} ${d.code}: ${d.message.slice(0, 140)}`).join(' | ') : seed.expect ? `nothing new (want ${seed.expect.codes.join('|')} at ${seed.expect.file}:${seed.expect.line})` : '');
    return `${seed.id.padEnd(34)} ${seed.kind.padEnd(24)} ${status.padEnd(7)} ${said}`;
  });
  const pct = result.mistakes ? ((100 * result.found) / result.mistakes).toFixed(1) : '-';
  lines.push(`recall: ${result.found}/${result.mistakes} mistakes found (${pct}%); correct edits: ${result.rows.filter((r) => !r.seed.expect).length}; ${result.runs} checker runs in ${result.seconds.toFixed(1)} s`);
  return lines.join('\n');
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const at = (flag: string) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
  const only = at('--only');
  const clans = args.includes('--clans');
  runRecall({
    only: only ? new Set(only.split(',')) : undefined,
    jobs: at('--jobs') ? Number(at('--jobs')) : undefined,
    single: args.includes('--single'),
    ...(clans ? { corpus: CLANS, seeds: CLAN_SEEDS } : {}),
  }).then(
    (r) => console.log(table(r)),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exitCode = 1;
    },
  );
}
