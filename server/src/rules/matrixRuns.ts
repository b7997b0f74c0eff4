// Rules over every key of the machine matrix, on a keystroke in it: a rule keeps its findings of the
// last run per matrix file and finds again only those of the key names in the part of the list the
// keystroke changed (facts/matrixDiff.ts); the others' cannot have changed: every mention of their
// names is the object it was, in the order it was.
import type { Problem } from '../base/types';
import type { MatrixKeyRef } from '../facts/types';
import { changedNames, keyListDiff, mostChanged } from '../facts/matrixDiff';

interface Run {
  keys: readonly MatrixKeyRef[];
  /** What else the findings depend on (compared by identity). */
  basis: unknown;
  found: Map<MatrixKeyRef, Problem>;
}

/** How many matrix files' last runs a rule keeps. */
const FILES = 8;

/** A rule's last run over each matrix file: its finding per key (one at most). */
export class MatrixRuns {
  private readonly last = new Map<string, Run>();

  /**
   * The findings over the keys of `file`, in their order: `find` is asked, in that order, for each
   * key whose finding is to be found again (every key after no run, another `basis`, or an edit of
   * most keys; else those of the names in the part the edit changed); the others' are the last run's.
   */
  run(file: string, keys: readonly MatrixKeyRef[], basis: unknown, find: (ref: MatrixKeyRef) => Problem | undefined): Problem[] {
    const since = this.since(file, keys, basis);
    const problems: Problem[] = [];
    const found = new Map<MatrixKeyRef, Problem>();
    for (let i = 0; i < keys.length; i++) {
      const ref = keys[i];
      const problem = since && !since.names.has(ref.key) ? since.found.get(ref) : find(ref);
      if (!problem) continue;
      problems.push(problem);
      found.set(ref, problem);
    }
    this.last.delete(file);
    this.last.set(file, { keys, basis, found });
    if (this.last.size > FILES) this.last.delete(this.last.keys().next().value!);
    return problems;
  }

  /** The key names to find again after the last run over `file`, and that run's findings; null when all are. */
  private since(file: string, keys: readonly MatrixKeyRef[], basis: unknown): { names: Set<string>; found: Map<MatrixKeyRef, Problem> } | null {
    const run = this.last.get(file);
    if (!run || run.basis !== basis) return null;
    const diff = keyListDiff(run.keys, keys);
    if (mostChanged(run.keys, keys, diff)) return null;
    return { names: changedNames(run.keys, keys, diff), found: run.found };
  }
}
