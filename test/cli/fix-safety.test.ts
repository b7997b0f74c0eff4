// `clan-vars-lint --fix` in a repository that works against it: links planted where the fix puts its
// temporary file, a .nix file that is a link to a file outside, a file that changes between the
// analysis and the write. Each hostile tree is built here (links and FIFOs do not survive git).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { analyzeFolder } from '../../server/src/cli/analyzeFolder';
import { applyPlan, planFixes } from '../../server/src/cli/applyFixes';
import { textDigest } from '../../server/src/base/textDigest';
import { DEFAULT_SETTINGS } from '../../server/src/inputs/settings';
import { REPO_ROOT, removeTree, writeTree } from '../helpers/tempClan';

const BIN = path.join(REPO_ROOT, 'bin', 'clan-vars-lint.js');
const roots: string[] = [];
after(() => roots.forEach(removeTree));

function tree(files: Record<string, string>): string {
  const root = writeTree(files, 'clan-vars-fix-');
  roots.push(root);
  return root;
}

const FIXABLE = `{
  clan.core.vars.generators.g = {
    files.key.mode = "400";
    script = "touch $out/key";
  };
}
`;
const OUTSIDE = 'the outside file: not to be touched\n';

/**
 * Runs the checker with `args` in a child that first plants, for its own pid and the 200 around it,
 * links named like the temporary file the old `--fix` wrote through, each to `outside`.
 */
function fixWithPlantedLinks(root: string, names: string[], outside: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const code = `
    const fs = require('node:fs');
    const path = require('node:path');
    const [root, names, outside, bin, args] = ${JSON.stringify([root, names, outside, BIN, args])};
    for (const name of names)
      for (let pid = Math.max(1, process.pid - 100); pid <= process.pid + 100; pid++)
        fs.symlinkSync(outside, path.join(root, '.' + name + '.clan-vars-' + pid + '.tmp'));
    process.argv = [process.execPath, bin, ...args];
    require(bin);`;
  return spawnSync(process.execPath, ['-e', code], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...env } });
}

