// "Clan Vars: Reveal Secret": pick a var (or receive one from a hover link, code lens or view),
// decrypt it in memory and show it read-only in a `clan-secret:` editor. Public values open from
// `vars/.../value` directly. Errors are shown to the user; the log records only what was revealed.
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { describeError, SecretError } from '../../../server/src/secrets/errors';
import { discoverIdentities } from '../../../server/src/secrets/identities';
import { revealAgeBackend, revealPassage, revealSops, type RevealContext, type Revealed } from '../../../server/src/actions/reveal';
import { keyOwners } from '../../../server/src/secrets/sopsKeys';
import { passageStoreDir } from '../../../server/src/secrets/passage';
import { varLabel } from '../../../server/src/secrets/varRef';
import { findRevealTargets, type RevealTarget } from './findVars';
import { secretUri, type SecretFileSystem } from './secretFileSystem';

/** What other features pass: a var's file URI, or its coordinates. */
export type RevealArgument = vscode.Uri | { root?: string; machine?: string | null; generator?: string; file?: string } | undefined;

const KIND_LABEL: Record<RevealTarget['kind'], string> = { public: 'public', sops: 'sops', age: 'age', passage: 'passage' };

function matches(t: RevealTarget, arg: RevealArgument): boolean {
  if (!arg) return false;
  if (arg instanceof vscode.Uri) return path.resolve(t.path) === path.resolve(arg.fsPath) || path.resolve(path.dirname(t.path)) === path.resolve(arg.fsPath);
  return (
    (arg.root === undefined || path.resolve(arg.root) === path.resolve(t.root)) &&
    (arg.machine === undefined || arg.machine === t.ref.machine) &&
    (arg.generator === undefined || arg.generator === t.ref.generator) &&
    (arg.file === undefined || arg.file === t.ref.file)
  );
}

async function pick(targets: RevealTarget[]): Promise<RevealTarget | undefined> {
  const roots = new Set(targets.map((t) => t.root));
  const items = targets.map((t) => ({
    label: `${t.kind === 'public' ? '$(file)' : '$(lock)'} ${varLabel(t.ref)}`,
    description: KIND_LABEL[t.kind] + (roots.size > 1 ? ` · ${path.basename(t.root)}` : ''),
    detail: t.kind === 'passage' ? t.path : path.relative(t.root, t.path),
    target: t,
  }));
  const chosen = await vscode.window.showQuickPick(items, { title: 'Reveal a clan var', placeHolder: 'machine / generator / file', matchOnDescription: true, matchOnDetail: true });
  return chosen?.target;
}

function context(root: string, passage: boolean): RevealContext {
  const settingFile = vscode.workspace.getConfiguration('clanVars', vscode.Uri.file(root)).get<string>('ageIdentityFile') ?? null;
  const identities = discoverIdentities({ env: process.env, home: os.homedir(), settingFile, passage });
  return { root, identities, owners: keyOwners(root) };
}

async function decrypt(t: RevealTarget): Promise<Revealed> {
  const ctx = context(t.root, t.kind === 'passage');
  if (t.kind === 'sops') return revealSops(ctx, t.path);
  if (t.kind === 'age') return revealAgeBackend(ctx, t.path, t.ref.machine);
  return revealPassage(ctx, passageStoreDir(process.env, os.homedir()), t.path);
}

export async function revealSecret(fsp: SecretFileSystem, output: vscode.LogOutputChannel, client: LanguageClient | undefined, arg?: RevealArgument): Promise<void> {
  const targets = await findRevealTargets(client);
  if (targets.length === 0) {
    void vscode.window.showInformationMessage(client ? 'No clan vars found: this workspace has no vars/ or secrets/clan-vars/ directory, and there is no passage store.' : 'No clan vars found: the Clan Vars language server is not running (it lists the vars on disk), and there is no passage store.');
    return;
  }
  const given = arg ? targets.filter((t) => matches(t, arg)) : [];
  const target = given.length === 1 ? given[0] : await pick(given.length ? given : targets);
  if (!target) return;
  if (target.kind === 'public') {
    await vscode.window.showTextDocument(vscode.Uri.file(target.path), { preview: true });
    return;
  }
  const label = varLabel(target.ref);
  let revealed: Revealed;
  try {
    revealed = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Decrypting ${label}` }, () => decrypt(target));
  } catch (e) {
    const message = describeError(e);
    output.warn(`reveal ${label}: ${e instanceof SecretError ? e.code : 'error'}: ${message}`);
    void vscode.window.showErrorMessage(`Cannot reveal ${label}`, { modal: true, detail: message });
    return;
  }
  const uri = secretUri(target.root, target.ref, KIND_LABEL[target.kind]);
  fsp.put(uri, revealed.value);
  output.info(`revealed ${label} (${revealed.backend}, opened with ${revealed.via}); the value is shown only in its editor`);
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc, { preview: true });
}
