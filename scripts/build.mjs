// Bundles the extension client, the language server and the checker with esbuild into dist/, and
// copies the wasm files they load next to them.
import * as esbuild from 'esbuild';
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
  // web-tree-sitter's ESM build reads import.meta.url; give the CommonJS bundle an equivalent.
  define: { 'import.meta.url': '__importMetaUrl' },
  banner: { js: "const __importMetaUrl = require('url').pathToFileURL(__filename).href;" },
};

await Promise.all([
  esbuild.build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: path.join(dist, 'client.js'), external: ['vscode'] }),
  esbuild.build({ ...common, entryPoints: ['server/src/lsp/main.ts'], outfile: path.join(dist, 'server.js') }),
  esbuild.build({ ...common, entryPoints: ['server/src/cli/cli.ts'], outfile: path.join(dist, 'cli.js') }),
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
