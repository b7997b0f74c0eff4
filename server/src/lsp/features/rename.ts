// Rename a generator or a registry key across the clan: declarations, registry entries, the
// matrix, dependencies, `.generators.<g>` reads and `$in/<g>` paths in scripts. Names that are
// computed (`"x-${m}"`) and other symbols are refused by prepareRename.
import { ErrorCodes, LSPErrorCodes, ResponseError, type PrepareRenameParams, type RenameParams, type WorkspaceEdit } from 'vscode-languageserver/node';
import { toWorkspaceEdit } from '../convert';
import { editTarget, requestHandler, type Feature, type ServerContext } from './context';
import { toLspRange } from './locate';
import { targetAt, type Target } from './navigation';
import { isIdentifier, samePosition } from '../../syntax/syntax';
import * as path from 'node:path';
import { fileToUri } from '../convert';
import type { ClanModel } from '../../model/clanModel';
import { relDir } from '../../secrets/varRef';
import { generatorView } from '../../model/generatorView/generatorView';


export const renameFeature: Feature = {
  capabilities: { renameProvider: { prepareProvider: true } },
  register(ctx: ServerContext) {
    ctx.connection.onPrepareRename(
      requestHandler(ctx, 'prepareRename', (p: PrepareRenameParams) => {
        const t = renamable(ctx, p);
        if (t instanceof ResponseError) return t;
        const own = t.occurrences.find((o) => o.file === t.at.file && samePosition(o.range.start, t.symbol.range.start));
        const range = own?.nameRange ?? t.symbol.range;
        return { range: toLspRange(range), placeholder: t.symbol.kind === 'generator' ? t.symbol.name : t.symbol.kind === 'registry-key' ? t.symbol.key : '' };
      }),
    );
    ctx.connection.onRenameRequest(
      requestHandler(ctx, 'rename', (p: RenameParams): WorkspaceEdit | ResponseError<void> => {
        const t = renamable(ctx, p);
        if (t instanceof ResponseError) return t;
        if (!/^[^"\\$\s/]+$/.test(p.newName) || p.newName === '.' || p.newName === '..') return new ResponseError(ErrorCodes.InvalidParams, `'${p.newName}' is not a usable name: no quotes, backslashes, '$', '/' or spaces`);
        const edits = t.occurrences.map((o) => {
          const newText = o.identifier && !isIdentifier(p.newName) ? `"${p.newName}"` : p.newName;
          return { file: o.file, range: toLspRange(o.identifier && newText !== p.newName ? o.range : o.nameRange), newText };
        });
        // versioned like a quick fix: an editor refuses a rename whose documents moved on
        const edit = toWorkspaceEdit({ title: `Rename to ${p.newName}`, edits, safe: false }, editTarget(ctx));
        if (t.symbol.kind === 'generator') withStoredVars(ctx, t.at.clan, t.symbol.name, p.newName, edit);
        return edit;
      }),
    );
  },
};

function renamable(ctx: ServerContext, p: PrepareRenameParams): Target | ResponseError<void> {
  const t = targetAt(ctx, p.textDocument.uri, p.position);
  if (!t || (t.symbol.kind !== 'generator' && t.symbol.kind !== 'registry-key')) {
    return new ResponseError(LSPErrorCodes.RequestFailed, 'Only generator names and registry keys can be renamed here.');
  }
  if (t.symbol.kind === 'generator' && !t.symbol.literal) return new ResponseError(LSPErrorCodes.RequestFailed, 'This generator name is computed; rename the expression by hand.');
  if (t.occurrences.length === 0) return new ResponseError(LSPErrorCodes.RequestFailed, 'Nothing to rename.');
  return t;
}

/**
 * A generator's stored vars live in folders named after it: renamed, clan looks for them under the
 * new name and finds nothing (the old ones are orphaned). Where the editor can rename files with a
 * confirmation, the rename offers to move each folder (the user can untick it in the preview); else
 * it says which folders will be orphaned. A folder the new name already has is never overwritten.
 */
function withStoredVars(ctx: ServerContext, clan: ClanModel, from: string, to: string, edit: WorkspaceEdit): void {
  const view = generatorView(clan, from);
  const taken = new Set(generatorView(clan, to).placements.filter((p) => p.files.some((f) => f.state !== 'missing')).map((p) => p.relDir));
  const moves: { oldDir: string; newDir: string }[] = [];
  const blocked: string[] = [];
  for (const p of view.placements) {
    if (p.orphaned) continue;
    const newRel = relDir({ machine: p.machine, generator: to });
    for (const base of new Set(p.files.filter((f) => f.state !== 'missing' && f.kind !== 'password-store' && f.path).map((f) => (f.kind === 'age' ? 'secrets/clan-vars' : 'vars')))) {
      if (taken.has(newRel)) blocked.push(`${base}/${newRel}`);
      else moves.push({ oldDir: path.join(clan.root, ...base.split('/'), ...p.relDir.split('/')), newDir: path.join(clan.root, ...base.split('/'), ...newRel.split('/')) });
    }
  }
  const caps = ctx.clientCapabilities;
  const rel = (d: string) => path.relative(clan.root, d);
  if (moves.length && caps.renameFiles && caps.changeAnnotations && edit.documentChanges) {
    const id = 'clan-vars-move-vars';
    edit.changeAnnotations = {
      ...edit.changeAnnotations,
      [id]: {
        label: `Move the stored vars of ${from} to ${to}`,
        description: `Without the move, clan finds no vars under '${to}' and generates them again; the old folders would be orphaned (${moves.map((m) => rel(m.oldDir)).join(', ')}).`,
        needsConfirmation: true,
      },
    };
    for (const m of moves) edit.documentChanges.push({ kind: 'rename', oldUri: fileToUri(m.oldDir), newUri: fileToUri(m.newDir), options: { overwrite: false, ignoreIfExists: true }, annotationId: id });
  } else if (moves.length) {
    void ctx.connection.window.showWarningMessage(`Renaming ${from} to ${to} leaves its stored vars orphaned in ${moves.map((m) => rel(m.oldDir)).join(', ')}: clan will generate ${to} again. Move those folders to the new name to keep the values.`);
  }
  if (blocked.length) void ctx.connection.window.showWarningMessage(`${blocked.join(', ')} already exist${blocked.length === 1 ? 's' : ''}: the stored vars of ${from} there were not moved.`);
}
