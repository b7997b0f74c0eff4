// Runs the in-editor e2e suite (test/e2e/suite) with @vscode/test-electron's runTests():
//   default                       through code-shim.js: code-server + headless chromium (offline)
//   CLAN_VARS_TEST_VSCODE=desktop runTests downloads and starts real VS Code desktop (needs internet)
// The fixture clan is copied to a temporary folder and opened as the workspace.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { extensionUnderTest, OUTPUT_DIR, REPO_ROOT } from './lib/extensionUnderTest';
import { toolsDir } from './lib/workbench.js';

type RunTests = (options: {
  vscodeExecutablePath?: string;
  version?: string;
  extensionDevelopmentPath: string;
  extensionTestsPath: string;
  launchArgs?: string[];
  extensionTestsEnv?: Record<string, string | undefined>;
}) => Promise<number>;

function loadRunTests(): RunTests {
  const candidates = [path.join(toolsDir(), 'node_modules', '@vscode', 'test-electron'), '@vscode/test-electron'];
  for (const c of candidates) {
    try {
      return require(c).runTests as RunTests;
    } catch {
      // try the next place
    }
  }
  throw new Error(`@vscode/test-electron is not installed in ${toolsDir()}: run \`bash test/e2e/setup.sh\` first (see docs/testing.md)`);
}

/** Bundles the suite for the extension host (vscode stays external). */
async function buildSuite(): Promise<string> {
  const outfile = path.join(OUTPUT_DIR, 'out', 'suite.js');
  await esbuild.build({
    entryPoints: [path.join(__dirname, 'suite', 'index.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    external: ['vscode'],
    logLevel: 'warning',
  });
  return outfile;
}

async function main(): Promise<number> {
  const desktop = process.env.CLAN_VARS_TEST_VSCODE === 'desktop';
  const extensionDevelopmentPath = extensionUnderTest();
  const extensionTestsPath = await buildSuite();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'clan-vars-e2e-'));
  const workspace = path.join(scratch, 'clan');
  fs.cpSync(path.join(__dirname, 'fixtures', 'clan'), workspace, { recursive: true });
  // the stand-in clan CLI (clan itself cannot be installed here), beside the workspace
  fs.mkdirSync(path.join(scratch, 'fake-clan'));
  fs.copyFileSync(path.join(__dirname, '..', 'fixtures', 'fake-clan', 'clan'), path.join(scratch, 'fake-clan', 'clan'));
  fs.chmodSync(path.join(scratch, 'fake-clan', 'clan'), 0o755);
  const launchArgs = [workspace, `--user-data-dir=${path.join(scratch, 'user-data')}`, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'];
  const started = Date.now();
  try {
    const runTests = loadRunTests();
    console.log(`e2e: running the suite in ${desktop ? 'VS Code desktop (downloaded by @vscode/test-electron)' : 'code-server 4.100.3 + headless chromium (test/e2e/code-shim.js)'}`);
    const code = await runTests({
      ...(desktop ? {} : { vscodeExecutablePath: path.join(__dirname, 'code-shim.js') }),
      extensionDevelopmentPath,
      extensionTestsPath,
      launchArgs,
    });
    return code;
  } catch (e) {
    // runTests rejects with "Test run failed with code 1" when a scenario failed
    console.error(`e2e: ${(e as Error).message ?? e}`);
    if (desktop) console.error('e2e: CLAN_VARS_TEST_VSCODE=desktop lets @vscode/test-electron download VS Code from update.code.visualstudio.com: it needs internet access');
    return 1;
  } finally {
    console.log(`e2e: in-editor suite took ${((Date.now() - started) / 1000).toFixed(1)} s`);
    if (process.env.CLAN_VARS_E2E_KEEP === '1') console.log(`e2e: kept the workspace and user data in ${scratch}`);
    else fs.rmSync(scratch, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().then((code) => process.exit(code));
}

export { REPO_ROOT };
