// While a file is typed, a half-written string or attribute set swallows the code after it, and the
// graph would lose the generators declared there or show chunks of code as dependencies. For a file
// with a syntax error, the graph keeps the generators declared before the error as they are now, and
// shows the others as they were when the file last parsed without errors.
import { isBefore, type Problem } from '../../base/types';
import type { Generator } from '../../facts/types';
import { withGenerators, type ClanModel } from '../../model/clanModel';

/** Where a generator shown as last parsed has its file's first syntax error. */
export interface StaleShape {
  file: string;
  /** Zero-based line of the first syntax error. */
  line: number;
}

/**
 * The model with the generators of each file with a syntax error as described above (the clan's own
 * model when no file has one), the names shown as last parsed with where the error is, and which
 * problems are of the broken text (those after the error in such a file).
 * `lastGood(file)`: the file's generators when it last had no syntax error (WorkspaceIndex.lastGoodGenerators).
 */
export function lastGoodShape(clan: ClanModel, lastGood: (file: string) => Generator[] | undefined): { clan: ClanModel; stale: Map<string, StaleShape>; broken: (p: Problem) => boolean } {
  const stale = new Map<string, StaleShape>();
  const errors = new Map<string, Problem['range']['start']>();
  const replaced = new Map<string, Generator[]>();
  for (const [file, facts] of clan.files) {
    const error = facts.firstSyntaxError;
    const good = facts.hasSyntaxErrors && error ? lastGood(file) : undefined;
    if (!good || !error) continue;
    errors.set(file, error);
    // a generator is as now when the next one's name also comes before the error: the error is not in it
    const current = clan.generatorIndex.byFile.get(file) ?? [];
    const names = current.map((g) => g.name.range.start).filter((p) => isBefore(p, error));
    const kept = current.filter((g) => names.some((p) => isBefore(g.name.range.start, p)));
    const keptNames = new Set(kept.map((g) => g.name.name ?? g.name.pattern));
    const restored = good.filter((g) => !keptNames.has(g.name.name ?? g.name.pattern));
    for (const g of restored) stale.set(g.name.name ?? g.name.pattern ?? '?', { file, line: error.line });
    replaced.set(file, [...kept, ...restored]);
  }
  const broken = (p: Problem) => {
    const error = errors.get(p.file);
    return error !== undefined && !isBefore(p.range.start, error);
  };
  if (!replaced.size) return { clan, stale, broken };
  const generators = clan.generators.filter((g) => !replaced.has(g.file));
  for (const list of replaced.values()) generators.push(...list);
  return { clan: withByName(withGenerators(clan, generators), generators), stale, broken };
}

/** `clan.byName` over `generators` (the rules and views look names up there). */
function withByName(clan: ClanModel, generators: Generator[]): ClanModel {
  const byName = new Map<string, Generator[]>();
  for (const g of generators) if (g.name.name !== null) (byName.get(g.name.name) ?? byName.set(g.name.name, []).get(g.name.name)!).push(g);
  return Object.create(clan, { byName: { value: byName, enumerable: true } }) as ClanModel;
}
