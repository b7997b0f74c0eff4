// Dependency cycles among generators: the one place that finds them. The dependency-cycle rule, the
// DAG view (through that rule's diagnostics) and anyone else ask here. Linear in nodes and edges:
// Tarjan's strongly connected components, then one shortest cycle per component.

export interface CycleEdge<E> {
  from: string;
  to: string;
  /** What the caller attached to the edge (its reference, its file, ...). */
  data: E;
}

export interface Cycle<E> {
  /** A shortest cycle through the component's smallest name: [start, ..., start]. */
  path: string[];
  /** Every edge between two members of the component (all of them lie on some cycle). */
  edges: CycleEdge<E>[];
}

/** The cycles of a directed graph, one per strongly connected component that has one. */
export function findCycles<E>(edges: CycleEdge<E>[]): Cycle<E>[] {
  const out = new Map<string, CycleEdge<E>[]>();
  for (const e of edges) {
    const list = out.get(e.from);
    if (list) list.push(e);
    else out.set(e.from, [e]);
  }
  const next = (n: string) => (out.get(n) ?? []).map((e) => e.to);
  const cycles: Cycle<E>[] = [];
  for (const component of stronglyConnected([...out.keys()], next)) {
    const members = new Set(component);
    const inner = component.flatMap((n) => (out.get(n) ?? []).filter((e) => members.has(e.to)));
    if (inner.length === 0) continue; // a single node without a self-loop
    const start = component.reduce((a, b) => (b < a ? b : a));
    cycles.push({ path: shortestCycle(start, (n) => next(n).filter((t) => members.has(t))), edges: inner });
  }
  return cycles;
}

/** `a → b → … (N more) → z → a`: at most `max` names, so a cycle of thousands stays one short line. */
export function describeCycle(path: string[], max = 8): string {
  if (path.length <= max) return path.join(' → ');
  const head = path.slice(0, max - 2);
  const tail = path.slice(-2);
  return [...head, `… (${path.length - max} more)`, ...tail].join(' → ');
}

/** Tarjan's algorithm over integer ids, iterative so that long chains cannot overflow the stack. */
export function stronglyConnected(nodes: string[], next: (n: string) => string[]): string[][] {
  const id = new Map<string, number>();
  nodes.forEach((n, i) => id.set(n, i));
  const count = nodes.length;
  // successors of node k: targets[first[k]] up to targets[first[k + 1]] (two arrays, not one per node)
  const first = new Int32Array(count + 1);
  const targets: number[] = [];
  for (let k = 0; k < count; k++) {
    for (const s of next(nodes[k])) {
      const t = id.get(s);
      if (t !== undefined) targets.push(t);
    }
    first[k + 1] = targets.length;
  }
  const index = new Int32Array(count).fill(-1);
  const low = new Int32Array(count);
  const onStack = new Uint8Array(count);
  const stack: number[] = [];
  const frames: number[] = []; // node, next successor position
  const result: string[][] = [];
  let counter = 0;
  for (let start = 0; start < count; start++) {
    if (index[start] !== -1) continue;
    index[start] = low[start] = counter++;
    stack.push(start);
    onStack[start] = 1;
    frames.push(start, 0);
    while (frames.length) {
      const node = frames[frames.length - 2];
      const i = frames[frames.length - 1];
      if (first[node] + i < first[node + 1]) {
        frames[frames.length - 1] = i + 1;
        const s = targets[first[node] + i];
        if (index[s] === -1) {
          index[s] = low[s] = counter++;
          stack.push(s);
          onStack[s] = 1;
          frames.push(s, 0);
        } else if (onStack[s]) low[node] = Math.min(low[node], index[s]);
        continue;
      }
      frames.length -= 2;
      if (frames.length) {
        const parent = frames[frames.length - 2];
        low[parent] = Math.min(low[parent], low[node]);
      }
      if (low[node] === index[node]) {
        const component: string[] = [];
        let n: number;
        do {
          n = stack.pop()!;
          onStack[n] = 0;
          component.push(nodes[n]);
        } while (n !== node);
        result.push(component);
      }
    }
  }
  return result;
}

/** The shortest path start -> ... -> start, as a list of names beginning and ending with start. */
function shortestCycle(start: string, next: (n: string) => string[]): string[] {
  const parent = new Map<string, string>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const n = queue[head];
    for (const s of next(n)) {
      if (s === start) {
        const path: string[] = [];
        for (let p = n; p !== start; p = parent.get(p)!) path.unshift(p);
        return [start, ...path, start];
      }
      if (!parent.has(s)) {
        parent.set(s, n);
        queue.push(s);
      }
    }
  }
  return [start, start];
}
