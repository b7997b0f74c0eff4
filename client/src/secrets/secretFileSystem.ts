// A read-only `clan-secret:` file system for revealed values. Values live only in this process's
// memory, are put here by the Reveal command (an explicit user action) and are dropped when their
// editor closes. A URI that was not revealed in this session (e.g. a tab restored after a reload)
// shows nothing until the user reveals it again. Nothing is written to disk or to the log.
import * as vscode from 'vscode';
import { varLabel, type VarRef } from '../../../server/src/secrets/varRef';

export const SECRET_SCHEME = 'clan-secret';

/** `clan-secret:/peer1 · new-service · a-secret?clan=<root>`: the tab title names machine, generator and file. */
export function secretUri(root: string, ref: VarRef, backend: string): vscode.Uri {
  const label = varLabel(ref).replace(/ \/ /g, ' · ').replace(/\//g, '∕');
  return vscode.Uri.from({ scheme: SECRET_SCHEME, path: `/${label} (${backend})`, query: new URLSearchParams({ clan: root }).toString() });
}

export class SecretFileSystem implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly values = new Map<string, Uint8Array>();
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  private readonly closeListener = vscode.workspace.onDidCloseTextDocument((doc) => {
    if (doc.uri.scheme === SECRET_SCHEME) this.forget(doc.uri);
  });

  /** Makes a revealed value readable at `uri` (replacing an earlier one). */
  put(uri: vscode.Uri, value: Uint8Array): void {
    this.forget(uri);
    this.values.set(uri.toString(), value);
    this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
  }

  forget(uri: vscode.Uri): void {
    const v = this.values.get(uri.toString());
    if (v) v.fill(0);
    this.values.delete(uri.toString());
  }

  private get(uri: vscode.Uri): Uint8Array {
    const v = this.values.get(uri.toString());
    if (!v) throw vscode.FileSystemError.Unavailable(`${uri.path.slice(1)} is not revealed in this session; run "Clan Vars: Reveal Secret" to show it again.`);
    return v;
  }

  stat(uri: vscode.Uri): vscode.FileStat {
    const v = this.values.get(uri.toString());
    return { type: vscode.FileType.File, ctime: 0, mtime: 0, size: v?.length ?? 0, permissions: vscode.FilePermission.Readonly };
  }

  readFile(uri: vscode.Uri): Uint8Array {
    return Uint8Array.from(this.get(uri)); // a copy: the editor never holds our buffer
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => {});
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  private readOnly(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(`${uri.path.slice(1)} is read-only: change secrets with clan vars set or clan vars generate.`);
  }

  createDirectory(uri: vscode.Uri): void {
    this.readOnly(uri);
  }

  writeFile(uri: vscode.Uri): void {
    this.readOnly(uri);
  }

  delete(uri: vscode.Uri): void {
    this.readOnly(uri);
  }

  rename(uri: vscode.Uri): void {
    this.readOnly(uri);
  }

  dispose(): void {
    for (const v of this.values.values()) v.fill(0);
    this.values.clear();
    this.closeListener.dispose();
    this.changed.dispose();
  }
}
