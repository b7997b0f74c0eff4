// The checker's result cache (server/src/workspace/resultCache.ts, inputRecorder.ts) through the
// built checker: a second check of an unchanged clan prints the stored result; any change to what
// the analysis read (a file's text, a new or deleted file, a new entry in a folder it listed, a
// file outside the clan it read), or other settings, runs the analysis again. Each check below
// first marks the stored result, so a result reused when it must not be shows the mark.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { after, test } from 'node:test';
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
function lint(dir: string, cacheDir: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CHECKER, ...args, dir], { encoding: 'utf8', env: { ...process.env, CLAN_VARS_CACHE_DIR: cacheDir, CLAN_VARS_DEBUG_CACHE: '1' } });
  assert.equal(r.stderr.includes('internal error'), false, r.stderr);
  assert.equal(r.signal, null, `the checker was killed by ${r.signal}: ${r.stderr}`);
  assert.ok(r.status === 0 || r.status === 1, `exit status ${r.status}: ${r.stderr}`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const resultFiles = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.result')).map((f) => path.join(dir, f)) : []);
const MARK = 'THE STORED RESULT';

/** Rewrites every stored result's first problem to carry MARK. */
function mark(cacheDir: string): void {
  const files = resultFiles(cacheDir);
  assert.ok(files.length > 0, 'a result was stored');
  for (const file of files) {
    const stored = v8.deserialize(fs.readFileSync(file)) as { result: { problems: { message: string }[] } };
    stored.result.problems[0].message = MARK;
    fs.writeFileSync(file, v8.serialize(stored));
  }
}

test('result cache: an unchanged clan gets the stored result, exit status included', () => {
  const clan = newClan('same');
  const cache = path.join(scratch, 'cache-same');
  const fresh = lint(clan, 'off');
  assert.equal(fresh.status, 1, 'the example clan has its deliberate mistakes');
  assert.equal(lint(clan, cache).stdout, fresh.stdout);
  assert.equal(resultFiles(cache).length, 1);
  assert.equal(fs.statSync(resultFiles(cache)[0]).mode & 0o777, 0o600);
  mark(cache);
  const again = lint(clan, cache);
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
  ];
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
