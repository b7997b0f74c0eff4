// The vars UI: the "Clan Vars" view and the commands that run clan. One call from activate().
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  CHECK_OUTPUT_REQUEST,
  FLAKE_NIX_REFS_REQUEST,
  INPUTS_STATUS_REQUEST,
  RELOAD_INPUTS_REQUEST,
  RESCAN_VARS_REQUEST,
  VARS_STATUS_REQUEST,
} from '../../../server/src/lsp/protocol';
import { ClanRunner } from './clanRunner';
import { sendRequest } from '../protocolClient';
import { checkVars, fixVars, generateFromLens, generateVars, getVar, regenerateGenerator, setVar, type GenerateLensArgs, type VarsCommandDeps } from './commands';
import { nixPathExpression, valuesToMove } from './describeState';
import { fetchInputs, type FetchInputsDeps } from './fetchInputs';
import { terminalLauncher } from './terminalLauncher';
import { VarsTreeProvider, type VarsNode } from './varsTree';
import { noticeText } from '../../../server/src/base/printable';
import { failureNotice } from '../failureText';

export interface LastRunSink {
  lastRun(text: string, ok: boolean): void;
  failureSeen(): void;
  toMove(counts: { machine: string; count: number }[]): void;
}

/**
 * Registers the vars view and commands. Returns what to call when the server says the generator
 * views changed: the view reloads (after a short pause, so a burst of edits reloads it once) while
 * it is visible, or when it next becomes visible.
 */
