// Slow-to-parse files in a clan large enough for scan workers, through the built checker: a file
// that runs out of time in a worker is skipped with the worker's verdict (it used to be parsed
// again on the main thread, for as long again), and the next check, with the facts cache, parses
// none of them.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { checkChain, generatorChainFiles, removeTree, tempCacheDir, writeTree } from '../helpers/tempClan';
import { slowText } from '../helpers/slowText';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

test('slow parses with scan workers: skipped with the worker\'s verdict, and not parsed again by the next run', { skip: os.availableParallelism() < 2 ? 'one core: no workers' : false }, () => {
  const files = generatorChainFiles(420);
  const slow = ['vendor/slow0.nix', 'vendor/slow1.nix'];
  // lines of 19,000 characters that take tree-sitter seconds each (its error recovery is quadratic on them)
  slow.forEach((rel, n) => (files[rel] = slowText(n)));
  const root = writeTree(files, 'clan-vars-slow-workers-');
  const cache = tempCacheDir('clan-vars-slow-cache-');
  roots.push(root, cache);
  // the scan's total for slow parses out of reach: what is charged to it is what the parses took, and
  // on a loaded machine two of them took the default 10 s, so the second was cut to its allowance
  // (scan-budget.test.ts is about that total)
  const lint = () => {
    const r = checkChain(root, cache, { CLAN_VARS_SLOW_PARSE_MS: '600000' });
    const reason = (rel: string) => {
      const line = r.stderr.split('\n').find((l) => l.includes(`skipping ${path.join(root, rel)}: `));
      return line?.slice(line.indexOf(': ', line.indexOf('skipping ')) + 2);
    };
    return { reasons: slow.map(reason), diagnostics: JSON.parse(r.stdout).diagnostics as { file: string; code: string }[] };
  };
  const first = lint();
  for (const r of first.reasons) assert.equal(r, 'could not be parsed: parsing took longer than 1570 ms');
  assert.deepEqual(first.diagnostics.map((d) => `${d.file} ${d.code}`), ['machines/m419.nix unknown-dependency']);
  // another file changes, so the run checks again (the result of an unchanged clan is printed as stored) and reads the facts cache
  fs.appendFileSync(path.join(root, 'machines/m0.nix'), '# edited\n');
  const second = lint();
  for (const r of second.reasons) assert.equal(r, 'could not be parsed: parsing took longer than 1570 ms; remembered for this text, not parsed again');
  assert.deepEqual(second.diagnostics, first.diagnostics);
});
