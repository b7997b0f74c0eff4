// Model types -> LSP types. With features/, the only place that imports LSP types.
import { pathToFileURL, fileURLToPath } from 'node:url';
import { DiagnosticSeverity, type Diagnostic, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver';
import type { Fix, Problem, Severity } from './model/types';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(p: Problem, uriOf: (file: string) => string, withRelated: boolean): Diagnostic {
  const d: Diagnostic = { range: p.range, severity: SEVERITY[p.severity], code: p.code, source: 'clan-vars', message: p.message };
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
export function toWorkspaceEdit(fix: Fix, uriOf: (file: string) => string): WorkspaceEdit {
  const changes: Record<string, TextEdit[]> = {};
  for (const e of fix.edits) (changes[uriOf(e.file)] ??= []).push({ range: e.range, newText: e.newText });
  return { changes };
}
