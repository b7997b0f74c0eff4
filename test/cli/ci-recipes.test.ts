// The recipes of docs/ci.md and the pre-commit hook of .pre-commit-hooks.yaml, run as their
// platforms run them, on a copy of the example clan (which has errors) with the checker of the
// package `npm pack` makes (what the recipes install) on PATH:
// - the package holds the bundles, the bin scripts and the docs --explain reads, and runs without
//   node_modules (the bundles need none);
// - GitHub Actions: each `run:` under bash -eo pipefail; the check fails the job with annotations,
//   the SARIF step passes and writes the file upload-sarif reads, valid against the schema;
// - GitLab CI: the script's lines in one shell with -eo pipefail; the report named in
//   artifacts:reports:codequality is written, then the job fails on the errors, and the artifact is
//   kept when it fails;
// - pre-commit: the hook's entry, for .nix files, fails the commit on errors and passes a clean clan.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { parse } from 'yaml';
import { sarifSchemaErrors } from '../helpers/sarifSchema';
import { EXAMPLE_CLAN, REPO_ROOT, removeTree, writeTree } from '../helpers/tempClan';

const CI_DOC = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'ci.md'), 'utf8');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'clan-vars-ci-recipes-'));
after(() => removeTree(scratch));

/** The package's file name, and a PATH whose clan-vars-lint is the unpacked package's. */
let packed = '';
let env: NodeJS.ProcessEnv = {};

before(() => {
  const r = spawnSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', scratch], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  packed = (JSON.parse(r.stdout) as { filename: string }[])[0].filename;
  fs.mkdirSync(path.join(scratch, 'unpacked'));
  assert.equal(spawnSync('tar', ['-xzf', path.join(scratch, packed), '-C', path.join(scratch, 'unpacked')]).status, 0);
  const bin = path.join(scratch, 'bin');
  fs.mkdirSync(bin);
  const lint = path.join(scratch, 'unpacked', 'package', 'bin', 'clan-vars-lint.js');
  fs.writeFileSync(path.join(bin, 'clan-vars-lint'), `#!/bin/sh\nexec '${process.execPath}' '${lint}' "$@"\n`, { mode: 0o755 });
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !['NO_COLOR', 'FORCE_COLOR', 'NODE_OPTIONS'].includes(k)));
  env = { ...clean, PATH: `${bin}${path.delimiter}${process.env.PATH}`, CLAN_VARS_CACHE_DIR: path.join(scratch, 'cache') };
});

/** A repository to run a recipe in: a copy of the example clan, with errors. */
function repository(name: string): string {
  const dir = path.join(scratch, name);
  fs.cpSync(EXAMPLE_CLAN, dir, { recursive: true });
  return dir;
}

