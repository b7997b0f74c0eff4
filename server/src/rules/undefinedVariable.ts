// A variable that nothing binds in a file the registry pipeline reads (the registry, the matrix,
// vars-generators.nix and what they import). Nix resolves variables when it reads a file, so the
// whole file is rejected, used or not: clan stops with "undefined variable 'x'". Reported where
// the variable is written, with the closest name in scope there.
import type { Problem } from '../base/types';
import { closestName, didYouMean } from '../base/closestName';
import type { Rule } from './types';

export const undefinedVariable: Rule = {
  code: 'undefined-variable',
  uses: ['evaluation'],
  check(clan) {
    const problems: Problem[] = [];
    for (const v of clan.evaluation?.undefinedVariables ?? []) {
      const closest = closestName(v.name, v.inScope);
      problems.push({
        file: v.location.file,
        range: v.location.range,
        severity: 'error',
        code: this.code,
        message:
          `'${v.name}' is not defined here. Nix rejects the whole file with "undefined variable '${v.name}'" ` +
          `as soon as it reads it, so clan vars and clan machines update stop.` +
          didYouMean(v.name, v.inScope),
        fixes: closest ? [{ title: `Change to '${closest}'`, edits: [{ file: v.location.file, range: v.location.range, newText: closest }], safe: false }] : [],
      });
    }
    return problems;
  },
};
