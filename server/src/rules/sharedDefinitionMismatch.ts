// A shared generator whose definition differs between machines: every machine using it must have
// it identically, or clan stops with "Machines <a> and <b> have different definitions for shared
// generator '<g>' (differ in: ...)". clan compares each machine's evaluated generator: files
// (without owner, group and mode), prompts, dependencies and the validation hash. So do we, per
// machine, on the declarations its modules merge, with clan-core's defaults filled in, on literal
// values only.
import type { Problem } from '../base/types';
import type { Generator, OptionValue } from '../facts/types';
import { computedOn } from './generatorFacts';
import { sharedMismatchError } from './sharedReference';
import { sharedness } from '../model/sharing';
import { optionAt } from '../facts/options';
import type { Rule } from './types';

// named as clan names them in its error (clan_lib/vars/generator.py)
type Part = 'files' | 'prompts' | 'dependencies' | 'validation_hash';

/** clan-core's defaults (generic-generator.nix): a value spelled out equal to them is no difference. */
const FILE_DEFAULTS: Record<string, string> = { secret: 'true', deploy: 'true', neededFor: '"services"' };
const PROMPT_DEFAULTS: Record<string, (name: string) => string> = { type: () => '"line"', persist: () => 'false', description: (n) => JSON.stringify(n) };

/** A value that names the machine it is evaluated on (clan sets the host name to the machine's name). */
const MACHINE_VALUE = /\bconfig\.(networking\.(hostName|fqdn|fqdnOrHostName)|clan\.core\.(settings\.machine\.name|machineName))\b/;

/**
 * What clan compares for one machine, its declarations merged as the module system merges them
 * (names joined, each option from whichever module sets it, defaults filled in), as comparable
 * strings; null for a part that cannot be computed (a computed name or value, two modules setting
 * one option differently, which needs priorities to resolve).
 */
function signature(decls: Generator[], machine: string): Record<Part, string | null> {
  const value = (path: string[], fallback: string): string | null => {
    let found: string | null | undefined;
    for (const g of decls) {
      const o = optionAt(g, ...path);
      if (!o) continue;
      const v = o.literal === undefined ? null : JSON.stringify(o.literal);
      if (v === null || (found !== undefined && found !== v)) return null;
      found = v;
    }
    // a file whose settings were not read may set it
    if (found === undefined && path[0] === 'files' && decls.some((g) => g.files.some((f) => f.name === path[1] && f.optionsUnknown))) return null;
    return found ?? fallback;
  };
  const declared = (kind: 'files' | 'prompts') => decls.flatMap((g) => (kind === 'files' ? g.files : g.prompts).map((x) => x.name));
  // a persisted prompt is a file of the generator too (clan-core: `files = genAttrs <persisted prompts> (_: { })`),
  // so a machine that names the file only to adjust it (`files.<p>.restartUnits`) has the same files
  const names = (kind: 'files' | 'prompts'): string[] | null => {
    const persisted: string[] = [];
    for (const p of kind === 'files' ? new Set(declared('prompts')) : []) {
      const persist = value(['prompts', p, 'persist'], 'false');
      if (persist === null) return null;
      if (persist === 'true') persisted.push(p);
    }
    return [...new Set([...declared(kind), ...persisted])].sort();
  };
  // a file or prompt named by a computed name anywhere (`files.${n}...`, `prompts.${n}...`) sets filesUnknown (facts/generators.ts)
  const computed = decls.some((g) => g.evaluated || g.filesUnknown);
  const describe = (kind: 'files' | 'prompts'): string | null => {
    const parts: string[] = [];
    const all = names(kind);
    if (all === null) return null;
    for (const n of all) {
      const values = kind === 'files' ? Object.entries(FILE_DEFAULTS).map(([a, d]) => value(['files', n, a], d)) : Object.entries(PROMPT_DEFAULTS).map(([a, d]) => value(['prompts', n, a], d(n)));
      if (values.includes(null)) return null;
      parts.push(`${n}(${values.join(',')})`);
    }
    return parts.join(' ');
  };
  const validation = decls.flatMap((g) => g.options.filter((o) => o.path[0] === 'validation' && !(o.path.length === 1 && o.literal === null)));
  const deps = decls.flatMap((g) => g.dependencies);
  return {
    files: computed ? null : describe('files'),
    prompts: computed ? null : describe('prompts'),
    dependencies: deps.some((d) => d.name === null) || decls.some((g) => g.evaluated) ? null : [...new Set(deps.map((d) => d.name))].sort().join(' '),
    validation_hash: validation.some((o) => o.literal === undefined && !o.kind.includes('attrset') && !perMachine(o))
      ? null
      : validation.map((o) => `${o.path.join('.')}=${o.text.replace(new RegExp(MACHINE_VALUE, 'g'), JSON.stringify(machine))}`).sort().join(' '),
  };
}

