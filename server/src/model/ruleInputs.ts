// What each rule reads of a file's facts, and how to tell whether that changed between two
// versions of the file: the rule-result memo in WorkspaceIndex is keyed by these.
import type { QueryDb } from '../base/query';
import type { FileFacts, RuleInput } from '../facts/types';

export const INPUTS: RuleInput[] = ['generators', 'registry', 'matrix', 'imports', 'accesses', 'vars', 'modules', 'evaluation'];

/** Whether two versions of a file contribute the same to a rule input. Identity first, then content. */
export function sameInput(input: RuleInput, a: FileFacts | undefined, b: FileFacts | undefined): boolean {
  switch (input) {
    case 'generators':
      return (
        sameList(a?.generators ?? [], b?.generators ?? []) &&
        sameList(a?.opaqueGeneratorSources ?? [], b?.opaqueGeneratorSources ?? []) &&
        sameList(a?.setGenerators ?? [], b?.setGenerators ?? []) &&
        sameDiscoverDirs(a, b)
      );
    case 'registry':
      return (
        a?.registry?.understood === b?.registry?.understood &&
        sameList(a?.registry?.entries ?? [], b?.registry?.entries ?? []) &&
        JSON.stringify(a?.registry?.style) === JSON.stringify(b?.registry?.style)
      );
    case 'matrix':
      return (
        a?.matrix?.understood === b?.matrix?.understood &&
        sameList(a?.matrix?.machines ?? [], b?.matrix?.machines ?? []) &&
        sameList(a?.matrix?.keys ?? [], b?.matrix?.keys ?? [])
      );
    case 'imports':
      return sameList(a?.importApplies ?? [], b?.importApplies ?? []) && sameList(a?.imports ?? [], b?.imports ?? []);
    case 'accesses':
      return sameList(a?.accesses ?? [], b?.accesses ?? []) && sameList(a?.secretKeyUses ?? [], b?.secretKeyUses ?? []) && JSON.stringify(a?.legacySecrets) === JSON.stringify(b?.legacySecrets);
    case 'modules': {
      // where things are written does not change which machine has what: ranges are left out; the
      // definitions of clan-core's toggles and of the machines' `enable` options decide generators;
      // the clan's secret store decides which secrets on disk clan reads; a flake.nix that names clan
      // makes machines of the folders under machines/
      const same = (k: 'modules' | 'optionDefs' | 'enableDefs' | 'clanReadings') => a?.[k] === b?.[k] || withoutRanges(a?.[k]) === withoutRanges(b?.[k]);
      return a?.secretStore?.value === b?.secretStore?.value && a?.namesClan === b?.namesClan && same('modules') && same('optionDefs') && same('enableDefs') && same('clanReadings');
    }
    case 'vars':
      return true; // files on disk under vars/, sops/, secrets/: bumped by varsChanged
    case 'evaluation':
      return true; // bumped by the evaluations
  }
}

/** Whether two versions of a file name the same folders for clan-vars-helper (their places aside). */
export function sameDiscoverDirs(a: FileFacts | undefined, b: FileFacts | undefined): boolean {
  const dirs = (f: FileFacts | undefined) => (f?.discoverDirs ?? []).map((d) => d.dir).join('\0');
  return dirs(a) === dirs(b);
}

function withoutRanges(v: unknown): string {
  return JSON.stringify(v ?? null, (k, x) => (k === 'range' || k === 'ranges' ? undefined : x));
}

function sameList<T>(a: T[], b: T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && JSON.stringify(a[i]) !== JSON.stringify(b[i])) return false;
  return true;
}

/**
 * A clan's version of each rule input: one input cell of the query database each (base/query.ts),
 * read and bumped as plain numbers (`v.generators`, `v[input]++`). A query that reads a version
 * depends on that input only.
 */
export function newVersions(db: QueryDb): Record<RuleInput, number> {
  const versions = {} as Record<RuleInput, number>;
  for (const input of INPUTS) {
    const cell = db.input(0);
    Object.defineProperty(versions, input, { enumerable: true, get: () => cell.get(), set: (n: number) => cell.set(n) });
  }
  return versions;
}
