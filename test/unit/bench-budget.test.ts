// bench/budget.ts (`bench/probe.ts budget`): each profile sample goes to the part its innermost
// named frame says, and the functions it names are still the checker's, in the bundles it profiles
// (a renamed function would silently move its time to "the rest").
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { budgetTable, PARTS, partsOf } from '../../bench/budget';
import { REPO_ROOT } from '../helpers/tempClan';

/** A profile whose samples each take 1 ms, one per stack given (outermost frame first). */
function profileOf(stacks: { frames: string[]; ms: number }[]) {
  const nodes: { id: number; callFrame: { functionName: string; url: string }; children: number[] }[] = [{ id: 1, callFrame: { functionName: '(root)', url: '' }, children: [] }];
  const samples: number[] = [];
  for (const { frames, ms } of stacks) {
    let at = nodes[0];
    for (const f of frames) {
      const [functionName, url = 'file:///dist/cli.js'] = f.split('@');
      let next = at.children.map((c) => nodes[c - 1]).find((n) => n.callFrame.functionName === functionName && n.callFrame.url === url);
      if (!next) {
        next = { id: nodes.length + 1, callFrame: { functionName, url }, children: [] };
        nodes.push(next);
        at.children.push(next.id);
      }
      at = next;
    }
    for (let i = 0; i < ms; i++) samples.push(at.id);
  }
  // a sample's time is the delta to the next one: 1 ms each, the last one's too
  return { nodes, samples: [...samples, 1], timeDeltas: [0, ...samples.map(() => 1000)] };
}

test('a sample goes to the part its innermost named frame names', () => {
  const parts = partsOf(
    profileOf([
      { frames: ['scanFolder', 'indexEntry'], ms: 4 }, // JSON.parse: the index's own time
      { frames: ['scanFolder', 'indexEntry', 'index', 'share', 'walk'], ms: 3 },
      { frames: ['scanFolder', 'indexEntry', 'index', 'set'], ms: 2 }, // indexing, not moving facts
      { frames: ['run', 'extractFile', 'ts_parser_parse_wasm@wasm://tree-sitter.wasm-000c8ac2'], ms: 5 },
      { frames: ['run', 'extractFile', 'expand'], ms: 6 },
      { frames: ['allProblems', 'commit', 'machineModel'], ms: 7 },
      { frames: ['allProblems', 'runSteps', 'allProblemsSteps', 'check'], ms: 8 },
      { frames: ['allProblems', 'runSteps', 'allProblemsSteps', '(garbage collector)@'], ms: 1 },
      { frames: ['(idle)@'], ms: 9 },
      { frames: ['main', 'writeLine'], ms: 2 },
    ]),
  );
  assert.deepEqual(Object.fromEntries(parts), {
    'moving facts between threads (pack, JSON.parse, pool)': 7,
    'indexing facts': 2,
    "tree-sitter's wasm (parse, tree reads)": 5,
    'extraction of facts': 6,
    'model (clan and machine models)': 7,
    rules: 8,
    'garbage collection': 1,
    idle: 9,
    'the rest (startup, scan bookkeeping, output)': 2,
  });
  const { cpuMs, lines } = budgetTable([profileOf([{ frames: ['allProblemsSteps'], ms: 3 }, { frames: ['(idle)@'], ms: 5 }]), profileOf([{ frames: ['pack'], ms: 1 }])]);
  assert.equal(cpuMs, 4, 'idle is not CPU');
  assert.match(lines[1], /^rules\s+3\s+0\s+3\s+75%$/);
});

test("the checker's functions the parts name are in its built bundles", () => {
  const bundles = ['checker.js', 'scanWorker.js'].map((f) => fs.readFileSync(path.join(REPO_ROOT, 'dist', f), 'utf8'));
  for (const name of PARTS.flatMap((p) => [...(p.functions ?? []), ...(p.leaf ?? [])])) {
    // a function declaration, or a method (esbuild keeps both names)
    const defined = new RegExp(`(function\\*?\\s+${name}\\(|^\\s+\\*?${name}\\()`, 'm');
    assert.ok(bundles.some((b) => defined.test(b)), `${name} is not defined in dist/checker.js or dist/scanWorker.js: bench/budget.ts PARTS names it`);
  }
});
