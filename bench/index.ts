// npm run bench: prints figures for the performance targets. No pass/fail: read the numbers.
import { benchGraph } from './graph.bench';
import { benchGraphOpen } from './graphOpen.bench';
import { benchFeatures } from './features.bench';
import { benchReload, benchScales } from './scale.bench';
import { benchSharedClan } from './shared.bench';

import { TestClient } from '../test/helpers/lspClient';

/** The whole bench never runs longer than this: then it says so, stops every server it started and exits 1. */
const LIMIT_MS = Number(process.env.CLAN_VARS_BENCH_LIMIT_S ?? 1500) * 1000;

async function main() {
  setTimeout(() => {
    console.error(`bench: stopped after ${LIMIT_MS / 1000} s (CLAN_VARS_BENCH_LIMIT_S); killing ${TestClient.running.size} server(s)`);
    for (const c of TestClient.running) c.proc?.kill('SIGKILL');
    process.exit(1);
  }, LIMIT_MS).unref();
  console.log(`# Clan Vars benchmarks (node ${process.version}, ${require('node:os').cpus().length} cores)\n`);
  // `npm run bench -- shared`: only the shared clan's figures
  const only = process.argv[2];
  if (only !== 'shared') {
    console.log('## fleet scale: checker, index, keystrokes, requests during evaluation, memory, at two clan sizes');
    await benchScales();
  }
  console.log("\n## the shared clan's shape at 1x (../shared/perf: gen-synthetic-clan.py, lsp-latency.mjs, ts-floor.mjs), one run");
  await benchSharedClan();
  if (only === 'shared') return;
  console.log('\n## server start on a real clan, and after a reload');
  await benchReload();
  console.log('\n## dependency graph layout');
  await benchGraph();
  console.log('\n## dependency graph: first open (layout, a new webview page, drawn), without VS Code');
  await benchGraphOpen();
  console.log('\n## hover and completion');
  await benchFeatures();
  console.log('\n## secret reveal (a fresh process, so the first reveal is cold)');
  const r = require('node:child_process').spawnSync(process.execPath, ['--import', 'tsx', require('node:path').join(__dirname, 'reveal.ts')], { stdio: 'inherit' });
  if (r.status !== 0) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
