// Quick picks for clan roots, machines, generators and vars, fed by the server's vars state.
import * as vscode from 'vscode';
import type { ClanVarsStatus, GeneratorStatus, MachineStatus, VarsStatusResult } from '../../../server/src/lsp/protocol';
import { describeMachine } from './describeState';

export async function pickClan(status: VarsStatusResult): Promise<ClanVarsStatus | undefined> {
  if (status.clans.length <= 1) return status.clans[0];
  const pick = await vscode.window.showQuickPick(
    status.clans.map((c) => ({ label: c.root, clan: c })),
    { title: 'Clan Vars: which clan?' },
  );
  return pick?.clan;
}

/** Machines to act on; [] means all (clan's default when no machine is named); undefined: cancelled. */
/** A machine in a picker: its name, what needs doing (as in the vars view), where it was found. */
function machineItem(m: MachineStatus): vscode.QuickPickItem {
  const d = describeMachine({ ...m, legacy: m.legacy ?? 0 });
  return { label: m.name, description: d.short, detail: d.long.split('\n')[0] };
}

export async function pickMachines(clan: ClanVarsStatus, title: string): Promise<string[] | undefined> {
  if (clan.machines.length === 0) return [];
  const items = clan.machines.map((m) => ({ ...machineItem(m), picked: true }));
  const picked = await vscode.window.showQuickPick(items, { title, canPickMany: true, placeHolder: 'All machines are selected; untick the ones to skip' });
  if (!picked || picked.length === 0) return undefined;
  return picked.length === items.length ? [] : picked.map((p) => p.label);
}

export async function pickMachine(clan: ClanVarsStatus, title: string): Promise<string | undefined> {
  const pick = await vscode.window.showQuickPick(
    clan.machines.map(machineItem),
    { title },
  );
  return pick?.label;
}

export function generatorsOf(clan: ClanVarsStatus, machine: string): GeneratorStatus[] {
  const own = clan.machines.find((m) => m.name === machine)?.generators ?? [];
  return [...own, ...clan.shared];
}

export async function pickGenerator(clan: ClanVarsStatus, machine: string, title: string): Promise<GeneratorStatus | undefined> {
  const pick = await vscode.window.showQuickPick(
    generatorsOf(clan, machine).map((g) => ({ label: g.name, description: `${g.machine ? '' : 'shared, '}${g.state}`, g })),
    { title },
  );
  return pick?.g;
}

export async function pickVar(clan: ClanVarsStatus, machine: string, title: string): Promise<{ varId: string; secret: boolean } | undefined> {
  const items = generatorsOf(clan, machine).flatMap((g) =>
    g.files.map((f) => ({ label: `${g.name}/${f.name}`, description: `${f.kind === 'public' ? 'public' : 'secret'}, ${f.state}`, secret: f.kind !== 'public' })),
  );
  const pick = await vscode.window.showQuickPick(items, { title });
  return pick ? { varId: pick.label, secret: pick.secret } : undefined;
}
