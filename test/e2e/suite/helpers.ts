// Helpers for the in-editor scenarios: the fixture workspace, documents, edits, and waiting for
// diagnostics through VS Code's events (never fixed sleeps).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'clan-vars.clan-vars';
/** Default wait for something the language server does (index, publish). */
export const WAIT_MS = 20_000;

export function extension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded in this editor`);
  return ext;
}

/** The fixture clan opened as the workspace (a temporary copy of test/e2e/fixtures/clan). */
export function fixtureUri(relative: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder is open: the runner must open the fixture clan');
  return vscode.Uri.joinPath(folder.uri, ...relative.split('/'));
}

export async function openFixture(relative: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(fixtureUri(relative));
  return vscode.window.showTextDocument(doc);
}

/** The position of the `nth` occurrence of `text` in `doc`, moved `offset` characters into it. */
export function positionOf(doc: vscode.TextDocument, text: string, offset = 0, nth = 0): vscode.Position {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = doc.getText().indexOf(text, at + 1);
    assert.ok(at >= 0, `"${text}" (occurrence ${nth + 1}) not found in ${vscode.workspace.asRelativePath(doc.uri)}`);
  }
  return doc.positionAt(at + offset);
}

export function rangeOf(doc: vscode.TextDocument, text: string): vscode.Range {
  const start = positionOf(doc, text);
  return new vscode.Range(start, doc.positionAt(doc.offsetAt(start) + text.length));
}

/** Replaces the first occurrence of `find` in the document at `relative` and saves it. */
export async function replaceInFixture(relative: string, find: string, replacement: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(fixtureUri(relative));
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, rangeOf(doc, find), replacement);
  assert.ok(await vscode.workspace.applyEdit(edit), `the edit in ${relative} was not applied`);
  await doc.save();
  return doc;
}

export function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (c === undefined) return undefined;
  return typeof c === 'object' ? String(c.value) : String(c);
}

/** This extension's diagnostics for `uri` (its language server's source is "clan-vars"). */
export function clanDiagnostics(uri: vscode.Uri, code?: string): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'clan-vars' && (code === undefined || codeOf(d) === code));
}

function describe(uri: vscode.Uri): string {
  const all = vscode.languages.getDiagnostics(uri);
  if (!all.length) return 'none';
  return all.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} [${codeOf(d)}] (${d.source}) ${d.message.slice(0, 80)}`).join('\n        ');
}

/** Short wait once a run has shown that the language server publishes nothing at all. */
const NOTHING_PUBLISHED_WAIT_MS = 2_000;
let anyClanDiagnosticSeen = false;
let waitedInVain = false;

function noteClanDiagnostics(): void {
  if (!anyClanDiagnosticSeen) anyClanDiagnosticSeen = vscode.languages.getDiagnostics().some(([, ds]) => ds.some((d) => d.source === 'clan-vars'));
}

/**
 * Resolves once `check(diagnostics of uri)` is true: now, or at the next diagnostics change for
 * `uri`. Fails after `timeoutMs` with what was expected and what the editor has.
 */
export function waitForDiagnostics(
  uri: vscode.Uri,
  check: (diagnostics: vscode.Diagnostic[]) => boolean,
  expected: string,
  timeoutMs = WAIT_MS,
): Promise<vscode.Diagnostic[]> {
  noteClanDiagnostics();
  // fail fast (with the same clear message) once a full wait ended without any Clan Vars diagnostic
  const nothingYet = waitedInVain && !anyClanDiagnosticSeen;
  const wait = nothingYet ? Math.min(timeoutMs, NOTHING_PUBLISHED_WAIT_MS) : timeoutMs;
  return new Promise((resolve, reject) => {
    const done = (): boolean => {
      noteClanDiagnostics();
      const current = vscode.languages.getDiagnostics(uri);
      if (!check(current)) return false;
      cleanup();
      resolve(current);
      return true;
    };
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) done();
    });
    const timer = setTimeout(() => {
      cleanup();
      if (!anyClanDiagnosticSeen) waitedInVain = true;
      const file = vscode.workspace.asRelativePath(uri);
      const none = anyClanDiagnosticSeen ? '' : ' (no Clan Vars diagnostic has arrived for any file in this run: is the language server publishing?)';
      reject(new Error(`expected ${expected} in ${file} within ${wait} ms; the editor has these diagnostics for it: ${describe(uri)}${none}`));
    }, wait);
    const cleanup = () => {
      clearTimeout(timer);
      sub.dispose();
    };
    done();
  });
}

/** Waits until `uri` has a clan-vars diagnostic with `code` (optionally covering `text`). */
export async function expectDiagnostic(uri: vscode.Uri, code: string, text?: string): Promise<vscode.Diagnostic> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const at = text ? rangeOf(doc, text) : undefined;
  const matches = (d: vscode.Diagnostic) => d.source === 'clan-vars' && codeOf(d) === code && (!at || d.range.intersection(at) !== undefined);
  const found = await waitForDiagnostics(uri, (ds) => ds.some(matches), `a "${code}" diagnostic${text ? ` on ${text}` : ''} from the Clan Vars language server`);
  return found.find(matches)!;
}

/** Waits until `uri` has no clan-vars diagnostic with `code`. */
export async function expectNoDiagnostic(uri: vscode.Uri, code: string): Promise<void> {
  await waitForDiagnostics(uri, (ds) => !ds.some((d) => d.source === 'clan-vars' && codeOf(d) === code), `no "${code}" diagnostic any more`);
}

/** The command ids this extension contributes in package.json. */
export function contributedCommands(): string[] {
  const pkg = extension().packageJSON as { contributes?: { commands?: { command: string }[] } };
  return (pkg.contributes?.commands ?? []).map((c) => c.command);
}

/** The view ids this extension contributes in package.json (any container). */
export function contributedViews(): string[] {
  const pkg = extension().packageJSON as { contributes?: { views?: Record<string, { id: string }[]> } };
  return Object.values(pkg.contributes?.views ?? {}).flatMap((vs) => vs.map((v) => v.id));
}
