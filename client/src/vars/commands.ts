// The Clan Vars commands that run clan: generate, regenerate, check, fix, get, set. Each builds an
// argv (commandLine.ts), refuses in an untrusted workspace, and reports in the log and status bar.
import * as vscode from 'vscode';
import type { ClanVarsStatus } from '../../../server/src/lsp/protocol';
import type { ClanRunner, RunResult } from './clanRunner';
import { commandLine, displayArgv, type VarsAction } from './commandLine';
import { execClan } from './execClan';
import { generatorsOf, pickClan, pickGenerator, pickMachine, pickMachines, pickVar } from './pickers';
import type { VarsNode, VarsTreeProvider } from './varsTree';
import { noticeText } from '../../../server/src/base/printable';

export interface VarsCommandDeps {
  output: vscode.LogOutputChannel;
  runner: ClanRunner;
  tree: VarsTreeProvider;
  /** Sends `clan vars check` output to the server and shows the problems it returns. */
  showCheckResults(root: string, output: string): Promise<void>;
  /** Refreshes the view and asks the server to re-scan vars on disk. */
  refresh(root?: string): Promise<void>;
  lastRun(text: string, ok: boolean): void;
  /**
   * Tells of a failed run: `what` failed and the short reason, with Show Log and (given `retry`)
   * Retry; once answered or dismissed, the status item drops its failure mark.
   */
  reportFailure(what: string, message: string, retry?: () => Promise<void>): Promise<void>;
}

const SETTING = 'clanVars.clanCommand';

export function clanCommandSetting(root: string): unknown {
  return vscode.workspace.getConfiguration('clanVars', vscode.Uri.file(root)).get('clanCommand');
}

export async function showNotFound(argv0: string): Promise<void> {
  const open = 'Open Setting';
  const answer = await vscode.window.showErrorMessage(`Clan Vars: '${argv0}' was not found. Set clanVars.clanCommand to how clan runs here, e.g. ["nix", "run", "git+https://git.clan.lol/clan/clan-core#clan-cli", "--"].`, open);
  if (answer === open) await vscode.commands.executeCommand('workbench.action.openSettings', SETTING);
}

function trusted(): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window.showWarningMessage('Clan Vars: running clan is disabled in an untrusted workspace (it evaluates and runs code from the workspace). Trust the workspace to enable it.');
  return false;
}

function build(deps: VarsCommandDeps, root: string, action: VarsAction): string[] | undefined {
  const line = commandLine(clanCommandSetting(root), action);
  if ('error' in line) {
    deps.output.error(line.error);
    void vscode.window.showErrorMessage(noticeText(`Clan Vars: ${line.error}`));
    return undefined;
  }
  return line.argv;
}

/** Runs an action in a terminal through the runner; reports the result. */
async function runInTerminal(deps: VarsCommandDeps, root: string, action: VarsAction, label: string): Promise<RunResult | undefined> {
  const argv = build(deps, root, action);
  if (!argv) return undefined;
  if (deps.runner.busy) {
    const cancel = 'Cancel It';
    const answer = await vscode.window.showWarningMessage(noticeText(`Clan Vars: ${deps.runner.running?.label} is still running; one run at a time.`), cancel);
    if (answer === cancel) deps.runner.cancel();
    return undefined;
  }
  const result = await deps.runner.run({ argv, cwd: root, label });
  if (result.outcome === 'not-found') await showNotFound(argv[0]);
  else if (result.outcome === 'failed' || result.outcome === 'error') void vscode.window.showErrorMessage(noticeText(`Clan Vars: ${label} failed (${result.message}). See the terminal and the log.`));
  return result;
}

async function clanFor(deps: VarsCommandDeps, node?: VarsNode): Promise<ClanVarsStatus | undefined> {
  if (node && 'clan' in node) return node.clan;
  return pickClan(await deps.tree.current());
}

