// Proof that the e2e suites can fail (CI runs it after `npm run test:e2e`): each stage runs against
// the deliberately broken copy of the extension (CLAN_VARS_E2E_BREAK=no-diagnostics: the server
// publishes no diagnostics) and must fail, on its own assertion that a diagnostic did not arrive,
// not on a crash or a missing tool. Exits 0 when every stage failed that way, 1 otherwise.
//   node --import tsx test/e2e/expectBroken.ts   (after npm run build and test/e2e/setup.sh)
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const MODE = 'no-diagnostics';
/** Per stage: the failure its own assertion reports when no diagnostic arrives. */
const EXPECTED: Record<string, RegExp> = {
  suite: /expected a "[\w-]+" diagnostic .*within \d+ ms; the editor has these diagnostics for it: none \(no Clan Vars diagnostic has arrived for any file in this run/,
  ui: /a red squiggle \(\.squiggly-error\) under "[^"]+": the language server published no diagnostics\?/,
  neovim: /has [\w-]+: got \[\] after \d+ ms; publishDiagnostics for it: 0/,
};

const root = path.resolve(__dirname, '..', '..');
const results: { stage: string; ok: boolean; why: string }[] = [];
for (const [stage, expected] of Object.entries(EXPECTED)) {
  console.log(`\n===== broken build (CLAN_VARS_E2E_BREAK=${MODE}), stage ${stage}: must fail`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'runAll.ts')], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 256 << 20,
    env: { ...process.env, CLAN_VARS_E2E_BREAK: MODE, CLAN_VARS_E2E_ONLY: stage },
  });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  // indented, so that the stage's own "0 passed, 1 failed" is not read as this run's result
  console.log(output.replace(/^/gm, '  | '));
  const line = output.split('\n').find((l) => expected.test(l));
  const why =
    r.status === 0 ? 'it passed against a server that publishes no diagnostics'
    : r.status !== 1 ? `it ended with ${r.error ?? `status ${r.status}, signal ${r.signal}`}, not with failed tests`
    : !/^0 passed, 1 failed$/m.test(output) ? 'the stage did not finish with its summary'
    : !line ? `its output has no failed assertion matching ${expected}`
    : `failed as it must: ${line.trim().slice(0, 200)}`;
  results.push({ stage, ok: r.status === 1 && /^0 passed, 1 failed$/m.test(output) && line !== undefined, why });
}

console.log('\n===== broken build summary');
for (const r of results) console.log(`  ${r.ok ? 'PASS' : 'FAIL'}  ${r.stage}: ${r.why}`);
const bad = results.filter((r) => !r.ok).length;
console.log(`broken-build: ${results.length - bad} passed, ${bad} failed`);
process.exit(bad ? 1 : 0);
