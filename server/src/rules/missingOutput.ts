// A declared file the script never writes to `$out`: clan runs the script, then stops with
// "did not generate a file for '<f>'" (after any prompts were already typed). Reported only when
// every output the script writes has a literal name; computed names, `cd $out`, loops, tools given
// `$out` itself, Nix interpolations that could write files, and interpreters that can read `out`
// from the environment (`python3 -c "... os.environ['out'] ..."`) keep it silent. Silent too for
// manual generators: a script that writes nothing and exits with failure, or runs no command at
// all (`script = "";`), exists so that the user fills the files with `clan vars set`. A script writing `$secrets/...` or `$facts/...` (the removed
// facts system) is reported once, for what really happens: clan runs it with `set -u`, so it stops
// with "secrets: unbound variable".
import type { Problem } from '../base/types';
import type { Generator } from '../facts/types';
import { closestName } from '../base/closestName';
import { mergedDeclarations, persistedPrompts, scriptOf, nameOf, type ScannedScript } from './generatorFacts';
import { optionAt } from '../facts/options';
import { attrName } from '../syntax/syntax';
import { NIX_INTERPOLATION } from '../syntax/nixString';
import { factsScriptFix } from './legacyMigration';
import type { Rule } from './types';

/** Interpolations that only name a program or value (`${pkgs.openssl}`, `${lib.getExe pkgs.jq}`), not shell code. */
const HARMLESS = /^\$\{\s*((lib\.)?(getExe'?|escapeShellArg|toString|getBin)\s+)?\(?[A-Za-z_][\w'-]*(\.[\w'"-]+)+\)?(\s+"[\w.-]+")?\s*\}$/;

/**
 * A conversion of a Nix name: `toString keyBits`, `builtins.toJSON cfg.port` (a number or a name),
 * `lib.escapeShellArg x` (one quoted word, whatever x holds).
 */
const CONVERSION = /^\$\{\s*(?:(?:lib|builtins)\.)?(toString|toJSON|escapeShellArgs?)\s+\(?[A-Za-z_][\w'-]*(?:\.[\w'"-]+)*\)?\s*\}$/;

/**
 * Whether an interpolation of the script (its placeholder at `at`) cannot write an output: it names a program or value,
 * it quotes its value for the shell, or it converts a name where the shell reads an argument or an
 * assigned value (after a command word or `x=` on the same command). A hole in command position
 * (`${writeOut}`, `${toString steps}` alone on its line) may be shell code, and may write.
 */
function harmlessHole(s: ScannedScript, hole: string, at: number): boolean {
  if (HARMLESS.test(hole)) return true;
  const conversion = CONVERSION.exec(hole);
  if (!conversion) return false;
  if (conversion[1].startsWith('escapeShellArg')) return true;
  const before = s.decoded.text.slice(0, at);
  const command = before.slice(Math.max(...['\n', ';', '|', '&', '(', '`'].map((c) => before.lastIndexOf(c))) + 1);
  return /\S/.test(command) && !/^\s*(then|do|else|\{)\s*$/.test(command);
}

export function writtenOutputs(s: ScannedScript): Set<string> | null {
  if (s.shell.opaqueOutputs) return null;
  // each interpolation, with where its placeholder stands in the decoded text
  let at = -1;
  for (const hole of s.decoded.interpolations) {
    at = s.decoded.text.indexOf(NIX_INTERPOLATION, at + 1);
    if (!harmlessHole(s, hole, at)) return null;
  }
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

/** Programs that run code of their own, which can write `$out/<f>` without the shell naming it. */
const INTERPRETERS = /^(python[\d.]*|perl|ruby|node|deno|bun|php|lua|nu|Rscript|julia|bash|sh|zsh|fish|dash|nix|nix-shell|make|just)$/;
const READS_OUT_FROM_ENV = /(environ|getenv|ENV|process\.env)\W{0,4}out\b/;
const FAILS = /(^|[\n;]|\bthen|\belse|\bdo)\s*exit\s+([1-9]|"?\$\{?[?\w])/;
// `$secrets`, `${secrets}`: unbound under set -u (`${secrets:-x}` and the like are not)
const FACTS_VARIABLE = /\$(?:\{(?:secrets|facts)\}|(?:secrets|facts)\b)/;

/** The script may write outputs the scanner cannot see. */
function followsNoOutputs(s: ScannedScript): boolean {
  return s.shell.commands.some((c) => INTERPRETERS.test(c.text.replace(/^.*\//, ''))) || READS_OUT_FROM_ENV.test(s.decoded.text);
}

export function isWritten(file: string, written: Set<string>): boolean {
  if (written.has(file)) return true;
  for (const w of written) if (file.startsWith(w + '/')) return true;
  return false;
}

/** A prompt of the file's name whose `persist` is not a literal: it may write the file. */
function promptMayPersist(g: Generator, file: string): boolean {
  const o = g.prompts.some((p) => p.name === file) ? optionAt(g, 'prompts', file, 'persist') : undefined;
  return o !== undefined && typeof o.literal !== 'boolean';
}

export const missingOutput: Rule = {
  code: 'missing-output',
  uses: ['generators', 'modules'],
  reach: 'name',
  check(clan) {
    const problems: Problem[] = [];
    const seen = new Set<string>();
    for (const g of clan.generators) {
      if (g.origin !== 'module' || !g.script) continue;
      const merged = mergedDeclarations(clan, g);
      // its files are those of its own name; what provides them (the script, persisted prompts) may come from any declaration merged into it
      const decls = merged.certain;
      const possible = merged.possible;
      if (possible.some((d) => d.origin !== 'module' || d.filesUnknown) || possible.filter((d) => d.script).length !== 1) continue;
      if (g.name.name !== null) {
        if (seen.has(g.name.name)) continue;
        seen.add(g.name.name);
      }
      const s = scriptOf(g);
      const written = s && writtenOutputs(s);
      if (!s || !written || followsNoOutputs(s)) continue;
      // a manual generator, filled with clan vars set: its script fails on purpose, or runs nothing at all (`script = "";`)
      if (written.size === 0 && (FAILS.test(s.decoded.text) || s.shell.commands.length === 0)) continue;
      const factsMatch = FACTS_VARIABLE.exec(s.decoded.text);
      const factsVariable = factsMatch?.[0];
      let reportedFacts = false;
      for (const d of decls) {
        const provided = new Set(persistedPrompts(d));
        for (const f of d.files) {
          if (provided.has(f.name) || isWritten(f.name, written) || possible.some((o) => persistedPrompts(o).includes(f.name) || promptMayPersist(o, f.name))) continue;
          if (factsVariable) {
            if (reportedFacts) continue;
            reportedFacts = true;
            // on the first `$secrets`/`$facts` the script names: the mistake is there, not in the declaration
            problems.push({
              file: g.file,
              range: s.decoded.rangeOf(factsMatch!.index, factsMatch!.index + factsVariable.length),
              severity: 'error',
              code: this.code,
              message: `The script of generator '${nameOf(g)}' writes to ${factsVariable}, a variable of the removed facts system: write each declared file to $out/<name>.`,
              explanation:
                `clan vars generate runs scripts with set -u, so it stops with "${factsVariable.replace(/\W/g, '')}: unbound variable". ` +
                `Migration guide: https://docs.clan.lol/guides/migrations/migration-facts-vars/`,
              fixes: [factsScriptFix(g)].filter((f) => f !== null),
            });
            continue;
          }
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
              `Generator '${nameOf(g)}' declares file '${f.name}', but its script never writes $out/${f.name}: write it or remove the declaration.` +
              (closest ? ` The script writes '${closest}': did you mean that?` : ''),
            explanation: `clan vars generate would stop with "did not generate a file for '${f.name}'".`,
            fixes,
          });
        }
      }
    }
    return problems;
  },
};
