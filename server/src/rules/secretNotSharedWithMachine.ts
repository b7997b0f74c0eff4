// A per-machine sops secret without a `machines/<m>` link: the machine's key is not among its
// recipients, so sops-nix on the machine cannot decrypt it. Only for files the declaration deploys
// (`deploy = false` files are meant for admins only and have no machine link). Silent for
// `neededFor = "activation"` and `"partitioning"`: clan decrypts those on the admin's machine and
// uploads them (sops.py `populate_dir`), so the machine never decrypts them itself.
import type { Problem } from '../base/types';
import type { Generator } from '../facts/types';
import { mergedDeclarations } from './generatorFacts';
import { optionAt } from '../facts/options';
import { declarationsOf, declaredFor, describeVar, fixCommand, sopsVarsInUse } from './secretDeclarations';
import type { Rule } from './types';

export const secretNotSharedWithMachine: Rule = {
  code: 'secret-not-shared-with-machine',
  uses: ['generators', 'vars', 'modules'], // modules: which machine has a declaration (secretDeclarations.ts)
  check(clan) {
    const problems: Problem[] = [];
    for (const v of sopsVarsInUse(clan)) {
      const machine = v.ref.machine;
      if (machine === null) continue;
      if (v.links.some((l) => l.kind === 'machines' && l.name === machine)) continue;
      // the machine's declarations merged: deploy = false (or something unknown) in any of them wins
      const decls = declarationsOf(clan, v.ref);
      if (!decls.length) continue;
      // and those whose computed names could be its generator's, on that machine: one may say deploy = false
      const merged = mergedDeclarations(clan, decls[0]);
      const possible = [...decls, ...merged.possible.filter((d) => d.name.name === null && declaredFor(clan, d, machine))];
      if (uploadedByAdmin(possible, v.ref.file)) continue;
      if (possible.some((g) => g.evaluated || g.filesUnknown || g.files.some((f) => f.name === v.ref.file && (f.deploy === false || f.deploy === null)))) continue;
      for (const g of decls.filter((d) => d.files.some((f) => f.name === v.ref.file)).slice(0, 1)) {
        problems.push({
          file: g.file,
          range: g.name.range,
          severity: 'warning',
          code: this.code,
          message:
            `Secret ${describeVar(v.ref)} is deployed (deploy is not false) but has no machines/${machine} link, ` +
            `so ${machine} cannot decrypt it. Run ${fixCommand(v.ref)}, or set files."${v.ref.file}".deploy = false if only admins need it.`,
        });
      }
    }
    return problems;
  },
};

/** Some declaration sets `neededFor` to a phase clan uploads from the admin's machine, or to something unknown. */
function uploadedByAdmin(decls: Generator[], file: string): boolean {
  return decls.some((g) => {
    const o = optionAt(g, 'files', file, 'neededFor');
    if (!o) return g.files.some((f) => f.name === file && f.optionsUnknown);
    return o.literal === 'activation' || o.literal === 'partitioning' || typeof o.literal !== 'string';
  });
}
