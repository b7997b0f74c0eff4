// Generator options clan removed or renamed: evaluation fails ("The option ... does not exist", or
// clan's own removal message), or, for renames that still work, NixOS warns.
import type { Fix, OptionValue, Problem, Severity } from '../model/types';
import { nameOf } from './generatorFacts';
import type { Rule } from './types';

interface Removed {
  matches(path: string[]): boolean;
  severity: Severity;
  explain(o: OptionValue): string;
  fix?(o: OptionValue, file: string): Fix | null;
}

const rename = (title: string, file: string, o: OptionValue, key: string, value?: string): Fix => ({
  title,
  edits: [{ file, range: o.keyRange, newText: key }, ...(value !== undefined ? [{ file, range: o.valueRange, newText: value }] : [])],
  safe: true,
});

const REMOVED: Removed[] = [
  {
    matches: (p) => p.length === 1 && p[0] === 'migrateFact',
    severity: 'error',
    explain: () =>
      `migrateFact was removed together with the facts system (December 2025): evaluation fails with "The \`migrateFact\` option has been removed" ` +
      `or, on newer clan-core, "The option ... migrateFact' does not exist". Migrate the facts by hand ` +
      `(https://docs.clan.lol/guides/migrations/migration-facts-vars/) and delete this line.`,
    fix: (o, file) => (o.removal ? { title: 'Remove migrateFact', edits: [{ file, range: o.removal, newText: '' }], safe: false } : null),
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
          ? { title: 'Remove neededForUsers', edits: [{ file, range: o.removal, newText: '' }], safe: true }
          : null,
  },
  {
    matches: (p) => p.length === 4 && p[0] === 'files' && p[2] === 'sops' && (p[3] === 'owner' || p[3] === 'group'),
    severity: 'warning',
    explain: (o) => `files.<name>.sops.${o.path[3]} was renamed to files.<name>.${o.path[3]}; NixOS still accepts it with a warning.`,
  },
];

export const removedOption: Rule = {
  code: 'removed-option',
  uses: ['generators'],
  check(clan) {
    const problems: Problem[] = [];
    for (const g of clan.generators) {
      if (g.origin !== 'module') continue;
      for (const o of g.options) {
        const r = REMOVED.find((x) => x.matches(o.path));
        if (!r) continue;
        const f = r.fix?.(o, g.file);
        problems.push({
          file: g.file,
          range: o.keyRange,
          severity: r.severity,
          code: this.code,
          message: `${o.path.join('.')} of generator '${nameOf(g)}': ${r.explain(o)}`,
          fixes: f ? [f] : [],
        });
      }
    }
    return problems;
  },
};
