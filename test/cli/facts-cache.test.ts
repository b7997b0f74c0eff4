// The on-disk facts cache (server/src/model/scan/factsCache.ts) through the built checker and
// server: a second run reads unchanged files' facts from it and reports exactly what a run without
// it reports; an edited file is parsed again; a damaged cache file is ignored and replaced, and a
// cache entry whose facts cannot be read is parsed again; --no-cache and CLAN_VARS_CACHE_DIR=off
// write nothing. Forged facts in a cache folder inside the clan are not read, by the checker or the
// server; forged facts in a cache folder beside the clan in a checkout without `.git` are ignored
// and replaced (they do not carry the HMAC of this user's key); a FIFO in place of the cache file is
// ignored.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { after, test } from 'node:test';
import { readCacheFile, writeCacheFile } from '../../server/src/base/cacheFiles';
import { TestClient } from '../helpers/lspClient';
import { REPO_ROOT } from '../helpers/tempClan';

const CHECKER = path.join(REPO_ROOT, 'bin', 'clan-vars-lint.js');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'clan-vars-cache-test-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

function newClan(name: string): string {
  const dir = path.join(scratch, name);
  fs.cpSync(path.join(REPO_ROOT, 'examples', 'clan'), dir, { recursive: true });
  return dir;
}

