// The command tables of the script rules (rules/data/commandPackages.ts) against the real tools:
// a generator script runs under bash with PATH = runtimeInputs + coreutils, so a word of the
// builtins table must be one bash knows as a builtin or keyword, and a word of the coreutils table
// one GNU coreutils installs. Both directions: a missing word is a false missing-runtime-input.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { COREUTILS, SHELL_BUILTINS } from '../../server/src/rules/data/commandPackages';

const words = (cmd: string, args: string[]): Set<string> | null => {
  try {
    return new Set(execFileSync(cmd, args, { encoding: 'utf8' }).split('\n').filter(Boolean));
  } catch {
    return null;
  }
};

test("the shell table is exactly bash's builtins and keywords", () => {
  const bash = words('bash', ['-c', 'compgen -b; compgen -k']);
  assert.ok(bash, 'bash is needed to run generator scripts, and to check this table');
  assert.deepEqual([...SHELL_BUILTINS].filter((w) => !bash.has(w)), [], 'in the table, not in bash');
  assert.deepEqual([...bash].filter((w) => !SHELL_BUILTINS.has(w)), [], 'in bash, not in the table');
});

test('the coreutils table is exactly the programs GNU coreutils installs (Debian\'s package)', (t) => {
  const listed = words('dpkg', ['-L', 'coreutils']);
  if (!listed) return t.skip('dpkg is not here: no coreutils package to compare with');
  const programs = new Set([...listed].filter((f) => /\/s?bin\/[^/]+$/.test(f)).map((f) => f.slice(f.lastIndexOf('/') + 1)));
  // Debian's compatibility name for md5sum; not a program of GNU coreutils
  programs.delete('md5sum.textutils');
  assert.ok(programs.has('cat') && programs.has('sha256sum'), `dpkg -L coreutils lists no programs: ${[...programs].slice(0, 5)}`);
  assert.deepEqual([...COREUTILS].filter((w) => !programs.has(w)), [], 'in the table, not in coreutils');
  assert.deepEqual([...programs].filter((w) => !COREUTILS.has(w)), [], 'in coreutils, not in the table');
});
