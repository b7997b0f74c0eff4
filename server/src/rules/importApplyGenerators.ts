// Generators brought in through `lib.modules.importApply` inside `imports`: clan's cross-architecture
// clanInternals evaluation has to resolve `imports` before the configuration exists, and the
// generators depend on that configuration, so it recurses infinitely.
import * as path from 'node:path';
import { bindingInsertion } from '../facts/editRanges';
import type { Fix, Problem } from '../base/types';
import type { FileFacts, ImportApplyUse } from '../facts/types';
import type { Rule } from './types';

export const importApplyGenerators: Rule = {
  code: 'import-apply-generators',
  uses: ['imports', 'generators'],
  check(clan) {
    const problems: Problem[] = [];
    for (const { file, items } of clan.filesWith('imports', importApplies)) {
      for (const use of items) {
        if (!use.target) continue;
        const target = clan.files.get(use.target);
        const bringsGenerators =
          use.target === clan.generatorsFile ||
          (target !== undefined && (target.generators.some((g) => g.origin === 'module') || target.opaqueGeneratorSources.length > 0));
        if (!bringsGenerators) continue;
        const rel = path.relative(path.dirname(file), use.target);
        // the argument as the explanation shows it: the names of a set's attributes with their values left out, another expression left out
        const args = use.argumentNames.length ? ` { ${use.argumentNames.map((a) => `${a} = ...;`).join(' ')} }` : use.argument === 'attrs' ? ' { }' : use.argument === 'other' ? ' ...' : '';
        problems.push({
          file,
          range: use.range,
          severity: 'error',
          code: this.code,
          message: `Vars generators through importApply in 'imports' make evaluation recurse infinitely: compute them in a 'let' instead.`,
          explanation:
            `clan evaluates machines of other architectures (clanInternals, e.g. a Mac evaluating x86_64-linux machines) and must ` +
            `resolve 'imports' before the configuration exists; these generators depend on it. Assign them in the module body: ` +
            `let varsGenerators = import ${rel.startsWith('.') ? rel : './' + rel}${args}; in { clan.core.vars.generators = varsGenerators; }`,
          fixes: rewriteFix(file, use),
        });
      }
    }
    return problems;
  },
};

const importApplies = (facts: FileFacts) => facts.importApplies;

/** Moves the import out of `imports`: a `let` binding before the module, an assignment in its body. */
function rewriteFix(file: string, use: ImportApplyUse): Fix[] {
  const r = use.rewrite;
  if (!r) return [];
  const call = `import ${r.pathText}${r.argsText ? ' ' + r.argsText : ''}`;
  return [
    {
      title: "Import the generators in a 'let' block and assign clan.core.vars.generators",
      edits: [
        { file, range: { start: r.letAt, end: r.letAt }, newText: `let\n  varsGenerators = ${call};\nin\n` },
        { file, range: r.removal, newText: '' },
        { file, range: { start: r.bodyInsert.position, end: r.bodyInsert.position }, newText: bindingInsertion(r.bodyInsert, 'clan.core.vars.generators = varsGenerators;') },
      ],
      safe: false,
    },
  ];
}
