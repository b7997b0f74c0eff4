// Completion of registry keys; fails when the server stops announcing completionProvider.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { openFixture, positionOf, replaceInFixture } from './helpers';
import { area, scenario } from './runner';
import { serverHas } from './serverProbe';

area('completion', () => {
  scenario('registry keys are completed inside a machine list of the matrix', async () => {
    assert.ok(await serverHas('completionProvider'), 'the language server no longer announces completionProvider');
    const matrix = 'lib/machine-env-matrix.nix';
    const before = '    "smtp"\n';
    const after = '    "smtp"\n    ""\n';
    await replaceInFixture(matrix, before, after);
    try {
      const editor = await openFixture(matrix);
      const at = positionOf(editor.document, '""', 1);
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', editor.document.uri, at);
      const labels = (list?.items ?? []).map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
      for (const key of ['openai', 'smtp', 'region']) assert.ok(labels.includes(key), `completion should offer registry key "${key}", got: ${labels.join(', ')}`);
    } finally {
      await replaceInFixture(matrix, after, before);
    }
  });
});