/** The ```yaml blocks of docs/ci.md, parsed. */
function yamlBlocks(): unknown[] {
  return [...CI_DOC.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((m) => parse(m[1]));
}

function bash(script: string, cwd: string) {
  const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], { cwd, env, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('ci recipes: the package npm pack makes holds the checker, runs without node_modules, and is the one the recipes install', () => {
  const root = path.join(scratch, 'unpacked', 'package');
  for (const f of ['bin/clan-vars-lint.js', 'dist/cli.js', 'dist/checker.js', 'dist/checker.js.cache', 'dist/scanWorker.js', 'dist/tree-sitter.wasm', 'dist/tree-sitter-nix.wasm', 'dist/known-inputs.json', 'docs/diagnostics.md']) assert.ok(fs.existsSync(path.join(root, f)), `${f} is packed`);
  assert.deepEqual(fs.readdirSync(root).filter((f) => ['node_modules', 'server', 'test', 'client', 'scripts'].includes(f)), []);
  const r = spawnSync('clan-vars-lint', ['--format', 'compact', '--no-cache', EXAMPLE_CLAN], { env, encoding: 'utf8' });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /^3 errors, 0 warnings /m);
  // the docs are in it: --explain reads them
  assert.match(spawnSync('clan-vars-lint', ['--explain', 'unknown-dependency'], { env, encoding: 'utf8' }).stdout, /\nExample\.\n/);
  // every install line of the docs installs that package, and the docs say npm pack writes it
  const installs = [...CI_DOC.matchAll(/npm install -g ([^\s`]+)/g)].map((m) => m[1]);
  assert.ok(installs.length >= 3, installs.join(' '));
  for (const i of installs) assert.equal(i, `./tools/${packed}`);
  assert.ok(CI_DOC.includes(`npm pack    # writes ${packed}`), `docs/ci.md names ${packed}`);
});

test('ci recipes: the GitHub Actions workflow annotates, fails on errors, and uploads a valid SARIF log', () => {
  const workflow = yamlBlocks().find((b) => (b as { jobs?: unknown }).jobs) as {
    permissions: Record<string, string>;
    jobs: Record<string, { steps: { run?: string; uses?: string; if?: string; with?: Record<string, string> }[] }>;
  };
  assert.ok(workflow, 'docs/ci.md has a workflow');
  assert.equal(workflow.permissions['security-events'], 'write');
  const steps = Object.values(workflow.jobs)[0].steps;
  const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
  assert.ok(upload?.with?.sarif_file, 'an upload-sarif step with its file');
  assert.ok(upload.if, 'the upload runs when the check failed');
  const repo = repository('github');
  const runs = steps.filter((s) => s.run && !s.run.startsWith('npm install'));
  const outcomes = runs.map((s) => ({ step: s, ...bash(s.run!, repo) }));
  const check = outcomes.find((o) => o.step.run!.includes('--format github'))!;
  assert.equal(check.code, 1, 'the check fails the job');
  const lines = check.stdout.trimEnd().split('\n');
  assert.deepEqual(lines.slice(0, -1).map((l) => /^::error file=([^,]+),line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=[a-z-]+::/.exec(l)?.[1]), ['lib/machine-env-matrix.nix', 'machines/zoe/configuration.nix', 'modules/hosts/emily/default.nix']);
  const sarif = outcomes.find((o) => o.step.run!.includes('--format sarif'))!;
  assert.equal(sarif.code, 0, `the SARIF step passes with errors found: ${sarif.stderr}`);
  assert.ok(sarif.step.if, 'the SARIF step runs when the check failed');
  const log = JSON.parse(fs.readFileSync(path.join(repo, upload.with.sarif_file), 'utf8'));
  assert.deepEqual(sarifSchemaErrors(log), []);
  assert.equal(log.runs[0].results.length, 3);
  assert.equal(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, 'lib/machine-env-matrix.nix');
});

test('ci recipes: the GitLab CI job writes its Code Quality report, keeps it, and fails on errors', () => {
  const job = yamlBlocks()
    .map((b) => Object.values(b as Record<string, { script?: string[] }>).find((j) => Array.isArray(j?.script)))
    .find((j) => j) as { script: string[]; artifacts: { when: string; reports: { codequality: string } } };
  assert.ok(job, 'docs/ci.md has a GitLab job');
  assert.equal(job.artifacts.when, 'always', 'the report is kept when the job fails');
  const repo = repository('gitlab');
  // the runner runs the lines in one shell, stopping at the first that fails
  const r = bash(job.script.filter((l) => !l.startsWith('npm install')).join('\n'), repo);
  assert.equal(r.code, 1, 'the job fails on the errors');
  assert.match(r.stdout, /^machines\/zoe\/configuration\.nix:12:22: error unknown-dependency /m);
  const report = JSON.parse(fs.readFileSync(path.join(repo, job.artifacts.reports.codequality), 'utf8')) as { check_name: string; severity: string; location: { path: string } }[];
  assert.deepEqual(report.map((i) => `${i.location.path} ${i.check_name} ${i.severity}`), [
    'lib/machine-env-matrix.nix unknown-registry-key major',
    'machines/zoe/configuration.nix unknown-dependency major',
    'modules/hosts/emily/default.nix import-apply-generators major',
  ]);
});

test('ci recipes: the pre-commit hook runs on .nix files, fails a commit with errors and passes a clean clan', () => {
  const hooks = parse(fs.readFileSync(path.join(REPO_ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as { id: string; name: string; entry: string; language: string; files: string; pass_filenames: boolean }[];
  assert.equal(hooks.length, 1);
  const [hook] = hooks;
  for (const key of ['id', 'name', 'entry', 'language'] as const) assert.ok(hook[key], `${key} (pre-commit requires it)`);
  assert.equal(hook.language, 'node', 'pre-commit installs it with npm');
  const [command, ...args] = hook.entry.split(' ');
  const bin = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin;
  assert.ok(bin[command], `${command} is a bin of the package`);
  // pre-commit matches `files` with Python's re.search: this pattern means the same in JavaScript
  const files = new RegExp(hook.files);
  assert.ok(files.test('machines/a/configuration.nix') && files.test('flake.nix'));
  assert.ok(!files.test('README.md') && !files.test('flake.lock') && !files.test('a.nix.bak'));
  assert.equal(hook.pass_filenames, false, 'the checker takes the clan, not the files changed');
  const failing = spawnSync(command, args, { cwd: repository('pre-commit'), env, encoding: 'utf8' });
  assert.equal(failing.status, 1, failing.stderr);
  assert.match(failing.stdout, /^lib\/machine-env-matrix\.nix:11:5: error unknown-registry-key /m);
  const clean = writeTree({ 'flake.nix': '{ outputs = { clan-core, ... }: clan-core.lib.clan { self = ./.; meta.name = "c"; }; }\n', 'machines/a/configuration.nix': '{ clan.core.vars.generators.a.files.k = { }; }\n' });
  try {
    const passing = spawnSync(command, args, { cwd: clean, env, encoding: 'utf8' });
    assert.equal(passing.status, 0, passing.stdout + passing.stderr);
  } finally {
    removeTree(clean);
  }
  // the docs' configurations name this hook; the local one runs the same command on the same files
  const configs = yamlBlocks().filter((b) => (b as { repos?: unknown }).repos) as { repos: { repo: string; hooks: { id: string; entry?: string; files?: string; pass_filenames?: boolean; language?: string }[] }[] }[];
  assert.equal(configs.length, 2);
  for (const c of configs) assert.equal(c.repos[0].hooks[0].id, hook.id);
  const local = configs.map((c) => c.repos[0]).find((r) => r.repo === 'local')!.hooks[0];
  assert.deepEqual([local.entry, local.files, local.pass_filenames, local.language], [hook.entry, hook.files, false, 'system']);
});