export async function generateVars(deps: VarsCommandDeps, node?: VarsNode): Promise<void> {
  if (!trusted()) return;
  const clan = await clanFor(deps, node);
  if (!clan) return;
  const machines = node?.type === 'machine' ? [node.name] : await pickMachines(clan, 'Clan Vars: generate missing vars for which machines?');
  if (!machines) return;
  await runInTerminal(deps, clan.root, { kind: 'generate', machines }, `generate vars${machines.length ? ' for ' + machines.join(', ') : ''}`);
}

export async function regenerateGenerator(deps: VarsCommandDeps, node?: VarsNode): Promise<void> {
  if (!trusted()) return;
  const clan = await clanFor(deps, node);
  if (!clan) return;
  let machine: string | undefined;
  let generator = node?.type === 'generator' ? node.generator : undefined;
  if (generator?.machine) machine = generator.machine;
  else if (generator) machine = await pickMachine(clan, `Clan Vars: regenerate '${generator.name}' through which machine?`);
  else {
    machine = await pickMachine(clan, 'Clan Vars: regenerate a generator of which machine?');
    if (machine) generator = await pickGenerator(clan, machine, `Clan Vars: regenerate which generator of ${machine}?`);
  }
  if (!machine || !generator) return;
  const overwritten = [generator.name, ...generator.dependents];
  const where = generator.machine ? `machine ${machine}` : 'the whole clan (shared)';
  const ok = 'Regenerate';
  const answer = await vscode.window.showWarningMessage(
    `Regenerate '${generator.name}' on ${where}?`,
    { modal: true, detail: `This overwrites the vars of: ${overwritten.join(', ')}. Prompts are asked again. Secrets are replaced; the old values are lost unless they are in git history.` },
    ok,
  );
  if (answer !== ok) return;
  await runInTerminal(deps, clan.root, { kind: 'regenerate', machine, generator: generator.name }, `regenerate ${generator.name} on ${machine}`);
}

export async function checkVars(deps: VarsCommandDeps, node?: VarsNode): Promise<void> {
  if (!trusted()) return;
  const clan = await clanFor(deps, node);
  if (!clan) return;
  const machines = node?.type === 'machine' ? [node.name] : [];
  const argv = build(deps, clan.root, { kind: 'check', machines });
  if (!argv) return;
  deps.output.info(`running in ${clan.root}: ${displayArgv(argv)}`);
  const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Clan Vars: clan vars check' }, () => execClan(argv, clan.root));
  deps.output.info(`${displayArgv(argv)} -> exit code ${r.exitCode ?? 'none'}${r.error ? ` (${r.error})` : ''}`);
  if (r.notFound) {
    deps.lastRun('check: clan not found', false);
    return showNotFound(argv[0]);
  }
  const text = `${r.stderr}\n${r.stdout}`;
  if (text.trim()) deps.output.info(text.trim());
  await deps.showCheckResults(clan.root, text);
  deps.lastRun(`check: ${r.exitCode === 0 ? 'all vars valid' : r.exitCode === 1 ? 'problems found' : `exit code ${r.exitCode ?? 'none'}`}`, r.exitCode === 0);
}

export async function fixVars(deps: VarsCommandDeps, node?: VarsNode): Promise<void> {
  if (!trusted()) return;
  const clan = await clanFor(deps, node);
  if (!clan) return;
  const machines = node?.type === 'machine' ? [node.name] : await pickMachines(clan, 'Clan Vars: re-encrypt secrets of which machines?');
  if (!machines) return;
  await runInTerminal(deps, clan.root, { kind: 'fix', machines }, `fix vars${machines.length ? ' for ' + machines.join(', ') : ''}`);
}

