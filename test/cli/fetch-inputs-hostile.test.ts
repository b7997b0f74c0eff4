// `clan-vars-lint --fetch-inputs` on hostile repositories, with the real nix and git: nothing the
// repository names runs (a `nix` or `git` of its own reached through PATH, its git configuration's
// fsmonitor hook, hooks and filter drivers, wherever git would find that configuration: a `.git`
// above the clan, a `.git` file naming a git folder elsewhere, an include), and nothing on this disk
// outside the clan reaches the world-readable Nix store unless the user names it
// (`--allow-input-path`). Each program a repository names here is a mark program: the test fails
// when the mark file exists.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { commitAll, git, HOOKS, markProgram, marks, storeHolds } from '../helpers/hostileRepo';
import { nixEnv, removeNixTree } from '../helpers/nixTestStore';
import { REPO_ROOT, writeTree } from '../helpers/tempClan';

const BIN = path.join(REPO_ROOT, 'bin', 'clan-vars-lint.js');
const bases: string[] = [];
after(() => bases.forEach(removeNixTree));

const EMPTY_LOCK = '{"nodes":{"root":{}},"root":"root","version":7}\n';
const KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nnot a real key, a test of where files go\n-----END OPENSSH PRIVATE KEY-----\n';

function lint(args: string[], env: NodeJS.ProcessEnv) {
  const r = spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A clan with no inputs at `<base>/<at>`, a test store, and the mark file programs write to. */
function hostileBase(at = 'clan', files: Record<string, string> = {}) {
  const base = writeTree({ [`${at}/flake.nix`]: '{ description = "a clan"; outputs = _: { }; }\n', [`${at}/flake.lock`]: EMPTY_LOCK, [`${at}/machines/a/configuration.nix`]: '{ }\n', 'conf/nix.conf': '', ...files });
  bases.push(base);
  return { base, clan: path.join(base, at), env: nixEnv(base, 'store'), marks: path.join(base, 'MARKS') };
}

/** Makes the work tree stat-dirty, as a copied checkout is: git then refreshes its index (and runs clean filters). */
function touchAll(dir: string) {
  const later = new Date(Date.now() + 5000);
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile() && !path.join(e.parentPath, e.name).includes(`${path.sep}.git`)) fs.utimesSync(path.join(e.parentPath, e.name), later, later);
  }
}

test('a copied checkout whose .git sets core.fsmonitor and brings every hook: nix fetches, none of them runs', () => {
  const t = hostileBase();
  commitAll(t.clan, t.env);
  const copy = path.join(t.base, 'copy');
  fs.cpSync(t.clan, copy, { recursive: true });
  fs.appendFileSync(path.join(copy, '.git', 'config'), `[core]\n\tfsmonitor = ${markProgram(path.join(t.base, 'fsmonitor'), t.marks, 'fsmonitor')}\n`);
  for (const hook of HOOKS) markProgram(path.join(copy, '.git', 'hooks', hook), t.marks, hook);
  touchAll(copy);
  const r = lint(['--fetch-inputs', copy], t.env);
  assert.equal(marks(t.marks), '', 'a program the repository names ran');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /: 0 flake inputs \(direct and transitive\) in the Nix store\n/);
});

test('a nix and a git of the repository reached through PATH (".", an entry inside the clan, a link into it): the real ones run', () => {
  const t = hostileBase();
  markProgram(path.join(t.clan, 'nix'), t.marks, 'the clan\'s ./nix');
  markProgram(path.join(t.clan, 'bin', 'git'), t.marks, 'the clan\'s bin/git');
  markProgram(path.join(t.clan, 'bin', 'nix'), t.marks, 'the clan\'s bin/nix');
  fs.mkdirSync(path.join(t.base, 'links'));
  fs.symlinkSync(path.join(t.clan, 'nix'), path.join(t.base, 'links', 'nix'));
  commitAll(t.clan, t.env); // a git flake: nix runs git by name
  const PATH = ['.', path.join(t.clan, 'bin'), path.join(t.base, 'links'), '', process.env.PATH].join(path.delimiter);
  const r = lint(['--fetch-inputs', t.clan], { ...t.env, PATH });
  assert.equal(marks(t.marks), '', 'a program the repository names ran');
  assert.equal(r.code, 0, r.stderr);
  const nix = spawnSync('sh', ['-c', 'command -v nix'], { encoding: 'utf8' }).stdout.trim();
  assert.match(r.stderr, new RegExp(`fetching the flake inputs: ${nix.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} `));
});

/** Where git finds the configuration of a clan's repository, each built from a clean repository at `<base>/repo`. */
const PLACES: { name: string; at: string; build(repo: string, clanDir: string, setting: string): string }[] = [
  { name: 'the clan\'s own .git/config', at: 'repo', build: (repo, _c, s) => append(path.join(repo, '.git', 'config'), s) },
  { name: 'the .git of a folder above the clan', at: 'repo/sub/clan', build: (repo, _c, s) => append(path.join(repo, '.git', 'config'), s) },
  {
    name: 'a .git file naming a git folder elsewhere (its name holds a tab)',
    at: 'repo',
    build: (repo, _c, s) => {
      const moved = path.join(path.dirname(repo), 'git\tfolder');
      fs.renameSync(path.join(repo, '.git'), moved);
      fs.writeFileSync(path.join(repo, '.git'), `gitdir: ../git\tfolder\n`);
      return append(path.join(moved, 'config'), s);
    },
  },
  { name: 'a file included by include.path', at: 'repo', build: (repo, _c, s) => (append(path.join(repo, '.git', 'config'), '[include]\n\tpath = ../../extra/settings\n'), append(path.join(repo, '..', 'extra', 'settings'), s)) },
  { name: 'a file included by includeIf for another folder', at: 'repo', build: (repo, _c, s) => (append(path.join(repo, '.git', 'config'), '[includeIf "gitdir:/nowhere/"]\n\tpath = other\n[includeIf "gitdir:~/"]\n\tpath = mine\n[includeIf "onbranch:main"]\n\tpath = branch\n'), append(path.join(repo, '.git', 'branch'), s)) },
];

