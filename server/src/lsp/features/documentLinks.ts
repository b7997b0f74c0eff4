// Document links: relative paths (`import ./x.nix`, `imports = [ ../../modules/y ]`) open the file;
// a directory opens its default.nix. Only for open documents (their tree is at hand) and only for
// targets that exist inside the workspace folder (links resolved, as the analysis reads them).
import * as path from 'node:path';
import type { DocumentLink, DocumentLinkParams } from 'vscode-languageserver/node';
import { fileToUri } from '../convert';
import { extractPathLinks } from '../../facts/pathLinks';
import { NixParser } from '../../syntax/nixParser';
import { requestHandler, type Feature, type ServerContext } from './context';
import { locate, toLspRange } from './locate';

export const documentLinksFeature: Feature = {
  capabilities: { documentLinkProvider: { resolveProvider: false } },
  register(ctx: ServerContext) {
    ctx.connection.onDocumentLinks(
      requestHandler(ctx, 'documentLink', (p: DocumentLinkParams): DocumentLink[] => {
        const at = locate(ctx, p.textDocument.uri);
        // the tree the index parsed for it: a text the index skips (binary, over the size limit,
        // lines too long) or put off is not parsed here either, where it could take seconds
        const tree = at?.facts && !at.facts.skipped ? at.doc?.tree : null;
        if (!at || !tree) return [];
        const links: DocumentLink[] = [];
        for (const l of extractPathLinks(NixParser.flatten(tree).rootNode, at.file)) {
          const target = at.index.reads.nixFileAt(l.target);
          if (target) links.push({ range: toLspRange(l.range), target: fileToUri(target), tooltip: path.relative(path.dirname(at.file), target) || target });
        }
        return links;
      }, 'indexed'),
    );
  },
};
