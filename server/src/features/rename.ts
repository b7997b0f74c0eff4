// Rename a generator or a registry key across the clan: declarations, registry entries, the
// matrix, dependencies, `.generators.<g>` reads and `$in/<g>` paths in scripts. Names that are
// computed (`"x-${m}"`) and other symbols are refused by prepareRename.
import { ErrorCodes, LSPErrorCodes, ResponseError, type PrepareRenameParams, type RenameParams, type WorkspaceEdit } from 'vscode-languageserver/node';
import { toWorkspaceEdit } from '../convert';
import { editTarget, requestHandler, type Feature, type ServerContext } from './context';
import { toLspRange } from './locate';
import { targetAt, type Target } from './navigation';
import { samePosition } from '../parse/syntax';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_'\-]*$/;

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
        if (!/^[^"\\$\s/]+$/.test(p.newName)) return new ResponseError(ErrorCodes.InvalidParams, `'${p.newName}' is not a usable name: no quotes, backslashes, '$', '/' or spaces`);
        const edits = t.occurrences.map((o) => {
          const newText = o.identifier && !IDENTIFIER.test(p.newName) ? `"${p.newName}"` : p.newName;
          return { file: o.file, range: toLspRange(o.identifier && newText !== p.newName ? o.range : o.nameRange), newText };
        });
        // versioned like a quick fix: an editor refuses a rename whose documents moved on
        return toWorkspaceEdit({ title: `Rename to ${p.newName}`, edits, safe: false }, editTarget(ctx));
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
