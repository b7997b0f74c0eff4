// dependency-cycle: every edge of a cycle is an error on its dependency, saying what clan does, with
// the cycle's other dependencies (its neighbours on the cycle, at most ten) as related locations.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { analyzeFolder } from '../../server/src/cli/analyzeFolder';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { NixParser } from '../../server/src/syntax/nixParser';
import { WorkspaceAnalysis } from '../../server/src/rules/workspaceAnalysis';
import type { Problem } from '../../server/src/base/types';
import { removeTree, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

/** The dependency-cycle findings of a clan tree, and the log (a rule that throws says so there). */
async function cycles(files: Record<string, string>): Promise<{ root: string; found: Problem[]; log: string[] }> {
  const root = writeTree(files);
  roots.push(root);
  const log: string[] = [];
  const report = await analyzeFolder(root, DEFAULT_SETTINGS, (l) => log.push(l));
  return { root, found: report.problems.filter((p) => p.code === 'dependency-cycle'), log };
}

/** A ring of `n` generators g0 → g1 → … → g(n-1) → g0, one per line of one module (g<i> on line i + 2). */
const ring = (n: number) =>
  `{\n  clan.core.vars.generators = {\n${Array.from({ length: n }, (_, i) => `    g${i}.dependencies = [ "g${(i + 1) % n}" ];`).join('\n')}\n  };\n}\n`;

/** `line: 'from' depends on 'to'` of a finding's related locations (lines 1-based). */
const relatedOf = (p: Problem, root: string) => (p.related ?? []).map((r) => `${path.relative(root, r.location.file)}:${r.location.range.start.line + 1} ${r.message}`);

test('dependency-cycle: each dependency of a three-generator cycle is an error naming the cycle and the crash, with the two other dependencies as related locations', async () => {
  const { root, found } = await cycles({
    'a.nix': `{ clan.core.vars.generators = {\n  a.dependencies = [ "b" ];\n  b.dependencies = [ "c" ];\n}; }\n`,
    'c.nix': `{\n  clan.core.vars.generators.c.dependencies = [ "a" ];\n}\n`,
  });
  const byLine = new Map(found.map((p) => [`${path.relative(root, p.file)}:${p.range.start.line + 1}`, p]));
  assert.deepEqual([...byLine.keys()].sort(), ['a.nix:2', 'a.nix:3', 'c.nix:2']);
  for (const p of found) {
    assert.equal(p.severity, 'error');
    assert.equal(p.message, 'Dependency cycle: a → b → c → a. Remove one of its dependencies.');
    assert.equal(p.explanation, 'clan vars generate cannot order these generators and crashes with a Python traceback (graphlib.CycleError).');
  }
  // the finding on a's dependency relates b's and c's, each on its dependency's name
  assert.deepEqual(relatedOf(byLine.get('a.nix:2')!, root).sort(), ["a.nix:3 'b' depends on 'c'", "c.nix:2 'c' depends on 'a'"]);
  assert.deepEqual(relatedOf(byLine.get('c.nix:2')!, root).sort(), ["a.nix:2 'a' depends on 'b'", "a.nix:3 'b' depends on 'c'"]);
  const related = byLine.get('a.nix:2')!.related!.find((r) => r.location.range.start.line === 2)!.location.range;
  assert.deepEqual([related.start.character, related.end.character], ['  b.dependencies = [ '.length, '  b.dependencies = [ "c"'.length]);
});

test('dependency-cycle: a self-loop has no other dependency to relate', async () => {
  const { found } = await cycles({ 'a.nix': `{ clan.core.vars.generators.self.dependencies = [ "self" ]; }\n` });
  assert.equal(found.length, 1);
  assert.deepEqual(found[0].related, []);
  assert.match(found[0].message, /^Dependency cycle: self → self\./);
});

test('dependency-cycle: a ring of eleven relates all ten other dependencies, nothing more to say', async () => {
  const { root, found } = await cycles({ 'ring.nix': ring(11) });
  assert.equal(found.length, 11);
  const first = found.find((p) => p.range.start.line + 1 === 3)!; // g0's dependency on g1
  assert.deepEqual(relatedOf(first, root).sort(), Array.from({ length: 10 }, (_, k) => `ring.nix:${k + 4} 'g${k + 1}' depends on 'g${(k + 2) % 11}'`).sort());
  for (const p of found) assert.ok(!p.related!.some((r) => /more dependencies/.test(r.message)), JSON.stringify(p.related));
});

test('dependency-cycle: a ring of thirteen relates ten other dependencies, the last saying how many more the cycle has', async () => {
  const { root, found, log } = await cycles({ 'ring.nix': ring(13) });
  assert.deepEqual(log.filter((l) => /failed/.test(l)), []);
  assert.equal(found.length, 13);
  for (const p of found) {
    const related = relatedOf(p, root);
    const own = `ring.nix:${p.range.start.line + 1} `;
    assert.equal(related.length, 10);
    assert.equal(new Set(related).size, 10);
    assert.ok(related.every((r) => /^ring\.nix:\d+ 'g\d+' depends on 'g\d+'/.test(r) && !r.startsWith(own)), related.join('\n'));
    assert.deepEqual(related.filter((r) => r.includes('more')), [related[9]]);
    assert.match(related[9], / \(and 2 more dependencies in this cycle\)$/);
  }
});

test('dependency-cycle in the editor: an edit that closes a cycle in a clan without one is checked over the generators it reaches, with the findings of a full check', async () => {
  // a chain g0 → g1 → … → g7, one generator a file
  const link = (i: number, to: number) => `{ clan.core.vars.generators.g${i} = { files.k = { }; dependencies = [ "g${to}" ]; script = "touch $out/k"; }; }\n`;
  const files: Record<string, string> = { 'flake.nix': '{ }' };
  for (let i = 0; i < 8; i++) files[`g${i}.nix`] = link(i, i + 1);
  const root = writeTree(files);
  roots.push(root);
  const lines: string[] = [];
  const previous = process.env.CLAN_VARS_DEBUG_RULES;
  process.env.CLAN_VARS_DEBUG_RULES = '1';
  try {
    const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load(), (l) => lines.push(l));
    await index.scan();
    const cyclesIn = (problems: Map<string, Problem[]>) => [...problems.values()].flat().filter((p) => p.code === 'dependency-cycle').map((p) => `${path.relative(root, p.file)} ${p.message}`).sort();
    assert.deepEqual(cyclesIn(index.allProblems()), []);
    lines.length = 0;
    index.updateFromText(path.join(root, 'g3.nix'), link(3, 1));
    const incremental = cyclesIn(index.allProblems());
    // g3, then what it depends on: g1, g2 (not g0, nor g4 … g7)
    assert.deepEqual(lines.filter((l) => l.startsWith('rule dependency-cycle ')).map((l) => /ran over (\d+) generators/.exec(l)?.[1]), ['3']);
    const cycle = 'Dependency cycle: g1 → g2 → g3 → g1. Remove one of its dependencies.';
    assert.deepEqual(incremental, [`g1.nix ${cycle}`, `g2.nix ${cycle}`, `g3.nix ${cycle}`]);
    index.engine.clear();
    index.models.clear();
    assert.deepEqual(cyclesIn(index.allProblems()), incremental);
  } finally {
    if (previous === undefined) delete process.env.CLAN_VARS_DEBUG_RULES;
    else process.env.CLAN_VARS_DEBUG_RULES = previous;
  }
});

test('dependency-cycle: a computed name, a dependency on a computed name or on an undeclared one is on no cycle', async () => {
  const { root, found } = await cycles({
    'a.nix': `{ name, ... }: { clan.core.vars.generators = {\n  a.dependencies = [ "b" "nope" "\${name}" ];\n  b.dependencies = [ "a" ];\n  "\${name}".dependencies = [ "a" "\${name}" ];\n  nope-user.dependencies = [ "nope" ];\n}; }\n`,
  });
  assert.deepEqual(found.map((p) => `${path.relative(root, p.file)}:${p.range.start.line + 1} ${p.message}`).sort(), [
    'a.nix:2 Dependency cycle: a → b → a. Remove one of its dependencies.',
    'a.nix:3 Dependency cycle: a → b → a. Remove one of its dependencies.',
  ]);
});
