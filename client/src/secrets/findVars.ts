// What can be revealed: the vars on disk of every clan in the workspace (a workspace folder or a
// directory with a flake.nix), plus the entries of the user's passage store.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { listPassageVars, passageStoreDir } from '../../../server/src/secrets/passage';
import type { VarRef } from '../../../server/src/secrets/varRef';
import { scanVarsOnDisk, type VarKind } from '../../../server/src/inputs/varsOnDisk';

export interface RevealTarget {
  root: string;
  ref: VarRef;
  kind: VarKind | 'passage';
  path: string;
}

function hasVars(dir: string): boolean {
  return ['vars', 'secrets/clan-vars'].some((d) => fs.existsSync(path.join(dir, d)));
}

export async function clanRoots(): Promise<string[]> {
  const roots = new Set<string>();
  for (const f of vscode.workspace.workspaceFolders ?? []) if (f.uri.scheme === 'file' && hasVars(f.uri.fsPath)) roots.add(f.uri.fsPath);
  const flakes = await vscode.workspace.findFiles('**/flake.nix', '**/{node_modules,.git,result}/**', 50);
  for (const f of flakes) if (hasVars(path.dirname(f.fsPath))) roots.add(path.dirname(f.fsPath));
  return [...roots].sort();
}

export async function findRevealTargets(): Promise<RevealTarget[]> {
  const out: RevealTarget[] = [];
  const roots = await clanRoots();
  for (const root of roots) {
    for (const v of scanVarsOnDisk(root).vars) out.push({ root, ref: v.ref, kind: v.kind, path: v.path });
  }
  const store = passageStoreDir(process.env, os.homedir());
  for (const e of listPassageVars(store)) out.push({ root: roots[0] ?? store, ref: e.ref, kind: 'passage', path: e.path });
  return out;
}
