// The checker on a hostile directory (FIFO and directory named x.nix, symlink loops, invalid UTF-8,
// 10,000-deep nesting, a sparse 50 MB file, ...): it finishes quickly, skips what is not Nix source
// with a reason, and still reports the real mistake. Heavy variants: npm run fuzz:checker.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { writeHostileTree } from '../../fuzz/hostile';
import { REPO_ROOT } from '../helpers/tempClan';
import { readNixFile } from '../../server/src/base/readNixFile';
import { Confinement } from '../../server/src/base/confinement';

const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'clan-vars-hostile-')));
after(() => fs.rmSync(root, { recursive: true, force: true }));

test('checker: survives a hostile directory and still reports the real mistake', () => {
  writeHostileTree(root);
  const started = performance.now();
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), '--format', 'json', root], { encoding: 'utf8', timeout: 60_000, maxBuffer: 1 << 30 });
  assert.ok(performance.now() - started < 30_000);
  assert.equal(r.status, 1, r.stderr);
  assert.doesNotMatch(r.stderr, /internal error/);
  // a 3,000-generator ring: one diagnostic per edge, each of bounded size (was 87 MB in all)
  assert.ok(r.stdout.length < 5_000_000, `output of ${r.stdout.length} characters`);
  const diagnostics: { file: string; code: string; message: string }[] = JSON.parse(r.stdout).diagnostics;
  const codes = diagnostics.map((d) => `${d.file} ${d.code}`);
  assert.ok(codes.includes('machines/mistake.nix unknown-dependency'), codes.join('\n'));
  // directory links out of the folder are not followed (the checker indexed the whole machine)
  const outside = diagnostics.filter((d) => d.file.startsWith('..') || d.file.startsWith('rootfs/') || d.file.startsWith('machines/parent/'));
  assert.deepEqual(outside.slice(0, 5).map((d) => `${d.file} ${d.code}: ${d.message.slice(0, 200)}`), [], `${outside.length} findings outside the folder`);
  for (const link of ['rootfs', 'machines/parent']) assert.match(r.stderr, new RegExp(`not following ${path.join(root, link)}: .*outside the workspace folder`));
  const ring = diagnostics.filter((d) => d.file === 'machines/ring.nix' && d.code === 'dependency-cycle');
  assert.equal(ring.length, 3000);
  assert.match(ring[0].message, /Dependency cycle: ring0 → ring1 → .* \(2993 more\) → ring2999 → ring0\./);
  // the wildcard name `${n}…${n}z` (14 interpolations) does not match the 40-character dependency
  assert.ok(codes.includes('machines/wildcards.nix unknown-dependency'), codes.join('\n'));
  for (const [file, reason] of [
    ['invalid-utf8.nix', 'not valid UTF-8'],
    ['nul.nix', 'binary content'],
    ['long-line.nix', 'generated or pasted content'],
    ['slow-parse.nix', 'parsing took longer than'],
    ['sparse-50mb.nix', 'over the size limit'],
  ]) {
    const line = r.stderr.split('\n').find((l) => l.includes(`skipping ${path.join(root, file)}: `));
    assert.ok(line?.includes(reason), `${file}: ${reason}\n${r.stderr}`);
  }
});

test('checker: a file that disappears between listing and reading is skipped, not fatal', async () => {
  const gone = path.join(root, 'gone.nix');
  assert.deepEqual(await readNixFile(Confinement.within(root), gone, 1000), { skipped: 'cannot be read: ENOENT' });
});
