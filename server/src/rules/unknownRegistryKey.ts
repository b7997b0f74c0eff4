// A key in the machine matrix with no entry in the secret registry: evaluation throws
// `Unknown secret key in envMatrix: <key>` when the machine's generators are computed.
import type { Fix, Problem } from '../base/types';
import type { RegistryFacts } from '../facts/types';
import { entriesByKey } from '../facts/registry';
import { relativeToClan } from '../model/clanModel';
import { closestName } from '../base/closestName';
import { registryStubFix } from './registryStub';
import { MatrixRuns } from './matrixRuns';
import type { Rule } from './types';

const runs = new MatrixRuns();

export const unknownRegistryKey: Rule = {
  code: 'unknown-registry-key',
  uses: ['registry', 'matrix'],
  check(clan) {
    const { registry, matrix } = clan;
    if (!registry?.facts.understood || !matrix?.facts.understood) return [];
    const keys = entriesByKey(registry.facts);
    // one suggestion per unknown key, however many machine lists name it
    const nearest = new Map<string, string | null>();
    // after a keystroke in the matrix (the same registry), only the keys it changed are looked up again
    return runs.run(matrix.file, matrix.facts.keys, registry.facts, (ref) => {
      if (keys.has(ref.key)) return undefined;
      const who =
        ref.machines.length === 0
          ? 'in a key list no machine uses yet'
          : ref.machines.length === 1
            ? `for machine '${ref.machines[0]}'`
            : `for machines ${listSome(ref.machines)}`;
      let near = nearest.get(ref.key);
      if (near === undefined) nearest.set(ref.key, (near = closestName(ref.key, keys.keys())));
      return {
        file: matrix.file,
        range: ref.range,
        severity: 'error',
        code: this.code,
        message: `Unknown secret key '${ref.key}' ${who}: ${relativeToClan(clan, registry.file)} has no entry '${ref.key}'.` + (near ? ` Did you mean '${near}'?` : ''),
        explanation: `Evaluation throws "Unknown secret key in envMatrix: ${ref.key}".`,
        // where the key it probably meant is defined; the top of the registry file would say nothing
        related: relatedEntry(registry.file, registry.facts, near),
        fixes: fixesFor(ref.key, near, ref.range, matrix.file, registry.file, registry.facts),
      };
    });
  },
};

function relatedEntry(file: string, registry: RegistryFacts, near: string | null): Problem['related'] {
  const entry = near === null ? undefined : registry.entries.find((e) => e.key === near);
  const known = entry && (entry.keyRange.end.line > 0 || entry.keyRange.end.character > 0);
  return known ? [{ location: { file, range: entry.keyRange }, message: `'${near}' is defined here` }] : undefined;
}

/** 'a', 'b', 'c' and 12 more */
function listSome(names: string[], max = 5): string {
  const shown = names.slice(0, max).map((m) => `'${m}'`).join(', ');
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}

function fixesFor(key: string, c: string | null, range: Problem['range'], matrixFile: string, registryFile: string, facts: RegistryFacts): Fix[] {
  const fixes: Fix[] = [];
  if (c) fixes.push({ title: `Change to '${c}'`, edits: [{ file: matrixFile, range, newText: JSON.stringify(c) }], safe: false });
  const stub = registryStubFix(registryFile, facts, key);
  if (stub) fixes.push(stub);
  return fixes;
}

