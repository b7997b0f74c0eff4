// The extensionTestsPath entry: VS Code (desktop, or code-server through code-shim.js) calls run()
// inside the extension host once the fixture workspace is open. One file per feature area; add
// new areas to the imports below. CLAN_VARS_E2E_GREP limits the run to matching "area: name"s.
import './diagnostics.test';
import './commands.test';
import './hover.test';
import './completion.test';
import './definition.test';
import './quickFixes.test';
import './dagView.test';
import * as vscode from 'vscode';
import { runAll } from './runner';

export async function run(): Promise<void> {
  // code-shim.js shows the workbench's console output only from this marker on
  console.log(`[e2e:start] Clan Vars e2e suite in VS Code ${vscode.version}`);
  const grep = process.env.CLAN_VARS_E2E_GREP;
  const summary = await runAll(grep ? new RegExp(grep, 'i') : undefined);
  if (summary.failed > 0) throw new Error(`${summary.failed} e2e scenario(s) failed`);
  if (summary.passed === 0) throw new Error('no e2e scenario ran');
}
