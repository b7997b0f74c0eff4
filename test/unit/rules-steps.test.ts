// The publisher computes the rules a step at a time (WorkspaceAnalysis.problemSteps), answering the
// requests that arrive between steps, and edits may land between them too. Whatever the steps ran
// and wherever an edit fell, the problems collected after them must equal a full run over the same
// facts: a rule's result computed by a step is still collected (its files are new), and one made
// stale by an edit is computed again.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { NixParser } from '../../server/src/syntax/nixParser';
import type { Problem } from '../../server/src/base/types';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { WorkspaceAnalysis } from '../../server/src/rules/workspaceAnalysis';
import { removeTree, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

const N = 8;

/**
 * gen-i (named otherwise in some variants: the finding is then in the file of the generator that
 * depends on it, not in the file edited) depends on the next generator or on one nobody declares,
 * and writes the file it declares or another.
 */
function module(i: number, v: number): string {
  const dep = v % 3 === 0 ? 'no-such-gen' : `gen-${(i + 1) % N}`;
  const written = v % 4 === 1 ? 'other' : 'key';
  return `{ clan.core.vars.generators.gen-${i}${v % 5 === 2 ? '-renamed' : ''} = {\n  dependencies = [ "${dep}" ];\n  files.key = { };\n  script = "cat $in/${dep}/key > $out/${written}";\n}; }\n`;
}

function serialise(problems: Map<string, Problem[]>): string[] {
  return [...problems.values()].flat().map((p) => `${p.file}:${p.range.start.line}:${p.range.start.character} ${p.code} ${p.message}`).sort();
}

test('rules computed in steps, edits landing between them: the problems collected equal a full run', async () => {
  const files: Record<string, string> = { 'flake.nix': '{ }' };
  for (let i = 0; i < N; i++) files[`machines/m${i % 2}/g${i}.nix`] = module(i, i + 1);
  for (const m of [0, 1]) files[`machines/m${m}/configuration.nix`] = `{ imports = [ ${[...Array(N).keys()].filter((i) => i % 2 === m).map((i) => `./g${i}.nix`).join(' ')} ]; }\n`;
  const root = writeTree(files);
  roots.push(root);
  const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load());
  await index.scan();
  index.allProblems();
  let seed = 5;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
  const edit = () => {
    const i = next() % N;
    index.updateFromText(`${root}/machines/m${i % 2}/g${i}.nix`, module(i, next() % 100));
  };
  let completed = 0;
  let interrupted = 0;
  for (let step = 0; step < 60; step++) {
    edit();
    const steps = index.problemSteps();
    const taken = next() % 40;
    let done = false;
    for (let k = 0; k < taken && !done; k++) done = !!steps.next().done;
    // an edit between two steps, or none; then the rest of the steps, or the collection at once
    if (step % 3 === 1) {
      edit();
      interrupted++;
    }
    if (step % 2) while (!done) done = !!steps.next().done;
    if (done) completed++;
    const stepped = serialise(index.allProblems());
    index.engine.clear();
    index.models.clear();
    assert.deepEqual(stepped, serialise(index.allProblems()), `step ${step}`);
  }
  assert.ok(completed >= 20 && interrupted >= 15, `steps run to their end ${completed} times, an edit between steps ${interrupted} times`);
});
