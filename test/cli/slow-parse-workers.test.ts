// Slow-to-parse files in a clan large enough for scan workers, through the built checker: a file
// that runs out of time in a worker is skipped with the worker's verdict (it used to be parsed
// again on the main thread, for as long again), and the next check, with the facts cache, parses
// none of them.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { REPO_ROOT, removeTree, writeTree } from '../helpers/tempClan';
import { slowText } from '../helpers/slowText';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

test('slow parses with scan workers: skipped with the worker\'s verdict, and not parsed again by the next run', { skip: os.availableParallelism() < 2 ? 'one core: no workers' : false }, () => {
  const files: Record<string, string> = { 'flake.nix': '{ outputs = _: { }; }\n' };
  for (let i = 0; i < 420; i++) files[`machines/m${i}.nix`] = `{ clan.core.vars.generators.g${i}.dependencies = [ "g${i + 1}" ]; }\n`;
  const slow = ['vendor/slow0.nix', 'vendor/slow1.nix'];
  // lines of 19,000 characters that take tree-sitter seconds each (its error recovery is quadratic on them)
  slow.forEach((rel, n) => (files[rel] = slowText(n)));
  const root = writeTree(files, 'clan-vars-slow-workers-');
  const cache = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'clan-vars-slow-cache-')));
  roots.push(root, cache);
  // the scan's total for slow parses out of reach: what is charged to it is what the parses took, and
  // on a loaded machine two of them took the default 10 s, so the second was cut to its allowance
  // (scan-budget.test.ts is about that total)
  const lint = () => {
    const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), '--format', 'json', root], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, CLAN_VARS_CACHE_DIR: cache, CLAN_VARS_SLOW_PARSE_MS: '600000' } });
    assert.equal(r.status, 1, r.stderr); // the last generator's dependency is unknown
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
