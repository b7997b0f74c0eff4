// npm run bench: prints figures for the performance targets. No pass/fail: read the numbers.
import { benchGraph } from './graph.bench';
import { benchFeatures } from './features.bench';
import { benchWorkspace } from './workspace.bench';
import { benchGeneratorKeystroke } from './generatorKeystroke.bench';

async function main() {
  console.log(`# Clan Vars benchmarks (node ${process.version}, ${require('node:os').cpus().length} cores)\n`);
  console.log('## workspace index and diagnostics');
  await benchWorkspace();
  console.log('\n## keystroke in a generator module, at two clan sizes');
  await benchGeneratorKeystroke();
  console.log('\n## dependency graph layout');
  await benchGraph();
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
