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
  // the last entry of one plain name whose value is an entry, looked for from the end (a registry has thousands)
  const bindings = set.namedChildren.find((c) => c.type === 'binding_set');
  for (let b = bindings?.lastNamedChild ?? null; b; b = b.previousNamedSibling) {
    if (b.type !== 'binding') continue;
    const parts = attrPath(b.childForFieldName('attrpath'));
    if (parts.length !== 1 || parts[0].name === null || !entryLike(b.childForFieldName('expression'))) continue;
    template = b.text;
    templateKey = parts[0].name;
    break;
  }
  return { insertAt: at.position, indent: at.indent ?? '', template, templateKey };
}

/** Fails that stand in an entry's place (`gmail = throw "gone";`): no style to copy. */
const FAILS = new Set(['throw', 'abort', 'builtins.throw', 'builtins.abort']);

/** A value written as a registry entry: a set, or a function applied to one (`mkPromptedSecret { ... }`), not a throw, a name or null. */
function entryLike(value: Node | null): boolean {
  if (!value) return false;
  if (value.type === 'attrset_expression' || value.type === 'rec_attrset_expression') return true;
  if (value.type !== 'apply_expression') return false;
  let f: Node | null = value;
  while (f?.type === 'apply_expression') f = f.childForFieldName('function');
  return !!f && !FAILS.has(f.text);
}
