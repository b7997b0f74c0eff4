// The paths on this disk that the input specifications of a flake.nix may name. nix locks an input
// that flake.nix declares and flake.lock does not lock (or locks from another specification), and
// copies it into the store while doing so, before it finds that `--no-update-lock-file` forbids the
// new lock (nix 2.8, measured: a 0600 key then sits in the store as 0444). So the local paths
// flake.nix names are listed like the lock's (fetchPlan.ts). nix reads input specifications only as
// literals of the top-level attribute set (a value that needs evaluation is an error), never inside
// a function, so the strings read here are, outside functions: the value of every `url` or `path`
// attribute, and every string with a local scheme (`path:`, `git+file:`, `file:`, ...), whatever
// attribute holds it; a name spelt in quotes, with escapes or `${...}` is read as nix reads it, or
// counts as `url` when it is computed. When the file does not parse cleanly (tree-sitter-nix's error
// recovery could misplace a function's end), functions are read too: more paths, never fewer.
import { NixParser, ParseTimeout } from '../syntax/nixParser';
import type { FlatNode } from '../syntax/flatTree';
import { attrPath, stringValue } from '../syntax/syntax';

/** A flake reference to this disk by its scheme (`path:`, `git+file:`, `file:`, `tarball+file:`, `file+file:`, `hg+file:`). */
export const LOCAL_SCHEME = /^(?:path|file|(?:git|hg|tarball|file)\+file):/i;

export interface FlakeNixRef {
  /** Where flake.nix names it: the attribute path of the binding (`inputs.keys.url`). */
  where: string;
  /** The string as nix reads it. */
  value: string;
  /** The attribute that holds it when it is `url` or `path` (a bare path counts there; `path` holds only paths), or null: any string with a local scheme. */
  attribute: 'url' | 'path' | null;
}

/**
 * The strings of flake.nix that may name a path on this disk for nix to fetch; null when the text
 * cannot be parsed in time (250 ms and 1 ms per 1,000 characters: the language server answers this
 * on its main thread).
 */
export async function flakeNixRefs(text: string): Promise<FlakeNixRef[] | null> {
  const parser = await NixParser.load();
  let parsed;
  try {
    parsed = parser.parse(text, undefined, 250 + text.length / 1000);
  } catch (e) {
    if (e instanceof ParseTimeout) return null;
    throw e;
  }
  try {
    const root = NixParser.flatten(parsed).rootNode;
    const clean = !root.hasError;
    const out: FlakeNixRef[] = [];
    // depth first with a stack of its own (a hostile file may nest deeper than the call stack goes),
    // each node with the attribute path of the bindings around it
    const stack: [FlatNode, string[]][] = [[root, []]];
    while (stack.length) {
      const [node, around] = stack.pop()!;
      if (clean && node.type === 'function_expression') continue;
      let inner = around;
      if (node.type === 'binding') {
        const parts = attrPath(node.childForFieldName('attrpath'));
        inner = [...around, ...parts.map((p) => p.name ?? '${...}')];
        const expression = node.childForFieldName('expression');
        const value = stringValue(expression);
        const last = parts[parts.length - 1];
        if (value !== null) {
          if (last?.name === 'path') out.push({ where: inner.join('.'), value, attribute: 'path' });
          else if (last && (last.name === null || last.name === 'url')) out.push({ where: inner.join('.'), value, attribute: 'url' });
          else if (LOCAL_SCHEME.test(value)) out.push({ where: inner.join('.'), value, attribute: null });
          for (const c of node.namedChildren) if (c.id !== expression!.id) stack.push([c, inner]);
          continue;
        }
      } else if (node.type === 'string_expression' || node.type === 'indented_string_expression') {
        const value = stringValue(node);
        if (value !== null && LOCAL_SCHEME.test(value)) out.push({ where: around.length ? around.join('.') : 'a string', value, attribute: null });
      }
      for (const c of node.namedChildren) stack.push([c, inner]);
    }
    return out;
  } finally {
    parsed.delete();
  }
}
