// A failed run's notification (issue 57): what failed first, nix's reason in one short line, no
// full path before it; and the status item, which drops its failure mark once the user has seen it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { failureNotice, shortReason } from '../../client/src/failureText';
import { statusText } from '../../client/src/statusText';
import { archiveFailure } from '../../server/src/actions/fetchInputs';

// nix flake archive without network, as nix 2.x prints it (the stderr tail archiveFailure keeps)
const OFFLINE = archiveFailure({
  exitCode: 1,
  stdout: '',
  notFound: false,
  stderrTail: [
    "warning: error: unable to download 'https://api.github.com/repos/NixOS/nixpkgs/commits/nixos-unstable': Couldn't resolve host name (6); retrying in 320 ms",
    "error:",
    "       … while fetching the input 'github:NixOS/nixpkgs/nixos-unstable'",
    '',
    "       error: unable to download 'https://api.github.com/repos/NixOS/nixpkgs/commits/nixos-unstable': Couldn't resolve host name (6)",
  ],
} as Parameters<typeof archiveFailure>[0]);

test('a failed fetch: what failed first, then nix\'s cause in one line, not its whole output', () => {
  const text = failureNotice('fetching the flake inputs', OFFLINE);
  assert.match(text, /^Clan Vars: fetching the flake inputs failed: unable to download 'https:\/\/api\.github\.com\/.*': Couldn't resolve host name \(6\)\. The log has the whole output\.$/);
  assert.ok(!text.includes('\n'), text);
  assert.ok(!text.includes('while fetching'), text);
});

test('a reason is cut at a space past 160 characters; long paths are shortened to their last two parts', () => {
  const long = `error: cannot open ${'/home/someone/src/clans/my-clan/very/deep/folder/flake.nix'} because ${'the disk is slow '.repeat(12)}`;
  const r = shortReason(long);
  assert.ok(r.length <= 162, `${r.length}: ${r}`);
  assert.match(r, /^cannot open …\/folder\/flake\.nix because the disk/);
  assert.match(r, / …$/);
  assert.equal(shortReason("'nix' was not found on PATH (install Nix, or run where it is)"), "'nix' was not found on PATH (install Nix, or run where it is)");
});

test('status item: a failed run marks the item until the user has seen it; the tooltip keeps it', () => {
  const ready = { state: 'ready' as const, files: 3, generators: 2, errors: 0, warnings: 0 };
  const run = { text: 'fetch flake inputs: failed (exit code 1)', ok: false };
  assert.equal(statusText(ready, run).text, '$(check) Clan Vars $(terminal) failed');
  const seen = statusText(ready, { ...run, seen: true });
  assert.equal(seen.text, '$(check) Clan Vars');
  assert.match(seen.tooltip, /Last clan run: fetch flake inputs: failed \(exit code 1\)/);
});
