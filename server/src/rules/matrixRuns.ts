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
   * The key names whose findings are to be found again after the last run over `file`, and that
   * run's findings per key; null when all are (no run yet, another `basis`, most keys changed).
   */
  since(file: string, keys: readonly MatrixKeyRef[], basis: unknown): { names: Set<string>; found: Map<MatrixKeyRef, Problem> } | null {
    const run = this.last.get(file);
    if (!run || run.basis !== basis) return null;
    const diff = keyListDiff(run.keys, keys);
    if (mostChanged(run.keys, keys, diff)) return null;
    return { names: changedNames(run.keys, keys, diff), found: run.found };
  }

  remember(file: string, keys: readonly MatrixKeyRef[], basis: unknown, found: Map<MatrixKeyRef, Problem>): void {
    this.last.delete(file);
    this.last.set(file, { keys, basis, found });
    if (this.last.size > FILES) this.last.delete(this.last.keys().next().value!);
  }
}
