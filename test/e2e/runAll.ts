// `npm run test:e2e` (after the build): every real-editor stage in turn, with its time, then a
// summary whose last line is "N passed, N failed" (stages). Exit code 1 when any stage failed.
//   CLAN_VARS_E2E_ONLY=suite,ui,ui-corpus,neovim   run only these stages
//   CLAN_VARS_E2E_BREAK=no-diagnostics   test a deliberately broken copy: every stage must fail
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const here = __dirname;
const node = process.execPath;
const STAGES = [
  { id: 'suite', title: 'in-editor suite (runTests -> code-shim -> code-server)', args: ['--import', 'tsx', path.join(here, 'runTests.ts')] },
  { id: 'ui', title: 'UI smoke (headless chromium)', args: ['--import', 'tsx', '--test', '--test-reporter=spec', path.join(here, 'ui.smoke.ts'), path.join(here, 'ui.vars.ts')] },
  { id: 'ui-corpus', title: 'UI on the real clans of ../shared/corpus (headless chromium)', args: ['--import', 'tsx', '--test', '--test-reporter=spec', path.join(here, 'ui.corpus.ts')] },
  { id: 'neovim', title: 'Neovim LSP client', args: ['--import', 'tsx', '--test', '--test-reporter=spec', path.join(here, 'neovim.test.ts')] },
];

const only = process.env.CLAN_VARS_E2E_ONLY?.split(',').map((s) => s.trim());
const results: { title: string; ok: boolean; seconds: number }[] = [];
const started = Date.now();
for (const stage of STAGES) {
  if (only && !only.includes(stage.id)) continue;
  console.log(`\n===== e2e: ${stage.title}`);
  const t0 = Date.now();
  const r = spawnSync(node, stage.args, { stdio: 'inherit', cwd: path.resolve(here, '..', '..') });
  results.push({ title: stage.title, ok: r.status === 0, seconds: (Date.now() - t0) / 1000 });
}

console.log('\n===== e2e summary');
for (const r of results) console.log(`  ${r.ok ? 'PASS' : 'FAIL'}  ${r.seconds.toFixed(1).padStart(6)} s  ${r.title}`);
console.log(`  total ${((Date.now() - started) / 1000).toFixed(1)} s${process.env.CLAN_VARS_E2E_BREAK ? ` (CLAN_VARS_E2E_BREAK=${process.env.CLAN_VARS_E2E_BREAK})` : ''}`);
const failed = results.filter((r) => !r.ok).length;
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
