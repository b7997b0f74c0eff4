// `$prompts/<name>` where the generator declares no such prompt. clan sets `$prompts` only when the
// generator declares at least one prompt, and the script runs with `set -u`, so without prompts
// any use of `$prompts` fails with "prompts: unbound variable". The prompts are those of every
// declaration the module system may merge into the generator (its name in other modules, computed
// names that could be it); prompts that cannot be listed keep it silent.
import type { Problem } from '../base/types';
import { closestName } from '../base/closestName';
import { nameOf, scriptedGenerators } from './generatorFacts';
import { attrName } from '../syntax/syntax';
import { addBinding, fix } from './scriptEdits';
import type { Rule } from './types';

export const unknownPrompt: Rule = {
  code: 'unknown-prompt',
  uses: ['generators', 'modules'],
  reach: 'name',
  check(clan) {
    const problems: Problem[] = [];
    for (const { g, s, merged } of scriptedGenerators(clan)) {
      // every declaration the module system may merge into it: one of them may declare the prompt
      const decls = merged.possible;
      if (decls.some((d) => d.origin !== 'module' || d.filesUnknown || d.options.some((o) => o.path[0] === 'prompts' && o.path[1] === '*'))) continue;
      const prompts = new Set(decls.flatMap((d) => d.prompts.map((p) => p.name)));
      const target = merged.certain.find((d) => d.insertAt) ?? g;
      for (const m of s.shell.mentions) {
        if (m.variable !== 'prompts' || m.defaulted) continue;
        // a computed path (`$prompts/$p`): like the directory itself, unset without prompts, not checked with them
        const name = m.path === null ? '' : m.path.split('/')[0];
        if (prompts.size > 0 && (name === '' || prompts.has(name))) continue;
        const range = s.decoded.rangeOf(m.start, m.end);
        const declare = name ? fix(`Declare prompt '${name}'`, addBinding(target, `prompts.${attrName(name)} = { };`)) : [];
        const message =
          prompts.size === 0
            ? `Generator '${nameOf(g)}' declares no prompts, so clan does not set $prompts and the script (run with set -u) ` +
              `fails with "prompts: unbound variable".` + (name ? ` Declare the prompt: prompts.${attrName(name)} = { };` : '')
            : `Generator '${nameOf(g)}' declares no prompt '${name}'; $prompts/${name} does not exist when the script runs. ` +
              (closestName(name, prompts) ? `Did you mean '${closestName(name, prompts)}'? ` : '') +
              `Declared prompts: ${[...prompts].join(', ')}.`;
        problems.push({ file: g.file, range, severity: 'error', code: this.code, message, fixes: declare });
      }
    }
    return problems;
  },
};
