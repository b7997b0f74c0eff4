// Parses Nix text into the evaluator's AST, working around one gap of tree-sitter-nix 0.0.2 in
// indented strings. Nix's lexer reads a `'` that is not followed by another `'` as the text "'",
// also right before an interpolation: `''''${x}` is `''` (the escape `'''`), then `'`, then `${x}`.
// The grammar's scanner cannot start a text part with a lone `'` before `${` and gives a syntax
// error instead (after `''`, after an escape, after an interpolation). Such a `'` is replaced by a
// placeholder character for the parse (same length, so every offset and position stays valid),
// and the AST's leaves take their text from the original source. A replacement is kept only when
// the replaced character ends up as text of an indented string.
import type { Edit, Tree } from 'web-tree-sitter';
import { makeEdit, NixParser, treeText } from '../../syntax/nixParser';
import { toAstSteps, type SNode } from './ast';
import { runSteps } from './runSteps';

const PLACEHOLDER = 'x';
const MAX_REPARSES = 16;
/** Parse slices when parsing in steps. */
const PARSE_SLICE_MS = 5;

/** `budgetMs`: the parse's time budget (the parser's default for the text's length when not given). */
export function parseSource(parser: NixParser, text: string, budgetMs?: number): SNode {
  return runSteps(parseSteps(parser, text, budgetMs, Number.POSITIVE_INFINITY, false)).ast;
}

/** A parse kept for an incremental parse of the file's next text: the text, its tree (null: not kept) and its AST. */
export interface KeptParse {
  text: string;
  tree: Tree | null;
  /** The text `tree` was parsed from: `text` with nixfmt's trailing commas in formals blanked (parse/nixParser.ts). */
  treeText: string;
  ast: SNode;
  /** `tree` is a parse from scratch (or a copy of one an open document shares: syntax/sharedTrees.ts). */
  fresh?: boolean;
}

/** Edits up to this many characters are parsed incrementally; a larger one (a checkout, a paste) afresh, in slices. */
const MAX_INCREMENTAL_EDIT = 4_000;

/**
 * `parseSource` in steps (see `toAstSteps`), keeping the tree for the next parse of the file. From `previous`, a parse of
 * an earlier text of the same file, tree-sitter parses the change incrementally and the AST takes
 * over every subtree outside it (see `toAstSteps`), so a keystroke in a 2,000-entry registry builds
 * a few nodes instead of 60,000. `previous` is used up (its tree is edited, then deleted): keep only
 * the result. Without `previous` or its tree, for a large edit or a text with a syntax error (the
 * quote workaround needs a parse from scratch), the text is parsed afresh, or taken from `adopt`:
 * an error-free tree of exactly `text` that is the caller's to keep (a copy of another's).
 * `budgetMs`: a parse afresh's time (the parser's default for the text's length when not given).
 */
export function* parseKeepingSteps(parser: NixParser, text: string, previous?: KeptParse, every?: number, adopt?: () => Tree | null, budgetMs?: number): Generator<void, KeptParse> {
  const old = previous?.tree;
  if (previous) previous.tree = null;
  if (previous && old) {
    let tree: Tree | null = null;
    try {
      const edit = textEdit(previous.text, text);
      if (edit.oldEndIndex + edit.newEndIndex - 2 * edit.startIndex <= MAX_INCREMENTAL_EDIT) {
        old.edit(edit);
        // the commas blanked outside the edit stay blanked; a new one gives a syntax error, so a parse afresh
        tree = parser.reparse(previous.treeText.slice(0, edit.startIndex) + text.slice(edit.startIndex, edit.newEndIndex) + previous.treeText.slice(edit.oldEndIndex), old);
        if (tree) {
          const changed = tree.getChangedRanges(old);
          const sameRows = edit.newEndPosition.row === edit.oldEndPosition.row;
          // before the edit, or on a later line when the edit kept the number of lines: same positions
          const kept = (start: number, end: number, row: number) =>
            (end < edit.startIndex || (sameRows && start > edit.newEndIndex && row > edit.newEndPosition.row)) && !changed.some((r) => start <= r.endIndex && end >= r.startIndex);
          const result = { text, tree, treeText: treeText(tree), ast: yield* toAstSteps(NixParser.flatten(tree), undefined, every, { old: previous.ast, kept }) };
          tree = null;
          return result;
        }
      }
    } finally {
      tree?.delete();
      old.delete();
    }
  }
  return yield* parseSteps(parser, text, budgetMs, every, true, adopt?.() ?? undefined);
}