function append(file: string, text: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.appendFileSync(file, text);
  return file;
}

for (const place of PLACES) {
  test(`a clean filter set in ${place.name}: refused with the setting and its file named, nothing runs`, () => {
    const t = hostileBase(place.at, { [`${place.at}/.gitattributes`]: '* filter=x\n' });
    const repo = path.join(t.base, 'repo');
    commitAll(repo, t.env);
    const filter = markProgram(path.join(t.base, 'filter'), t.marks, 'filter');
    const file = place.build(repo, t.clan, `[filter "x"]\n\tclean = ${filter}\n\tsmudge = ${filter}\n`);
    touchAll(repo);
    const r = lint(['--fetch-inputs', t.clan], t.env);
    assert.equal(marks(t.marks), '', 'the filter ran');
    assert.equal(r.code, 2, r.stderr);
    assert.ok(r.stderr.includes(`its own git configuration makes git run programs: filter.x.clean (in ${JSON.stringify(file).slice(1, -1)}), filter.x.smudge (in `), r.stderr);
    assert.doesNotMatch(r.stderr, /nix:/, 'nix did not run');
    assert.equal(r.stdout, '');
  });
}

/** A clan whose flake.lock locks a folder outside it that holds a 0600 key (`path:<base>/ssh`). */
function clanLockingOutsideKey(): ReturnType<typeof hostileBase> {
  const t = hostileBase();
  fs.mkdirSync(path.join(t.base, 'ssh'));
  fs.writeFileSync(path.join(t.base, 'ssh', 'id_ed25519'), KEY, { mode: 0o600 });
  fs.writeFileSync(path.join(t.clan, 'flake.nix'), `{ description = "a clan"; inputs.keys = { url = "path:${t.base}/ssh"; flake = false; }; outputs = _: { }; }\n`);
  const lock = spawnSync('nix', ['flake', 'lock'], { cwd: t.clan, env: nixEnv(t.base, 'lock-store'), encoding: 'utf8' });
  assert.equal(lock.status, 0, lock.stderr);
  return t;
}

test('an input on this disk outside the clan (a 0600 key): listed and refused; copied into the store only when named', () => {
  const t = clanLockingOutsideKey();
  const storeDir = t.env.NIX_STORE_DIR!;

  const refused = lint(['--fetch-inputs', t.clan], t.env);
  assert.equal(storeHolds(storeDir, KEY), false, 'the key was copied into the store');
  assert.equal(refused.code, 2, refused.stderr);
  assert.ok(refused.stderr.includes(`'keys' (path ${t.base}/ssh)`), refused.stderr);
  assert.match(refused.stderr, /--allow-input-path/);

  const named = lint(['--fetch-inputs', '--allow-input-path', path.join(t.base, 'ssh'), t.clan], t.env);
  assert.equal(named.code, 0, named.stderr);
  assert.equal(storeHolds(storeDir, KEY), true, 'named, it is fetched');
});

test('an input flake.nix names that flake.lock does not lock (no lock at all): listed and refused (nix would copy it before failing)', () => {
  const t = hostileBase();
  fs.mkdirSync(path.join(t.base, 'ssh'));
  fs.writeFileSync(path.join(t.base, 'ssh', 'id_ed25519'), KEY, { mode: 0o600 });
  fs.writeFileSync(path.join(t.clan, 'flake.nix'), `{ description = "a clan"; inputs.keys = { url = "path:${t.base}/ssh"; flake = false; }; outputs = _: { }; }\n`);
  fs.rmSync(path.join(t.clan, 'flake.lock'));
  const r = lint(['--fetch-inputs', t.clan], t.env);
  assert.equal(storeHolds(t.env.NIX_STORE_DIR!, KEY), false, 'the key was copied into the store');
  assert.equal(r.code, 2, r.stderr);
  assert.ok(r.stderr.includes(`'flake.nix inputs.keys.url' (path ${t.base}/ssh)`), r.stderr);
  assert.doesNotMatch(r.stderr, /nix:/, 'nix did not run');
});

test('a clean checkout whose committed flake.lock locks an outside input, the one on disk nothing (skip-worktree): listed and refused', () => {
  const t = clanLockingOutsideKey();
  commitAll(t.clan, t.env);
  git(t.clan, t.env, 'update-index', '--skip-worktree', 'flake.lock');
  fs.writeFileSync(path.join(t.clan, 'flake.lock'), EMPTY_LOCK);
  const r = lint(['--fetch-inputs', t.clan], t.env);
  assert.equal(storeHolds(t.env.NIX_STORE_DIR!, KEY), false, 'the key was copied into the store');
  assert.equal(r.code, 2, r.stderr);
  assert.ok(r.stderr.includes(`'keys' (path ${t.base}/ssh)`), r.stderr);
});
