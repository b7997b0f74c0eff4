// Machine names declared in Nix: `inventory.machines.<name>`, `clan.machines.<name>`, and
// `machines.<name>` in the attrset passed to `clan-core.lib.clan { ... }` / `buildClan { ... }`.
// Only literal names count. Never throws.
import type { FlatNode as Node } from '../syntax/flatTree';
import { applyParts, attrPath, bindingsOf, dottedName, MAX_DEPTH, rangeOf, walk } from '../syntax/syntax';

const CLAN_FUNCTIONS = /(^|\.)(clan|buildClan)$/;

/** The attribute path leading to a binding, across enclosing attrsets; null parts are computed names. */
export function enclosingPath(binding: Node): { path: (string | null)[]; argumentPath: (string | null)[] | null; boundaries: number[]; lets: number[] } {
  const path: (string | null)[] = attrPath(binding.childForFieldName('attrpath')).map((p) => p.name);
  let argumentPath: (string | null)[] | null = null;
  /** For each function crossed, how many segments (from the end) sit inside its body: `machines = mapAttrs (n: _: { imports = ...; })`. */
  const boundaries: number[] = [];
  /** The same for each `let` crossed through its bindings, not its body: what sits inside are variables, not attributes of what encloses the `let`. */
  const lets: number[] = [];
  let from = binding;
  let n: Node | null = binding.parent;
  for (let depth = 0; n && depth < MAX_DEPTH * 4; depth++, from = n, n = n.parent) {
    if (n.type === 'let_expression' && from.id !== n.childForFieldName('body')?.id) lets.push(path.length);
    if (n.type === 'function_expression') boundaries.push(path.length);
    if (n.type === 'binding') path.unshift(...attrPath(n.childForFieldName('attrpath')).map((p) => p.name));
    if ((n.type === 'attrset_expression' || n.type === 'rec_attrset_expression') && n.parent?.type === 'apply_expression' && !argumentPath) {
      const { fn, args } = applyParts(n.parent);
      if (args.some((a) => a.id === n!.id) && CLAN_FUNCTIONS.test(dottedName(fn) ?? '')) argumentPath = [...path];
    }
  }
  return { path, argumentPath, boundaries, lets };
}

/** Where `machines` is in the path (the machine name follows it), or -1. */
function machinesIndex(path: (string | null)[], argumentPath: (string | null)[] | null): number {
  for (let i = 1; i < path.length; i++) {
    if (path[i] === 'machines' && (path[i - 1] === 'inventory' || path[i - 1] === 'clan')) return i;
  }
  if (argumentPath?.[0] === 'machines') return path.length - argumentPath.length;
  return -1;
}

/** The machines a file declares by name, and the lines of those it declares under a computed name (`${config.hostname} = { ... }`). */
export function extractInventoryMachines(root: Node): { names: string[]; computed: number[] } {
  const names = new Set<string>();
  const computed = new Set<number>();
  const visit = (node: Node) => {
    if (node.type !== 'binding') return;
    const { path, argumentPath, boundaries, lets } = enclosingPath(node);
    const i = machinesIndex(path, argumentPath);
    // the machine's name must be written out, not come from a function building the machines, nor
    // be a variable of a `let` inside them (`machines = let tags = [ ... ]; in { ... }`; a `let`
    // around the whole clan, `let clan = clan-core.lib.clan { ... }; in`, is above them)
    if (i < 0 || boundaries.some((b) => path.length - b === i + 1) || lets.some((l) => path.length - l > i)) return;
    if (i + 1 < path.length) {
      const name = path[i + 1];
      if (name) names.add(name);
      else computed.add(rangeOf(node).start.line);
      return;
    }
    // `...machines = { a = ...; b = ...; }`
    const value = node.childForFieldName('expression');
    if (value && (value.type === 'attrset_expression' || value.type === 'rec_attrset_expression')) {
      for (const b of bindingsOf(value)) {
        if (b.type !== 'binding') continue;
        const first = attrPath(b.childForFieldName('attrpath'))[0];
        if (first?.name) names.add(first.name);
        else if (first) computed.add(rangeOf(b).start.line);
      }
    }
  };
  // A binding declares a machine only where its path names `machines` (machinesIndex): its own
  // attribute path does, or an enclosing binding's. So each binding's path is read only inside a
  // binding that names `machines`, not climbed to the top for every binding of the file.
  walk(root, (node) => {
    if (node.type !== 'binding' || !attrPath(node.childForFieldName('attrpath')).some((p) => p.name === 'machines')) return;
    walk(node, visit);
    return false;
  });
  return { names: [...names].sort(), computed: [...computed].sort((a, b) => a - b) };
}
