// The script that carries stored values over to clan vars after the migration fixes rewrote the
// Nix: for each facts file, each generator still naming `migrateFact`, and each plain sops-nix
// secret of a machine, one `<read the old value> | clan vars set <machine> <generator>/<file>` step.
// The value only passes through a pipe: never an argument, a file or a log line. The script is for
// the user to read and run; it deletes nothing and leaves a var that already has a value alone.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generatorNameOfSops } from '../extract/legacySecrets';
import type { ClanModel } from '../model/clanModel';
import type { LegacySecret } from '../model/types';
import { clanRoots } from '../graph/clanGraphs';
import { NixParser } from '../parse/nixParser';
import type { AnalysisSettings } from '../workspace/settings';
import type { Log } from '../workspace/workspaceIndex';
import { WorkspaceAnalysis } from '../workspaceAnalysis';

export interface MigrationStep {
  machine: string;
  /** `<generator>/<file>` as `clan vars set` takes it. */
  varId: string;
  /** What the value is read from, for the user. */
  from: string;
  /** The argv that prints the old value, or null when it must be found by hand (`from` says why). */
  read: string[] | null;
}

/** The steps, ordered by machine, then var. */
export function migrationSteps(clan: ClanModel): MigrationStep[] {
  const steps: MigrationStep[] = [];
  const machines = clan.machineModel();
  const rel = (p: string) => path.relative(clan.root, p) || '.';
  const factSource = (m: string, f: string, secret: boolean): Pick<MigrationStep, 'from' | 'read'> =>
    secret ? { from: `clan secret ${m}-${f}`, read: ['clan', 'secrets', 'get', `${m}-${f}`] } : { from: `machines/${m}/facts/${f}`, read: ['cat', `machines/${m}/facts/${f}`] };

  for (const facts of clan.files.values()) {
    const own = machines.machinesOfFile(facts.file);
    const sops = new Map<string, LegacySecret[]>();
    for (const d of facts.legacySecrets?.declarations ?? []) {
      if (d.kind === 'facts-service') {
        for (const m of own) for (const f of d.files ?? []) steps.push({ machine: m, varId: `${d.name}/${f.name}`, ...factSource(m, f.name, f.secret) });
      } else if (!d.name.startsWith('vars/')) sops.set(d.name, [...(sops.get(d.name) ?? []), d]);
    }
    for (const [name, decls] of sops) {
      const pick = <K extends 'sopsFile' | 'key' | 'format'>(k: K) => decls.map((d) => d.sops?.[k]).find((v) => v !== undefined);
      const source = sopsSource(clan.root, name, pick('sopsFile') ?? facts.legacySecrets?.defaultSopsFile, pick('key'), pick('format'), rel);
      for (const m of own) steps.push({ machine: m, varId: `${generatorNameOfSops(name)}/value`, ...source });
    }
  }
  for (const g of clan.generators) {
    const migrate = g.options.find((o) => o.path.length === 1 && o.path[0] === 'migrateFact');
    if (!migrate || typeof migrate.literal !== 'string' || g.name.name === null) continue;
    const publicFiles = new Set(g.options.filter((o) => o.path.length === 3 && o.path[0] === 'files' && o.path[2] === 'secret' && o.literal === false).map((o) => o.path[1]));
    for (const m of machines.machinesOfFile(g.file)) for (const f of g.files) steps.push({ machine: m, varId: `${g.name.name}/${f.name}`, ...factSource(m, f.name, !publicFiles.has(f.name)) });
  }
  const seen = new Set<string>();
  return steps
    .filter((s) => !seen.has(`${s.machine}\0${s.varId}`) && !!seen.add(`${s.machine}\0${s.varId}`))
    .sort((a, b) => (a.machine < b.machine ? -1 : a.machine > b.machine ? 1 : a.varId < b.varId ? -1 : a.varId > b.varId ? 1 : 0));
}

