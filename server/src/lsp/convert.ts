// Model types -> LSP types. With features/, the only place that imports LSP types.
import { pathToFileURL, fileURLToPath } from 'node:url';
import { DiagnosticSeverity, type AnnotatedTextEdit, type Diagnostic, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver';
import { docsLink } from '../base/diagnosticDocs';
import type { Fix, Problem, Severity } from '../base/types';

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
/** Where a workspace edit goes, and what the client takes. */
export interface EditTarget {
  /** The URI the client uses for a file. */
  uriOf(file: string): string;
  /**
   * Given when the client takes `documentChanges`: the version of the open document the edit was
   * computed on (the client refuses the edit once the document has moved on), null for a file that
   * is not open.
   */
  versionOf?: (file: string) => number | null;
  /** The client supports change annotations. */
  annotations?: boolean;
}

/**
 * A fix as a workspace edit: versioned `documentChanges` when the client takes them, plain `changes`
 * otherwise. A fix with `preview` (and a client that supports change annotations) becomes edits
 * annotated with what they do, shown in the editor's refactor preview. Not `needsConfirmation`:
 * VS Code's preview leaves such edits unticked, and Apply there then changes nothing.
 */
export function toWorkspaceEdit(fix: Fix, target: EditTarget): WorkspaceEdit {
  const annotate = !!fix.preview && !!target.annotations;
  // change annotations come with documentChanges: a client announcing them takes those
  const versionOf = target.versionOf ?? (annotate ? () => null : undefined);
  if (versionOf) {
    const byFile = new Map<string, (TextEdit | AnnotatedTextEdit)[]>();
    for (const e of fix.edits) {
      const edit = annotate ? { range: e.range, newText: e.newText, annotationId: 'clan-vars-preview' } : { range: e.range, newText: e.newText };
      byFile.set(e.file, [...(byFile.get(e.file) ?? []), edit]);
    }
    const edit: WorkspaceEdit = { documentChanges: [...byFile].map(([file, edits]) => ({ textDocument: { uri: target.uriOf(file), version: versionOf(file) }, edits })) };
    if (annotate) edit.changeAnnotations = { 'clan-vars-preview': { label: fix.title, description: fix.preview, needsConfirmation: false } };
    return edit;
  }
  const changes: Record<string, TextEdit[]> = {};
  for (const e of fix.edits) (changes[target.uriOf(e.file)] ??= []).push({ range: e.range, newText: e.newText });
  return { changes };
}
