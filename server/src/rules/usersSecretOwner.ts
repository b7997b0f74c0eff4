// `neededFor = "users"` files are decrypted before users and groups exist (into
// /run/secrets-for-users), so they must belong to root.
import type { Problem } from '../base/types';
import { nameOf } from './generatorFacts';
import { optionAt } from '../facts/options';
import type { Rule } from './types';

export const usersSecretOwner: Rule = {
  code: 'users-secret-owner',
  uses: ['generators'],
  reach: 'name',
  check(clan) {
    const problems: Problem[] = [];
    for (const g of clan.generators) {
      if (g.origin !== 'module') continue;
      for (const f of g.files) {
        const decls = g.name.name ? clan.byName.get(g.name.name) ?? [g] : [g];
        if (!decls.some((d) => optionAt(d, 'files', f.name, 'neededFor')?.literal === 'users')) continue;
        for (const attr of ['owner', 'group']) {
          const o = optionAt(g, 'files', f.name, attr);
          if (!o || o.literal === 'root') continue;
          problems.push({
            file: g.file,
            range: o.valueRange,
            severity: 'warning',
            code: this.code,
            message:
              `File '${f.name}' of generator '${nameOf(g)}' has neededFor = "users": it is deployed before users and groups ` +
              `are created (to /run/secrets-for-users), so its ${attr} must be root, not ${o.text}.`,
            fixes: [{ title: `Set ${attr} to "root"`, edits: [{ file: g.file, range: o.valueRange, newText: '"root"' }], safe: false }],
          });
        }
      }
    }
    return problems;
  },
};