function lint(dir: string, cacheDir: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CHECKER, '--format', 'json', ...args, dir], { encoding: 'utf8', env: { ...process.env, CLAN_VARS_CACHE_DIR: cacheDir }, timeout: 60_000 });
  assert.equal(r.signal, null, `the checker was killed by ${r.signal}: ${r.stderr}`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Removes the checker's stored results (workspace/resultCache.ts), so that a run reads the facts cache. */
const dropResults = (dir: string) => fs.readdirSync(dir).filter((f) => f.endsWith('.result')).forEach((f) => fs.rmSync(path.join(dir, f)));

const cacheFiles = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.facts')) : []);

/** The facts in a cache file, read as the checker reads them (its HMAC checked with this user's key). */
const storedFacts = (file: string) => v8.deserialize(readCacheFile(file, 1e9)) as Map<string, string>;

test('facts cache: the second run reads the cache and reports the same; an edited file is read again', () => {
  const clan = newClan('edit');
  const cache = path.join(scratch, 'cache-edit');
  const uncached = lint(clan, 'off');
  assert.equal(uncached.status, 1, 'the example clan has its deliberate mistakes');
  assert.deepEqual(cacheFiles(cache), []);
  const first = lint(clan, cache);
  assert.equal(first.stdout, uncached.stdout);
  assert.equal(cacheFiles(cache).length, 1, 'one cache file per folder and build');
  const file = path.join(cache, cacheFiles(cache)[0]);
  assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  dropResults(cache);
  const second = lint(clan, cache);
  assert.equal(second.stdout, uncached.stdout);
  // fix one deliberate mistake: the cached facts of the matrix must not be used for its new text
  const matrix = path.join(clan, 'lib', 'machine-env-matrix.nix');
  const before = JSON.parse(uncached.stdout).diagnostics.filter((d: { code: string }) => d.code === 'unknown-registry-key');
  assert.ok(before.length > 0);
  fs.writeFileSync(matrix, fs.readFileSync(matrix, 'utf8').replaceAll('"deepsek"', '"deepseek"'));
  const edited = lint(clan, cache);
  assert.equal(edited.stdout, lint(clan, 'off').stdout);
  assert.ok(JSON.parse(edited.stdout).diagnostics.filter((d: { code: string }) => d.code === 'unknown-registry-key').length < before.length);
});

/** A copy of the example clan checked once with a cache of its own: what a check without a cache prints, and the cache file. */
function checkedOnce(name: string): { clan: string; cache: string; expected: string; file: string } {
  const clan = newClan(name);
  const cache = path.join(scratch, `cache-${name}`);
  const expected = lint(clan, 'off').stdout;
  lint(clan, cache);
  return { clan, cache, expected, file: path.join(cache, cacheFiles(cache)[0]) };
}

test('facts cache: a damaged cache file is ignored and replaced; --no-cache writes none', () => {
  const { clan, cache, expected, file } = checkedOnce('damaged');
  for (const garbage of [Buffer.from('not a cache'), Buffer.alloc(0), fs.readFileSync(file).subarray(0, 100)]) {
    fs.writeFileSync(file, garbage);
    dropResults(cache); // else the stored result of the unchanged clan is printed and no facts are read
    const r = lint(clan, cache);
    assert.equal(r.stdout, expected);
    assert.ok(fs.statSync(file).size > 100, 'replaced by a whole cache');
  }
  const other = path.join(scratch, 'cache-none');
  assert.equal(lint(clan, other, '--no-cache').stdout, expected);
  assert.deepEqual(cacheFiles(other), []);
});

test('facts cache: an entry whose packed ranges cannot be read is dropped, its file parsed again, and the entry replaced', () => {
  const { clan, cache, expected, file } = checkedOnce('entry');
  const facts = storedFacts(file);
  // a registry's facts hold ranges, packed as "\u0001line,character,line,character" (server/src/model/scan/factPool.ts)
  // (the registry's own entry: its file is its facts' first field; another file may import it)
  const [key, json] = [...facts].find(([, j]) => /^\{"file":"[^"]*\/lib\/secret-registry\.nix"/.test(j) && /"\\u0001\d+,\d+,\d+,\d+"/.test(j))!;
  facts.set(key, json.replace(/"\\u0001\d+,\d+,\d+,\d+"/, '"\\u0001not,a,range"'));
  assert.ok(writeCacheFile(file, v8.serialize(facts), assert.fail)); // sealed as the checker seals it
  dropResults(cache);
  const r = lint(clan, cache);
  assert.equal(r.stdout, expected);
  assert.match(r.stderr, /secret-registry\.nix: its cached facts could not be read \(not a packed range or position: .*\); parsing it again/);
  dropResults(cache);
  const again = lint(clan, cache);
  assert.equal(again.stdout, expected);
  assert.doesNotMatch(again.stderr, /could not be read/, 'the entry was replaced');
});

test('facts cache: a second start of the language server takes every file from the cache', async () => {
  const clan = newClan('server');
  const cache = path.join(scratch, 'cache-server');
  const saved = process.env.CLAN_VARS_CACHE_DIR;
  process.env.CLAN_VARS_CACHE_DIR = cache;
  try {
    const indexedLine = async () => {
      const client = await TestClient.start(clan);
      try {
        await client.waitReady();
        return client.logs.find((l) => l.startsWith('indexed'))!;
      } finally {
        await client.stop();
      }
    };
    const files = (await indexedLine()).match(/indexed (\d+) \.nix files/)![1];
    assert.match(await indexedLine(), new RegExp(`indexed ${files} \\.nix files in \\d+ ms \\(${files} from the facts cache\\)`));
  } finally {
    if (saved === undefined) delete process.env.CLAN_VARS_CACHE_DIR;
    else process.env.CLAN_VARS_CACHE_DIR = saved;
  }
});

/** Facts that say every file declares nothing (a clean clan), in `file`, made from the facts in `like`; without the HMAC of this user's key. */
function forgeFacts(file: string, like: string): void {
  const facts = storedFacts(like);
  for (const [key, json] of facts) {
    const f = JSON.parse(json);
    facts.set(key, JSON.stringify({ file: f.file, generators: [], opaqueGeneratorSources: [], importApplies: [], accesses: [] }));
  }
  fs.writeFileSync(file, v8.serialize(facts));
}

test('facts cache: forged facts in a cache folder inside the clan are not read, by the checker or the server', async () => {
  const clan = newClan('forged');
  const expected = lint(clan, 'off');
  assert.equal(expected.status, 1);
  const own = path.join(scratch, 'cache-forged');
  lint(clan, own);
  const name = cacheFiles(own)[0];
  const inside = path.join(clan, '.cache', 'clan-vars');
  fs.mkdirSync(inside, { recursive: true, mode: 0o700 });
  forgeFacts(path.join(inside, name), path.join(own, name));
  const forged = fs.readFileSync(path.join(inside, name));
  const r = lint(clan, inside);
  assert.equal(r.stdout, expected.stdout, r.stderr);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /not using the cache folder .*: it is inside the folder checked/);
  assert.deepEqual(fs.readdirSync(inside), [name], 'nothing written there');
  assert.deepEqual(fs.readFileSync(path.join(inside, name)), forged);
  // the server: the same folder refused, with a line in its log, and every file parsed
  const saved = process.env.CLAN_VARS_CACHE_DIR;
  process.env.CLAN_VARS_CACHE_DIR = inside;
  const client = await TestClient.start(clan);
  try {
    await client.waitReady();
    assert.ok(client.logs.some((l) => /not using the cache folder .*: it is inside the folder checked/.test(l)), client.logs.join('\n'));
    assert.match(client.logs.find((l) => l.startsWith('indexed'))!, /indexed 8 \.nix files in \d+ ms( \(0 from the facts cache\))?$/);
  } finally {
    await client.stop();
    if (saved === undefined) delete process.env.CLAN_VARS_CACHE_DIR;
    else process.env.CLAN_VARS_CACHE_DIR = saved;
  }
  assert.deepEqual(fs.readdirSync(inside), [name]);
});

test('facts cache: a FIFO in place of the cache file is ignored and replaced', () => {
  const clan = newClan('fifo');
  const cache = path.join(scratch, 'cache-fifo');
  const expected = lint(clan, 'off').stdout;
  lint(clan, cache);
  const file = path.join(cache, cacheFiles(cache)[0]);
  fs.rmSync(file);
  execFileSync('mkfifo', ['-m', '600', file]);
  dropResults(cache);
  const r = lint(clan, cache);
  assert.equal(r.stdout, expected);
  assert.match(r.stderr, /ignoring the cache .*: not a regular file/);
  assert.ok(fs.lstatSync(file).isFile(), 'replaced by a cache file');
});

test('facts cache: forged facts beside the clan in a checkout without .git are ignored and replaced', () => {
  // a tarball or a CI checkout: nothing says where the checkout ends; its cache folder is beside the clan
  const checkout = path.join(scratch, 'tarball');
  const clan = path.join(checkout, 'clan');
  fs.cpSync(path.join(REPO_ROOT, 'examples', 'clan'), clan, { recursive: true });
  const expected = lint(clan, 'off');
  assert.equal(expected.status, 1);
  const own = path.join(scratch, 'cache-tarball-own');
  lint(clan, own);
  const name = cacheFiles(own)[0];
  const beside = path.join(checkout, '.cache');
  fs.mkdirSync(beside, { mode: 0o700 });
  forgeFacts(path.join(beside, name), path.join(own, name));
  const r = lint(clan, beside);
  assert.equal(r.stdout, expected.stdout, `the forged facts were used: ${r.stderr}`);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^clan-vars-lint: ignoring the cache .*\.facts: its HMAC does not match: Clan Vars did not write it under this name, for this user on this machine$/m);
  assert.deepEqual(storedFacts(path.join(beside, name)), storedFacts(path.join(own, name)), 'replaced by the facts the check read');
});
