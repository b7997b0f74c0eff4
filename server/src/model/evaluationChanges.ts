// What differs between two evaluations of a clan's registry pipeline, as the rule inputs see it:
// each input's signature (a digest, made once per evaluation), and which registry generators
// changed. ClanEvaluations bumps only the inputs whose part changed.
import { Attached } from '../base/attached';
import { textDigest } from '../base/textDigest';
import type { RegistryEntry, RegistryFacts } from '../facts/types';
import { sameRange } from '../syntax/syntax';
import type { ClanEvaluation } from './clanEvaluation';
import { evaluatedOptionSites } from './evaluatedOptionSites';

export const EVALUATED_INPUTS = ['registry', 'matrix', 'evaluation'] as const;

/** The rule inputs an evaluation gives parts of. */
export type EvaluatedInput = (typeof EVALUATED_INPUTS)[number];

/** The registry file's generators changed: the names concerned (null: a computed one), and whether the set of names changed. */
export interface RegistryGeneratorChange {
  file: string;
  names: (string | null)[];
  renamed: boolean;
}

/** Whether two registries name the same generators at the same places, in the same order. */
export function sameGeneratorNames(a: RegistryFacts | null, b: RegistryFacts | null): boolean {
  const named = (r: RegistryFacts | null) => (r?.entries ?? []).filter((e) => e.generator).map((e) => e.generator!);
  const [x, y] = [named(a), named(b)];
  return x.length === y.length && x.every((g, i) => (g.name ?? g.pattern) === (y[i].name ?? y[i].pattern) && sameRange(g.range, y[i].range));
}

const signatures = new Attached<ClanEvaluation, Partial<Record<EvaluatedInput, string>>>('signatures');

/**
 * What each rule input sees of an evaluation, as the digest of comparable text (made once per
 * evaluation): kept, the text itself held 2 MB for the shared clan's registry and matrix.
 */
export function signaturesOf(e: ClanEvaluation): Record<EvaluatedInput, string> {
  for (const input of EVALUATED_INPUTS) signatureOf(e, input);
  return signatures.get(e) as Record<EvaluatedInput, string>;
}

/** One input's signature of an evaluation (each is made in a step of its own after a deferred evaluation: the three took 31-54 ms together for the shared clan). */
export function signatureOf(e: ClanEvaluation, input: EvaluatedInput): string {
  let sig = signatures.get(e);
  if (!sig) signatures.set(e, (sig = {}));
  return (sig[input] ??= digestOf(signatureValue(e, input)));
}

/** The digest of a value's JSON (of "undefined" for undefined, which JSON does not write). */
function digestOf(value: unknown): string {
  return textDigest(JSON.stringify(value) ?? 'undefined');
}

function signatureValue(e: ClanEvaluation, input: EvaluatedInput): unknown {
  if (input === 'registry') return e.registry;
  if (input === 'matrix') return e.matrix;
  // what the rules that use `evaluation` read: its throws, undefined variables and option values
  return [e.throws, e.undefinedVariables, evaluatedOptionSites(e).map(({ file, o, of }) => [file, o.valueRange, o.path, o.literal, of])];
}

/**
 * The generators of registry entries that differ between two registries (compared as `view`
 * shows an entry), by key; null when none does.
 */
export function registryChange(file: string, a: RegistryFacts | null, b: RegistryFacts | null, view: (e: RegistryEntry) => unknown): RegistryGeneratorChange | null {
  const byKey = (r: RegistryFacts | null) => new Map((r?.entries ?? []).filter((e) => e.generator).map((e) => [e.key, e]));
  const [before, after] = [byKey(a), byKey(b)];
  const names = new Set<string | null>();
  const nameOf = (e: RegistryEntry) => e.generator!.name;
  for (const [key, e] of before) {
    const f = after.get(key);
    if (f && JSON.stringify(view(e)) === JSON.stringify(view(f))) continue;
    names.add(nameOf(e));
    if (f) names.add(nameOf(f));
  }
  for (const [key, f] of after) if (!before.has(key)) names.add(nameOf(f));
  const set = (m: Map<string, RegistryEntry>) => [...new Set([...m.values()].map(nameOf))].sort().join('\0');
  const renamed = set(before) !== set(after);
  return names.size || renamed ? { file, names: [...names], renamed } : null;
}
