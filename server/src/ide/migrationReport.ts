// The migration report (`clan-vars-lint --migration-report`, "Clan Vars: Show Migration Report"):
// every facts service and sops-nix secret of the clan, what it becomes and whether a quick fix
// writes it, the generators the fixes already wrote that still wait for their values, which stored
// values the migration script moves from where, and what is left to the user, with the reason.
// Markdown: a name is inline code or escaped text (base/printable.ts), so that it stays on its line
// and in its table cell, and makes no link, image, heading or HTML.
import * as path from 'node:path';
import { generatorNameOfSops } from '../facts/legacyGenerators';
import type { ClanModel } from '../model/clanModel';
import type { LegacySecret } from '../facts/types';
import { markdownCode, markdownCodeInTable as code, markdownText } from '../base/printable';
import { migrationSteps, type MigrationStep } from './migrationSteps';
import { factOfSopsSecret } from '../rules/legacyMigration';

interface Row {
  machines: string[];
  what: string;
  where: string;
  becomes: string;
  fix: string;
}

function whyNoFix(d: LegacySecret, all: LegacySecret[]): string {
  if (d.computed) return 'no: its name is computed (only evaluation tells the services or secrets); rewrite it by hand';
  if (all.some((o) => o !== d && o.kind === d.kind && o.name === d.name)) return 'no: set by several bindings in this file; join them into one, then the fix is offered';
  return 'no: written in a form the fix does not rewrite (`inherit`, a value that is not a set); rewrite it by hand';
}

function stepLine(s: MigrationStep): string {
  if (s.refused) return `| ${code(s.varId)} | | refused: ${markdownText(s.refused)} |`;
  if (!s.read) return `| ${code(s.varId)} | | by hand: ${markdownText(s.from)} |`;
  return `| ${code(s.varId)} | ${markdownText(s.from)} | ${s.ifStored ? 'moved if stored (nothing was when this was written)' : 'moved by the script'} |`;
}

export function migrationReport(clan: ClanModel): string {
  const machines = clan.machineModel();
  const rel = (f: string) => markdownText(path.relative(clan.root, f) || path.basename(f));
  const rows: Row[] = [];
  const uses: string[] = [];
  for (const facts of clan.files.values()) {
    const all = facts.legacySecrets?.declarations ?? [];
    const own = machines.machinesOfFile(facts.file);
    for (const d of all) {
      if (d.kind === 'sops-secret' && d.name.startsWith('vars/')) continue;
      const facts_ = d.kind === 'facts-service';
      const generator = facts_ ? d.name : generatorNameOfSops(d.name, d.perMachine);
      const fact = facts_ ? null : factOfSopsSecret(clan, facts.file, d);
      const what = `${facts_ ? 'facts service' : 'sops-nix secret'}${d.computed === 'set' ? 's (computed names)' : d.computed ? ' (computed name)' : d.perMachine ? " (through the machine's name)" : ''} ${code(d.name)}`;
      if (fact) {
        rows.push({ machines: own, what, where: `${rel(facts.file)}:${d.range.start.line + 1}`, becomes: `settings of file ${code(fact.fact)} of generator ${code(fact.generator)} (the secret fact's own; its value moves with the fact)`, fix: d.factReplacement ? 'yes' : whyNoFix(d, all) });
        continue;
      }
      rows.push({
        machines: own,
        what,
        where: `${rel(facts.file)}:${d.range.start.line + 1}`,
        becomes: d.computed ? '' : `generator ${code(generator)} (${facts_ ? `files ${(d.files ?? []).map((f) => `${code(f.name)}${f.secret ? '' : ' (public)'}`).join(', ') || 'none known'}` : 'file value, prompted, persisted'})`,
        fix: d.replacement ? 'yes' : whyNoFix(d, all),
      });
    }
    for (const u of facts.legacySecrets?.factsUses ?? []) {
      uses.push(`- ${rel(facts.file)}:${u.range.start.line + 1} ${markdownCode(u.path)}: ${u.newText ? `read ${markdownCode(u.newText)} instead (quick fix)` : u.setting ? 'remove it' : 'remove it, or read its vars counterpart'}`);
    }
  }
  for (const g of clan.generators) {
    if (!g.movedFrom || g.name.name === null) continue;
    rows.push({
      machines: machines.machinesOfFile(g.file),
      what: g.movedSops ? `sops-nix secret ${code(g.movedSops.name)}` : `facts service ${code(g.name.name)}`,
      where: `${rel(g.file)}:${g.name.range.start.line + 1}`,
      becomes: `generator ${code(g.name.name)}: rewritten, its '# moved from' comment kept`,
      fix: 'applied',
    });
  }
  const steps = migrationSteps(clan);
  const title = `# Moving to clan vars: ${markdownText(path.basename(clan.root))}`;
  if (!rows.length && !steps.length && !uses.length) return `${title}\n\nNothing of clan facts or sops-nix was found: nothing to move.\n`;
  // the count agrees with the rows: a value read only if it is stored by then is counted apart
  const movable = steps.filter((s) => s.read && !s.refused);
  const moved = movable.filter((s) => !s.ifStored).length;
  const ifStored = movable.length - moved;
  const byHand = steps.length - movable.length;
  const out = [
    title,
    '',
    `${rows.filter((r) => r.fix !== 'applied').length} declarations of facts services or sops-nix secrets, ${rows.filter((r) => r.fix === 'applied').length} already rewritten to generators; ` +
      `${moved} stored value${moved === 1 ? '' : 's'} for the migration script to move${ifStored ? ` (and ${ifStored} more if stored by the time it runs: nothing was when this was written)` : ''}, ${byHand} left to you.`,
    '',
    'Steps: apply the quick fixes (on each finding, or as listed below), write the migration script (Clan Vars: Write Migration Script, or `clan-vars-lint --migration-script`: before or after the fixes, it moves the same values), run it from the clan\'s root once the fixes are applied, then `clan vars check`.',
  ];
  const names = [...new Set([...rows.flatMap((r) => r.machines), ...steps.map((s) => s.machine)])].sort();
  for (const m of names) {
    out.push('', `## Machine ${markdownCode(m)}`, '');
    const mine = rows.filter((r) => r.machines.includes(m));
    if (mine.length) {
      out.push('| declared | where | becomes | quick fix |', '|---|---|---|---|');
      for (const r of mine) out.push(`| ${r.what} | ${r.where} | ${r.becomes} | ${r.fix} |`);
      out.push('');
    }
    const own = steps.filter((s) => s.machine === m);
    out.push(own.length ? 'Stored values:' : 'No stored values to move.');
    if (own.length) out.push('', '| var | read from | |', '|---|---|---|', ...own.map(stepLine));
  }
  const outside = rows.filter((r) => r.machines.length === 0);
  if (outside.length) {
    out.push('', '## In files no machine has', '', 'Not migrated: no machine imports these files (a home-manager module, a file of another flake, an unused module), so no value of theirs is moved.', '');
    out.push('| declared | where |', '|---|---|', ...outside.map((r) => `| ${r.what} | ${r.where} |`));
  }
  if (uses.length) out.push('', '## Other uses of the facts system', '', 'Each fails evaluation once clan-core has no facts (from 2025-12-09):', '', ...uses);
  return out.join('\n') + '\n';
}
