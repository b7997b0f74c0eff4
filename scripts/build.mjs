// Bundles the extension client, the language server and the checker with esbuild into dist/, and
// copies the wasm files they load next to them.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// CLAN_VARS_DIST: another output folder (the package test builds there, leaving dist/ to the tests that run it)
const dist = path.resolve(root, process.env.CLAN_VARS_DIST ?? 'dist');
fs.mkdirSync(dist, { recursive: true });

// CLAN_VARS_PACKAGE=1 (npm run package): minified, without source maps (the .vsix ships no maps,
// so it names none); otherwise readable bundles with their maps, for tests and debugging
const shipping = process.env.CLAN_VARS_PACKAGE === '1';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !shipping,
  minify: shipping,
  logLevel: 'warning',
  absWorkingDir: root,
  // web-tree-sitter's CommonJS build: its ESM build loads Node's modules with import(), which a
  // bundle compiled with a code cache cannot run (server/src/cli/codeCache.ts); no import() is left
  alias: { 'web-tree-sitter': './node_modules/web-tree-sitter/tree-sitter.cjs' },
  supported: { 'dynamic-import': false },
};

await Promise.all([
  esbuild.build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: path.join(dist, 'client.js'), external: ['vscode'] }),
  esbuild.build({ ...common, entryPoints: ['server/src/lsp/main.ts'], outfile: path.join(dist, 'server.js') }),
  // the checker: its entry (cli.js) starts its bundle (checker.js) from the code cache made below
  esbuild.build({ ...common, entryPoints: ['server/src/cli/launch.ts'], outfile: path.join(dist, 'cli.js') }),
  esbuild.build({ ...common, entryPoints: ['server/src/cli/cli.ts'], outfile: path.join(dist, 'checker.js') }),
  // the cold scan's worker threads (server/src/model/scan/scanPool.ts), for the server and the checker
  esbuild.build({ ...common, entryPoints: ['server/src/model/scan/scanWorker.ts'], outfile: path.join(dist, 'scanWorker.js') }),
  // The dependency graph webview: a browser bundle (its styles are copied below).
  esbuild.build({ entryPoints: ['webview/src/main.ts'], outfile: path.join(dist, 'webview.js'), bundle: true, platform: 'browser', target: 'chrome120', format: 'iife', sourcemap: !shipping, minify: shipping, logLevel: 'warning', absWorkingDir: root }),
]);
fs.copyFileSync(path.join(root, 'webview/src/webview.css'), path.join(dist, 'webview.css'));
// maps of an earlier build would not match these bundles
if (shipping) for (const f of fs.readdirSync(dist)) if (f.endsWith('.js.map')) fs.rmSync(path.join(dist, f));

fs.copyFileSync(path.join(root, 'node_modules/web-tree-sitter/tree-sitter.wasm'), path.join(dist, 'tree-sitter.wasm'));
fs.copyFileSync(path.join(root, 'grammars/tree-sitter-nix.wasm'), path.join(dist, 'tree-sitter-nix.wasm'));
// what is known of well-known flake inputs (server/src/model/inputs/knownInputs.ts reads it beside the bundle)
fs.copyFileSync(path.join(root, 'server/src/model/inputs/data/known-inputs.json'), path.join(dist, 'known-inputs.json'));

// V8's code cache of the checker's bundle, made by a Node of the build's own flags (server/src/cli/codeCache.ts)
const made = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/code-cache.ts'), dist], { cwd: root, stdio: 'inherit' });
if (made.status !== 0) throw new Error(`scripts/code-cache.ts failed (exit ${made.status ?? made.signal})`);
