// A synthetic dependency graph of realistic shape, without parsing: per-machine generators in
// machine clusters, shared generators, chains of dependencies, many generators without any, and
// (optionally) a cycle.
import type { DependencyGraph, GraphNode } from '../server/src/ide/graph/types';

export function syntheticGraph(count: number, opts = { cycle: false }): DependencyGraph {
  const machines = Array.from({ length: Math.max(1, Math.round(count / 25)) }, (_, i) => `machine-${i}`);
  const nodes: GraphNode[] = [];
  const edges: DependencyGraph['edges'] = [];
  for (let i = 0; i < count; i++) {
    const shared = i % 10 === 0;
    const name = `gen-${i}`;
    nodes.push({
      id: `g:${name}`,
      name,
      kind: 'generator',
      shared,
      origin: 'module',
      machines: shared ? [] : [machines[i % machines.length]],
      files: Array.from({ length: 1 + (i % 3) }, (_, j) => ({ name: j === 0 ? 'key' : `key-${j}.pub`, secret: j === 0, deploy: true })),
      prompts: [],
      declarations: [{ file: `/clan/modules/gen-${i}.nix`, range: { start: { line: 2, character: 2 }, end: { line: 2, character: 2 + name.length } } }],
    });
    // Two in five generators depend on an earlier one, one in four of those also on a shared one.
    if (i > 0 && i % 5 < 2) {
      const to = `g:gen-${Math.floor(i / 2)}`;
      edges.push({ id: `g:${name}->${to}`, from: `g:${name}`, to, cycle: false, unknown: false });
      if (i % 4 === 0) edges.push({ id: `g:${name}->g:gen-0`, from: `g:${name}`, to: 'g:gen-0', cycle: false, unknown: false });
    }
  }
  if (opts.cycle && count >= 3) {
    edges.push({ id: 'g:gen-1->g:gen-2', from: 'g:gen-1', to: 'g:gen-2', cycle: true, unknown: false, message: 'Dependency cycle' });
    edges.push({ id: 'g:gen-2->g:gen-1', from: 'g:gen-2', to: 'g:gen-1', cycle: true, unknown: false, message: 'Dependency cycle' });
  }
  const seen = new Set<string>();
  const unique = edges.filter((e) => !seen.has(e.id) && seen.add(e.id));
  return { root: '/clan', nodes, edges: unique, machines, namesOpen: false };
}
