// What a new user meets first: usage and --version of both commands, a directory with no clan, a
// mistyped --ignore code, the README's synopsis, and the language server started from a user's clan
// the two ways the README gives (its absolute path, or a global install of the checkout).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { SERVER_ENV, SERVER_NODE_OPTIONS } from '../../server/src/lsp/protocol';
import { CODES } from '../../server/src/rules';
import { TestClient, messageOf } from '../helpers/lspClient';
import { EXAMPLE_CLAN, REPO_ROOT, removeTree, writeTree } from '../helpers/tempClan';

const LINT = path.join(REPO_ROOT, 'bin', 'clan-vars-lint.js');
const SERVER_BIN = path.join(REPO_ROOT, 'bin', 'clan-vars-language-server.js');
const VERSION = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const roots: string[] = [];
after(() => roots.forEach(removeTree));

function run(bin: string, args: string[], cwd = REPO_ROOT) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('language server without --stdio: usage on stderr, exit 2, no stack trace', () => {
  for (const args of [[], ['--bogus']]) {
    const r = run(SERVER_BIN, args);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^clan-vars-language-server: no transport given: add --stdio\n\nusage: clan-vars-language-server --stdio\n/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    assert.equal(r.stdout, '');
  }
});

test('language server --help and --version: exit 0 on stdout', () => {
  for (const flag of ['--help', '-h']) {
    const r = run(SERVER_BIN, [flag]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^usage: clan-vars-language-server --stdio\n[\s\S]*--version/);
  }
  const v = run(SERVER_BIN, ['--version']);
  assert.deepEqual([v.code, v.stdout], [0, `clan-vars-language-server ${VERSION}\n`]);
});

test("clan-vars-lint --version prints package.json's version", () => {
  const r = run(LINT, ['--version']);
  assert.deepEqual([r.code, r.stdout, r.stderr], [0, `clan-vars-lint ${VERSION}\n`, '']);
});

test('clan-vars-lint on a directory with no clan says so and exits 2 (a CI job given a mistyped folder must not pass)', () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'clan-vars-empty-'));
  roots.push(empty);
  fs.writeFileSync(path.join(empty, 'notes.txt'), 'not nix\n');
  const r = run(LINT, ['.'], empty);
  assert.equal(r.code, 2, r.stderr);
  // one line that says why, and nothing on stdout, which would read as a result
  assert.equal(r.stderr, "clan-vars-lint: .: no .nix files here, so there is no clan to check (run it in a clan's folder, the one with flake.nix)\n");
  assert.equal(r.stdout, '');

  const plain = writeTree({ 'default.nix': '{ pkgs }: pkgs.hello\n', 'lib/x.nix': '{ a = 1; }\n' });
  roots.push(plain);
  const p = run(LINT, [plain]);
  assert.equal(p.code, 2, p.stderr);
  assert.equal(p.stderr, `clan-vars-lint: ${plain}: no clan here: no clan vars generator declarations in 2 .nix files and no flake.nix that uses clan (run it in a clan's folder, the one with flake.nix)\n`);
  assert.equal(p.stdout, '');
  // one clan among the folders given is enough
  assert.equal(run(LINT, [plain, EXAMPLE_CLAN]).code, 1);

  // a clan that declares no generators yet: a clan all the same, nothing to report
  const fresh = writeTree({ 'flake.nix': '{ inputs.clan-core.url = "git+https://git.clan.lol/clan/clan-core"; outputs = { clan-core, ... }: clan-core.lib.clan { self = ./.; meta.name = "new"; }; }\n', 'machines/a/configuration.nix': '{ }\n' });
  roots.push(fresh);
  const f = run(LINT, [fresh]);
  assert.deepEqual([f.code, f.stderr], [0, '']);

  // a clan: no such line
  const c = run(LINT, [EXAMPLE_CLAN]);
  assert.equal(c.code, 1);
  assert.doesNotMatch(c.stderr, /no \.nix files|no clan vars generator/);
});

