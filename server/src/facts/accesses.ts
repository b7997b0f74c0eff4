// Finds reads of generators: `config.clan.core.vars.generators.<g>.files.<f>.path`, also through
// `osConfig` or any other base, and `...generators.<g>` alone. Only the places where the text
// says `vars.generators` are looked at, so files without reads cost a text search.
import type { FlatNode as Node } from '../syntax/flatTree';
import type { NameRef } from '../syntax/syntax';
import type { GeneratorAccess } from './types';
import { attrPath, dottedName, rangeOf } from '../syntax/syntax';

const MENTION = /vars\s*\.\s*generators\b/g;

export function extractAccesses(root: Node, text: string): GeneratorAccess[] {
  const out: GeneratorAccess[] = [];
  const seen = new Set<number>();
  for (const m of text.matchAll(MENTION)) {
    let node: Node | null = root.descendantForIndex(m.index!, m.index! + 1);
    // climb to the outermost select expression containing the mention
    let select: Node | null = null;
    for (let i = 0; node && i < 8; i++, node = node.parent) {
      if (node.type === 'select_expression') select = node;
      else if (node.type !== 'attrpath' && node.type !== 'identifier' && node.type !== 'variable_expression') break;
    }
    if (!select || seen.has(select.id)) continue;
    seen.add(select.id);
    const access = accessOf(select);
    if (access) out.push(access);
    else {
      const alias = aliasOf(select);
      if (alias) out.push(...aliasAccesses(root, text, alias, seen));
    }
  }
  return out;
}

/** `let gens = config.clan.core.vars.generators; in ...`: the name bound to the generators set. */
function aliasOf(select: Node): string | null {
  const names = (dottedName(select) ?? '').split('.');
  if (names.length < 2 || names[names.length - 1] !== 'generators' || names[names.length - 2] !== 'vars') return null;
  const binding = select.parent;
  if (binding?.type !== 'binding' || binding.childForFieldName('expression')?.id !== select.id) return null;
  const parts = attrPath(binding.childForFieldName('attrpath'));
  return parts.length === 1 && parts[0].name && /^[A-Za-z_][\w'-]*$/.test(parts[0].name) ? parts[0].name : null;
}

/** Reads through an alias: `gens.<g>.files.<f>.path`. */
function aliasAccesses(root: Node, text: string, alias: string, seen: Set<number>): GeneratorAccess[] {
  const out: GeneratorAccess[] = [];
  const escaped = alias.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  for (const m of text.matchAll(new RegExp(`(?<![\\w'-])${escaped}\\s*\\.`, 'g'))) {
    const v = root.descendantForIndex(m.index!, m.index! + 1);
    const select = v?.parent?.type === 'variable_expression' ? v.parent.parent : v?.parent;
    if (select?.type !== 'select_expression' || seen.has(select.id) || select.childForFieldName('expression')?.text !== alias) continue;
    seen.add(select.id);
    const parts = attrPath(select.childForFieldName('attrpath'));
    const generator = parts[0];
    if (!generator) continue;
    const hasFile = parts[1]?.name === 'files';
    out.push({ generator, file: hasFile ? (parts[2] ?? null) : null, attr: hasFile ? (parts[3] ?? null) : (parts[1] ?? null), range: rangeOf(select) });
  }
  return out;
}

function accessOf(node: Node): GeneratorAccess | null {
  const parts = attrPath(node.childForFieldName('attrpath'));
  const base = dottedName(node.childForFieldName('expression'));
  const names: (string | null)[] = [...(base ? base.split('.') : []), ...parts.map((p) => p.name)];
  const offset = names.length - parts.length; // index of the first part written in this select
  for (let i = 1; i < names.length - 1; i++) {
    if (names[i] !== 'generators' || names[i - 1] !== 'vars' || i + 1 < offset) continue;
    const at = (k: number): NameRef | null => (k >= offset && k < names.length ? parts[k - offset] : null);
    const generator = at(i + 1);
    if (!generator) return null;
    const hasFile = names[i + 2] === 'files';
    return { generator, file: hasFile ? at(i + 3) : null, attr: hasFile ? at(i + 4) : at(i + 2), range: rangeOf(node) };
  }
  return null;
}
