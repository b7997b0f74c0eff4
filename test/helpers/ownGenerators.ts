// The generators a test clan's own modules give a machine: clan-core's own (state-version, on by
// default on every NixOS machine; machine-id) left out, for tests about how modules reach machines.
// test/unit/model-clan-core-toggles.test.ts is about those.
import { machinesReport } from '../../server/src/ide/machinesReport';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { WorkspaceAnalysis } from '../../server/src/rules/workspaceAnalysis';
import { NixParser } from '../../server/src/syntax/nixParser';
import { writeTree } from './tempClan';

const CLAN_CORE_OWN = new Set(['state-version', 'machine-id']);

export function ownGenerators(names: Iterable<string>): string[] {
  return [...names].filter((n) => !CLAN_CORE_OWN.has(n));
}

/** The machines report of a clan written from `files` (with an empty flake.nix) into a temporary folder, which is added to `roots` for the test to remove. */
export async function machinesReportOf(files: Record<string, string>, roots: string[]) {
  const root = writeTree({ 'flake.nix': '{ }', ...files });
  roots.push(root);
  const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load());
  await index.scan();
  return machinesReport(index.clan(root));
}

/** Each machine of a clan written from `files` (as machinesReportOf): its own generators and why it may have more. */
export async function ownMachines(files: Record<string, string>, roots: string[]): Promise<Record<string, { generators: string[]; unknowns: string[] }>> {
  const report = await machinesReportOf(files, roots);
  return Object.fromEntries(report.machines.map((m) => [m.name, { generators: ownGenerators(m.generators), unknowns: m.unknowns }]));
}
