// Hover. Fails when the language server stops announcing hoverProvider.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { openFixture, positionOf } from './helpers';
import { area, scenario } from './runner';
import { serverHas } from './serverProbe';

function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

area('hover', () => {
  scenario('hover on a generator declaration describes the generator', async () => {
    assert.ok(await serverHas('hoverProvider'), 'the language server no longer announces hoverProvider');
    const editor = await openFixture('modules/shared/wireguard.nix');
    const at = positionOf(editor.document, 'wireguard-key', 2);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, at);
    const text = hoverText(hovers ?? []);
    assert.ok(text.includes('wireguard-key'), `the hover should name the generator, got: ${text || '(no hover)'}`);
    assert.ok(text.includes('publickey'), `the hover should list the generator's files, got: ${text}`);
  });
});
