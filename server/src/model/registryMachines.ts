// The registry pipeline's side of the machine model (model/machineModel.ts): which machines each
// registry generator reaches through the matrix keys that select its entry, counted whole or, after
// an edit of the matrix alone, for the names of the changed keys only; and the selected entries
// whose generator name is not known statically.
import { changedNames, keyListDiff, mostChanged } from '../facts/matrixDiff';
import type { Generator, RegistryEntry, RegistryFacts } from '../facts/types';
import { Attached } from '../base/attached';
import type { ClanModel } from './clanModel';

/** The generators the registry file gives the clan (its evaluation's when there is one). */
export function registryGeneratorsOf(clan: ClanModel): Generator[] {
  return clan.registry ? (clan.generatorIndex.byFile.get(clan.registry.file) ?? []) : [];
}

/**
 * Per registry: key -> its generator's literal name, name -> its keys, and the entries whose name is
 * not known (one registry serves every keystroke in the matrix).
 */
interface RegistryNames {
  nameOf: Map<string, string>;
  keysOf: Map<string, string[]>;
  unnamed: Map<string, RegistryEntry>;
}
const registryNames = new Attached<RegistryFacts, RegistryNames>('registryNames');

function namesOfRegistry(registry: RegistryFacts | undefined): RegistryNames {
  if (!registry) return { nameOf: new Map(), keysOf: new Map(), unnamed: new Map() };
  let kept = registryNames.get(registry);
  if (!kept) {
    kept = { nameOf: new Map(), keysOf: new Map(), unnamed: new Map() };
    // a key written twice: the last entry counts, as in a Map of the entries
    for (const e of registry.entries) {
      if (e.generator?.name) kept.nameOf.set(e.key, e.generator.name);
      else kept.nameOf.delete(e.key), kept.unnamed.set(e.key, e);
    }
    for (const [key, name] of kept.nameOf) {
      const keys = kept.keysOf.get(name);
      if (keys) keys.push(key);
      else kept.keysOf.set(name, [key]);
    }
    registryNames.set(registry, kept);
  }
  return kept;
}

/**
 * Registry generators reach the machines whose matrix keys select their entry: by name, added to
 * `into`; with `only`, counting the keys of those registry keys alone.
 */
export function registryMachinesOf(clan: ClanModel, into = new Map<string, Set<string>>(), only?: Set<string>): Map<string, Set<string>> {
  const { nameOf } = namesOfRegistry(clan.registry?.facts);
  for (const k of clan.matrix?.facts.keys ?? []) {
    if (only && !only.has(k.key)) continue;
    const name = nameOf.get(k.key);
    if (!name) continue;
    addMachines(into, name, k.machines);
  }
  return into;
}

/** Adds `machines` to those of `key` in `into`. */
function addMachines<K>(into: Map<K, Set<string>>, key: K, machines: readonly string[]): void {
  let set = into.get(key);
  if (!set) into.set(key, (set = new Set()));
  for (const m of machines) set.add(m);
}

/**
 * After an edit of the matrix alone, the machines each registry generator reaches, from those the
 * model was built with (`before`, `machinesBefore`): only the names of the keys the edit changed are counted again, found where
 * the key lists before and after differ (the extraction gives an unchanged key as the same object).
 * null when the lists differ in most of their keys (counting them all is then as quick).
 */
export function registryMachinesAfterEdit(clan: ClanModel, before: ClanModel, machinesBefore: Map<string, Set<string>>): { machines: Map<string, Set<string>>; names: Set<string> } | null {
  const was = before.matrix?.facts.keys ?? [];
  const is = clan.matrix?.facts.keys ?? [];
  const diff = keyListDiff(was, is);
  if (mostChanged(was, is, diff)) return null;
  const { nameOf, keysOf } = namesOfRegistry(clan.registry?.facts);
  const names = new Set<string>();
  for (const key of changedNames(was, is, diff)) {
    const name = nameOf.get(key);
    if (name) names.add(name);
  }
  const machines = new Map(machinesBefore);
  for (const name of names) machines.delete(name);
  if (!names.size) return { machines, names };
  // the keys of those names: one lookup in a small set per key of the matrix
  const selecting = new Set<string>();
  for (const name of names) for (const key of keysOf.get(name)!) selecting.add(key);
  return { machines: registryMachinesOf(clan, machines, selecting), names };
}

/**
 * The registry entries the matrix selects whose generator is not named literally (a name computed
 * from values not known statically, the evaluation not knowing it either), each with the machines
 * whose keys select it: those machines have a generator of that name, whatever it is.
 */
export function unnamedRegistryEntries(clan: ClanModel): Map<RegistryEntry, Set<string>> {
  const selected = new Map<RegistryEntry, Set<string>>();
  const { unnamed } = namesOfRegistry(clan.registry?.facts);
  if (!unnamed.size) return selected;
  for (const k of clan.matrix?.facts.keys ?? []) {
    const e = unnamed.get(k.key);
    if (e) addMachines(selected, e, k.machines);
  }
  return selected;
}