function sopsSource(
  root: string,
  name: string,
  sopsFile: string | null | undefined,
  key: string | null | undefined,
  format: string | null | undefined,
  rel: (p: string) => string,
): Pick<MigrationStep, 'from' | 'read'> {
  // clan's own sops module declares a sops-nix secret for each sops/secrets/<name>/ of the clan
  if (!sopsFile && fs.existsSync(path.join(root, 'sops', 'secrets', name, 'secret'))) return { from: `clan secret ${name}`, read: ['clan', 'secrets', 'get', name] };
  if (!sopsFile) return { from: `sops-nix secret '${name}': its sopsFile is not a literal path (and no literal sops.defaultSopsFile in its module); read it by hand`, read: null };
  if (format === null) return { from: `sops-nix secret '${name}': its format is not a literal; read it by hand`, read: null };
  const file = rel(sopsFile);
  if (format === 'binary') return { from: `sops file ${file}`, read: ['sops', '--decrypt', file] };
  if (format !== undefined && format !== 'yaml' && format !== 'json') return { from: `sops-nix secret '${name}' in ${file} (format ${format}): read it by hand`, read: null };
  if (key === null) return { from: `sops-nix secret '${name}' in ${file}: its key is not a literal; read it by hand`, read: null };
  const k = key ?? name;
  const extract = k.split('/').map((p) => `[${JSON.stringify(p)}]`).join('');
  return { from: `sops file ${file}, ${extract}`, read: ['sops', '--decrypt', '--extract', extract, file] };
}

/** A word for bash, single-quoted unless it is plainly safe. */
function sh(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The bash script for the user to review and run from the clan's root (`--dry-run` to see what it would do). */
export function migrationScript(clan: ClanModel): string {
  const steps = migrationSteps(clan);
  const lines = [
    '#!/usr/bin/env bash',
    '# Carries stored values of clan facts and plain sops-nix secrets over to clan vars.',
    `# Written by Clan Vars for the clan in ${sh(clan.root)}. Review it, then run it from that directory:`,
    '#   bash migrate-to-vars.sh --dry-run   # says what it would do; sets nothing',
    '#   bash migrate-to-vars.sh             # each value goes through a pipe into `clan vars set`',
    '# Run it after the Nix was rewritten (the generators must exist). A var that already has a value',
    '# is left alone; nothing is deleted: remove the old secrets yourself once the machines run on vars.',
    'set -uo pipefail',
    'dry_run=0',
    'case "${1-}" in --dry-run) dry_run=1 ;; "") ;; *) echo "usage: $0 [--dry-run]" >&2; exit 2 ;; esac',
    'failed=0',
    '',
    '# move MACHINE GENERATOR/FILE DESCRIPTION COMMAND...: COMMAND prints the old value on stdout',
    'move() {',
    '  local machine=$1 var=$2 from=$3',
    '  shift 3',
    '  if clan vars get "$machine" "$var" >/dev/null 2>&1; then echo "skip $machine $var: it already has a value"; return; fi',
    '  if ! "$@" >/dev/null; then echo "cannot read $from: $machine $var not set" >&2; failed=1; return; fi',
    '  if [ "$dry_run" = 1 ]; then echo "would set $machine $var from $from"; return; fi',
    '  if "$@" | clan vars set "$machine" "$var"; then echo "set $machine $var from $from"; else echo "clan vars set failed for $machine $var" >&2; failed=1; fi',
    '}',
    '',
  ];
  if (!steps.length) lines.push('# No facts or sops-nix secrets of a known machine were found: nothing to move.');
  for (const s of steps) {
    if (s.read) lines.push(`move ${sh(s.machine)} ${sh(s.varId)} ${sh(s.from)} ${s.read.map(sh).join(' ')}`);
    else lines.push(`# ${s.machine} ${s.varId}: ${s.from.replace(/\n/g, ' ')}`, `echo ${sh(`by hand: ${s.machine} ${s.varId}`)} >&2; failed=1`);
  }
  lines.push('', 'exit "$failed"', '');
  return lines.join('\n');
}

/** The script of the clan at `folder` (or, when the folder holds several, the one with the most generators). */
export async function migrationScriptOfFolder(folder: string, settings: AnalysisSettings, log: Log): Promise<string> {
  const index = new WorkspaceAnalysis(folder, settings, await NixParser.load(), log);
  await index.scan();
  const roots = clanRoots(index);
  const root = roots.find((r) => r.root === folder)?.root ?? roots[0].root;
  return migrationScript(index.clan(root));
}
