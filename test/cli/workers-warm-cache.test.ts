// The built checker's scan workers and the facts cache (model/scan/scanFolder.ts workersAtStart): a
// clan large enough for a worker gets one when it is checked from scratch; with the cache of an
// earlier check and one file edited, none starts (it would parse nothing); with most files changed
// since (another branch checked out), one starts once the scan has met enough of them. The findings
// are the same each time.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { checkChain, generatorChainFiles, removeTree, tempCacheDir, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

const MACHINES = 420;

test('scan workers with the facts cache: from scratch, one file edited, most files changed', { skip: os.availableParallelism() < 2 ? 'one core: no workers' : false }, () => {
  const files = generatorChainFiles(MACHINES);
  const root = writeTree(files, 'clan-vars-warm-workers-');
  const cache = tempCacheDir('clan-vars-warm-cache-');
  roots.push(root, cache);
  const lint = () => {
    const r = checkChain(root, cache, { CLAN_VARS_DEBUG_TIMES: '1' });
    const times = /^clan-vars-lint: times: .*$/m.exec(r.stderr)?.[0] ?? '';
    assert.ok(times, r.stderr);
    return { workers: /parsed in (\d+) worker threads/.exec(times)?.[1] ?? 'none', findings: JSON.parse(r.stdout).diagnostics.map((d: { file: string; code: string }) => `${d.file} ${d.code}`) };
  };
  const cold = lint();
  assert.equal(cold.workers, '1', 'from scratch');
  assert.deepEqual(cold.findings, [`machines/m${MACHINES - 1}.nix unknown-dependency`]);
  // one file edited, the first the scan reads: the check runs again (the stored result is not for
  // this text) with every other file's facts cached
  fs.appendFileSync(path.join(root, 'machines/m0.nix'), '# edited\n');
  const edited = lint();
  assert.equal(edited.workers, 'none', 'one file to parse');
  assert.deepEqual(edited.findings, cold.findings);
  // one file in ten edited: more than enough to start workers, but far fewer than the files cached
  for (let i = 5; i < MACHINES; i += 10) fs.appendFileSync(path.join(root, `machines/m${i}.nix`), '# edited\n');
  const some = lint();
  assert.equal(some.workers, 'none', 'one file in ten to parse');
  assert.deepEqual(some.findings, cold.findings);
  // every file changed: nearly all must be parsed, so a worker starts once enough of them are met
  for (let i = 0; i < MACHINES; i++) fs.appendFileSync(path.join(root, `machines/m${i}.nix`), '# another branch\n');
  const switched = lint();
  assert.equal(switched.workers, '1', 'most files to parse');
  assert.deepEqual(switched.findings, cold.findings);
});
