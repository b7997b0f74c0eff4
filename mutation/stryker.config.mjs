// Stryker's configuration for one folder of mutation/folders.mjs, picked by $MUTATION_FOLDER (set by
// mutation/run.mjs). Each test file runs on its own in `node -r tsx/cjs` (the TAP runner), and only
// the test files that reach a mutant run against it.
import { FOLDERS } from './folders.mjs';

const name = process.env.MUTATION_FOLDER;
const folder = FOLDERS[name];
if (!folder) throw new Error(`MUTATION_FOLDER must be one of ${Object.keys(FOLDERS).join(', ')}`);
const only = process.env.MUTATION_FILES ? process.env.MUTATION_FILES.split('\n').filter(Boolean) : null;
// the tests that check some files only: run when one of those files is mutated
const extra = [folder.testsFor ?? []].flat().flatMap((t) => (!only || only.some((f) => t.files.includes(f.split(':')[0])) ? t.tests : []));

export default {
  packageManager: 'npm',
  // the TAP runner, with each mutant's test files in the order most likely to kill it first (orderedTapRunner.mjs)
  plugins: ['@stryker-mutator/tap-runner', new URL('./orderedTapRunner.mjs', import.meta.url).pathname],
  testRunner: 'tap-ordered',
  tap: {
    testFiles: [...folder.tests, ...extra],
    nodeArgs: ['-r', '{{hookFile}}', '--require', 'tsx/cjs', '--enable-source-maps', '--test-reporter=tap', '{{testFile}}'],
    forceBail: true,
  },
  coverageAnalysis: 'perTest',
  mutate: only ?? folder.mutate,
  // fuzz/rng.ts stays: the seeded generator the random model tests share
  ignorePatterns: ['dist', 'bench-output', 'test-output', '.vscode-test', '*.vsix', 'reports', 'test/e2e', 'fuzz/*', '!fuzz/rng.ts', 'bench', 'media'],
  concurrency: Number(process.env.MUTATION_CONCURRENCY ?? 2),
  timeoutMS: 20_000,
  timeoutFactor: 2,
  reporters: ['progress', 'json'],
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  incremental: process.env.MUTATION_INCREMENTAL === '1',
  incrementalFile: `reports/mutation/${name}.incremental.json`,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  disableTypeChecks: 'server/src/**/*.ts',
};
