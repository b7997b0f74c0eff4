// Quick fixes; fail when the language server stops announcing codeActionProvider.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { SEEDED } from './fixture';
import { expectDiagnostic, expectNoDiagnostic, fixtureUri, replaceInFixture } from './helpers';
import { area, scenario } from './runner';
import { serverHas } from './serverProbe';

area('quick fixes', () => {
  for (const m of SEEDED.filter((s) => s.code !== 'import-apply-generators')) {
    scenario(`the quick fix for ${m.code} replaces ${m.fix.find} with ${m.fix.replace}`, async () => {
      assert.ok(await serverHas('codeActionProvider'), 'the language server no longer announces codeActionProvider');
      const uri = fixtureUri(m.file);
      const d = await expectDiagnostic(uri, m.code, m.text);
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, d.range, vscode.CodeActionKind.QuickFix.value);
      const fix = (actions ?? []).find((a) => a.edit && a.title.includes(m.fix.replace.replace(/"/g, '')));
      assert.ok(fix, `no quick fix mentioning ${m.fix.replace} for ${m.code}; offered: ${(actions ?? []).map((a) => a.title).join(' | ') || '(none)'}`);
      try {
        assert.ok(await vscode.workspace.applyEdit(fix.edit!), 'the quick fix edit was not applied');
        await expectNoDiagnostic(uri, m.code);
      } finally {
        await replaceInFixture(m.file, m.fix.replace, m.fix.find);
        await expectDiagnostic(uri, m.code, m.text);
      }
    });
  }
});
