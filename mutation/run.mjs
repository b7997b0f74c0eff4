#!/usr/bin/env node
// `npm run mutation [folder...] [options]`: StrykerJS over the folders of mutation/folders.mjs, one
// after the other, then a table of scores. A surviving mutant listed in mutation/equivalent/<folder>.mjs
// (with its reason) counts as equivalent: not in the score, and named in the table's last column.
//   folder...               rules, secrets, migration, builtins, model, scan, facts, discovery, confinement (default: all)
//   --changed REV           only the lines changed since REV (git diff), in the folders that hold them
//   --only FILE             only this source file of the folder (repeatable)
//   --budget MINUTES        stop after this long in all (the folder then running is reported as stopped)
//   --incremental           reuse the results of the last run for code and tests that did not change
//   --strict                exit 1 when a mutant survives that is not listed as equivalent
//   --report                run nothing: the table again from the last reports (after an equivalent list changed;
//                           with --only, of those files alone)
// Reports: reports/mutation/<folder>.json (Stryker's), reports/mutation/summary.md (the table).
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EQUIVALENT } from './equivalent.mjs';
import { FOLDERS } from './folders.mjs';
import { enclosingFunction } from './where.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REPORTS = path.join(ROOT, 'reports', 'mutation');

function parseArgs(argv) {
  const o = { folders: [], changed: null, only: [], budget: null, incremental: false, strict: false, report: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--changed') o.changed = argv[++i];
    else if (a === '--budget') o.budget = Number(argv[++i]);
    else if (a === '--only') o.only.push(argv[++i]);
    else if (a === '--incremental') o.incremental = true;
    else if (a === '--strict') o.strict = true;
    else if (a === '--report') o.report = true;
    else if (FOLDERS[a]) o.folders.push(a);
    else {
      console.error(`unknown argument ${JSON.stringify(a)}; folders: ${Object.keys(FOLDERS).join(', ')}; options: --changed REV, --only FILE, --budget MINUTES, --incremental, --strict, --report`);
      process.exit(2);
    }
  }
  if (o.changed === undefined || (o.budget !== null && !(o.budget > 0))) {
    console.error('--changed needs a revision, --budget a number of minutes');
    process.exit(2);
  }
  if (!o.folders.length) o.folders = Object.keys(FOLDERS);
  return o;
}

/** Whether `file` (relative, with /) is matched by one of the folder's globs (`**` and `*` only). */
function inFolder(folder, file) {
  return folder.mutate.some((g) => {
    const re = g.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*\//g, '\u0000').replace(/\*/g, '[^/]*').replaceAll('\u0000', '(?:.*/)?');
    return new RegExp(`^${re}$`).test(file);
  });
}

/** Stryker `mutate` entries (`file:from-to`) for the lines of each file changed since `rev`. */
function changedRanges(rev) {
  const diff = execFileSync('git', ['diff', '--unified=0', '--no-color', '--no-ext-diff', rev, '--', 'server/src'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  const out = [];
  let file = null;
  for (const line of diff.split('\n')) {
    const f = /^\+\+\+ b\/(.*)$/.exec(line);
    if (f) file = f[1].endsWith('.ts') ? f[1] : null;
    else if (line.startsWith('+++ /dev/null')) file = null;
    const h = /^@@ -\S+ \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (h && file) {
      const start = Number(h[1]);
      const count = h[2] === undefined ? 1 : Number(h[2]);
      if (count > 0) out.push({ file, spec: `${file}:${start}-${start + count - 1}` });
    }
  }
  return out;
}

function runStryker(name, files, o, nixCache, deadline) {
  const env = { ...process.env, MUTATION_FOLDER: name, MUTATION_INCREMENTAL: o.incremental ? '1' : '0', CLAN_VARS_NIX_CACHE: nixCache };
  if (files) env.MUTATION_FILES = files.join('\n');
  const shared = path.resolve(ROOT, '..', 'shared');
  if (!env.CLAN_VARS_SHARED && fs.existsSync(shared)) env.CLAN_VARS_SHARED = shared;
  const stryker = path.join(ROOT, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [stryker, 'run', path.join('mutation', 'stryker.config.mjs')], { cwd: ROOT, env, stdio: 'inherit', detached: true });
    // Stryker runs in its own process group (so that the budget stops its test processes too):
    // an interrupt of this script is passed on
    const forward = () => {
      interrupted = true;
      process.kill(-child.pid, 'SIGTERM');
    };
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, forward);
    let stopped = false;
    const timer = deadline ? setTimeout(() => ((stopped = true), process.kill(-child.pid, 'SIGINT')), Math.max(0, deadline - Date.now())) : null;
    child.on('exit', (code) => {
      if (timer) clearTimeout(timer);
      for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.off(signal, forward);
      resolve({ code, stopped });
    });
  });
}

