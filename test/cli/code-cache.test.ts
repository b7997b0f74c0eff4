// The checker's entry (dist/cli.js) starts its bundle from the code cache the build made
// (server/src/cli/codeCache.ts): the built checker uses it, and a cache made of another bundle,
// damaged, or refused by V8 (other flags) is not used, with the same findings. The copies of dist/
// are checked by the build's own Node, as the checker is run.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { EXAMPLE_CLAN, REPO_ROOT, removeTree } from '../helpers/tempClan';

const DIST = path.join(REPO_ROOT, 'dist');
const copies: string[] = [];
after(() => copies.forEach(removeTree));

/** A copy of dist/ (its bundles, the cache, the wasm and data beside them). */
function distCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clan-vars-dist-'));
  copies.push(dir);
  for (const f of fs.readdirSync(DIST)) if (!f.endsWith('.map')) fs.copyFileSync(path.join(DIST, f), path.join(dir, f));
  return dir;
}

function check(dist: string, nodeArgs: string[] = []) {
  const r = spawnSync(process.execPath, [...nodeArgs, path.join(dist, 'cli.js'), '--no-cache', '--format', 'json', EXAMPLE_CLAN], { encoding: 'utf8', env: { ...process.env, CLAN_VARS_DEBUG_TIMES: '1' } });
  const use = /^clan-vars-lint: code cache: (.*)$/m.exec(r.stderr)?.[1];
  return { status: r.status, findings: r.stdout, use, stderr: r.stderr };
}

const built = check(DIST);

test('code cache: the built checker starts from the cache the build made', () => {
  assert.ok(fs.statSync(path.join(DIST, 'checker.js.cache')).size > 100_000);
  assert.equal(built.use, 'used', built.stderr);
  assert.equal(built.status, 1, built.stderr);
  assert.equal(JSON.parse(built.findings).diagnostics.length, 3);
});

test('code cache: a cache made of another bundle is not given to V8, and the findings are the same', () => {
  const dist = distCopy();
  fs.appendFileSync(path.join(dist, 'checker.js'), '\n// edited after the build\n');
  const r = check(dist);
  assert.equal(r.use, 'not made of this bundle', r.stderr);
  assert.equal(r.status, 1, r.stderr);
  assert.equal(r.findings, built.findings);
});

test('code cache: a damaged cache (one byte of V8 data changed, or cut short) is not given to V8', () => {
  for (const damage of [(b: Buffer) => (b[b.length >> 1] ^= 0x40, b), (b: Buffer) => b.subarray(0, b.length - 1000), (b: Buffer) => b.subarray(0, 20)]) {
    const dist = distCopy();
    const file = path.join(dist, 'checker.js.cache');
    fs.writeFileSync(file, damage(fs.readFileSync(file)));
    const r = check(dist);
    assert.equal(r.use, 'not made of this bundle', r.stderr);
    assert.equal(r.findings, built.findings);
  }
});

test('code cache: V8 refuses a cache made under other flags; no cache at all; the checker runs the same', () => {
  const refused = check(DIST, ['--interrupt-budget=300000']);
  assert.equal(refused.use, 'rejected by V8', refused.stderr);
  assert.equal(refused.findings, built.findings);
  const dist = distCopy();
  fs.rmSync(path.join(dist, 'checker.js.cache'));
  const none = check(dist);
  assert.equal(none.use, 'none', none.stderr);
  assert.equal(none.findings, built.findings);
});

test('code cache: without its bundle the entry says so, as an internal error (exit 2), and prints no stack', () => {
  const dist = distCopy();
  fs.rmSync(path.join(dist, 'checker.js'));
  const r = check(dist);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^clan-vars-lint: internal error: the checker could not start: ENOENT: .*checker\.js.* \(npm run build makes it\)$/m);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
  assert.equal(r.findings, '');
});
