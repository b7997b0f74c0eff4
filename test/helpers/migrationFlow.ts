// The move to vars as a user makes it, for the end-to-end migration tests: every migration quick fix
// applied, the clan as the stand-in `clan` would know it once rewritten, and the migration script run
// against the stand-ins `clan` and `sops` (test/fixtures/fake-clan, fake-sops) from the clan's root.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeFolder } from '../../server/src/cli/analyzeFolder';
import { applyEdits } from '../../server/src/cli/applyFixes';
import type { TextEdit } from '../../server/src/base/types';
import { clanVarsStatus } from '../../server/src/ide/vars/varsStatus';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { FAKE_CLAN } from './fakeClan';
import { clanWith } from './varsModel';
import { REPO_ROOT } from './tempClan';

export const FAKE_SOPS_DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'fake-sops');

/** The findings of the old systems, which the migration's quick fixes rewrite. */
export const MIGRATION_CODES = new Set(['facts-leftover', 'sops-nix-secret', 'removed-option']);

/** Applies the first fix of every migration finding (in `only`, when given); returns how many edits. */
export async function rewrite(root: string, only?: string): Promise<number> {
  const report = await analyzeFolder(root, DEFAULT_SETTINGS, () => {});
  const edits = new Map<string, TextEdit[]>();
  for (const p of report.problems) {
    if (!MIGRATION_CODES.has(p.code) || (only && p.file !== path.join(root, only))) continue;
    for (const e of p.fixes?.[0]?.edits ?? []) edits.set(e.file, [...(edits.get(e.file) ?? []), e]);
  }
  for (const [file, list] of edits) fs.writeFileSync(file, applyEdits(fs.readFileSync(file, 'utf8'), list));
  return [...edits.values()].flat().length;
}

/** What clan would know of the rewritten clan (its Nix files `rels`): its machines' generators and files, persisted prompts included. */
export async function writeFakeClan(root: string, rels: string[]): Promise<void> {
  const nix: Record<string, string> = {};
  for (const rel of rels) nix[rel] = fs.readFileSync(path.join(root, rel), 'utf8');
  const clan = await clanWith(root, nix);
  const machines: Record<string, Record<string, { files: Record<string, { secret?: boolean }> }>> = {};
  for (const m of clanVarsStatus(clan).machines) {
    machines[m.name] = {};
    for (const g of m.generators) {
      const files: Record<string, { secret?: boolean }> = {};
      for (const f of g.files) files[f.name] = f.secret === false ? { secret: false } : {};
      for (const decl of clan.generators.filter((x) => x.name.name === g.name)) {
        for (const o of decl.options) if (o.path[0] === 'prompts' && o.path[2] === 'persist' && o.literal === true) files[o.path[1]] ??= {};
      }
      machines[m.name][g.name] = { files };
    }
  }
  fs.writeFileSync(path.join(root, 'fake-clan.json'), JSON.stringify({ machines }));
}

/** Runs the script with bash from the clan's root, the stand-ins first on PATH. */
export function runScript(root: string, script: string, logs: { clan: string; sops: string }): { status: number | null; out: string } {
  const r = spawnSync('bash', [script], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${path.dirname(FAKE_CLAN)}:${FAKE_SOPS_DIR}:${process.env.PATH}`, FAKE_CLAN_LOG: logs.clan, FAKE_SOPS_LOG: logs.sops },
  });
  return { status: r.status, out: r.stdout + r.stderr };
}

/** The script's step lines (move, move_if_stored, by_hand, refused). */
export function stepLines(script: string): string[] {
  return script.split('\n').filter((l) => /^(move|move_if_stored|by_hand|refused) /.test(l));
}

/** The value of a var as the stand-in clan stores it. */
export function getVar(root: string, machine: string, varId: string): { status: number | null; value: string } {
  const r = spawnSync(FAKE_CLAN, ['vars', 'get', machine, varId], { cwd: root, encoding: 'utf8' });
  return { status: r.status, value: r.stdout };
}
