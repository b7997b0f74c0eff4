// A pure consumer of the secret registry (a file that itself takes `pkgs ? null`, or another file
// next to the registry) imports it with a real `pkgs`: reading metadata then forces a package
// set, which makes cross-architecture introspection expensive or recursive. `pkgs = null` is enough.
import * as path from 'node:path';
import type { Problem } from '../base/types';
import type { Rule } from './types';

export const registryForcesPkgs: Rule = {
  code: 'registry-forces-pkgs',
  uses: ['registry', 'imports'],
  check(clan) {
    const registry = clan.registry;
    if (!registry) return [];
    const problems: Problem[] = [];
    for (const facts of clan.files.values()) {
      if (facts.file === clan.generatorsFile) continue; // builds generators: needs pkgs for runtimeInputs
      for (const call of facts.imports ?? []) {
        if (call.target !== registry.file || !call.passesPkgs || !call.pkgsRange) continue;
        const pure = call.importerPure || path.dirname(facts.file) === path.dirname(registry.file);
        if (!pure) continue;
        problems.push({
          file: facts.file,
          range: call.pkgsRange,
          severity: 'warning',
          code: this.code,
          message: `This file reads the secret registry for metadata but passes it a real pkgs: pass pkgs = null.`,
          explanation:
            `The registry takes pkgs ? null so that pure consumers do not force a package set; with pkgs, clan's cross-architecture ` +
            `introspection has to evaluate nixpkgs for the other system.`,
          fixes: [{ title: 'Pass pkgs = null', edits: [{ file: facts.file, range: call.pkgsRange, newText: 'pkgs = null;' }], safe: false }],
        });
      }
    }
    return problems;
  },
};
