// `$in/<dep>/<file>`: clan fills `$in` only with the files of the generators listed in
// `dependencies`. A generator that is not a dependency, or a file the dependency does not declare,
// is missing when the script runs.
import type { Problem } from '../model/types';
import { closestName } from './closestName';
import { knownFiles, nameOf, scriptedGenerators } from './generatorFacts';
import { addToList, fix } from './scriptEdits';
import type { Rule } from './types';

export const unknownInput: Rule = {
  code: 'unknown-input',
  uses: ['generators'],
  check(clan) {
    const problems: Problem[] = [];
    for (const { g, s, decls } of scriptedGenerators(clan)) {
      if (decls.some((d) => d.origin !== 'module')) continue;
      const deps = decls.flatMap((d) => d.dependencies);
      const depsKnown = deps.every((d) => d.name !== null) && decls.every((d) => { const o = d.options.find((x) => x.path.length === 1 && x.path[0] === 'dependencies'); return !o || o.kind === 'list_expression'; });
      const names = new Set(deps.map((d) => d.name!));
      for (const m of s.shell.mentions) {
        if (m.variable !== 'in' || !m.path) continue;
        const [dep, ...rest] = m.path.split('/');
        const file = rest.join('/');
        const range = s.decoded.rangeOf(m.start, m.end);
        if (!names.has(dep)) {
          if (!depsKnown) continue;
          const exists = clan.byName.has(dep);
          const target = decls.find((d) => d.options.some((o) => o.path.length === 1 && o.path[0] === 'dependencies')) ?? decls.find((d) => d.insertAt) ?? g;
          problems.push({
            file: g.file,
            range,
            severity: 'error',
            code: this.code,
            message: `The script reads $in/${dep}, but '${dep}' is not a dependency of '${nameOf(g)}': add it to dependencies.` + (exists ? '' : ` No generator '${dep}' is declared in this clan.`),
            explanation: `clan puts only the files of declared dependencies under $in, so the read fails.`,
            fixes: fix(`Add "${dep}" to dependencies`, addToList(target, 'dependencies', JSON.stringify(dep)), exists),
          });
          continue;
        }
        if (!file) continue;
        const files = knownFiles(clan, dep);
        if (!files || files.has(file) || [...files].some((f) => f.startsWith(file + '/'))) continue;
        // `ssh-keygen -s ca $in/dep/key.pub` writes the certificate `key-cert.pub` next to the key
        const signed = file.endsWith('-cert.pub') && files.has(file.slice(0, -'-cert.pub'.length) + '.pub');
        if (signed && s.shell.commands.some((c) => c.text === 'ssh-keygen')) continue;
        const closest = closestName(file, files);
        problems.push({
          file: g.file,
          range,
          severity: 'error',
          code: this.code,
          message:
            `Generator '${dep}' declares no file '${file}', so $in/${dep}/${file} does not exist when the script runs.` +
            (closest ? ` Did you mean '${closest}'?` : files.size ? ` Its files: ${[...files].join(', ')}.` : ''),
        });
      }
    }
    return problems;
  },
};
