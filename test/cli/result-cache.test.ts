// The checker's result cache (server/src/model/resultCache.ts, inputRecorder.ts) through the
// built checker: a second check of an unchanged clan prints the stored result; any change to what
// the analysis read (a file's text, a new or deleted file, a new entry in a folder it listed, a
// file outside the clan it read), or other settings, runs the analysis again. Each check below
// first marks the stored result (sealed again with this user's key, as the checker seals it), so a
// result reused when it must not be shows the mark. A forged result (without the HMAC of this
// user's key, or with one of a key planted where $HOME and $XDG_CACHE_HOME point) is ignored and
// replaced wherever the cache folder is, also in a checkout without `.git` whose clan is a
// sub-folder; a cache folder inside the clan or its repository is not used at all; a FIFO in place
// of a cache file or links planted at temporary names neither change the result nor hang the check.
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { createHmac, randomBytes } from 'node:crypto';
import { after, test } from 'node:test';
import { readCacheFile, writeCacheFile } from '../../server/src/base/cacheFiles';
import { REPO_ROOT } from '../helpers/tempClan';

const CHECKER = path.join(REPO_ROOT, 'bin', 'clan-vars-lint.js');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'clan-vars-result-cache-test-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

function newClan(name: string): string {
  const dir = path.join(scratch, name);
  fs.cpSync(path.join(REPO_ROOT, 'examples', 'clan'), dir, { recursive: true });
  return dir;
}

