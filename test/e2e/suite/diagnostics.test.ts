// Diagnostics in the real editor: the seeded mistakes of the fixture clan are reported, an edit
// that fixes one clears it, and undoing the fix brings it back. Waits on onDidChangeDiagnostics.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { SERVER_ENV, SERVER_NODE_OPTIONS } from '../../../server/src/lsp/protocol';
import { SEEDED } from './fixture';
import { clanDiagnostics, expectDiagnostic, expectNoDiagnostic, extension, fixtureUri, openFixture, replaceInFixture } from './helpers';
import { area, scenario } from './runner';

area('diagnostics', () => {
  scenario('the extension activates in a workspace with .nix files', async () => {
    const ext = extension();
    await ext.activate();
    assert.ok(ext.isActive, 'the extension did not activate');
  });

  scenario("the language server runs with the extension's node options and environment (SERVER_NODE_OPTIONS, SERVER_ENV)", async () => {
    const server = path.join(extension().extensionPath, 'dist', 'server.js');
    await openFixture(SEEDED[0].file);
    await expectDiagnostic(fixtureUri(SEEDED[0].file), SEEDED[0].code, SEEDED[0].text); // the server is up
    const procs = fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p));
    const read = (pid: string, what: string) => {
      try {
        return fs.readFileSync(`/proc/${pid}/${what}`, 'utf8').split('\0');
      } catch {
        return [];
      }
    };
    const servers = procs.filter((pid) => read(pid, 'cmdline').includes(server));
    assert.equal(servers.length, 1, `one process runs ${server}, found ${servers.length}`);
    const [cmdline, environ] = [read(servers[0], 'cmdline'), read(servers[0], 'environ')];
    for (const option of SERVER_NODE_OPTIONS) assert.ok(cmdline.includes(option), `the server's command line lacks ${option}: ${cmdline.join(' ')}`);
    for (const [name, value] of Object.entries(SERVER_ENV)) assert.ok(environ.includes(`${name}=${value}`), `the server's environment lacks ${name}=${value}`);
  });

  for (const m of SEEDED) {
    scenario(`reports ${m.code} on ${m.text} in ${m.file}`, async () => {
      await openFixture(m.file);
      const d = await expectDiagnostic(fixtureUri(m.file), m.code, m.text);
      assert.equal(d.severity, vscode.DiagnosticSeverity.Error, `${m.code} should be an error`);
      assert.ok(d.message.length > 20, `the ${m.code} message should explain the mistake, got "${d.message}"`);
    });
  }

  scenario("a code's link runs Explain a Diagnostic Code, which shows its section of the docs rendered", async () => {
    const m = SEEDED[0];
    const d = await expectDiagnostic(fixtureUri(m.file), m.code, m.text);
    assert.ok(typeof d.code === 'object', `${m.code} has no link`);
    assert.equal(d.code.target.scheme, 'command', `the link is ${d.code.target.toString()}`);
    assert.equal(d.code.target.path, 'clanVars.explainCode');
    const args = JSON.parse(decodeURIComponent(d.code.target.query)) as unknown[];
    assert.deepEqual(args, [m.code]);
    await vscode.commands.executeCommand('clanVars.explainCode', ...args);
    const preview = !!vscode.extensions.getExtension('vscode.markdown-language-features');
    let input: unknown;
    for (let i = 0; i < 50 && !input; i++) {
      input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      const isDocs = (uri: vscode.Uri) => uri.path.endsWith('/docs/diagnostics.md');
      if (!(input instanceof vscode.TabInputCustom && isDocs(input.uri)) && !(input instanceof vscode.TabInputText && isDocs(input.uri))) input = undefined;
      if (!input) await new Promise((r) => setTimeout(r, 100));
    }
    console.log(`    (the docs opened ${preview ? 'rendered, in the Markdown preview' : 'as text: no Markdown extension'})`);
    if (preview) {
      assert.ok(input instanceof vscode.TabInputCustom, `the docs did not open in the Markdown preview: ${JSON.stringify(input)}`);
      assert.equal(input.viewType, 'vscode.markdown.preview.editor');
    } else {
      // without the built-in Markdown extension: the text, at the code's heading
      const editor = vscode.window.activeTextEditor;
      assert.ok(editor && editor.document.uri.path.endsWith('/docs/diagnostics.md'), 'the docs did not open');
      assert.match(editor.document.lineAt(editor.selection.active.line).text, new RegExp(`^### .*\`${m.code}\``));
    }
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  scenario('a file without mistakes has no Clan Vars diagnostics', async () => {
    // every seeded mistake is published by now (previous scenarios), so the index is complete
    await expectDiagnostic(fixtureUri(SEEDED[0].file), SEEDED[0].code);
    assert.deepEqual(clanDiagnostics(fixtureUri('modules/shared/wireguard.nix')), []);
    assert.deepEqual(clanDiagnostics(fixtureUri('lib/secret-registry.nix')), []);
  });

  for (const m of SEEDED) {
    scenario(`fixing ${m.code} clears it, undoing the fix brings it back`, async () => {
      const uri = fixtureUri(m.file);
      await expectDiagnostic(uri, m.code, m.text);
      await replaceInFixture(m.file, m.fix.find, m.fix.replace);
      await expectNoDiagnostic(uri, m.code);
      await replaceInFixture(m.file, m.fix.replace, m.fix.find);
      await expectDiagnostic(uri, m.code, m.text);
    });
  }

  scenario('adding the missing key to the registry (another file) clears the matrix diagnostic', async () => {
    const matrix = fixtureUri('lib/machine-env-matrix.nix');
    await expectDiagnostic(matrix, 'unknown-registry-key', '"opneai"');
    const entry = '  region = prompted {';
    const added = '  opneai = prompted {\n    generator = "opneai-api-key";\n    envVar = "OPNEAI_API_KEY";\n  };\n' + entry;
    await replaceInFixture('lib/secret-registry.nix', entry, added);
    await expectNoDiagnostic(matrix, 'unknown-registry-key');
    await replaceInFixture('lib/secret-registry.nix', added, entry);
    await expectDiagnostic(matrix, 'unknown-registry-key', '"opneai"');
  });
});
