// Model types -> LSP types. With features/, the only place that imports LSP types.
import { pathToFileURL, fileURLToPath } from 'node:url';
import { DiagnosticSeverity, type AnnotatedTextEdit, type Diagnostic, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver';
import { docsLink } from './diagnosticDocs';
import type { Fix, Problem, Severity } from './model/types';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** `withDocs`: the code links to its explanation (codeDescription), for clients that show it. */
export function toDiagnostic(p: Problem, uriOf: (file: string) => string, withRelated: boolean, withDocs = false): Diagnostic {
  const d: Diagnostic = { range: p.range, severity: SEVERITY[p.severity], code: p.code, source: 'clan-vars', message: p.message };
  const href = withDocs ? docsLink(p.code) : undefined;
  if (href) d.codeDescription = { href };
  if (withRelated && p.related?.length) {
    d.relatedInformation = p.related.map((r) => ({ location: { uri: uriOf(r.location.file), range: r.location.range }, message: r.message }));
  }
  return d;
}

export function fileToUri(file: string): string {
  return pathToFileURL(file).href;
}

/** The file path of a `file:` URI, or null for other schemes. */
export function uriToFile(uri: string): string | null {
  if (!uri.startsWith('file:')) return null;
  try {
    return fileURLToPath(uri);
  } catch {
    return null;
  }
}

/** A fix's text edits as an LSP workspace edit. */
/**
 * A fix as a workspace edit. A fix with `preview` (and a client that supports change annotations)
 * becomes edits annotated with `needsConfirmation`: the editor shows them in its preview first.
 */
export function toWorkspaceEdit(fix: Fix, uriOf: (file: string) => string, annotations = false): WorkspaceEdit {
  if (fix.preview && annotations) {
    const byUri = new Map<string, AnnotatedTextEdit[]>();
    for (const e of fix.edits) {
      const u = uriOf(e.file);
      byUri.set(u, [...(byUri.get(u) ?? []), { range: e.range, newText: e.newText, annotationId: 'clan-vars-preview' }]);
    }
    return {
      documentChanges: [...byUri].map(([uri, edits]) => ({ textDocument: { uri, version: null }, edits })),
      changeAnnotations: { 'clan-vars-preview': { label: fix.title, description: fix.preview, needsConfirmation: true } },
    };
  }
  const changes: Record<string, TextEdit[]> = {};
  for (const e of fix.edits) (changes[uriOf(e.file)] ??= []).push({ range: e.range, newText: e.newText });
  return { changes };
}
