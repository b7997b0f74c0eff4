// A file whose analysis throws is a bug, never a silent skip: the checker reports it as an
// internal-error finding on the file, names it on stderr, and exits 2. The failure is injected
// with CLAN_VARS_TEST_ANALYSIS_THROW (facts/file.ts); the real one it stands for, generators built
// by `map` from one body (the fact pool wrote a list it had frozen), is checked first.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { REPO_ROOT, removeTree, writeTree } from '../helpers/tempClan';

const BIN = path.join(REPO_ROOT, 'bin', 'clan-vars-lint.js');
const roots: string[] = [];
after(() => roots.forEach(removeTree));

const MODULE = 'machines/a/configuration.nix';
/** A module whose generator nothing depends on: its failure takes nothing else with it. */
const LEAF = 'machines/a/backup.nix';
const FAILURE = 'deliberate failure (CLAN_VARS_TEST_ANALYSIS_THROW)';

function clan(): string {
  const root = writeTree({
    'flake.nix': '{ inputs.clan-core.url = "github:clan-lol/clan-core"; outputs = { clan-core, ... }: { }; }\n',
    [MODULE]: `{ lib, ... }: {
  imports = [ ./wireguard.nix ./backup.nix ];
  clan.core.vars.generators = lib.listToAttrs (map (n: lib.nameValuePair "x-\${n}" { files.key = { }; script = "echo > $out/key"; }) [ "a" "b" ]);
}
`,
    'machines/a/wireguard.nix': `{ lib, ... }: {
  clan.core.vars.generators = lib.mapAttrs' (n: port: lib.nameValuePair "wg-\${n}" { files.key.mode = "0400"; files.port.secret = false; script = "head -c 32 /dev/urandom | base64 > $out/key; echo \${port} > $out/port"; }) { lan = "51820"; wan = "51821"; };
}
`,
    'machines/a/backup.nix': `{
  clan.core.vars.generators.backup = { dependencies = [ "x-a" "x-b" "wg-lan" ]; files.key = { }; script = "cat $in/x-a/key $in/x-b/key $in/wg-lan/key > $out/key"; };
}
`,
  });
  roots.push(root);
  return root;
}

function lint(root: string, args: string[] = [], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [BIN, '--no-cache', ...args, root], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('internal error: generators map builds from one body over a literal list are analysed, not skipped', () => {
  const r = lint(clan());
  assert.equal(r.stderr, '');
  assert.equal(r.stdout, '0 errors, 0 warnings (4 .nix files checked, 5 generator declarations)\n');
  assert.equal(r.code, 0);
});

test('internal error: a file whose analysis throws is a finding on the file, named on stderr, exit 2', () => {
  const root = clan();
  const r = lint(root, ['--format', 'compact'], { CLAN_VARS_TEST_ANALYSIS_THROW: LEAF });
  const lines = r.stdout.split('\n');
  assert.equal(lines[0], `${LEAF}:1:1: error internal-error Clan Vars could not analyse this file: ${FAILURE}. This is a bug in Clan Vars, not in the file: please report it with this message. Until it is fixed, the file's generators, reads of vars and settings are missing from every check.`);
  assert.equal(lines[1], '1 error, 0 warnings (4 .nix files checked, 4 generator declarations)', 'not counted as skipped');
  assert.deepEqual(r.stderr.trim().split('\n'), [
    `clan-vars-lint: internal error: ${path.join(root, LEAF)} could not be analysed: ${FAILURE}`,
    'clan-vars-lint: internal error: 1 file could not be analysed (its internal-error finding says which and why); the results are incomplete',
  ]);
  assert.equal(r.code, 2);
});

test('internal error: in JSON and SARIF too, and the exit status stays 2 beside other errors', () => {
  const root = writeTree({
    'flake.nix': '{ outputs = { clan-core, ... }: { }; }\n',
    'machines/a.nix': '{ clan.core.vars.generators.a.dependencies = [ "nope" ]; }\n',
    'machines/b.nix': '{ clan.core.vars.generators.b.files.key = { }; }\n',
  });
  roots.push(root);
  const json = lint(root, ['--format', 'json'], { CLAN_VARS_TEST_ANALYSIS_THROW: 'machines/b.nix' });
  const found = JSON.parse(json.stdout).diagnostics.map((d: { file: string; code: string }) => `${d.file} ${d.code}`);
  assert.deepEqual(found, ['machines/a.nix unknown-dependency', 'machines/b.nix internal-error']);
  assert.equal(json.code, 2);
  const sarif = lint(root, ['--format', 'sarif'], { CLAN_VARS_TEST_ANALYSIS_THROW: 'machines/b.nix' });
  const results = JSON.parse(sarif.stdout).runs[0].results.map((x: { ruleId: string; level: string }) => `${x.ruleId} ${x.level}`);
  assert.deepEqual(results.sort(), ['internal-error error', 'unknown-dependency error']);
  assert.equal(sarif.code, 2);
});

test('internal error: --ignore internal-error leaves the file out knowingly (exit 0, its stderr line stays)', () => {
  const root = clan();
  const r = lint(root, ['--ignore', 'internal-error'], { CLAN_VARS_TEST_ANALYSIS_THROW: LEAF });
  assert.equal(r.stdout, '0 errors, 0 warnings (4 .nix files checked, 4 generator declarations)\n');
  assert.equal(r.stderr, `clan-vars-lint: internal error: ${path.join(root, LEAF)} could not be analysed: ${FAILURE}\n`);
  assert.equal(r.code, 0);
});