async function varTarget(deps: VarsCommandDeps, node: VarsNode | undefined, verb: string) {
  const clan = await clanFor(deps, node);
  if (!clan) return undefined;
  if (node?.type === 'file') {
    const machine = node.generator.machine ?? (await pickMachine(clan, `Clan Vars: ${verb} through which machine?`));
    return machine ? { clan, machine, varId: `${node.generator.name}/${node.file.name}`, secret: node.file.kind !== 'public' } : undefined;
  }
  const machine = await pickMachine(clan, `Clan Vars: ${verb} a var of which machine?`);
  if (!machine) return undefined;
  if (generatorsOf(clan, machine).length === 0) {
    const varId = await vscode.window.showInputBox({ title: `Clan Vars: ${verb}`, prompt: 'Var id: <generator>/<file>' });
    return varId ? { clan, machine, varId, secret: true } : undefined;
  }
  const v = await pickVar(clan, machine, `Clan Vars: ${verb} which var of ${machine}?`);
  return v ? { clan, machine, ...v } : undefined;
}

export async function getVar(deps: VarsCommandDeps, node?: VarsNode): Promise<void> {
  if (!trusted()) return;
  const t = await varTarget(deps, node, 'show');
  if (!t) return;
  // In a terminal: the value appears there only, never in the log or on disk.
  await runInTerminal(deps, t.clan.root, { kind: 'get', machine: t.machine, varId: t.varId }, `show ${t.varId} of ${t.machine}`);
}

export async function setVar(deps: VarsCommandDeps, node?: VarsNode): Promise<void> {
  if (!trusted()) return;
  const t = await varTarget(deps, node, 'set');
  if (!t) return;
  const argv = build(deps, t.clan.root, { kind: 'set', machine: t.machine, varId: t.varId });
  if (!argv) return;
  const value = await vscode.window.showInputBox({ title: `Clan Vars: new value of ${t.varId} on ${t.machine}`, password: t.secret, ignoreFocusOut: true, prompt: t.secret ? 'Hidden; stored encrypted by clan' : 'Stored as a public value' });
  if (value === undefined) return;
  deps.output.info(`running in ${t.clan.root}: ${displayArgv(argv)} (value on stdin, not logged)`);
  const r = await execClan(argv, t.clan.root, { input: value });
  deps.output.info(`${displayArgv(argv)} -> exit code ${r.exitCode ?? 'none'}`);
  if (r.notFound) return showNotFound(argv[0]);
  if (r.stderr.trim()) deps.output.info(r.stderr.trim());
  deps.lastRun(`set ${t.varId}: ${r.exitCode === 0 ? 'done' : `failed (exit code ${r.exitCode ?? 'none'})`}`, r.exitCode === 0);
  if (r.exitCode !== 0) void vscode.window.showErrorMessage(noticeText(`Clan Vars: setting ${t.varId} failed: ${r.stderr.trim().split('\n').pop() ?? ''}`));
  await deps.refresh(t.clan.root);
}

/** The argument of the code lens "Generate" / "Regenerate" actions the server offers. */
export interface GenerateLensArgs {
  generator: string;
  machine: string | null;
  regenerate: boolean;
}

/** Runs the code lens actions: generate the missing vars of the lens's machine, or regenerate the generator. */
export async function generateFromLens(deps: VarsCommandDeps, args?: GenerateLensArgs): Promise<void> {
  if (!trusted() || !args || typeof args.generator !== 'string') return;
  const status = await deps.tree.current();
  for (const clan of status.clans) {
    const all = [...clan.machines.flatMap((m) => m.generators), ...clan.shared, ...clan.unassigned];
    const generator = all.find((g) => g.name === args.generator && (args.machine === null || g.machine === args.machine)) ?? all.find((g) => g.name === args.generator);
    if (!generator) continue;
    if (args.regenerate) return regenerateGenerator(deps, { type: 'generator', clan, generator });
    const machines = args.machine ? [args.machine] : [];
    await runInTerminal(deps, clan.root, { kind: 'generate', machines }, `generate vars${machines.length ? ' for ' + machines.join(', ') : ''}`);
    return;
  }
  void vscode.window.showWarningMessage(noticeText(`Clan Vars: generator '${args.generator}' is not known to the vars view yet.`));
}
