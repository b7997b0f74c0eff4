// Relative paths written in a Nix file (`import ./x.nix`, `imports = [ ../y ]`, `./script.sh`),
// resolved against the file's directory. Paths with interpolations and `<nixpkgs>` are skipped.
import * as path from 'node:path';
import type { FlatNode as Node } from '../syntax/flatTree';
import type { Range } from '../base/types';
import { rangeOf } from '../syntax/syntax';

export interface PathLink {
  range: Range;
  /** Absolute path as written, resolved; a directory stands for its default.nix when imported. */
  target: string;
}

export function extractPathLinks(root: Node, file: string): PathLink[] {
  const dir = path.dirname(file);
  const out: PathLink[] = [];
  // found in document order, outer before inner; a path inside another's interpolation is not a link
  let pathEnd = -1;
  for (const node of root.descendantsOfType('path_expression')) {
    if (node.startIndex < pathEnd) continue;
    pathEnd = node.endIndex;
    if (node.namedChildren.some((c) => c.type === 'interpolation')) continue;
    const text = node.text;
    if (text.startsWith('./') || text.startsWith('../') || text === '.' || text === '..') out.push({ range: rangeOf(node), target: path.resolve(dir, text) });
  }
  return out;
}
