// Finds `lib.modules.importApply ./file.nix { ... }` (or `importApply`) inside `imports` lists.
import type { FlatNode as Node } from '../syntax/flatTree';
import type { ImportApplyUse } from './types';
import { insertionPoint, removalRange } from './editRanges';
import { applyParts, attrPath, bindingsOf, dottedName, MAX_DEPTH, rangeOf, unparen, walk } from '../syntax/syntax';

export function extractImportApplies(root: Node, resolvePath: (rel: string) => string, text = root.text): ImportApplyUse[] {
  const uses: ImportApplyUse[] = [];
  walk(root, (node) => {
    if (node.type !== 'binding') return true;
    const parts = attrPath(node.childForFieldName('attrpath'));
    if (parts.length === 0 || parts[parts.length - 1].name !== 'imports') return true;
    for (const element of listElements(node.childForFieldName('expression'), 0)) {
      const use = importApplyUse(element, resolvePath);
      if (!use) continue;
      uses.push(use);
      const set = node.parent?.parent;
      const pathNode = unparen(applyParts(unparen(element)!).args[0] ?? null);
      const argNode = applyParts(unparen(element)!).args[1];
      if (set && (set.type === 'attrset_expression' || set.type === 'rec_attrset_expression') && pathNode) {
        use.rewrite = {
          removal: removalRange(element, text),
          pathText: pathNode.text,
          argsText: argNode ? argNode.text : null,
          letAt: { line: set.startPosition.row, character: set.startPosition.column },
          bodyInsert: insertionPoint(set, text),
        };
      }
    }
    return true;
  });
  return uses;
}

function listElements(node: Node | null, depth: number): Node[] {
  const n = unparen(node);
  if (!n || depth > MAX_DEPTH) return [];
  if (n.type === 'list_expression') return n.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
  if (n.type === 'binary_expression' && n.childForFieldName('operator')?.text === '++') {
    return [...listElements(n.childForFieldName('left'), depth + 1), ...listElements(n.childForFieldName('right'), depth + 1)];
  }
  return [];
}

function importApplyUse(element: Node, resolvePath: (rel: string) => string): ImportApplyUse | null {
  const n = unparen(element);
  if (!n || n.type !== 'apply_expression') return null;
  const { fn, args } = applyParts(n);
  const name = dottedName(fn);
  if (!name || name.split('.').pop() !== 'importApply') return null;
  const pathNode = unparen(args[0] ?? null);
  const target =
    pathNode?.type === 'path_expression' && !pathNode.namedChildren.some((c) => c.type === 'interpolation')
      ? resolvePath(pathNode.text)
      : null;
  const argNode = unparen(args[1] ?? null);
  const argumentNames: string[] = [];
  const isSet = !!argNode && (argNode.type === 'attrset_expression' || argNode.type === 'rec_attrset_expression');
  if (isSet) {
    for (const b of bindingsOf(argNode)) {
      if (b.type === 'binding') {
        const first = attrPath(b.childForFieldName('attrpath'))[0];
        if (first?.name) argumentNames.push(first.name);
      } else {
        const attrs = b.childForFieldName('attrs');
        for (const a of attrs?.namedChildren ?? []) if (a && a.type !== 'comment') argumentNames.push(a.text);
      }
    }
  }
  return { range: rangeOf(element), target, argumentNames, argument: isSet ? 'attrs' : argNode ? 'other' : null };
}
