// Quick fixes: the fixes the rules attach to their problems, offered as code actions for the
// diagnostics under the cursor. Safe fixes are marked preferred (what `clan-vars-lint --fix` applies).
import { CodeActionKind, type CodeAction, type CodeActionParams } from 'vscode-languageserver/node';
import { toDiagnostic, toWorkspaceEdit, uriToFile } from '../convert';
import type { Range } from '../model/types';
import { requestHandler, type Feature } from './context';

function intersects(a: Range, b: Range): boolean {
  const lt = (x: Range['start'], y: Range['start']) => x.line < y.line || (x.line === y.line && x.character < y.character);
  return !lt(a.end, b.start) && !lt(b.end, a.start);
}

export const codeActions: Feature = {
  capabilities: { codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] } },
  register(ctx) {
    ctx.connection.onCodeAction(
      requestHandler(ctx, 'codeAction', (params: CodeActionParams): CodeAction[] => {
        if (params.context.only && !params.context.only.some((k) => CodeActionKind.QuickFix.startsWith(k))) return [];
        const file = uriToFile(params.textDocument.uri);
        if (!file) return [];
        const problems = ctx.indexFor(file).allProblems().get(file) ?? [];
        const actions: CodeAction[] = [];
        for (const p of problems) {
          if (!p.fixes?.length || !intersects(p.range, params.range)) continue;
          const diagnostic = toDiagnostic(p, ctx.uriOf, ctx.clientCapabilities.relatedInformation);
          for (const fix of p.fixes) {
            actions.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: fix.safe, edit: toWorkspaceEdit(fix, ctx.uriOf) });
          }
        }
        return actions;
      }),
    );
  },
};
