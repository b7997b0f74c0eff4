// A secret's `.path` read in the top-level `let` block of a machine module: the value is computed
// while clan introspects the machine (possibly for another architecture, possibly before
// `clan vars generate`), not on the target. Read it in the module body or in a submodule instead.
import type { Problem } from '../model/types';
import { isSecretFile } from './secretFiles';
import type { Rule } from './types';

export const evalTimeSecretPath: Rule = {
  code: 'eval-time-secret-path',
  uses: ['generators', 'accesses', 'registry'],
  check(clan) {
    const problems: Problem[] = [];
    for (const facts of clan.files.values()) {
      if (!facts.accesses.some((a) => a.inLet)) continue; // cheap first: most files read no generator in a let block
      if (clan.machineModel().folderMachineOf(facts.file) === null) continue; // a machine's own module
      for (const a of facts.accesses) {
        if (!a.inLet || a.attr?.name !== 'path' || !a.file) continue;
        if (a.generator.name && a.file.name && isSecretFile(clan, a.generator.name, a.file.name) === false) continue;
        problems.push({
          file: facts.file,
          range: a.range,
          severity: 'warning',
          code: this.code,
          message:
            `A secret's .path is read in this machine module's let block, so it is computed whenever clan introspects the machine ` +
            `(also from another architecture, and before clan vars generate has run: sops then yields "/no-such-path"). ` +
            `Read it where it is used in the module body, or in a module evaluated on the target.`,
        });
      }
    }
    return problems;
  },
};
