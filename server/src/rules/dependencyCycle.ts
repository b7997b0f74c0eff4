// Generators whose dependencies form a cycle. clan cannot order them and crashes with a Python
// traceback (graphlib.CycleError); we report every edge of the cycle with (a bounded part of) the
// cycle, so a ring of thousands of generators stays linear in output.
import { describeCycle, findCycles, type CycleEdge } from '../model/cycles';
import type { Problem } from '../base/types';
import type { NameRef } from '../syntax/syntax';
import type { Rule } from './types';

/** Related locations listed per diagnostic: the neighbours on the cycle, not all of it. */
const MAX_RELATED = 10;

export const dependencyCycle: Rule = {
  code: 'dependency-cycle',
  uses: ['generators'],
  reach: 'cycles',
  check(clan) {
    const edges: CycleEdge<{ ref: NameRef; file: string }>[] = [];
    for (const g of clan.generators) {
      const from = g.name.name;
      if (from === null) continue;
      for (const dep of g.dependencies) {
        if (dep.name === null || !clan.byName.has(dep.name)) continue;
        edges.push({ from, to: dep.name, data: { ref: dep, file: g.file } });
      }
    }
    const problems: Problem[] = [];
    for (const cycle of findCycles(edges)) {
      const message = `Dependency cycle: ${describeCycle(cycle.path)}. Remove one of its dependencies.`;
      const explanation = `clan vars generate cannot order these generators and crashes with a Python traceback (graphlib.CycleError).`;
      cycle.edges.forEach((e, i) => {
        const others = cycle.edges.length - 1;
        const related: Problem['related'] = [];
        for (let k = 1; k <= Math.min(others, MAX_RELATED); k++) {
          const o = cycle.edges[(i + k) % cycle.edges.length];
          related.push({ location: { file: o.data.file, range: o.data.ref.range }, message: `'${o.from}' depends on '${o.to}'` });
        }
        if (others > MAX_RELATED) related[related.length - 1].message += ` (and ${others - MAX_RELATED} more dependencies in this cycle)`;
        problems.push({ file: e.data.file, range: e.data.ref.range, severity: 'error', code: this.code, message, explanation, related });
      });
    }
    return problems;
  },
};
