// The checker on clans that name files outside themselves (security issue 52, findings 4 and 5): no
// byte of an outside file reaches the text, JSON or SARIF output or the log, links out of the clan
// (into the Nix store too) are not followed, and what is inside is still checked: the undefined
// variable of a file the registry imports through a link inside the clan is reported.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { outsideTree, SECRET } from '../helpers/outsideReads';
import { REPO_ROOT, removeTree } from '../helpers/tempClan';

const tree = outsideTree();
after(() => removeTree(tree.base));

function lint(dir: string, args: string[] = []) {
  return spawnSync(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), '--no-cache', ...args, dir], { encoding: 'utf8', maxBuffer: 64 << 20 });
}

for (const format of ['text', 'json', 'sarif']) {
  test(`cli --format ${format}: the registry pipeline's imports of outside files read nothing of them`, () => {
    const r = lint(tree.clan, ['--format', format]);
    assert.equal(r.status, 1, r.stderr);
    assert.ok(!r.stdout.includes(SECRET), r.stdout);
    assert.ok(!r.stderr.includes(SECRET), r.stderr);
    // the evaluation ran: the undefined variable of a file it reads through a link inside the clan is reported
    assert.match(r.stdout, /helpr/);
    // and what it did not read is said, by path
    for (const file of ['netrc', 'thrower.nix', 'folder/thrower.nix']) {
      assert.ok(r.stderr.includes(`not reading a file of the registry pipeline of ${tree.clan}: `) && r.stderr.includes(path.join(tree.outside, file)), `${file}\n${r.stderr}`);
    }
  });
}

test('cli: a .nix file or a folder linking out of the clan, or into the Nix store, is not read', () => {
  const r = lint(tree.clan, ['--format', 'json']);
  const files: string[] = JSON.parse(r.stdout).diagnostics.map((d: { file: string }) => d.file);
  assert.deepEqual(files.filter((f) => !f.startsWith('lib/')), []);
  assert.match(r.stderr, new RegExp(`not following ${path.join(tree.clan, 'machines/a/linked.nix')}: it leads to ${path.join(tree.outside, 'module.nix')}, outside the workspace folder`));
  assert.match(r.stderr, new RegExp(`not following ${path.join(tree.clan, 'machines/ext')}: it leads to ${path.join(tree.outside, 'modules')}, outside the workspace folder`));
  // the old checker followed any link into /nix/store (70,000 store files: 53 s, 668 MB)
  if (fs.existsSync('/nix/store')) assert.match(r.stderr, new RegExp(`not following ${path.join(tree.clan, 'store')}: it leads to /nix/store, outside the workspace folder`));
});

test('cli: a registry file that is a link to an age key file outside is skipped, and its key printed nowhere', () => {
  for (const format of ['text', 'json', 'sarif']) {
    const r = lint(tree.linkedRegistry, ['--format', format]);
    assert.ok(!r.stdout.includes(SECRET), r.stdout);
    assert.ok(!r.stderr.includes(SECRET), r.stderr);
    assert.match(r.stdout, /coer/);
  }
});

test('cli: a registry path given as a setting that leads out of the clan is not read', () => {
  for (const flag of ['--registry-path', '--generators-path']) {
    const r = lint(tree.clan, ['--format', 'json', flag, '../outside/registry.nix']);
    assert.ok(!r.stdout.includes(SECRET), r.stdout);
    assert.ok(!r.stderr.includes(SECRET), r.stderr);
  }
});
