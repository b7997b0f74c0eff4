// A diagnostic's code links to its explanation in docs/diagnostics.md. The server links the file at
// the section's line (file:…#L<n>), which any editor can open; in VS Code the link runs
// clanVars.explainCode instead, which shows that section rendered (the built-in Markdown preview,
// scrolled to the code's heading), and the raw file at the heading where the preview is not there.
// From the command palette the command asks which code.
import * as vscode from 'vscode';
import type { Middleware } from 'vscode-languageclient/node';
import { codeDocs, headingCodes } from '../../server/src/base/diagnosticDocs';
import { codePicks } from './codePicks';

const COMMAND = 'clanVars.explainCode';
const PREVIEW = 'vscode.markdown.preview.editor';

/** The headings of the codes' sections in the docs: code -> 0-based line and the heading's text. */
function headings(text: string): Map<string, { line: number; heading: string }> {
  const out = new Map<string, { line: number; heading: string }>();
  text.split('\n').forEach((l, line) => {
    for (const code of headingCodes(l) ?? []) if (!out.has(code)) out.set(code, { line, heading: l.slice(4) });
  });
  return out;
}

/** The id the Markdown preview gives a heading (GitHub's rule: lower case, spaces to '-', punctuation dropped). */
export function headingSlug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/\s+/g, '-')
    .replace(/[\][!'#$%&()*+,./:;<=>?@\\^{|}~`"]/g, '')
    .replace(/^-+|-+$/g, '');
}

export function registerDiagnosticDocs(context: vscode.ExtensionContext): Middleware['handleDiagnostics'] {
  const docs = vscode.Uri.joinPath(context.extensionUri, 'docs', 'diagnostics.md');
  const read = async () => headings(new TextDecoder().decode(await vscode.workspace.fs.readFile(docs)));

  context.subscriptions.push(
    vscode.commands.registerCommand(COMMAND, async (code?: unknown) => {
      let sections: Map<string, { line: number; heading: string }>;
      try {
        sections = await read();
      } catch {
        void vscode.window.showErrorMessage(`Clan Vars: the diagnostics docs are missing from the extension (${docs.fsPath}).`);
        return;
      }
      if (typeof code !== 'string') {
        // each code with its severity and what it means (searchable), not bare codes
        const picks = codePicks(codeDocs()).filter((p) => sections.has(p.label));
        code = (await vscode.window.showQuickPick(picks.length ? picks : [...sections.keys()].sort().map((label) => ({ label })), { placeHolder: 'Which diagnostic code? (type a code or words of its meaning)', matchOnDescription: true, matchOnDetail: true }))?.label;
      }
      if (typeof code !== 'string') return;
      const at = sections.get(code);
      if (vscode.extensions.getExtension('vscode.markdown-language-features')) {
        try {
          await vscode.commands.executeCommand('vscode.openWith', docs.with({ fragment: at ? headingSlug(at.heading) : '' }), PREVIEW);
          return;
        } catch {
          // the preview failed to open: the text below
        }
      }
      const position = new vscode.Position(at?.line ?? 0, 0);
      await vscode.window.showTextDocument(docs, { selection: new vscode.Range(position, position), preview: true });
    }),
  );

  // the server's links to the docs file become links that run the command
  return (uri, diagnostics, next) => {
    for (const d of diagnostics) {
      if (typeof d.code !== 'object' || d.code.target.scheme !== 'file' || !d.code.target.path.endsWith('/docs/diagnostics.md')) continue;
      d.code = { value: d.code.value, target: vscode.Uri.parse(`command:${COMMAND}?${encodeURIComponent(JSON.stringify([String(d.code.value)]))}`) };
    }
    next(uri, diagnostics);
  };
}
