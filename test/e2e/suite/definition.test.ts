// Go to definition across files; fails when the server stops announcing definitionProvider.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { fixtureUri, openFixture, positionOf } from './helpers';
import { area, scenario } from './runner';
import { serverHas } from './serverProbe';

area('go to definition', () => {
  scenario('a registry key in the matrix leads to its entry in the registry', async () => {
    assert.ok(await serverHas('definitionProvider'), 'the language server no longer announces definitionProvider');
    const editor = await openFixture('lib/machine-env-matrix.nix');
    const at = positionOf(editor.document, '"smtp"', 2);
    const result = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', editor.document.uri, at);
    const targets = (result ?? []).map((r) => ('targetUri' in r ? { uri: r.targetUri, range: r.targetRange } : r));
    const registry = fixtureUri('lib/secret-registry.nix');
    const hit = targets.find((t) => t.uri.fsPath === registry.fsPath);
    assert.ok(hit, `definition should lead to lib/secret-registry.nix, got: ${targets.map((t) => t.uri.fsPath).join(', ') || '(nothing)'}`);
    const doc = await vscode.workspace.openTextDocument(registry);
    assert.ok(doc.lineAt(hit.range.start.line).text.includes('smtp'), `definition should land on the smtp entry, got line ${hit.range.start.line + 1}`);
  });
});
