// A shared generator declared differently in two places: every machine using it must declare it
// identically, or clan stops with "Machines <a> and <b> have different definitions for shared
// generator '<g>' (differ in: ...)". clan compares files (without owner, group and mode), prompts,
// dependencies and the validation hash; so do we, on literal values only.
import type { Generator, Problem } from '../model/types';
import { optionAt, sharedness } from './generatorFacts';
import type { Rule } from './types';

type Part = 'files' | 'prompts' | 'dependencies' | 'validation';

/** What clan compares, as comparable strings; null for a part with computed names or values. */
function signature(g: Generator): Record<Part, string | null> {
  const literal = (path: string[]) => {
    const o = optionAt(g, ...path);
    return o === undefined ? 'default' : o.literal === undefined ? null : JSON.stringify(o.literal);
  };
  const describe = (names: string[], attrs: string[], kind: 'files' | 'prompts') => {
    const parts: string[] = [];
    for (const n of [...names].sort()) {
      const values = attrs.map((a) => literal([kind, n, a]));
      if (values.includes(null)) return null;
      parts.push(`${n}(${values.join(',')})`);
    }
    return parts.join(' ');
  };
  const computed = (k: string) => g.options.some((o) => o.path[0] === k && o.path[1] === '*');
  const validation = g.options.filter((o) => o.path[0] === 'validation');
  return {
    files: computed('files') ? null : describe(g.files.map((f) => f.name), ['secret', 'deploy', 'neededFor'], 'files'),
    prompts: computed('prompts') ? null : describe(g.prompts.map((p) => p.name), ['type', 'persist', 'description'], 'prompts'),
    dependencies: g.dependencies.some((d) => d.name === null) ? null : g.dependencies.map((d) => d.name).sort().join(' '),
    validation: validation.some((o) => o.literal === undefined && !o.kind.includes('attrset')) ? null : validation.map((o) => `${o.path.join('.')}=${o.text}`).sort().join(' '),
  };
}

/** A declaration that defines the generator rather than adjusting it (a script, or prompts). */
const complete = (g: Generator) => g.origin === 'module' && !g.evaluated && !g.filesUnknown && (g.script !== undefined || g.prompts.length > 0);

export const sharedDefinitionMismatch: Rule = {
  code: 'shared-definition-mismatch',
  uses: ['generators'],
  check(clan) {
    const problems: Problem[] = [];
    for (const [name, decls] of clan.byName) {
      if (decls.length < 2 || sharedness(decls) !== true) continue;
      const full = decls.filter(complete);
      if (full.length < 2 || new Set(full.map((d) => d.file)).size < 2) continue;
      const first = full[0];
      const a = signature(first);
      for (const other of full.slice(1)) {
        if (other.file === first.file) continue;
        const b = signature(other);
        const differ = (Object.keys(a) as Part[]).filter((k) => a[k] !== null && b[k] !== null && a[k] !== b[k]);
        if (!differ.length) continue;
        const message =
          `Shared generator '${name}' is declared differently here and in ${relative(clan.root, first.file)} (differ in: ${differ.join(', ')}). ` +
          `Every machine using a shared generator must declare it identically; clan vars generate stops with ` +
          `"Machines <a> and <b> have different definitions for shared generator '${name}' (differ in: ${differ.join(', ')})". ` +
          `Declare it once in a module both machines import.`;
        problems.push({
          file: other.file,
          range: other.name.range,
          severity: 'error',
          code: this.code,
          message,
          related: [
            { location: { file: first.file, range: first.name.range }, message: `first declaration of '${name}'` },
            { location: { file: other.file, range: other.name.range }, message: `differing declaration of '${name}'` },
          ],
        });
      }
    }
    return problems;
  },
};

function relative(root: string, file: string): string {
  return file.startsWith(root + '/') ? file.slice(root.length + 1) : file;
}
