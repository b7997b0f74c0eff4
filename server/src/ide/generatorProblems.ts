// The errors and warnings found in each generator's declarations: the problems whose place is inside
// one of the places a declaration writes (its name, files, prompts, dependencies, options, script).
// The graph draws them on the generator's node, the vars view on its rows, so that no view calls a
// generator fine while the Problems panel reports it.
import { contains, type Problem, type Range } from '../base/types';
import { byPosition } from '../rules/engine';
import type { Generator } from '../facts/types';
import type { ClanModel } from '../model/clanModel';
import { discoveryOrder } from '../base/discover';

/** The places a declaration writes in its file. */
export function declarationRanges(g: Generator): Range[] {
  return [g.name.range, ...(g.aliases ?? []).map((a) => a.range), ...(g.script ? [g.script.range] : []), ...g.files.map((f) => f.range), ...g.prompts.map((q) => q.range), ...g.dependencies.map((d) => d.range), ...g.options.flatMap((o) => [o.keyRange, o.valueRange])];
}

/** Generator name (its pattern for a computed name) -> the errors and warnings in its declarations. */
export function problemsByGenerator(clan: ClanModel, problems: readonly Problem[]): Map<string, Problem[]> {
  const places = new Map<string, { name: string; ranges: Range[] }[]>();
  for (const g of clan.generators) {
    const name = g.name.name ?? g.name.pattern ?? '?';
    places.set(g.file, [...(places.get(g.file) ?? []), { name, ranges: declarationRanges(g) }]);
  }
  const out = new Map<string, Problem[]>();
  // in the clan's order of files, then by place: the same list however the findings came (a session's reruns, a fresh check)
  const ordered = [...problems].sort((a, b) => discoveryOrder(a.file, b.file) || byPosition(a, b));
  for (const p of ordered) {
    if (p.severity !== 'error' && p.severity !== 'warning') continue;
    for (const hit of places.get(p.file)?.filter((x) => x.ranges.some((r) => contains(r, p.range.start))) ?? []) {
      const list = out.get(hit.name) ?? out.set(hit.name, []).get(hit.name)!;
      if (!list.includes(p)) list.push(p);
    }
  }
  return out;
}
