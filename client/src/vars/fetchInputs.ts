// "Clan Vars: Fetch Flake Inputs": `nix flake archive --json` in the clan's folder through the clan
// runner (one run at a time, cancel), with a notification that shows nix's progress and cancels it,
// nix's stderr in the log; then the server reads the inputs again, so machines that were open for
// want of an input's modules become known without a restart. What may run, and how, is the plan's
// (fetchInputsRun.ts); inputs on this disk outside the clan are fetched only after a modal question
// that lists them.
import * as vscode from 'vscode';
import type { ClanInputsStatus } from '../../../server/src/lsp/protocol';
import { archiveFailure, archivedInputs } from '../../../server/src/actions/fetchInputs';
import { noticeText } from '../../../server/src/base/printable';
import { outsideInputsText } from '../../../server/src/actions/fetchPlan';
import type { FlakeNixReader } from '../../../server/src/actions/inputsNixMayFetch';
import type { VarsCommandDeps } from './commands';
import { displayArgv } from './commandLine';
import { archiveLauncher, planFetch } from './fetchInputsRun';
import { pickClan } from './pickers';
import type { VarsNode } from './varsTree';

export interface FetchInputsDeps extends VarsCommandDeps {
  /** Asks the server to read the clan's inputs again; its answer for that clan. */
  reloadInputs(root: string): Promise<ClanInputsStatus | undefined>;
  /** Asks the server which strings of a flake.nix text may name paths on this disk (throws when it cannot answer). */
  flakeNixRefs: FlakeNixReader;
}

export async function fetchInputs(deps: FetchInputsDeps, node?: VarsNode): Promise<void> {
  const clan = node && 'clan' in node ? node.clan : await pickClan(await deps.tree.current());
  if (!clan) {
    void vscode.window.showInformationMessage('Clan Vars: no clan found in this workspace to fetch the inputs of.');
    return;
  }
  const plan = await planFetch(clan.root, vscode.workspace.isTrusted, deps.flakeNixRefs);
  if ('refuse' in plan) {
    deps.output.warn(`fetch flake inputs: ${plan.refuse}`);
    void vscode.window.showWarningMessage(noticeText(`Clan Vars: ${plan.refuse}`));
    return;
  }
  if (plan.outside.length) {
    const list = outsideInputsText(plan.outside);
    const one = plan.outside.length === 1;
    const fetch = one ? 'Fetch It Too' : 'Fetch Them Too';
    const answer = await vscode.window.showWarningMessage(
      noticeText(`Clan Vars: the flake (flake.lock or flake.nix) names ${one ? 'an input' : `${plan.outside.length} inputs`} on this disk outside the clan: ${list}. ` +
        `nix would copy ${one ? 'it' : 'them'} into the Nix store, where every user of this machine can read ${one ? 'it' : 'them'} (a private key there is no longer private).`),
      { modal: true },
      fetch,
    );
    if (answer !== fetch) {
      deps.output.info(`fetch flake inputs: not started: inputs outside the clan not confirmed: ${list}`);
      return;
    }
    deps.output.info(`fetch flake inputs: inputs outside the clan confirmed: ${list}`);
  }
  if (deps.runner.busy) {
    void vscode.window.showWarningMessage(`Clan Vars: ${deps.runner.running?.label} is still running; one run at a time.`);
    return;
  }
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Clan Vars: fetching the flake inputs', cancellable: true },
    async (progress, token) => {
      const archive = archiveLauncher((line) => {
        deps.output.info(`nix: ${line}`);
        progress.report({ message: line.length > 120 ? `${line.slice(0, 117)}...` : line });
      }, plan.env);
      const cancel = token.onCancellationRequested(() => deps.runner.cancel());
      try {
        const run = await deps.runner.run({ ...plan.run, launch: archive.launch });
        return { run, archive: archive.result() };
      } finally {
        cancel.dispose();
      }
    },
  );
  const { run, archive } = result;
  if (run.outcome === 'cancelled') {
    void vscode.window.showInformationMessage('Clan Vars: fetching the flake inputs was cancelled.');
    return;
  }
  if (run.outcome !== 'ok' || !archive) {
    const why = archive ? archiveFailure(archive) : run.message ?? run.outcome;
    deps.output.error(`${displayArgv(run.argv)} in ${clan.root}: ${why}`);
    void deps.reportFailure('fetching the flake inputs', why, () => fetchInputs(deps, node));
    return;
  }
  const fetched = archivedInputs(archive.stdout);
  const status = await deps.reloadInputs(clan.root);
  deps.tree.refresh();
  const open = status?.openMachines.map((m) => m.name) ?? [];
  const summary = `${fetched ? `${fetched.length} flake inputs` : 'the flake inputs'} are in the Nix store${status?.missing.length ? `; still not on this machine: ${status.missing.join(', ')}` : ''}${open.length ? `; machines still open for want of them: ${open.join(', ')}` : ''}.`;
  deps.output.info(`fetch flake inputs: ${summary}`);
  void vscode.window.showInformationMessage(noticeText(`Clan Vars: ${summary}`));
}
