// clan-vars-lint --fix and --ignore: safe fixes applied on disk, never in files with syntax errors.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { REPO_ROOT, removeTree, writeTree } from '../helpers/tempClan';

const BIN = path.join(REPO_ROOT, 'bin', 'clan-vars-lint.js');
const roots: string[] = [];
after(() => roots.forEach(removeTree));

function lint(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const GOOD = `{
  clan.core.vars.generators.g = {
    files.key.mode = "400";
    prompts.pw.createFile = true;
    files.key.neededFor = "user";
    files.key.owner = "root";
    dependencies = [ "gg" ];
    script = "cat $prompts/pw > $out/key";
  };
}
`;
const BROKEN = `{
  clan.core.vars.generators.h = {
    files.key.mode = "400";
    files.key.owner = ;
  };
}
`;

test('cli --fix: applies the safe fixes, reports them, leaves unsafe ones and files with syntax errors', () => {
  const root = writeTree({ 'good.nix': GOOD, 'broken.nix': BROKEN });
  roots.push(root);
  const r = lint(['--fix', '--format', 'compact', root]);
  const good = fs.readFileSync(path.join(root, 'good.nix'), 'utf8');
  assert.match(good, /files\.key\.mode = "0400";/);
  assert.match(good, /prompts\.pw\.persist = true;/);
  assert.match(good, /files\.key\.neededFor = "users";/);
  assert.match(good, /dependencies = \[ "gg" \];/, 'a guessed rename is not safe');
  assert.equal(fs.readFileSync(path.join(root, 'broken.nix'), 'utf8'), BROKEN);
  assert.match(r.stdout, /good\.nix:3:22: fixed invalid-mode: Change to "0400"/);
  assert.match(r.stdout, /good\.nix:4:16: fixed removed-option: Rename createFile to persist/);
  assert.match(r.stdout, /broken\.nix: not fixed: the file has syntax errors/);
  assert.match(r.stdout, /broken\.nix:3:\d+: error invalid-mode/);
  assert.doesNotMatch(r.stdout, /good\.nix:\d+:\d+: error invalid-mode/);
  assert.equal(r.code, 1, 'the unknown dependency and the broken file remain');
  assert.deepEqual(fs.readdirSync(root).filter((f) => f.includes('.tmp')), []);
});

test('cli --ignore: codes are not reported and do not fail the run', () => {
  const root = writeTree({ 'm.nix': `{ clan.core.vars.generators.g.files.k.mode = "400"; }\n` });
  roots.push(root);
  assert.equal(lint([root]).code, 1);
  const r = lint(['--ignore', 'invalid-mode,unknown-prompt', root]);
  assert.equal(r.code, 0, r.stdout);
  assert.match(r.stdout, /^0 errors, 0 warnings/m);
  assert.match(lint(['--help']).stdout, /--fix\s+apply the safe quick fixes/);
});
