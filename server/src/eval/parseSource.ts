// Parses Nix text into the evaluator's AST, working around one gap of tree-sitter-nix 0.0.2 in
// indented strings. Nix's lexer reads a `'` that is not followed by another `'` as the text "'",
// also right before an interpolation: `''''${x}` is `''` (the escape `'''`), then `'`, then `${x}`.
// The grammar's scanner cannot start a text part with a lone `'` before `${` and gives a syntax
// error instead (after `''`, after an escape, after an interpolation). Such a `'` is replaced by a
// placeholder character for the parse (same length, so every offset and position stays valid),
// and the AST's leaves take their text from the original source. A replacement is kept only when
// the replaced character ends up as text of an indented string.
import type { Tree } from 'web-tree-sitter';
import type { NixParser } from '../parse/nixParser';
import { toAstSteps, type SNode } from './ast';
import { runSteps } from './runSteps';

const PLACEHOLDER = 'x';
const MAX_REPARSES = 16;
/** Parse slices when parsing in steps. */
const PARSE_SLICE_MS = 5;

/** `budgetMs`: the parse's time budget (the parser's default for the text's length when not given). */
export function parseSource(parser: NixParser, text: string, budgetMs?: number): SNode {
  return runSteps(parseSourceSteps(parser, text, budgetMs, Number.POSITIVE_INFINITY));
}

/** `parseSource` that yields while it builds the AST (see `toAstSteps`). */
export function* parseSourceSteps(parser: NixParser, text: string, budgetMs?: number, every?: number): Generator<void, SNode> {
  let tree = every === undefined ? yield* parser.parseSteps(text, PARSE_SLICE_MS, budgetMs) : parser.parse(text, undefined, budgetMs);
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
  try {
    const ast = yield* toAstSteps(tree, parsed === text ? undefined : text, every);
    if (tree.rootNode.hasError) ast.syntaxError = true;
    return ast;
  } finally {
    tree.delete();
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
