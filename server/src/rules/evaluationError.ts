// A `throw` (or `abort`) that Nix reaches when it computes a machine's generators from the matrix
// with vars-generators.nix, reported on the value that caused it (usually the key in the matrix).
// Unknown matrix keys are already reported by unknown-registry-key: those throws are left to it.
import type { Problem } from '../base/types';
import { relativeToClan } from '../model/clanModel';
import { entriesByKey } from '../facts/registry';
import type { Rule } from './types';

const id = (file: string, r: { start: { line: number; character: number } }) => `${file}:${r.start.line}:${r.start.character}`;

export const evaluationError: Rule = {
  code: 'evaluation-error',
  uses: ['evaluation', 'registry', 'matrix'],
  check(clan) {
    const evaluation = clan.evaluation;
    if (!evaluation?.throws.length) return [];
    // The locations unknown-registry-key reports.
    const covered = new Set<string>();
    if (clan.registry?.facts.understood && clan.matrix?.facts.understood) {
      const keys = entriesByKey(clan.registry.facts);
      for (const ref of clan.matrix.facts.keys) if (!keys.has(ref.key)) covered.add(id(clan.matrix.file, ref.range));
    }
    const byLocation = new Map<string, Problem>();
    for (const t of evaluation.throws) {
      const key = id(t.location.file, t.location.range);
      if (covered.has(key)) continue;
      const existing = byLocation.get(key + t.message);
      if (existing) {
        existing.message = existing.message.replace(/for machines? (.*?):/, (_, m) => `for machines ${m}, '${t.machine}':`);
        continue;
      }
      byLocation.set(key + t.message, {
        file: t.location.file,
        range: t.location.range,
        severity: 'error',
        code: this.code,
        message:
          `Evaluating the generators for machine '${t.machine}': ${relativeToClan(clan, clan.generatorsFile)} throws ` +
          `"${t.message}". clan vars and clan machines update stop with this error.`,
        related: t.thrownAt ? [{ location: t.thrownAt, message: 'the throw' }] : undefined,
      });
    }
    return [...byLocation.values()];
  },
};
