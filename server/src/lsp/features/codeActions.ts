// Quick fixes: the fixes the rules attach to their problems, offered as code actions for the
// diagnostics under the cursor. Safe fixes are marked preferred (what `clan-vars-lint --fix` applies).
// Their edits name the version of each open document they were computed on, where the editor takes
// versioned edits, so an editor refuses one that has gone stale instead of applying it at old offsets.
// Besides them, for every diagnostic: ignore its code on this line (the `# clan-vars: ignore`
// comment, workspace/silence.ts) or in the workspace (the client's `clanVars.ignoreCode` command,
// offered when the client announced it), and for a dependency cycle: remove one of its edges.
import { CodeActionKind, type CodeAction, type CodeActionParams } from 'vscode-languageserver/node';
import { toDiagnostic, toWorkspaceEdit, uriToFile } from '../convert';
import type { Fix, Problem, Range } from '../../base/types';
import { editTarget, requestHandler, type Feature } from './context';

/** The editor command that adds a code to `clanVars.diagnostics.ignore` of the workspace. */
export const IGNORE_CODE_COMMAND = 'clanVars.ignoreCode';

function intersects(a: Range, b: Range): boolean {
  const lt = (x: Range['start'], y: Range['start']) => x.line < y.line || (x.line === y.line && x.character < y.character);
  return !lt(a.end, b.start) && !lt(b.end, a.start);
}

const IGNORE_COMMENT = /^(\s*)#\s*clan-vars:\s*ignore\b(.*)$/;

/** `# clan-vars: ignore <code>` above the problem's line (or the code added to such a comment there). */
export function ignoreLineFix(p: Problem, text: string): Fix {
  const lines = text.split('\n');
  const line = p.range.start.line;
  const above = line > 0 ? IGNORE_COMMENT.exec(lines[line - 1] ?? '') : null;
  const title = `Ignore ${p.code} on this line`;
  if (above) {
    const end = { line: line - 1, character: (lines[line - 1] ?? '').replace(/\r$/, '').length };
    return { title, safe: false, edits: [{ file: p.file, range: { start: end, end }, newText: ` ${p.code}` }] };
  }
  const indent = /^\s*/.exec(lines[line] ?? '')![0];
  const at = { line, character: 0 };
  return { title, safe: false, edits: [{ file: p.file, range: { start: at, end: at }, newText: `${indent}# clan-vars: ignore ${p.code}\n` }] };
}

/** The range of a list element with the blank before it on its line, so `[ "a" "b" ]` loses ` "b"`. */
function elementRemoval(text: string, range: Range): Range {
  const line = text.split('\n')[range.start.line] ?? '';
  let c = range.start.character;
  while (c > 0 && (line[c - 1] === ' ' || line[c - 1] === '\t')) c--;
  return { start: { line: range.start.line, character: c }, end: range.end };
}

/** For one edge of a dependency cycle: the fixes removing each edge the diagnostic names. */
function cycleFixes(p: Problem, textOf: (file: string) => string | null): Fix[] {
  const edges = [{ file: p.file, range: p.range, what: 'this dependency' }];
  for (const r of p.related ?? []) {
    const m = /^'(.+)' depends on '(.+)'$/.exec(r.message);
    if (m) edges.push({ file: r.location.file, range: r.location.range, what: `the dependency of '${m[1]}' on '${m[2]}'` });
  }
  const fixes: Fix[] = [];
  for (const e of edges) {
    const text = textOf(e.file);
    if (text === null) continue;
    fixes.push({ title: `Remove ${e.what} (breaks the cycle)`, safe: false, edits: [{ file: e.file, range: elementRemoval(text, e.range), newText: '' }] });
  }
  return fixes;
}

export const codeActions: Feature = {
  capabilities: { codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] } },
  register(ctx) {
    const textOf = ctx.textOf;
    ctx.connection.onCodeAction(
      requestHandler(ctx, 'codeAction', (params: CodeActionParams): CodeAction[] => {
        if (params.context.only && !params.context.only.some((k) => CodeActionKind.QuickFix.startsWith(k))) return [];
        const file = uriToFile(params.textDocument.uri);
        if (!file) return [];
        const problems = ctx.indexFor(file).allProblems().get(file) ?? [];
        // the problems are of the open documents' current versions (requestHandler synced them just now)
        const target = editTarget(ctx);
        const actions: CodeAction[] = [];
        const ignores: CodeAction[] = [];
        const text = textOf(file);
        const offered = new Set<string>();
        for (const p of problems) {
          if (!intersects(p.range, params.range)) continue;
          const diagnostic = toDiagnostic(p, ctx.uriOf, ctx.clientCapabilities.relatedInformation);
          const fixes = [...(p.fixes ?? []), ...(p.code === 'dependency-cycle' ? cycleFixes(p, textOf) : [])];
          for (const fix of fixes) {
            actions.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: fix.safe, edit: toWorkspaceEdit(fix, target) });
          }
          // one pair of ignore actions per code and line
          const key = `${p.code}\0${p.range.start.line}`;
          if (offered.has(key)) continue;
          offered.add(key);
          if (text !== null) ignores.push({ title: `Ignore ${p.code} on this line`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: toWorkspaceEdit(ignoreLineFix(p, text), target) });
          if (ctx.clientCapabilities.commands.includes(IGNORE_CODE_COMMAND)) {
            ignores.push({ title: `Ignore ${p.code} in this workspace`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], command: { title: `Ignore ${p.code} in this workspace`, command: IGNORE_CODE_COMMAND, arguments: [p.code] } });
          }
        }
        // the fixes first, the ways to silence last
        return [...actions, ...ignores];
      }),
    );
  },
};
