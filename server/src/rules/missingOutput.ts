// A declared file the script never writes to `$out`: clan runs the script, then stops with
// "did not generate a file for '<f>'" (after any prompts were already typed). Reported only when
// every output the script writes has a literal name; computed names, `cd $out`, loops, tools given
// `$out` itself, and Nix interpolations that could write files keep it silent.
import type { Problem } from '../model/types';
import { closestName } from './closestName';
import { declarationsOf, persistedPrompts, scriptOf, nameOf, attrName, type ScannedScript } from './generatorFacts';
import type { Rule } from './types';

/** Interpolations that only name a program or value (`${pkgs.openssl}`, `${lib.getExe pkgs.jq}`), not shell code. */
const HARMLESS = /^\$\{\s*((lib\.)?(getExe'?|escapeShellArg|toString|getBin)\s+)?\(?[A-Za-z_][\w'-]*(\.[\w'"-]+)+\)?(\s+"[\w.-]+")?\s*\}$/;

export function writtenOutputs(s: ScannedScript): Set<string> | null {
  if (s.shell.opaqueOutputs || s.decoded.interpolations.some((i) => !HARMLESS.test(i))) return null;
  const written = new Set<string>();
  for (const m of s.shell.mentions) {
    if (m.variable !== 'out') continue;
    if (m.path === null || m.path === '') return null;
    written.add(m.path);
  }
  // `ssh-keygen -f $out/key` also writes `$out/key.pub`
  if (s.shell.commands.some((c) => c.text === 'ssh-keygen')) for (const w of [...written]) written.add(w + '.pub');
  return written;
}

export function isWritten(file: string, written: Set<string>): boolean {
  if (written.has(file)) return true;
  for (const w of written) if (file.startsWith(w + '/')) return true;
  return false;
}

export const missingOutput: Rule = {
  code: 'missing-output',
  uses: ['generators'],
  check(clan) {
    const problems: Problem[] = [];
    const seen = new Set<string>();
    for (const g of clan.generators) {
      if (g.origin !== 'module' || !g.script) continue;
      const decls = declarationsOf(clan, g);
      if (decls.some((d) => d.origin !== 'module') || decls.filter((d) => d.script).length !== 1) continue;
      if (g.name.name !== null) {
        if (seen.has(g.name.name)) continue;
        seen.add(g.name.name);
      }
      const s = scriptOf(g);
      const written = s && writtenOutputs(s);
      if (!written) continue;
      for (const d of decls) {
        const provided = new Set(persistedPrompts(d));
        for (const f of d.files) {
          if (provided.has(f.name) || isWritten(f.name, written) || decls.some((o) => persistedPrompts(o).includes(f.name))) continue;
          const unclaimed = [...written].filter((w) => !decls.some((o) => o.files.some((x) => x.name === w)));
          const closest = closestName(f.name, unclaimed) ?? (unclaimed.length === 1 ? unclaimed[0] : null);
          const fixes = [];
          if (closest) fixes.push({ title: `Rename '${f.name}' to '${closest}' (the name the script writes)`, edits: [{ file: d.file, range: f.range, newText: attrName(closest) }], safe: false });
          if (f.removals?.length) fixes.push({ title: `Remove the declaration of '${f.name}'`, edits: f.removals.map((range) => ({ file: d.file, range, newText: '' })), safe: false });
          problems.push({
            file: d.file,
            range: f.range,
            severity: 'error',
            code: this.code,
            message:
              `Generator '${nameOf(g)}' declares file '${f.name}', but its script never writes $out/${f.name}. ` +
              `clan vars generate would stop with "did not generate a file for '${f.name}'". ` +
              `Write it in the script (for example > "$out/${f.name}"), or remove the declaration.` +
              (closest ? ` The script writes '${closest}': did you mean that?` : ''),
            fixes,
          });
        }
      }
    }
    return problems;
  },
};
