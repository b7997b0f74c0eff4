// How the secret registry writes its entries, so a quick fix can add one in the same style: the
// place before the closing brace of its top-level set, and the text of its last entry.
import type { FlatNode as Node } from '../syntax/flatTree';
import type { RegistryFacts } from './types';
import { attrPath } from '../syntax/syntax';
import { insertionPoint } from './editRanges';
import { topLevel } from './topLevel';

export function registryStyle(root: Node, text: string): RegistryFacts['style'] | null {
  const top = topLevel(root);
  const set = top?.sets[top.sets.length - 1];
  if (!set || (set.type !== 'attrset_expression' && set.type !== 'rec_attrset_expression')) return null;
  const at = insertionPoint(set, text);
  let template: string | null = null;
  let templateKey: string | null = null;
  // the last entry of one plain name, looked for from the end (a registry has thousands)
  const bindings = set.namedChildren.find((c) => c.type === 'binding_set');
  for (let b = bindings?.lastNamedChild ?? null; b; b = b.previousNamedSibling) {
    if (b.type !== 'binding') continue;
    const parts = attrPath(b.childForFieldName('attrpath'));
    if (parts.length !== 1 || parts[0].name === null) continue;
    template = b.text;
    templateKey = parts[0].name;
    break;
  }
  return { insertAt: at.position, indent: at.indent ?? '', template, templateKey };
}