let interrupted = false;

const collapse = (s) => s.replace(/\s+/g, ' ').trim();

/** The text a mutant replaced, from the report's copy of the source (lines and columns from 1). */
function originalText(source, loc) {
  const lines = source.split('\n');
  const from = lines[loc.start.line - 1];
  if (loc.start.line === loc.end.line) return from.slice(loc.start.column - 1, loc.end.column - 1);
  return [from.slice(loc.start.column - 1), ...lines.slice(loc.start.line, loc.end.line - 1), lines[loc.end.line - 1].slice(0, loc.end.column - 1)].join('\n');
}

/** Entries that name no function, with the functions each matched in (to be named: see --report). */
const unplaced = new Map();

/** The equivalent entry a mutant matches: same file, mutator and texts, in the function the entry names. */
function equivalentReason(file, m, original, source) {
  const where = enclosingFunction(file, source, m.location.start.line, m.location.start.column);
  const e = EQUIVALENT.find(
    (x) =>
      x.file === file &&
      x.mutator === m.mutatorName &&
      collapse(x.replacement) === collapse(m.replacement ?? '') &&
      collapse(x.original) === collapse(original) &&
      (x.where === undefined || [x.where].flat().includes(where)),
  );
  if (e && e.where === undefined) (unplaced.get(e) ?? unplaced.set(e, new Set()).get(e)).add(where);
  return e?.reason ?? null;
}

