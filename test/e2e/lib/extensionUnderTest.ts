// Which extension the e2e tests load: the project itself, or, with CLAN_VARS_E2E_BREAK set, a
// deliberately broken copy staged under test-output/e2e/ (production code is never changed).
//   CLAN_VARS_E2E_BREAK=no-diagnostics   the language server runs but publishes no diagnostics
import * as fs from 'node:fs';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const OUTPUT_DIR = path.join(REPO_ROOT, 'test-output', 'e2e');

const BREAKS: Record<string, string> = {
  'no-diagnostics': 'dropDiagnostics.js',
};

export function breakMode(): string | undefined {
  const mode = process.env.CLAN_VARS_E2E_BREAK;
  if (!mode) return undefined;
  if (!BREAKS[mode]) throw new Error(`CLAN_VARS_E2E_BREAK=${mode} is not known; use one of: ${Object.keys(BREAKS).join(', ')}`);
  return mode;
}

/** The folder to load as the extension (extensionDevelopmentPath). Needs a build (dist/). */
export function extensionUnderTest(): string {
  if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'server.js'))) throw new Error('dist/ is missing: run `npm run build` first');
  const mode = breakMode();
  if (!mode) return REPO_ROOT;
  const staged = path.join(OUTPUT_DIR, `broken-extension-${mode}`);
  fs.rmSync(staged, { recursive: true, force: true });
  fs.mkdirSync(staged, { recursive: true });
  for (const entry of ['package.json', 'language-configuration.json', 'syntaxes', 'dist', 'media', 'webview-dist']) {
    const from = path.join(REPO_ROOT, entry);
    if (fs.existsSync(from)) fs.cpSync(from, path.join(staged, entry), { recursive: true });
  }
  fs.renameSync(path.join(staged, 'dist', 'server.js'), path.join(staged, 'dist', 'server.real.js'));
  fs.copyFileSync(path.join(__dirname, '..', 'break', BREAKS[mode]), path.join(staged, 'dist', 'server.js'));
  // the extension resolves its own node_modules only through the bundle; nothing else to copy
  console.log(`e2e: CLAN_VARS_E2E_BREAK=${mode}: testing the broken copy in ${path.relative(REPO_ROOT, staged)}`);
  return staged;
}

/** The language server script (for stdio clients such as Neovim) of the extension under test. */
export function serverScript(): string {
  return path.join(extensionUnderTest(), 'dist', 'server.js');
}
