// The part of the graph a filter asks for: one machine's generators with everything they depend on,
// or one generator's neighbourhood (what it depends on and what depends on it, transitively).
import { generatorNodeId } from './build';
import type { DependencyGraph, GraphFilter } from './types';

function closure(seeds: Iterable<string>, next: Map<string, string[]>): Set<string> {
  const seen = new Set<string>(seeds);
  const queue = [...seen];
  while (queue.length) {
    const id = queue.pop()!;
    for (const n of next.get(id) ?? []) {
      if (seen.has(n)) continue;
      seen.add(n);
      queue.push(n);
    }
  }
  return seen;
}

function adjacency(graph: DependencyGraph, reverse: boolean): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const e of graph.edges) {
    const [a, b] = reverse ? [e.to, e.from] : [e.from, e.to];
    const list = map.get(a) ?? [];
    list.push(b);
    map.set(a, list);
  }
  return map;
}

/** Finds a node by id, or by generator name. */
export function findNode(graph: DependencyGraph, idOrName: string) {
  return graph.nodes.find((n) => n.id === idOrName) ?? graph.nodes.find((n) => n.id === generatorNodeId(idOrName)) ?? graph.nodes.find((n) => n.name === idOrName);
}

export function filterGraph(graph: DependencyGraph, filter: GraphFilter | undefined): DependencyGraph {
  if (!filter || (!filter.machine && !filter.focus)) return graph;
  const down = adjacency(graph, false);
  let keep: Set<string>;
  if (filter.focus) {
    const focus = findNode(graph, filter.focus);
    if (!focus) return { ...graph, nodes: [], edges: [] };
    keep = new Set([...closure([focus.id], down), ...closure([focus.id], adjacency(graph, true))]);
  } else {
    keep = new Set(graph.nodes.filter((n) => n.machines.includes(filter.machine!)).map((n) => n.id));
    keep = closure(keep, down);
  }
  if (filter.focus && filter.machine) {
    const mine = closure(graph.nodes.filter((n) => n.machines.includes(filter.machine!)).map((n) => n.id), down);
    for (const id of [...keep]) if (!mine.has(id)) keep.delete(id);
  }
  return { ...graph, nodes: graph.nodes.filter((n) => keep.has(n.id)), edges: graph.edges.filter((e) => keep.has(e.from) && keep.has(e.to)) };
}
