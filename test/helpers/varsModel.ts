// Builds a clan model for the vars-state tests: declarations from Nix strings placed at (possibly
// virtual) paths under a clan root, e.g. a shared fixture directory that is only read.
import * as path from 'node:path';
import { extractFile } from '../../server/src/facts/file';
import type { FileFacts } from '../../server/src/facts/types';
import { NixParser } from '../../server/src/syntax/nixParser';
import { buildClanModel, type ClanModel } from '../../server/src/model/clanModel';
import { DEFAULT_SETTINGS, type AnalysisSettings } from '../../server/src/base/settings';
import { invalidateVarsOnDisk } from '../../server/src/model/varsOnDisk';

let parser: NixParser | undefined;

export async function clanWith(root: string, nixFiles: Record<string, string> = {}, settings: Partial<AnalysisSettings> = {}): Promise<ClanModel> {
  parser ??= await NixParser.load();
  invalidateVarsOnDisk(root);
  const files = new Map<string, FileFacts>();
  for (const [rel, text] of Object.entries(nixFiles)) {
    const file = path.join(root, rel);
    const tree = parser.parse(text);
    try {
      const roles = { registry: rel === DEFAULT_SETTINGS.registryPath, matrix: rel === DEFAULT_SETTINGS.matrixPath };
      files.set(file, extractFile(file, tree, roles, text));
    } finally {
      tree.delete();
    }
  }
  return buildClanModel(root, { ...DEFAULT_SETTINGS, ...settings }, files);
}