test('clan-vars-lint --ignore: an unknown code is warned about with a did-you-mean; known codes are not', () => {
  const r = run(LINT, ['--ignore', 'unknown-dependancy,unknown-registry-key', '--ignore=not-a-code', EXAMPLE_CLAN]);
  assert.equal(r.stderr, [
    "clan-vars-lint: warning: --ignore unknown-dependancy: no such diagnostic code; did you mean 'unknown-dependency'? (the codes are listed in docs/diagnostics.md)",
    'clan-vars-lint: warning: --ignore not-a-code: no such diagnostic code (the codes are listed in docs/diagnostics.md)',
    '',
  ].join('\n'));
  // the misspelt code ignores nothing; the known one is ignored
  assert.match(r.stdout, /^error\[unknown-dependency\]: /m);
  assert.doesNotMatch(r.stdout, /unknown-registry-key/);
  assert.equal(run(LINT, ['--ignore', 'sandbox-hostile', EXAMPLE_CLAN]).stderr, '');
});

test('clan-vars-lint --ignore takes every code of the registry (rules/index.ts CODES) without a warning', () => {
  const all = run(LINT, ['--format', 'compact', '--ignore', CODES.map((c) => c.code).join(','), EXAMPLE_CLAN]);
  assert.equal(all.stderr, '');
  assert.equal(all.code, 0, 'every code ignored: nothing left to report');
  assert.match(run(LINT, ['--ignore', 'clan-vars-chek', EXAMPLE_CLAN]).stderr, /--ignore clan-vars-chek: no such diagnostic code; did you mean 'clan-vars-check'\?/);
});

test("the README's synopsis lists every option of clan-vars-lint --help", () => {
  const help = run(LINT, ['--help']).stdout;
  const options = [...new Set(help.match(/(?<=^\s+|, )--?[a-z][a-z-]*/gm))];
  assert.ok(options.length >= 13, `options found in --help: ${options.join(' ')}`);
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const synopsis = /^clan-vars-lint \[.*$/m.exec(readme)?.[0];
  assert.ok(synopsis, 'README has a clan-vars-lint synopsis line');
  const inSynopsis = new Set(synopsis.match(/(?<=[[|\s])--?[a-z][a-z-]*/g));
  assert.deepEqual(options.filter((o) => !inSynopsis.has(o)), [], `synopsis: ${synopsis}`);
});

/** Starts the server with `command` from a copy of the example clan outside the repository; its diagnostics arrive. */
async function serverFromAClan(command: string[]): Promise<void> {
  const clan = fs.mkdtempSync(path.join(os.tmpdir(), 'clan-vars-user-clan-'));
  roots.push(clan);
  fs.cpSync(EXAMPLE_CLAN, clan, { recursive: true });
  const client = await TestClient.start(clan, { command, cwd: clan });
  try {
    const matrix = path.join(clan, 'lib', 'machine-env-matrix.nix');
    client.open(matrix, fs.readFileSync(matrix, 'utf8'));
    const d = await client.waitForDiagnostics(matrix, (ds) => ds.some((x) => x.code === 'unknown-registry-key'));
    assert.match(messageOf(d.find((x) => x.code === 'unknown-registry-key')!), /Did you mean 'deepseek'/);
  } finally {
    await client.stop();
  }
}

test("the README's Neovim command works from a user's clan: node, the extension's node options and environment and the absolute path of bin/clan-vars-language-server.js", async () => {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const cmd = `cmd = { 'node', ${SERVER_NODE_OPTIONS.map((o) => `'${o}', `).join('')}'/path/to/clan-vars/bin/clan-vars-language-server.js', '--stdio' }`;
  assert.ok(readme.includes(cmd), `the README gives ${cmd}`);
  const env = `cmd_env = { ${Object.entries(SERVER_ENV).map(([k, v]) => `${k} = '${v}'`).join(', ')} }`;
  assert.equal(readme.split(env).length - 1, 2, `both Neovim blocks of the README give ${env}`);
  await serverFromAClan([process.execPath, ...SERVER_NODE_OPTIONS, SERVER_BIN]);
});

test('after `npm install -g <checkout>`, `clan-vars-language-server --stdio` works from a user\'s clan', async () => {
  const prefix = fs.mkdtempSync(path.join(os.tmpdir(), 'clan-vars-global-'));
  roots.push(prefix);
  // --ignore-scripts: the checkout's `prepare` (the build, which `npm ci` ran already, as in the
  // README) would rewrite dist/ while the tests running beside this one start dist/cli.js
  const npm = spawnSync('npm', ['install', '-g', '--offline', '--ignore-scripts', '--no-audit', '--no-fund', '--prefix', prefix, REPO_ROOT], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(npm.status, 0, npm.stderr);
  const bin = path.join(prefix, 'bin', 'clan-vars-language-server');
  assert.equal(spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout, `clan-vars-language-server ${VERSION}\n`);
  await serverFromAClan([bin]);
});
