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
    for (const component of stronglyConnected([...clan.byName.keys()], (n) => (edges.get(n) ?? []).map((e) => e.to))) {
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

/** Tarjan's algorithm, iterative so that long dependency chains cannot overflow the stack. */
export function stronglyConnected(nodes: string[], next: (n: string) => string[]): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const result: string[][] = [];
  let counter = 0;
  for (const start of nodes) {
    if (index.has(start)) continue;
    const work: { node: string; succ: string[]; i: number }[] = [];
    const enter = (n: string) => {
      index.set(n, counter);
      low.set(n, counter++);
      stack.push(n);
      onStack.add(n);
      work.push({ node: n, succ: next(n), i: 0 });
    };
    enter(start);
    while (work.length) {
      const frame = work[work.length - 1];
      if (frame.i < frame.succ.length) {
        const s = frame.succ[frame.i++];
        if (!index.has(s)) enter(s);
        else if (onStack.has(s)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(s)!));
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.node)!));
      }
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let n: string;
        do {
          n = stack.pop()!;
          onStack.delete(n);
          component.push(n);
        } while (n !== frame.node);
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