export function registerVars(context: vscode.ExtensionContext, output: vscode.LogOutputChannel, client: () => LanguageClient | undefined, status: LastRunSink): { viewsChanged(): void } {
  const diagnostics = vscode.languages.createDiagnosticCollection('clan vars check');
  const server = () => {
    const c = client();
    if (!c) throw new Error('the language server is not running');
    return c;
  };
  const tree = new VarsTreeProvider(
    async () => sendRequest(server(), VARS_STATUS_REQUEST, {}),
    () => sendRequest(server(), INPUTS_STATUS_REQUEST, {}),
    (state) => status.toMove(valuesToMove(state.clans)),
  );
  const refresh = async (root?: string) => {
    try {
      const c = client();
      if (c) await sendRequest(c, RESCAN_VARS_REQUEST, { root });
    } catch (e) {
      output.error(`re-scanning vars failed: ${(e as Error).message}`);
    }
    tree.refresh();
  };
  const runner = new ClanRunner(terminalLauncher(), {
    log: (line) => output.info(line),
    onStart: (run) => {
      status.lastRun(`running: ${run.label}`, true);
      void vscode.commands.executeCommand('setContext', 'clanVars.running', true);
    },
    onEnd: async (r) => {
      void vscode.commands.executeCommand('setContext', 'clanVars.running', false);
      const words = { ok: 'done', failed: `failed (${r.message})`, cancelled: 'cancelled', 'not-found': 'clan not found', busy: 'busy', error: `error (${r.message})` };
      status.lastRun(`${r.label}: ${words[r.outcome]}`, r.outcome === 'ok');
      if (r.outcome !== 'not-found' && r.outcome !== 'busy') await refresh(r.cwd);
    },
  });
  const deps: VarsCommandDeps = {
    output,
    runner,
    tree,
    refresh,
    lastRun: (t, ok) => status.lastRun(t, ok),
    reportFailure: async (what, message, retry) => {
      const [log, again] = ['Show Log', 'Retry'];
      const answer = await vscode.window.showErrorMessage(noticeText(failureNotice(what, message)), ...(retry ? [log, again] : [log]));
      status.failureSeen();
      if (answer === log) output.show(true);
      else if (answer === again && retry) await retry();
    },
    showCheckResults: async (root, text) => {
      const c = client();
      if (!c) return;
      const result = await sendRequest(c, CHECK_OUTPUT_REQUEST, { root, output: text });
      const byFile = new Map<string, vscode.Diagnostic[]>();
      for (const p of result.problems) {
        const d = new vscode.Diagnostic(
          new vscode.Range(p.range.start.line, p.range.start.character, p.range.end.line, p.range.end.character),
          p.message,
          p.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
        );
        d.source = 'clan vars check';
        d.code = p.code;
        byFile.set(p.file, [...(byFile.get(p.file) ?? []), d]);
      }
      for (const [uri] of diagnostics) if (uri.fsPath.startsWith(root)) diagnostics.delete(uri);
      for (const [file, list] of byFile) diagnostics.set(vscode.Uri.file(file), list);
      for (const u of result.unplaced) output.warn(`${u} (no declaration found in the workspace)`);
      await refresh(root);
    },
  };
  const fetchDeps: FetchInputsDeps = {
    ...deps,
    reloadInputs: async (root) => {
      try {
        return (await sendRequest(server(), RELOAD_INPUTS_REQUEST, { root })).clans[0];
      } catch (e) {
        output.error(`reading the flake inputs again failed: ${(e as Error).message}`);
        return undefined;
      }
    },
    flakeNixRefs: async (text) => (await sendRequest(server(), FLAKE_NIX_REFS_REQUEST, { text })).refs,
  };
  const view = vscode.window.createTreeView('clanVars.vars', { treeDataProvider: tree, showCollapseAll: true });
  let stale = false;
  let pending: NodeJS.Timeout | undefined;
  const viewsChanged = () => {
    stale = true;
    if (!view.visible || pending) return;
    pending = setTimeout(() => {
      pending = undefined;
      stale = false;
      tree.refresh();
    }, 300);
  };
  const safe = (name: string, fn: (node?: VarsNode) => Promise<void>) =>
    vscode.commands.registerCommand(name, async (node?: VarsNode) => {
      try {
        await fn(node && typeof node === 'object' && 'type' in node ? node : undefined);
      } catch (e) {
        output.error(`${name} failed: ${(e as Error).stack ?? e}`);
        status.lastRun(`${name.replace('clanVars.', '')} failed`, false);
        void deps.reportFailure(name.replace('clanVars.', ''), (e as Error).message, () => fn(node && typeof node === 'object' && 'type' in node ? node : undefined));
      }
    });
  context.subscriptions.push(
    diagnostics,
    view,
    safe('clanVars.generateVars', (n) => generateVars(deps, n)),
    safe('clanVars.regenerateGenerator', (n) => regenerateGenerator(deps, n)),
    vscode.commands.registerCommand('clanVars.generate', async (args?: GenerateLensArgs) => {
      try {
        await generateFromLens(deps, args);
      } catch (e) {
        output.error(`clanVars.generate failed: ${(e as Error).stack ?? e}`);
        void vscode.window.showErrorMessage(noticeText(`Clan Vars: ${(e as Error).message}`));
      }
    }),
    safe('clanVars.checkVars', (n) => checkVars(deps, n)),
    safe('clanVars.fixVars', (n) => fixVars(deps, n)),
    safe('clanVars.getVar', (n) => getVar(deps, n)),
    safe('clanVars.setVar', (n) => setVar(deps, n)),
    safe('clanVars.fetchInputs', (n) => fetchInputs(fetchDeps, n)),
    safe('clanVars.cancelRun', async () => {
      if (!runner.cancel()) void vscode.window.showInformationMessage('Clan Vars: nothing is running.');
    }),
    safe('clanVars.refreshVars', () => refresh()),
    safe('clanVars.openVarFile', async (n) => {
      if (n?.type === 'file' && n.file.path) await vscode.window.showTextDocument(vscode.Uri.file(n.file.path), { preview: true });
    }),
    safe('clanVars.copyVarPath', async (n) => {
      if (n?.type !== 'file') return;
      await vscode.env.clipboard.writeText(nixPathExpression(n.generator.name, n.file.name));
      void vscode.window.setStatusBarMessage('Clan Vars: copied the .path expression', 3000);
    }),
    safe('clanVars.revealVar', async (n) => {
      if (n?.type !== 'file') return;
      await vscode.commands.executeCommand('clanVars.revealSecret', { root: n.clan.root, machine: n.generator.machine, generator: n.generator.name, file: n.file.name });
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => tree.refresh()),
    view.onDidChangeVisibility((e) => {
      if (e.visible && stale) viewsChanged();
    }),
    { dispose: () => clearTimeout(pending) },
  );
  return { viewsChanged };
}
