// The same key twice in one machine's list of the matrix (directly, or through a shared list and
// `++`): harmless for evaluation, but a sign of a copy-paste slip.
import type { MatrixKeyRef } from '../facts/types';
import { MatrixRuns } from './matrixRuns';
import type { Rule } from './types';

const runs = new MatrixRuns();

export const duplicateMatrixKey: Rule = {
  code: 'duplicate-matrix-key',
  uses: ['matrix'],
  check(clan) {
    const matrix = clan.matrix;
    if (!matrix?.facts.understood) return [];
    // machine -> key -> its first mention (a map per machine: no string made per mention, on every keystroke in the matrix)
    const seen = new Map<string, Map<string, MatrixKeyRef>>();
    // after a keystroke, only the names of the keys it changed are looked at again; indexed loops,
    // and a list only for a mention that repeats
    return runs.run(matrix.file, matrix.facts.keys, undefined, (ref) => {
      let machines: string[] | null = null;
      for (let i = 0; i < ref.machines.length; i++) {
        const m = ref.machines[i];
        let mine = seen.get(m);
        if (!mine) seen.set(m, (mine = new Map()));
        const earlier = mine.get(ref.key);
        if (!earlier) mine.set(ref.key, ref);
        else if (earlier !== ref) (machines ??= []).push(m);
      }
      if (!machines) return undefined;
      const earlier = seen.get(machines[0])!.get(ref.key)!;
      return {
        file: matrix.file,
        range: ref.range,
        severity: 'warning',
        code: this.code,
        message: `Key '${ref.key}' is already in the list of ${machines.length === 1 ? `machine '${machines[0]}'` : `machines ${machines.map((m) => `'${m}'`).join(', ')}`}; the second mention changes nothing. Remove it.`,
        related: [{ location: { file: matrix.file, range: earlier.range }, message: 'first mention' }],
        fixes: [{ title: `Remove the duplicate '${ref.key}'`, edits: [{ file: matrix.file, range: ref.range, newText: '' }], safe: false }],
      };
    });
  },
};
