// Generators whose dependencies form a cycle. clan cannot order them and crashes with a Python
// traceback (graphlib.CycleError); we report every edge of the cycle with the whole cycle.
import type { NameRef, Problem } from '../model/types';
import type { Rule } from './types';

interface Edge {
  from: string;
  to: string;
  ref: NameRef;
  file: string;
}

export const dependencyCycle: Rule = {
  code: 'dependency-cycle',
  uses: ['generators'],
  check(clan) {
    const edges = new Map<string, Edge[]>();
    for (const g of clan.generators) {
      const from = g.name.name;
      if (from === null) continue;
      for (const dep of g.dependencies) {
        if (dep.name === null || !clan.byName.has(dep.name)) continue;
        const list = edges.get(from) ?? [];
        list.push({ from, to: dep.name, ref: dep, file: g.file });
        edges.set(from, list);
      }
    }
    const problems: Problem[] = [];
    const nodes = [...edges.keys()];
    for (const component of stronglyConnected(nodes, (n) => (edges.get(n) ?? []).map((e) => e.to))) {
      if (component.length === 1 && !(edges.get(component[0]) ?? []).some((e) => e.to === component[0])) continue;
      const members = new Set(component);
      const inner = component.flatMap((n) => (edges.get(n) ?? []).filter((e) => members.has(e.to)));
      if (inner.length === 0) continue; // a single node without a self-loop
      const cycle = shortestCycle(component.slice().sort()[0], (n) => (edges.get(n) ?? []).map((e) => e.to).filter((t) => members.has(t)));
      const shown = cycle.join(' → ');
      for (const e of inner) {
        problems.push({
          file: e.file,
          range: e.ref.range,
          severity: 'error',
          code: this.code,
          message:
            `Dependency cycle: ${shown}. clan vars generate cannot order these generators and crashes with a Python ` +
            `traceback (graphlib.CycleError). Remove one of the dependencies in the cycle.`,
          related: inner
            .filter((o) => o !== e)
            .map((o) => ({ location: { file: o.file, range: o.ref.range }, message: `'${o.from}' depends on '${o.to}'` })),
        });
      }
    }
    return problems;
  },
};

/** Tarjan's algorithm over integer ids, iterative so that long chains cannot overflow the stack. */
export function stronglyConnected(nodes: string[], next: (n: string) => string[]): string[][] {
  const id = new Map<string, number>();
  nodes.forEach((n, i) => id.set(n, i));
  const succ: Int32Array[] = nodes.map((n) => Int32Array.from(next(n).map((s) => id.get(s) ?? -1).filter((x) => x >= 0)));
  const count = nodes.length;
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
      if (i < succ[node].length) {
        frames[frames.length - 1] = i + 1;
        const s = succ[node][i];
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
  while (queue.length) {
    const n = queue.shift()!;
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