/** The single edit that turns `before` into `after`: what lies between their common start and common end. */
function textEdit(before: string, after: string): Edit {
  const max = Math.min(before.length, after.length);
  let start = 0;
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let tail = 0;
  while (tail < max - start && before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)) tail++;
  return makeEdit(before, start, before.length - tail, after.slice(start, after.length - tail));
}

/**
 * Parses `text` from scratch (or takes `given`, an error-free tree of it that is its to keep),
 * yielding while it builds the AST unless `every` is infinite (see `toAstSteps`); `keep`: keep the
 * tree when it is a parse of `text` itself.
 */
function* parseSteps(parser: NixParser, text: string, budgetMs: number | undefined, every: number | undefined, keep: boolean, given?: Tree): Generator<void, KeptParse> {
  // in slices between requests, the budget counts the slices' time only: the time given to requests
  // and other work in between is not the text's (on a busy machine a wall-clock budget ran out)
  let tree = given ?? (every === undefined ? yield* parser.parseSteps(text, PARSE_SLICE_MS, budgetMs) : parser.parse(text, undefined, budgetMs));
  let parsed = text;
  const tried = new Set<number>();
  // One candidate at a time, left to right: replacing a `'` that Nix reads differently (the second
  // quote of an escape `''${`) breaks the string, and fixing one error may clear later ones.
  for (let reparses = 0; reparses < MAX_REPARSES && tree.rootNode.hasError; reparses++) {
    const i = quotesBeforeInterpolation(tree, parsed).find((q) => !tried.has(q));
    if (i === undefined) break;
    tried.add(i);
    const fixed = parsed.slice(0, i) + PLACEHOLDER + parsed.slice(i + 1);
    const again = parser.parse(fixed, undefined, budgetMs);
    if (!isIndentedText(again, i)) {
      again.delete();
      continue;
    }
    tree.delete();
    tree = again;
    parsed = fixed;
  }
  let keptTree: Tree | null = null;
  try {
    const ast = yield* toAstSteps(NixParser.flatten(tree), parsed === text ? undefined : text, every);
    const root = tree.rootNode;
    if (root.hasError) ast.syntaxError = true;
    // a tree of the quote workaround's text is not kept (its replacements depend on the whole text)
    if (keep && !root.hasError && parsed === text) keptTree = tree;
    return { text, tree: keptTree, treeText: keptTree ? treeText(keptTree) : text, ast, fresh: true };
  } finally {
    if (tree !== keptTree) tree.delete();
  }
}

/** Offsets of `'` directly before `${` that lie inside a syntax error. */
function quotesBeforeInterpolation(tree: Tree, text: string): number[] {
  const errors = tree.rootNode.descendantsOfType('ERROR').map((n) => (n ? [n.startIndex, n.endIndex] : [0, 0]));
  const out: number[] = [];
  for (let i = text.indexOf("'${"); i !== -1; i = text.indexOf("'${", i + 1)) {
    if (errors.some(([s, e]) => s <= i && i < e)) out.push(i);
  }
  return out;
}

function isIndentedText(tree: Tree, offset: number): boolean {
  const n = tree.rootNode.descendantForIndex(offset, offset + 1);
  return !!n && n.type === 'string_fragment' && n.parent?.type === 'indented_string_expression';
}
