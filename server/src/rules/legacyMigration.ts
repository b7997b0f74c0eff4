// The code action shared by facts-leftover and sops-nix-secret: the declaration replaced by its
// vars generator, and every read of its path rewritten to the generator's file: the reads in the
// modules of the machines that have the declaring module (all of the clan's when no machine is known).
import type { ClanModel } from '../model/clanModel';
import { rewriteFactsScript } from '../facts/legacySecrets';
import type { Fix, TextEdit } from '../base/types';
import type { Generator, LegacySecret, OptionValue } from '../facts/types';

export function migrationFix(clan: ClanModel, file: string, d: LegacySecret, title: string): Fix[] {
  if (!d.replacement) return [];
  const edits: TextEdit[] = d.replacement.edits.map((e) => ({ file, ...e }));
  const machines = clan.machineModel();
  const own = new Set(machines.machinesOfFile(file));
  for (const facts of clan.files.values()) {
    if (own.size && facts.file !== file && !machines.machinesOfFile(facts.file).some((m) => own.has(m))) continue;
    for (const r of facts.legacySecrets?.reads ?? []) if (r.kind === d.kind && r.name === d.name) edits.push({ file: facts.file, range: r.range, newText: r.newText });
  }
  const files = new Set(edits.map((e) => e.file)).size;
  return [{ title, edits, safe: false, preview: `Rewrites the declaration${edits.length > 1 ? ` and ${edits.length - 1} reader${edits.length > 2 ? 's' : ''}` : ''}${files > 1 ? ` in ${files} files` : ''}. The stored value is not moved here: the migration script (Clan Vars: Write Migration Script, or clan-vars-lint --migration-script) carries it over, written before or after this rewrite, since the generator's '# moved from' comment keeps where the value is.` }];
}

/** Declarations of one kind in the clan, with their file. */
export function* legacyDeclarations(clan: ClanModel, kind: LegacySecret['kind']): Iterable<{ file: string; d: LegacySecret }> {
  for (const facts of clan.files.values()) for (const d of facts.legacySecrets?.declarations ?? []) if (d.kind === kind) yield { file: facts.file, d };
}

/**
 * A vars generator still carrying the facts system: its script's `$secrets/`/`$facts/` rewritten to
 * `$out/` and its `migrateFact` removed, in one fix. Null when there is nothing of the two to change.
 */
export function factsScriptFix(g: Generator): Fix | null {
  const edits: TextEdit[] = [];
  const script = g.script;
  if (script && (script.kind === 'indented_string_expression' || script.kind === 'string_expression')) {
    const next = rewriteFactsScript(script.raw);
    if (next !== script.raw) edits.push({ file: g.file, range: script.range, newText: next });
  }
  const migrate = g.options.find((o) => o.path.length === 1 && o.path[0] === 'migrateFact');
  if (migrate?.removal) edits.push(migrateFactRemoval(g.file, migrate));
  if (!edits.length || (edits.length === 1 && migrate)) return null;
  return { title: `Rewrite for vars: $secrets and $facts become $out${migrate ? ', migrateFact removed' : ''}`, edits, safe: false, preview: 'Rewrites the script for vars. Values the facts system stored are not moved here: the migration script carries them over, written before or after this rewrite.' };
}

/**
 * The edit that removes `migrateFact`, leaving the comment of a generator moved from clan facts in
 * its place: the migration script still finds the facts to move once the option is gone (written
 * before or after this edit, it moves the same values), and the vars view tells they wait.
 */
export function migrateFactRemoval(file: string, o: OptionValue): TextEdit {
  const range = o.removal!;
  const wholeLines = range.start.character === 0 && range.end.character === 0;
  const marker = 'moved from clan facts: carry the values over before deploying (clan-vars-lint --migration-script)';
  return { file, range, newText: wholeLines ? `${' '.repeat(o.keyRange.start.character)}# ${marker}\n` : `/* ${marker} */ ` };
}
