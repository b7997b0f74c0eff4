// Layout time of the dependency graph (dagre per connected part, then packing) for 50, 200 and
// 1,000 generators of realistic shape. Target: under 250 ms at 200. And the cost of a refresh whose
// graph kept its shape (the server keeps the layout then: only the layout key is computed).
import { layoutGraph, layoutKey } from '../server/src/ide/graph/layout';
import { toDot, toMermaid } from '../server/src/ide/graph/serialize';
import { syntheticGraph } from './syntheticGraph';

function time(fn: () => unknown, runs: number): { median: number; max: number } {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], max: times[times.length - 1] };
}

export async function benchGraph(): Promise<void> {
  for (const size of [50, 200, 1000]) {
    const graph = syntheticGraph(size, { cycle: true });
    layoutGraph(graph); // warm up
    const runs = size >= 1000 ? 3 : 7;
    const layout = time(() => layoutGraph(graph), runs);
    const text = time(() => (toDot(graph), toMermaid(graph)), runs);
    // a refresh whose graph kept its shape: the key is computed, the layout kept
    const key = time(() => layoutKey(graph), runs);
    const target = size === 200 ? ` (target < 250 ms: ${layout.median < 250 ? 'met' : 'MISSED'})` : '';
    console.log(
      `- ${size} generators, ${graph.edges.length} dependencies: layout median ${layout.median.toFixed(1)} ms, max ${layout.max.toFixed(1)} ms${target}; a refresh that keeps the shape (the layout key) ${key.median.toFixed(1)} ms; DOT+Mermaid ${text.median.toFixed(1)} ms`,
    );
  }
}