test('cli --fix: links planted at temporary names (pids around its own, random-looking names) are never written through', () => {
  const root = tree({ 'good.nix': FIXABLE });
  const elsewhere = tree({ 'victim.txt': OUTSIDE });
  const outside = path.join(elsewhere, 'victim.txt');
  // names shaped like the random ones, too: a planted one must be refused, never followed
  for (let i = 0; i < 50; i++) fs.symlinkSync(outside, path.join(root, `.good.nix.${i.toString(16).padStart(24, '0')}.tmp`));
  const r = fixWithPlantedLinks(root, ['good.nix'], outside, ['--fix', '--no-cache', root]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.equal(fs.readFileSync(outside, 'utf8'), OUTSIDE, 'the file outside the repository is unchanged');
  const good = path.join(root, 'good.nix');
  assert.ok(fs.lstatSync(good).isFile(), 'good.nix is still a regular file, not a link');
  assert.match(fs.readFileSync(good, 'utf8'), /files\.key\.mode = "0400";/);
  assert.match(r.stdout, /good\.nix:3:22: fixed invalid-mode/);
  const planted = fs.readdirSync(root).filter((f) => f.endsWith('.tmp'));
  assert.equal(planted.length, 50 + 201, 'every planted link is still there, no temporary file left');
  assert.ok(planted.every((f) => fs.lstatSync(path.join(root, f)).isSymbolicLink()));
});

test('cli --fix: a .nix file that is a link is left alone, link and target: one inside the folder is reported, one leading out is not read', () => {
  const elsewhere = tree({ 'shared.nix': FIXABLE });
  const outside = path.join(elsewhere, 'shared.nix');
  const root = tree({ 'good.nix': FIXABLE, 'lib/target.nix': FIXABLE });
  fs.symlinkSync(outside, path.join(root, 'link.nix'));
  fs.symlinkSync('lib/target.nix', path.join(root, 'inner.nix'));
  const r = spawnSync(process.execPath, [BIN, '--fix', '--no-cache', root], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
  assert.ok(fs.lstatSync(path.join(root, 'link.nix')).isSymbolicLink(), 'the link is still a link');
  assert.equal(fs.readlinkSync(path.join(root, 'link.nix')), outside);
  assert.equal(fs.readFileSync(outside, 'utf8'), FIXABLE, 'the file it points to is unchanged');
  // a link out of the folder is not read (security issue 52): nothing of it is reported or fixed
  assert.doesNotMatch(r.stdout, /^link\.nix/m);
  assert.match(r.stderr, /not following .*link\.nix: it leads to .*shared\.nix, outside the workspace folder/);
  // a link inside the folder is read and reported, and fixed only where it lives (its target is fixed as a file of its own)
  assert.match(r.stdout, /^inner\.nix: not fixed: it is a link \(to lib\/target\.nix\); fix the file it points to where it lives$/m);
  assert.doesNotMatch(r.stdout, /inner\.nix:\d+:\d+: fixed/);
  assert.match(r.stdout, /^lib\/target\.nix:3:22: fixed invalid-mode/m);
  assert.ok(fs.lstatSync(path.join(root, 'inner.nix')).isSymbolicLink(), 'the inner link is still a link');
  assert.match(fs.readFileSync(path.join(root, 'good.nix'), 'utf8'), /"0400"/, 'the other file is fixed');
  assert.equal(r.status, 0);
});

test('--fix: a file changed after the analysis is skipped with a message, not given the old offsets', async () => {
  const root = tree({ 'good.nix': FIXABLE, 'other.nix': FIXABLE });
  const report = await analyzeFolder(root, DEFAULT_SETTINGS, () => {});
  const plan = planFixes(report.problems, (f) => report.syntaxErrors.has(f), (f) => report.digests.get(f));
  // someone edits good.nix between the analysis and the write: a line above the fix
  const edited = `# a comment the user just added\n${FIXABLE}`;
  fs.writeFileSync(path.join(root, 'good.nix'), edited);
  const outcome = applyPlan(plan, root);
  assert.equal(fs.readFileSync(path.join(root, 'good.nix'), 'utf8'), edited, 'the edited file is exactly as the user left it');
  assert.deepEqual(
    outcome.skipped.map((s) => [path.basename(s.file), s.reason]),
    [['good.nix', 'it changed since it was checked; run again']],
  );
  assert.deepEqual(outcome.written, [path.join(root, 'other.nix')]);
  assert.deepEqual(outcome.applied.map((a) => path.basename(a.problem.file)), ['other.nix']);
  assert.match(fs.readFileSync(path.join(root, 'other.nix'), 'utf8'), /"0400"/);
});

test('cli --fix: a result from the cache carries the digests of what it analysed', () => {
  const root = tree({ 'good.nix': FIXABLE });
  const cacheDir = tree({});
  const env = { ...process.env, CLAN_VARS_CACHE_DIR: cacheDir };
  const first = spawnSync(process.execPath, [BIN, root], { cwd: REPO_ROOT, encoding: 'utf8', env });
  assert.equal(first.status, 1);
  const r = spawnSync(process.execPath, [BIN, '--fix', root], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...env, CLAN_VARS_DEBUG_CACHE: '1' } });
  assert.match(r.stderr, /result cache: the stored result/);
  assert.match(r.stdout, /good\.nix:3:22: fixed invalid-mode/);
  assert.match(fs.readFileSync(path.join(root, 'good.nix'), 'utf8'), /"0400"/);
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test('--fix: a file reached through a folder link to outside the checked folder is left alone', () => {
  const elsewhere = tree({ 'x.nix': FIXABLE });
  const root = tree({});
  fs.symlinkSync(elsewhere, path.join(root, 'shared'));
  const file = path.join(root, 'shared', 'x.nix');
  const fix = { title: 'Change to "0400"', safe: true, edits: [{ file, range: { start: { line: 2, character: 21 }, end: { line: 2, character: 26 } }, newText: '"0400"' }] };
  const problem = { file, range: fix.edits[0].range, severity: 'error', code: 'invalid-mode', message: '', fixes: [fix] } as unknown as Parameters<typeof planFixes>[0][number];
  const plan = planFixes([problem], () => false, () => textDigest(FIXABLE));
  const outcome = applyPlan(plan, root);
  assert.deepEqual(outcome.skipped, [{ file, reason: `it is outside the checked folder (at ${path.join(elsewhere, 'x.nix')})` }]);
  assert.deepEqual(outcome.written, []);
  assert.equal(fs.readFileSync(path.join(elsewhere, 'x.nix'), 'utf8'), FIXABLE);
});

test('cli --fix: a file with a byte order mark is fixed at the right place and keeps the mark', () => {
  // the analysis does not count the mark: a fix on the first line would land one character early
  const ONE_LINE = '{ clan.core.vars.generators.g = { files.key.mode = "400"; script = "touch $out/key"; }; }\n';
  const root = tree({ 'bom.nix': '\uFEFF' + ONE_LINE });
  const r = spawnSync(process.execPath, [BIN, '--fix', '--no-cache', root], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
  assert.match(r.stdout, /bom\.nix:1:52: fixed invalid-mode/);
  assert.equal(fs.readFileSync(path.join(root, 'bom.nix'), 'utf8'), '\uFEFF' + ONE_LINE.replace('"400"', '"0400"'));
  assert.equal(r.status, 0, r.stdout + r.stderr);
});
