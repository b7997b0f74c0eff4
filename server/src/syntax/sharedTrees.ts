// Trees of whole files that another holder of the same file may take a copy of. The server keeps
// two trees of the registry and of the matrix: the open document's (parsed as the user types) and
// the evaluator's (parsed incrementally at each evaluation). A tree-sitter copy shares every node
// with its original, and an edit or an incremental parse copies only what it changes, so a holder
// that starts from the other's copy costs no parse and no second tree: 11 MB of wasm memory for a
// 2,000-entry registry, which wasm never gives back.
import type { Tree } from './nixParser';

export class SharedTrees {
  private readonly byFile = new Map<string, Map<object, { tree: Tree; text: string }>>();

  /**
   * `owner`'s tree of all of `file` (null: none to share), a parse of `text` as one from scratch
   * gives it: error-free, of `text` or of `text` with nixfmt's trailing commas in formals blanked
   * (syntax/trailingComma.ts). It must stay unedited and alive until the owner puts another or
   * null: an owner that edits or deletes it puts first.
   */
  put(file: string, owner: object, tree: Tree | null, text = ''): void {
    let owners = this.byFile.get(file);
    if (tree) {
      if (!owners) this.byFile.set(file, (owners = new Map()));
      owners.set(owner, { tree, text });
    } else if (owners?.delete(owner) && owners.size === 0) {
      this.byFile.delete(file);
    }
  }

  /** A copy (the caller's to delete) of a tree another owner than `except` put for `file` and exactly `text`; null when none is. */
  copyOf(file: string, text: string, except?: object): Tree | null {
    for (const [owner, put] of this.byFile.get(file) ?? []) {
      if (owner !== except && put.text === text) return put.tree.copy();
    }
    return null;
  }
}

/** The one shelf of the process: the open documents and the evaluations' cache put their trees on it. */
export const sharedTrees = new SharedTrees();
