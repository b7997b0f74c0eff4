// The code action shared by facts-leftover and sops-nix-secret: the declaration replaced by its
// vars generator, and every read of its path rewritten to the generator's file: the reads in the
// modules of the machines that have the declaring module (all of the clan's when no machine is known).
import type { ClanModel } from '../model/clanModel';
import { FACT_FILE_SLOT, FACT_GENERATOR_SLOT, rewriteFactsScript } from '../facts/legacyGenerators';
import { attrName } from '../syntax/syntax';
import type { Fix, TextEdit } from '../base/types';
import type { FileFacts, Generator, LegacySecret, OptionValue } from '../facts/types';

export function migrationFix(clan: ClanModel, file: string, d: LegacySecret, title: string): Fix[] {
  // a secret fact's own sops-nix secret: its settings go to the fact's vars file, its readers read that file
  const fact = d.factReplacement ? factOfSopsSecret(clan, file, d) : null;
  const fill = (text: string) => (fact ? text.split(FACT_GENERATOR_SLOT).join(attrName(fact.generator)).split(FACT_FILE_SLOT).join(attrName(fact.fact)) : text);
  // the fact's generator already declared in this file (the facts-leftover fix wrote it there): a second
  // `clan.core.vars.generators.<g> = { ... }` beside it fails in Nix ("attribute 'files' already defined")
  if (fact && clan.files.get(file)?.generators.some((g) => g.origin === 'module' && g.name.name === fact.generator)) return [];
  const replacement = fact ? d.factReplacement : d.replacement;
  if (!replacement) return [];
  const edits: TextEdit[] = replacement.edits.map((e) => ({ file, ...e, newText: fill(e.newText) }));
  const machines = clan.machineModel();
  const own = new Set(machines.machinesOfFile(file));
  for (const facts of clan.files.values()) {
    // a reader shares a machine with the declaration, or is in a module no known machine imports (an option's default, a flake's nixosModule)
    const readers = machines.machinesOfFile(facts.file);
    if (own.size && facts.file !== file && readers.length && !readers.some((m) => own.has(m))) continue;
    for (const r of facts.legacySecrets?.reads ?? []) {
      if (r.kind === d.kind && r.name === d.name) edits.push({ file: facts.file, range: r.range, newText: fact && r.factNewText ? fill(r.factNewText) : r.newText });
    }
  }
  const files = new Set(edits.map((e) => e.file)).size;
  return [{ title, edits, safe: false, preview: `Rewrites the declaration${edits.length > 1 ? ` and ${edits.length - 1} reader${edits.length > 2 ? 's' : ''}` : ''}${files > 1 ? ` in ${files} files` : ''}. The stored value is not moved here: the migration script (Clan Vars: Write Migration Script, or clan-vars-lint --migration-script) carries it over, written before or after this rewrite, since the generator's '# moved from' comment keeps where the value is.` }];
}

/** Declarations of one kind in the clan (or in `files`, some of its files), with their file. */
export function* legacyDeclarations(clan: ClanModel, kind: LegacySecret['kind'], files: Iterable<FileFacts> = clan.files.values()): Iterable<{ file: string; d: LegacySecret }> {
  for (const facts of files) for (const d of facts.legacySecrets?.declarations ?? []) if (d.kind === kind) yield { file: facts.file, d };
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

/**
 * The generator of secret fact `fact` on `machine`: a facts service of the machine's modules that
 * declares `secret.<fact>` (by a literal name) or that they read `secret.<fact>` of, or a generator
 * moved from clan facts (or still naming `migrateFact`) with file `<fact>`; null when none or more
 * than one does. clan's facts kept such a
 * fact as sops secret `<machine>-<fact>`, which modules refine through sops-nix
 * (`sops.secrets."${config.networking.hostName}-<fact>".neededForUsers = true`).
 */
export function secretFactOwner(clan: ClanModel, machine: string, fact: string): string | null {
  const machines = clan.machineModel();
  const owners = new Set<string>();
  for (const facts of clan.files.values()) {
    const legacy = facts.legacySecrets;
    if (!legacy || !machines.machinesOfFile(facts.file).includes(machine)) continue;
    for (const d of legacy.declarations) if (d.kind === 'facts-service' && d.files?.some((f) => f.secret && f.name === fact)) owners.add(d.name);
    // a service declared outside the clan (a clan-core module) that the machine's modules read the fact of
    for (const r of legacy.reads) if (r.fact?.secret && r.fact.name === fact) owners.add(r.name);
  }
  for (const g of clan.generators) {
    if (g.name.name === null || !g.files.some((f) => f.name === fact)) continue;
    const migrated = g.movedFrom === 'clan facts' || g.options.some((o) => o.path.length === 1 && o.path[0] === 'migrateFact');
    if (migrated && machines.machinesOfFile(g.file).includes(machine)) owners.add(g.name.name);
  }
  return owners.size === 1 ? [...owners][0] : null;
}

/** The generator of the secret fact a per-machine sops-nix secret is on every machine of its file, or null. */
export function factOfSopsSecret(clan: ClanModel, file: string, d: LegacySecret): { generator: string; fact: string } | null {
  const p = d.perMachine;
  if (!p || p.before !== '' || !p.after.startsWith('-') || p.after.length < 2) return null;
  const fact = p.after.slice(1);
  const owners = new Set(clan.machineModel().machinesOfFile(file).map((m) => secretFactOwner(clan, m, fact)));
  const [owner] = owners;
  return owners.size === 1 && owner ? { generator: owner, fact } : null;
}
