// Commands: every command in package.json is registered, and each one that can run without clan
// runs. A command added to package.json without a scenario here fails, by name.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { SEEDED } from './fixture';
import { codeOf, contributedCommands, expectDiagnostic, fixtureUri, WAIT_MS } from './helpers';
import { area, scenario } from './runner';
import { VARS_RUNNERS } from './varsCommands';

/** How to run a contributed command in the test workspace and check what it did. */
const RUNNERS: Record<string, () => Promise<void>> = {
  'clanVars.showOutput': async () => {
    await vscode.commands.executeCommand('clanVars.showOutput');
  },

  // with a code (as its link gives it): the docs open at it; from the palette it asks for the code
  'clanVars.explainCode': async () => {
    await vscode.commands.executeCommand('clanVars.explainCode', 'missing-output');
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    const uri = input instanceof vscode.TabInputCustom || input instanceof vscode.TabInputText ? input.uri : null;
    assert.ok(uri?.path.endsWith('/docs/diagnostics.md'), `the docs are not the active tab: ${JSON.stringify(input)}`);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  },

  'clanVars.writeMigrationScript': async () => {
    await vscode.window.showTextDocument(fixtureUri(SEEDED[0].file));
    await vscode.commands.executeCommand('clanVars.writeMigrationScript');
    const doc = vscode.window.activeTextEditor?.document;
    assert.ok(doc, 'an editor with the script is open');
    assert.equal(doc.isUntitled, true, 'the script is not written to disk');
    assert.equal(doc.languageId, 'shellscript');
    // the fixture clan has no facts or sops-nix secrets: the script says there is nothing to move
    assert.match(doc.getText(), /^#!\/usr\/bin\/env bash\n[\s\S]*\necho 'no facts or sops-nix secrets of a known machine were found: nothing to move'\n$/);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  },

  // rendered, in the Markdown preview of a read-only document: nothing to save, so closing it asks nothing
  'clanVars.showMigrationReport': async () => {
    await vscode.window.showTextDocument(fixtureUri(SEEDED[0].file));
    const dirty = () => vscode.workspace.textDocuments.filter((d) => d.isDirty || d.isUntitled).map((d) => d.uri.toString());
    const before = dirty();
    // the preview's tab, once the workbench has made it (the command returns before)
    const isPreview = (t: vscode.Tab | undefined) => !!t && t.input instanceof vscode.TabInputWebview && /markdown\.preview/.test(t.input.viewType) && t.label.includes('Migration Report');
    const preview = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find(isPreview);
    await vscode.commands.executeCommand('clanVars.showMigrationReport');
    if (!preview()) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => (sub.dispose(), reject(new Error(`the report was not shown rendered within ${WAIT_MS} ms; tabs: ${vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => t.label)).join(', ')}`))), WAIT_MS);
        const done = () => preview() && (clearTimeout(timer), sub.dispose(), resolve());
        const sub = vscode.window.tabGroups.onDidChangeTabs(done);
        done();
      });
    }
    assert.ok(isPreview(vscode.window.tabGroups.activeTabGroup.activeTab), `the report's preview is not the active tab: ${vscode.window.tabGroups.activeTabGroup.activeTab?.label}`);
    // (the preview reads the report's document itself: it need not be among this host's textDocuments)
    assert.deepEqual(dirty(), before, 'the report left a document to save');
    await vscode.window.tabGroups.close(preview()!);
    assert.equal(preview(), undefined, 'the report did not close');
  },

  'clanVars.restartServer': async () => {
    const m = SEEDED[0];
    const uri = fixtureUri(m.file);
    await expectDiagnostic(uri, m.code, m.text);
    // the restart drops the old server's diagnostics; the new server must publish them again
    let cleared = false;
    const republished = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        sub.dispose();
        reject(new Error(`after clanVars.restartServer the new language server did not publish ${m.code} again within ${WAIT_MS} ms (cleared: ${cleared})`));
      }, WAIT_MS);
      const sub = vscode.languages.onDidChangeDiagnostics((e) => {
        if (!e.uris.some((u) => u.toString() === uri.toString())) return;
        const has = vscode.languages.getDiagnostics(uri).some((d) => codeOf(d) === m.code);
        if (!has) cleared = true;
        else if (cleared) {
          clearTimeout(timer);
          sub.dispose();
          resolve();
        }
      });
    });
    await vscode.commands.executeCommand('clanVars.restartServer');
    await republished;
  },

  'clanVars.revealSecret': async () => {
    // a public value opens as the file itself: no identity, no clan needed
    const value = fixtureUri('vars/per-machine/bo/wireguard-key/publickey/value');
    await vscode.commands.executeCommand('clanVars.revealSecret', value);
    const active = vscode.window.activeTextEditor?.document;
    assert.equal(active?.uri.fsPath, value.fsPath, 'Reveal Secret did not open the public value');
    assert.equal(active?.getText(), 'bo-public-key-fixture=');
  },
};

/** Commands that ask in a modal dialog or an input box, which the extension host cannot answer: test/e2e/ui.vars.ts runs them in the workbench. */
export const UI_TESTED = ['clanVars.regenerateGenerator', 'clanVars.setVar'];

area('commands', () => {
  scenario('every command contributed in package.json is registered', async () => {
    const contributed = contributedCommands();
    assert.ok(contributed.length > 0, 'package.json contributes no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((c) => !registered.has(c));
    assert.deepEqual(missing, [], `contributed but not registered by the extension: ${missing.join(', ')}`);
  });

  for (const command of contributedCommands().filter((c) => !UI_TESTED.includes(c))) {
    scenario(`${command} runs`, async () => {
      const run = RUNNERS[command] ?? VARS_RUNNERS[command];
      assert.ok(run, `no scenario for ${command}: add one to RUNNERS in test/e2e/suite/commands.test.ts`);
      await run();
    });
  }
});