/** A validation value that is the machine's name, or holds it. */
function perMachine(o: OptionValue): boolean {
  return o.path[0] === 'validation' && MACHINE_VALUE.test(o.text);
}

/** A declaration that defines the generator rather than adjusting it (a script, or prompts). */
const complete = (g: Generator) => g.origin === 'module' && !g.evaluated && !g.filesUnknown && (g.script !== undefined || g.prompts.length > 0);

export const sharedDefinitionMismatch: Rule = {
  code: 'shared-definition-mismatch',
  uses: ['generators', 'modules'],
  reach: 'name',
  check(clan) {
    const problems: Problem[] = [];
    const model = clan.machineModel();
    // the names of the generators given (all of them, or those an edit may affect), each with all its declarations
    for (const name of new Set(clan.generators.flatMap((g) => (g.name.name === null ? [] : [g.name.name])))) {
      const all = clan.byName.get(name);
      if (!all || sharedness(all) !== true) continue;
      // each machine's own declarations of it, merged (a registry entry's too: clan compares the merged
      // generator); machines that only adjust it, or have only a registry entry's, are not compared
      const machines: { machine: string; decls: Generator[]; sig: Record<Part, string | null> }[] = [];
      for (const view of model.machines.values()) {
        const decls = view.generators.get(name) ?? [];
        // a declaration whose computed name could be it would change what this machine has: not compared
        if (!decls.some(complete) || computedOn(clan, name, view.name).length) continue;
        machines.push({ machine: view.name, decls, sig: signature(decls, view.name) });
      }
      const [first, ...others] = machines;
      const reported = new Set<Generator>();
      for (const other of others) {
        const differ = (Object.keys(first.sig) as Part[]).filter((k) => first.sig[k] !== null && other.sig[k] !== null && first.sig[k] !== other.sig[k]);
        if (!differ.length) continue;
        // on a declaration one machine has and the other lacks (the one that makes the difference):
        // the other machine's, else the first machine's own (the others all lack it)
        const extra = (a: typeof first, b: typeof first) => a.decls.find((d) => !b.decls.includes(d) && complete(d)) ?? a.decls.find((d) => !b.decls.includes(d));
        const ours = extra(other, first);
        const at = ours ?? extra(first, other);
        const [there, here] = ours ? [first, other] : [other, first];
        const ref = there.decls.find((d) => !here.decls.includes(d) && complete(d)) ?? there.decls.find(complete) ?? there.decls[0];
        if (!at) {
          // the same declarations on both: a validation that holds the machine's name differs by itself
          const named = differ.includes('validation_hash') ? other.decls.flatMap((d) => d.options.filter(perMachine).map((o) => ({ d, o }))) : [];
          for (const { d, o } of named) {
            if (reported.has(d)) continue;
            reported.add(d);
            problems.push({
              file: d.file,
              range: o.valueRange,
              severity: 'error',
              code: this.code,
              message:
                `${o.path.join('.')} of shared generator '${name}' holds the machine's name (${o.text.match(MACHINE_VALUE)?.[0]}), so machines ${first.machine} and ${other.machine} have different definitions (differ in: validation_hash). ` +
                `clan vars generate stops with this error. Use a value that is the same on every machine, or make '${name}' per-machine (share = false).`,
            });
          }
          continue;
        }
        if (reported.has(at)) continue;
        reported.add(at);
        const message =
          `${sharedMismatchError(first.machine, other.machine, name, differ)}. ` +
          `clan vars generate stops with this error: every machine using a shared generator must declare it identically. ` +
          `Declare it once in a module both machines import.`;
        problems.push({
          file: at.file,
          range: at.name.range,
          severity: 'error',
          code: this.code,
          message,
          related: [
            { location: { file: ref.file, range: ref.name.range }, message: `'${name}' as ${there.machine} has it (${relative(clan.root, ref.file)})` },
            { location: { file: at.file, range: at.name.range }, message: `'${name}' as ${here.machine} has it` },
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
