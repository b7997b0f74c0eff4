// A Nix text parsed for a test that reads its tree once: the tree is deleted after (its wasm memory
// given back), whatever the reading throws.
import type { Tree } from 'web-tree-sitter';
import type { FlatNode } from '../../server/src/syntax/flatTree';
import { NixParser } from '../../server/src/syntax/nixParser';

/** `read` of the tree of `nix`. */
export async function withTree<T>(nix: string, read: (tree: Tree) => T): Promise<T> {
  const tree = (await NixParser.load()).parse(nix);
  try {
    return read(tree);
  } finally {
    tree.delete();
  }
}

/** `read` of the root of the flattened tree of `nix`, as the extraction reads it. */
export const withRoot = <T>(nix: string, read: (root: FlatNode) => T): Promise<T> => withTree(nix, (tree) => read(NixParser.flatten(tree).rootNode));
