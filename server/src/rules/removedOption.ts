// Generator options clan removed or renamed: evaluation fails ("The option ... does not exist", or
// clan's own removal message), or, for renames that still work, NixOS warns. migrateFact depends on
// the clan-core the flake.lock pins: clan-core kept it as a removed option that nothing read (so a
// definition was silently ignored) until 2026-05-29, and only since then is it an unknown option.
import { contains, type Fix, type Problem, type Severity } from '../base/types';
import type { Generator, OptionValue } from '../facts/types';
import { clanCorePin, type ClanCorePin } from '../model/inputs/clanCorePin';
import { nameOf } from './generatorFacts';
import { factsScriptFix, migrateFactRemoval } from './legacyMigration';
import type { Rule } from './types';

/** clan-core commit b32a0d4c3 ("facts: remove residue", merged 2026-05-29 15:24 UTC) made migrateFact an unknown option. */
const MIGRATE_FACT_UNKNOWN_SINCE = 1780068256;

interface Removed {
  matches(path: string[]): boolean;
  severity: Severity | ((pin: ClanCorePin | null) => Severity);
  explain(o: OptionValue, pin: ClanCorePin | null): string;
  /** Why, with clan's error text, when the message leaves it out. */
  why?(pin: ClanCorePin | null): string;
  fix?(o: OptionValue, file: string, g: Generator): Fix[];
}

/**
 * The rename of an option written as a binding of its own, with the value in it when that is
 * rewritten too (a value starting in the binding is in it: nodes nest); none for `inherit createFile;`
 * (renamed, it would read another name) or a value bound elsewhere (`neededForUsers = t;` with
 * `let t = true;`: t's other readers would change).
 */
const rename = (title: string, file: string, o: OptionValue, key: string, value?: string): Fix[] =>
  o.removal && (value === undefined || contains(o.removal, o.valueRange.start))
    ? [{ title, edits: [{ file, range: o.keyRange, newText: key }, ...(value !== undefined ? [{ file, range: o.valueRange, newText: value }] : [])], safe: true }]
    : [];

const REMOVED: Removed[] = [
  {
    matches: (p) => p.length === 1 && p[0] === 'migrateFact',
    severity: (pin) => (pin && pin.lastModified >= MIGRATE_FACT_UNKNOWN_SINCE ? 'error' : 'warning'),
    // what to do first, so that a cut line (the Problems panel at 1280 px) still holds it; the option's name once
    explain: (_o, pin) =>
      'delete this line once the facts are moved to vars: ' +
      (pin && pin.lastModified >= MIGRATE_FACT_UNKNOWN_SINCE ? 'it no longer exists in the clan-core this flake pins.' : 'it does nothing since the facts system was removed.'),
    why: (pin) =>
      (pin && pin.lastModified >= MIGRATE_FACT_UNKNOWN_SINCE
        ? `Evaluation fails with "The option ... migrateFact' does not exist".`
        : pin
          ? `The clan-core this flake pins ignores it, but evaluation breaks when you update clan-core past 2026-05-29 ("The option ... migrateFact' does not exist").`
          : `With clan-core from 2026-05-29 on, evaluation fails with "The option ... migrateFact' does not exist".`) +
      ` Migration guide: https://docs.clan.lol/guides/migrations/migration-facts-vars/`,
    fix: (o, file, g) => [factsScriptFix(g), o.removal ? { title: 'Remove migrateFact', edits: [migrateFactRemoval(file, o)], safe: false } : null].filter((f) => f !== null),
  },
  {
    matches: (p) => p.length === 3 && p[0] === 'prompts' && p[2] === 'createFile',
    severity: 'error',
    explain: () => `prompts.<name>.createFile was renamed to persist (January 2025) and the old name no longer exists. Write persist instead.`,
    fix: (o, file) => rename('Rename createFile to persist', file, o, 'persist'),
  },
  {
    matches: (p) => p.length === 3 && p[0] === 'files' && p[2] === 'neededForUsers',
    severity: 'error',
    explain: (o) =>
      `files.<name>.neededForUsers was replaced by neededFor (December 2024) and no longer exists.` +
      (o.literal === true ? ` Write neededFor = "users".` : o.literal === false ? ` false is the default: delete the line.` : ` Use neededFor = "users" or "services".`),
    fix: (o, file) =>
      o.literal === true
        ? rename('Replace with neededFor = "users"', file, o, 'neededFor', '"users"')
        : o.literal === false && o.removal
          ? [{ title: 'Remove neededForUsers', edits: [{ file, range: o.removal, newText: '' }], safe: true }]
          : [],
  },
  {
    matches: (p) => p.length === 4 && p[0] === 'files' && p[2] === 'sops' && (p[3] === 'owner' || p[3] === 'group'),
    severity: 'warning',
    explain: (o) => `files.<name>.sops.${o.path[3]} was renamed to files.<name>.${o.path[3]}; NixOS still accepts it with a warning.`,
  },
];

/** What a removed option does with the clan-core this clan pins (the hover on it says what the finding says), or null. */
export function removedOptionEffect(root: string, path: string[]): string | null {
  const r = REMOVED.find((x) => x.matches(path));
  return r?.why ? r.why(clanCorePin(root)) : null;
}

export const removedOption: Rule = {
  code: 'removed-option',
  uses: ['generators', 'modules'], // modules: bumped when flake.lock (the clan-core pin) changes
  reach: 'name',
  check(clan) {
    const problems: Problem[] = [];
    let pin: ClanCorePin | null | undefined;
    for (const g of clan.generators) {
      if (g.origin !== 'module') continue;
      for (const o of g.options) {
        const r = REMOVED.find((x) => x.matches(o.path));
        if (!r) continue;
        if (pin === undefined) pin = clanCorePin(clan.root);
        const fixes = r.fix?.(o, g.file, g) ?? [];
        problems.push({
          file: g.file,
          range: o.keyRange,
          severity: typeof r.severity === 'function' ? r.severity(pin) : r.severity,
          code: this.code,
          message: `${o.path.join('.')} of generator '${nameOf(g)}': ${r.explain(o, pin)}`,
          ...(r.why ? { explanation: r.why(pin) } : {}),
          fixes,
        });
      }
    }
    return problems;
  },
};