/** Counts of one folder's report (of its files in `only`, when that is not empty), with the survivors not listed as equivalent. */
function summarize(report, only = []) {
  const s = { killed: 0, timeout: 0, survived: 0, noCoverage: 0, equivalent: 0, ignored: 0, errors: 0, open: [], usedEquivalents: new Set() };
  for (const [file, f] of Object.entries(report.files)) {
    const rel = path.relative(ROOT, path.resolve(ROOT, file)).split(path.sep).join('/');
    // an incremental run's report also holds the results it kept of the other files
    if (only.length && !only.includes(rel)) continue;
    for (const m of f.mutants) {
      if (m.status === 'Killed') s.killed++;
      // a listed equivalent cannot be detected: a timeout there is the machine's load
      else if (m.status === 'Timeout' && !equivalentReason(rel, m, originalText(f.source, m.location), f.source)) s.timeout++;
      else if (m.status === 'Timeout') s.equivalent++;
      else if (m.status === 'Ignored') s.ignored++;
      else if (m.status === 'CompileError' || m.status === 'RuntimeError') s.errors++;
      else if (m.status === 'Survived' || m.status === 'NoCoverage') {
        const original = originalText(f.source, m.location);
        const reason = equivalentReason(rel, m, original, f.source);
        if (reason) {
          s.equivalent++;
          s.usedEquivalents.add(reason);
        } else {
          if (m.status === 'Survived') s.survived++;
          else s.noCoverage++;
          s.open.push(`${rel}:${m.location.start.line}:${m.location.start.column} ${m.mutatorName} ${m.status === 'NoCoverage' ? '(no test reaches it) ' : ''}${JSON.stringify(collapse(original)).slice(0, 120)} -> ${JSON.stringify(collapse(m.replacement ?? '')).slice(0, 120)}`);
        }
      }
    }
  }
  const detected = s.killed + s.timeout;
  const valid = detected + s.survived + s.noCoverage;
  s.score = valid ? (100 * detected) / valid : 100;
  s.total = valid + s.equivalent + s.ignored + s.errors;
  return s;
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  fs.mkdirSync(REPORTS, { recursive: true });
  const nixCache = fs.mkdtempSync(path.join(os.tmpdir(), 'clan-vars-mutation-nix-'));
  const ranges = o.changed ? changedRanges(o.changed) : null;
  const rows = [];
  let failed = false;
  const deadline = o.budget ? Date.now() + o.budget * 60_000 : null;
  try {
    for (const name of o.folders) {
      const folder = FOLDERS[name];
      let files = ranges ? ranges.filter((r) => inFolder(folder, r.file)).map((r) => r.spec) : null;
      if (o.only.length) files = (files ?? o.only.filter((f) => inFolder(folder, f))).filter((f) => o.only.includes(f.split(':')[0]));
      if (files && !files.length) {
        console.log(`== mutation ${name}: ${o.changed ? `no line of it changed since ${o.changed}` : 'none of the --only files is in it'}`);
        continue;
      }
      const label = o.only.length && !o.changed ? `${name} (${files.length} of its files)` : name;
      console.log(`== mutation ${name}: ${folder.what}${files ? (o.changed ? ` (${files.length} changed ranges since ${o.changed})` : ` (${files.length} of its files)`) : ''}`);
      const started = Date.now();
      const report = path.join(REPORTS, `${name}.json`);
      if (o.report) {
        // Stryker's report, else its incremental file (the same schema) of the last run
        const last = [`${name}.json`, `${name}.incremental.json`].map((f) => path.join(REPORTS, f)).find((f) => fs.existsSync(f));
        if (!last) continue;
        const s = summarize(JSON.parse(fs.readFileSync(last, 'utf8')), o.only);
        rows.push({ name: label, minutes: null, stopped: false, s });
        if (s.open.length) console.log(`== mutation ${name}: ${s.open.length} mutants survive that are not listed as equivalent:\n${s.open.map((l) => `   ${l}`).join('\n')}`);
        if (o.strict && s.open.length) failed = true;
        continue;
      }
      if (deadline && Date.now() >= deadline) {
        console.log(`== mutation ${name}: not run, the budget of ${o.budget} min is spent`);
        rows.push({ name, minutes: 0, stopped: true, s: null });
        continue;
      }
      const { code, stopped } = await runStryker(name, files, o, nixCache, deadline);
      const minutes = (Date.now() - started) / 60_000;
      if (interrupted) {
        console.log(`== mutation ${name}: interrupted`);
        fs.rmSync(nixCache, { recursive: true, force: true });
        process.exit(130);
      }
      if (!fs.existsSync(report) || fs.statSync(report).mtimeMs < started) {
        console.log(`== mutation ${name}: ${stopped ? `stopped after the budget of ${o.budget} min` : `Stryker exited with ${code}`}, no report`);
        if (!stopped) failed = true;
        rows.push({ name: label, minutes, stopped, s: null });
        continue;
      }
      const s = summarize(JSON.parse(fs.readFileSync(report, 'utf8')), files ? o.only : []);
      rows.push({ name: label, minutes, stopped, s });
      if (s.open.length) console.log(`== mutation ${name}: ${s.open.length} mutants survive that are not listed as equivalent:\n${s.open.map((l) => `   ${l}`).join('\n')}`);
      if (o.strict && s.open.length) failed = true;
    }
  } finally {
    fs.rmSync(nixCache, { recursive: true, force: true });
  }
  const table = [
    '| folder | mutants | killed | timed out | survived | no test reaches | equivalent | score | minutes |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(({ name, minutes, stopped, s }) =>
      s
        ? `| ${name} | ${s.total} | ${s.killed} | ${s.timeout} | ${s.survived} | ${s.noCoverage} | ${s.equivalent} | ${s.score.toFixed(1)}% | ${minutes === null ? '' : minutes.toFixed(0)} |`
        : `| ${name} | | | | | | | ${stopped ? 'stopped' : 'failed'} | ${minutes.toFixed(0)} |`,
    ),
  ].join('\n');
  fs.writeFileSync(path.join(REPORTS, 'summary.md'), `${table}\n`);
  if (unplaced.size) {
    console.log(`\n== ${unplaced.size} equivalent entries name no function (their 6th argument, where): each matched in`);
    for (const [e, where] of unplaced) console.log(`   ${e.file} ${e.mutator} ${JSON.stringify(collapse(e.original)).slice(0, 80)}: ${[...where].map((w) => `'${w}'`).join(', ')}`);
  }
  console.log(`\n== mutation scores${o.changed ? ` (lines changed since ${o.changed})` : ''}\n${table}`);
  process.exit(failed ? 1 : 0);
}

main();
