// Neovim as a second LSP client: `nvim --headless` runs neovim/diagnostics.lua, which starts
// `clan-vars-language-server --stdio` on a copy of the fixture clan and checks its diagnostics.
// Run: node --import tsx --test test/e2e/neovim.test.ts (needs Debian's neovim and a build).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { breakMode, REPO_ROOT, serverScript } from './lib/extensionUnderTest';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'clan-vars-nvim-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

test('neovim: the language server reports the seeded mistakes and clears a fixed one', () => {
  const nvim = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
  assert.equal(nvim.status, 0, 'nvim is not installed: run `bash test/e2e/setup.sh` (apt package neovim)');
  const root = path.join(scratch, 'clan');
  fs.cpSync(path.join(__dirname, 'fixtures', 'clan'), root, { recursive: true });
  // with no break switch, use the published entry point, as a Neovim user would
  const server = breakMode() ? serverScript() : path.join(REPO_ROOT, 'bin', 'clan-vars-language-server.js');
  runNvim('diagnostics.lua', {
    CLAN_VARS_SERVER: server,
    CLAN_VARS_ROOT: root,
    CLAN_VARS_EXPECT: 'lib/machine-env-matrix.nix=unknown-registry-key;machines/bo/configuration.nix=unknown-dependency;modules/hosts/ada/default.nix=import-apply-generators',
    CLAN_VARS_FIX_FIND: 'opneai',
    CLAN_VARS_FIX_REPLACE: 'openai',
  });
});

/** Runs a script of neovim/ in headless Neovim and fails on a "not ok" line, no summary, or a non-zero exit. */
function runNvim(script: string, env: Record<string, string>): void {
  const result = spawnSync('nvim', ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${path.join(__dirname, 'neovim', script)}`], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...env } });
  const output = result.stdout.trim();
  console.log(output.replace(/^/gm, '    '));
  if (result.error) assert.fail(`nvim did not finish: ${result.error.message}\n${result.stderr}`);
  const summary = /^(\d+) passed, (\d+) failed$/m.exec(output);
  assert.ok(summary, `no "N passed, N failed" line from nvim (exit ${result.status}); stderr:\n${result.stderr}`);
  assert.equal(Number(summary[2]), 0, `${summary[2]} Neovim check(s) failed (see the "not ok" lines above)`);
  assert.equal(result.status, 0, `nvim exited with ${result.status}`);
}

test("neovim: the README's Neovim 0.7 block starts the server and attaches it to a Nix buffer", () => {
  const root = path.join(scratch, 'readme-clan');
  fs.cpSync(path.join(__dirname, 'fixtures', 'clan'), root, { recursive: true });
  runNvim('readme-snippet.lua', {
    CLAN_VARS_README: path.join(REPO_ROOT, 'README.md'),
    CLAN_VARS_REPO: REPO_ROOT,
    CLAN_VARS_FILE: path.join(root, 'machines/bo/configuration.nix'),
    CLAN_VARS_CODE: 'unknown-dependency',
  });
});