/** Runs the checker; its stderr says why a stored result was not used or a result not stored. */
function lint(dir: string, cacheDir: string | NodeJS.ProcessEnv, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const env = typeof cacheDir === 'string' ? { ...process.env, CLAN_VARS_CACHE_DIR: cacheDir } : cacheDir;
  const r = spawnSync(process.execPath, [CHECKER, ...args, dir], { encoding: 'utf8', env: { ...env, CLAN_VARS_DEBUG_CACHE: '1' }, timeout: 60_000 });
  assert.equal(r.stderr.includes('internal error'), false, r.stderr);
  assert.equal(r.signal, null, `the checker was killed by ${r.signal}: ${r.stderr}`);
  assert.ok(r.status === 0 || r.status === 1, `exit status ${r.status}: ${r.stderr}`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const resultFiles = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.result')).map((f) => path.join(dir, f)) : []);
const MARK = 'THE STORED RESULT';
/** One line per finding: the first finding is the first line, which the mark changes. */
const COMPACT = ['--format', 'compact'];

/** A stored result, read as the checker reads it (its HMAC checked with this user's key). */
const storedResult = (file: string) => v8.deserialize(readCacheFile(file, 1e9)) as { inputs: unknown[]; result: { problems: { message: string }[] }; logs: string[] };

/** Rewrites every stored result's first problem to carry MARK, sealed with this user's key as the checker seals it. */
function mark(cacheDir: string): void {
  const files = resultFiles(cacheDir);
  assert.ok(files.length > 0, 'a result was stored');
  for (const file of files) {
    const stored = storedResult(file);
    stored.result.problems[0].message = MARK;
    assert.ok(writeCacheFile(file, v8.serialize(stored), assert.fail));
  }
}

test('result cache: an unchanged clan gets the stored result, exit status included', () => {
  const clan = newClan('same');
  const cache = path.join(scratch, 'cache-same');
  const fresh = lint(clan, 'off', ...COMPACT);
  assert.equal(fresh.status, 1, 'the example clan has its deliberate mistakes');
  assert.equal(lint(clan, cache, ...COMPACT).stdout, fresh.stdout);
  assert.equal(resultFiles(cache).length, 1);
  assert.equal(fs.statSync(resultFiles(cache)[0]).mode & 0o777, 0o600);
  mark(cache);
  const again = lint(clan, cache, ...COMPACT);
  assert.equal(again.status, 1);
  assert.ok(again.stdout.includes(MARK), `the second run printed the stored result: ${again.stderr}`);
  assert.equal(again.stdout.replace(/^.*\n/, ''), fresh.stdout.replace(/^.*\n/, ''), 'the rest of it is what a fresh check prints');
});

test('result cache: every change to what the check read, or to its settings, checks again', () => {
  const clan = newClan('changes');
  const cache = path.join(scratch, 'cache-changes');
  const outside = path.join(scratch, 'outside-clan-core');
  const matrix = path.join(clan, 'lib', 'machine-env-matrix.nix');
  // [what, the change, the settings it is checked with before and after]
  const changes: [string, () => void, string[], string[]][] = [
    ['a file edited, same size', () => fs.writeFileSync(matrix, fs.readFileSync(matrix, 'utf8').replace('"deepsek"', '"deepsex"')), [], []],
    ['a .nix file added', () => fs.writeFileSync(path.join(clan, 'modules', 'new.nix'), '{ clan.core.vars.generators.n.dependencies = [ "nowhere" ]; }\n'), [], []],
    ['a .nix file deleted', () => fs.rmSync(path.join(clan, 'modules', 'new.nix')), [], []],
    ['a file of another kind added to a folder the check listed', () => fs.writeFileSync(path.join(clan, 'modules', 'notes.txt'), 'x'), [], []],
    ['another --ignore', () => {}, [], ['--ignore', 'unknown-registry-key']],
    ['another registry path', () => {}, [], ['--registry-path', 'lib/none.nix']],
    ['a clan-core checkout outside the clan', () => fs.mkdirSync(outside, { recursive: true }), [], ['--clan-core', outside]],
    ['a file appears outside the clan, where the check looked', () => fs.writeFileSync(path.join(outside, 'flake.nix'), '{ }\n'), ['--clan-core', outside], ['--clan-core', outside]],
    ['a .nix file replaced by a link to another file of the clan', () => (fs.rmSync(matrix), fs.symlinkSync('../modules/matrix.nix', matrix)), [], []],
    ['that link now leading out of the clan', () => (fs.rmSync(matrix), fs.symlinkSync(path.join(scratch, 'outside-matrix.nix'), matrix)), [], []],
  ];
  fs.writeFileSync(path.join(clan, 'modules', 'matrix.nix'), fs.readFileSync(matrix, 'utf8').replace('"deepsek"', '"deepsel"'));
  fs.writeFileSync(path.join(scratch, 'outside-matrix.nix'), fs.readFileSync(matrix, 'utf8').replace('"deepsek"', '"deepsez"'));
  for (const [what, change, before, now] of changes) {
    assert.doesNotMatch(lint(clan, cache, ...before).stderr, /not stored/); // stores the result for these settings
    mark(cache);
    change();
    const cached = lint(clan, cache, ...now);
    const fresh = lint(clan, 'off', ...now);
    assert.ok(!cached.stdout.includes(MARK), `${what}: the stored result was not used`);
    assert.equal(cached.stdout, fresh.stdout, `${what}: the same as a fresh check`);
    assert.equal(cached.status, fresh.status);
  }
  // the output format is not part of the analysis: the stored result serves either
  assert.doesNotMatch(lint(clan, cache).stderr, /not stored/);
  mark(cache);
  const json = lint(clan, cache, '--format', 'json');
  assert.ok(json.stdout.includes(MARK), `${json.stderr}\n${json.stdout}`);
});

test('result cache: a clan whose files link to each other gets the stored result (the confinement opens them without following a link)', () => {
  const clan = newClan('linked-files');
  const cache = path.join(scratch, 'cache-linked-files');
  const matrix = path.join(clan, 'lib', 'machine-env-matrix.nix');
  fs.renameSync(matrix, path.join(clan, 'modules', 'matrix.nix'));
  fs.symlinkSync('../modules/matrix.nix', matrix);
  const fresh = lint(clan, cache, ...COMPACT);
  mark(cache);
  const again = lint(clan, cache, ...COMPACT);
  assert.ok(again.stdout.includes(MARK), `the second run printed the stored result: ${again.stderr}`);
  assert.equal(again.stdout.replace(/^.*\n/, ''), fresh.stdout.replace(/^.*\n/, ''));
});

test('result cache: a damaged result file is ignored and replaced; --no-cache stores none', () => {
  const clan = newClan('damaged');
  const cache = path.join(scratch, 'cache-damaged');
  const expected = lint(clan, 'off').stdout;
  lint(clan, cache);
  const [file] = resultFiles(cache);
  for (const garbage of [Buffer.from('not a result'), Buffer.alloc(0), fs.readFileSync(file).subarray(0, 100), v8.serialize({ key: 1, inputs: 'x' })]) {
    fs.writeFileSync(file, garbage);
    const again = lint(clan, cache);
    assert.equal(again.stdout, expected);
    assert.ok(fs.statSync(file).size > 200, `replaced by a whole result: ${again.stderr}`);
  }
  const none = path.join(scratch, 'cache-none');
  assert.equal(lint(clan, none, '--no-cache').stdout, expected);
  assert.deepEqual(resultFiles(none), []);
});

/** The name of the clan's result file (and facts file): from a run with a scratch cache folder. */
function cacheNames(clan: string): { result: string; facts: string } {
  const dir = fs.mkdtempSync(path.join(scratch, 'names-'));
  lint(clan, dir);
  const files = fs.readdirSync(dir);
  const names = { result: files.find((f) => f.endsWith('.result'))!, facts: files.find((f) => f.endsWith('.facts'))! };
  assert.ok(names.result && names.facts, files.join(', '));
  fs.rmSync(dir, { recursive: true });
  return names;
}

/**
 * A result file that says the clan is clean and depends on one read that stays as it is: what a
 * forger who knows the format writes, without an HMAC or with one made with a key of its own.
 */
function forgeResult(file: string, like: string, key: Buffer | null): void {
  const stored = storedResult(like);
  stored.inputs = [['exists', '/', '', '1']];
  stored.result.problems = [];
  stored.logs = [];
  const data = v8.serialize(stored);
  const tag = key && createHmac('sha256', key).update(path.basename(file)).update('\0').update(data).digest();
  fs.writeFileSync(file, tag ? Buffer.concat([tag, data]) : data, { mode: 0o600 });
}

/** A copy of the example clan in `clan`, a result of it stored by the checker, and what a check without a cache prints. */
function clanWithResult(clan: string): { fresh: ReturnType<typeof lint>; names: { result: string; facts: string }; like: string } {
  fs.cpSync(path.join(REPO_ROOT, 'examples', 'clan'), clan, { recursive: true });
  const fresh = lint(clan, 'off');
  assert.equal(fresh.status, 1);
  const names = cacheNames(clan);
  const own = fs.mkdtempSync(path.join(scratch, 'like-'));
  lint(clan, own);
  return { fresh, names, like: path.join(own, names.result) };
}

test('result cache: a cache folder inside the clan or its repository is not used', () => {
  const repo = path.join(scratch, 'forged-repo');
  const clan = path.join(repo, 'clan');
  fs.mkdirSync(path.join(repo, '.git'), { recursive: true });
  const { fresh, names, like } = clanWithResult(clan);
  fs.symlinkSync(path.join(clan, '.cache'), path.join(scratch, 'link-into-clan'));
  // a folder the repository names as a link (links survive git) to a folder of the user's elsewhere
  fs.mkdirSync(path.join(scratch, 'users-folder'));
  fs.symlinkSync(path.join(scratch, 'users-folder'), path.join(repo, '.cache-link'));
  // [what, the environment, the cache folder]
  const places: [string, NodeJS.ProcessEnv, string][] = [
    ['CLAN_VARS_CACHE_DIR inside the clan', { ...process.env, CLAN_VARS_CACHE_DIR: path.join(clan, '.cache', 'clan-vars') }, path.join(clan, '.cache', 'clan-vars')],
    ['XDG_CACHE_HOME inside the clan', { ...process.env, CLAN_VARS_CACHE_DIR: undefined, XDG_CACHE_HOME: path.join(clan, '.cache') }, path.join(clan, '.cache', 'clan-vars')],
    ['the clan itself', { ...process.env, CLAN_VARS_CACHE_DIR: clan }, clan],
    ['a link to a folder inside the clan', { ...process.env, CLAN_VARS_CACHE_DIR: path.join(scratch, 'link-into-clan') }, path.join(clan, '.cache')],
    ['inside the repository the clan is in', { ...process.env, CLAN_VARS_CACHE_DIR: path.join(repo, '.cache') }, path.join(repo, '.cache')],
    ['named inside the repository, through a link to a folder elsewhere', { ...process.env, CLAN_VARS_CACHE_DIR: undefined, XDG_CACHE_HOME: path.join(repo, '.cache-link') }, path.join(scratch, 'users-folder', 'clan-vars')],
  ];
  for (const [what, env, dir] of places) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    forgeResult(path.join(dir, names.result), like, null);
    const forged = fs.readFileSync(path.join(dir, names.result));
    const r = lint(clan, env);
    assert.equal(r.stdout, fresh.stdout, `${what}: the forged result was used: ${r.stderr}`);
    assert.equal(r.status, 1, what);
    assert.match(r.stderr, /^clan-vars-lint: not using the cache folder .*: it is inside .*; checking without a cache$/m, what);
    assert.equal(r.stderr.match(/not using the cache folder/g)!.length, 1, `${what}: one line: ${r.stderr}`);
    assert.deepEqual(fs.readFileSync(path.join(dir, names.result)), forged, `${what}: nothing written there`);
    assert.equal(fs.existsSync(path.join(dir, names.facts)), false, what);
    fs.rmSync(path.join(dir, names.result));
  }
});

test('result cache: a forged result is ignored and replaced, in a checkout without .git whose clan is a sub-folder, or anywhere', () => {
  // a tarball or a CI checkout: nothing says where the checkout ends, and its cache folder is beside the clan
  const checkout = path.join(scratch, 'tarball');
  const clan = path.join(checkout, 'clan');
  const { fresh, names, like } = clanWithResult(clan);
  // the checkout also holds a key of its own where $XDG_CACHE_HOME and $HOME would put the user's
  const planted = randomBytes(32);
  for (const folder of [path.join(checkout, '.cache', 'clan-vars'), path.join(checkout, 'home', '.cache', 'clan-vars')]) {
    fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
    fs.writeFileSync(path.join(folder, 'key'), planted);
    fs.chmodSync(path.join(folder, 'key'), 0o600);
  }
  const home = path.join(checkout, 'home');
  // [what, the environment, the cache folder]
  const places: [string, NodeJS.ProcessEnv, string][] = [
    ['XDG_CACHE_HOME in the checkout', { ...process.env, HOME: home, CLAN_VARS_CACHE_DIR: undefined, XDG_CACHE_HOME: path.join(checkout, '.cache') }, path.join(checkout, '.cache', 'clan-vars')],
    ['CLAN_VARS_CACHE_DIR in the checkout', { ...process.env, HOME: home, CLAN_VARS_CACHE_DIR: path.join(checkout, 'ci-cache') }, path.join(checkout, 'ci-cache')],
    ["the user's own cache folder", { ...process.env, HOME: home, CLAN_VARS_CACHE_DIR: path.join(scratch, 'cache-forged') }, path.join(scratch, 'cache-forged')],
  ];
  for (const [where, env, dir] of places) {
    for (const [seal, key] of [['no HMAC', null], ['an HMAC with the key planted in the checkout', planted]] as const) {
      const what = `${where}, ${seal}`;
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      const file = path.join(dir, names.result);
      forgeResult(file, like, key);
      const r = lint(clan, env);
      assert.equal(r.stdout, fresh.stdout, `${what}: the forged result was used: ${r.stderr}`);
      assert.equal(r.status, 1, what);
      assert.match(r.stderr, /^clan-vars-lint: ignoring the cache .*\.result: its HMAC does not match: Clan Vars did not write it under this name, for this user on this machine$/m, what);
      assert.equal(storedResult(file).result.problems.length, storedResult(like).result.problems.length, `${what}: replaced by the result of the check`);
      fs.rmSync(file);
    }
  }
  assert.deepEqual(fs.readFileSync(path.join(home, '.cache', 'clan-vars', 'key')), planted, 'the planted keys are not used, nor replaced');
});

test('result cache: a FIFO in place of a cache file does not hold the check', () => {
  const clan = newClan('fifo');
  const fresh = lint(clan, 'off');
  const names = cacheNames(clan);
  const cache = path.join(scratch, 'cache-fifo');
  fs.mkdirSync(cache, { mode: 0o700 });
  execFileSync('mkfifo', ['-m', '600', path.join(cache, names.result), path.join(cache, names.facts)]);
  const r = lint(clan, cache); // lint() fails when the checker is killed at its time limit
  assert.equal(r.stdout, fresh.stdout);
  assert.match(r.stderr, /result cache: checking again: .*not a regular file/);
  assert.match(r.stderr, /ignoring the cache .*\.facts: not a regular file/);
  assert.ok(fs.lstatSync(path.join(cache, names.result)).isFile(), 'replaced by a stored result');
});

test('result cache: links planted at the temporary names do not redirect the write', async () => {
  const clan = newClan('links');
  const names = cacheNames(clan);
  const cache = path.join(scratch, 'cache-links');
  fs.mkdirSync(cache, { mode: 0o700 });
  const victim = path.join(scratch, 'victim.txt');
  fs.writeFileSync(victim, 'precious\n');
  // the shell waits for a line, then becomes the checker: its pid is the checker's
  const child = spawn('/bin/sh', ['-c', 'read _ && exec "$@"', 'sh', process.execPath, CHECKER, clan], {
    env: { ...process.env, CLAN_VARS_CACHE_DIR: cache, CLAN_VARS_DEBUG_CACHE: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  child.stdout.resume();
  const planted: string[] = [];
  for (const name of [names.result, names.facts]) {
    for (const tmp of [`${name}.${child.pid}.tmp`, `.${name}.${child.pid}.tmp`, `${name}.tmp`, `${name}.0123456789abcdef.tmp`]) {
      fs.symlinkSync(victim, path.join(cache, tmp));
      planted.push(path.join(cache, tmp));
    }
  }
  child.stdin.end('go\n');
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(status, 1, stderr);
  assert.equal(fs.readFileSync(victim, 'utf8'), 'precious\n', 'the file outside was not written');
  for (const name of [names.result, names.facts]) assert.ok(fs.lstatSync(path.join(cache, name)).isFile(), `${name} was written: ${stderr}`);
  for (const link of planted) if (fs.existsSync(link) || fs.lstatSync(link, { throwIfNoEntry: false })) assert.ok(fs.lstatSync(link).isSymbolicLink(), link);
});
