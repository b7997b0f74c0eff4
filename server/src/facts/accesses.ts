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
    // a name bound to the set, a generator, its files or a file: the reads through it
    const alias = aliasOf(select);
    if (alias) out.push(...aliasAccesses(root, text, alias, seen));
  }
  return out;
}

/**
 * A name bound to part of the generators (`let gens = config.clan.core.vars.generators; ssh =
 * gens.ssh; key = ...generators.ssh.files.key; in ...`), with the parts of the path its value
 * already names after `generators` (none, the generator, `files`, the file).
 */
interface Alias {
  name: string;
  parts: NameRef[];
}

function aliasOf(select: Node): Alias | null {
  const names = (dottedName(select) ?? '').split('.');
  const at = names.lastIndexOf('generators');
  if (at < 1 || names[at - 1] !== 'vars' || names.length - at - 1 > 3) return null;
  const binding = select.parent;
  if (binding?.type !== 'binding' || binding.childForFieldName('expression')?.id !== select.id) return null;
  const bound = attrPath(binding.childForFieldName('attrpath'));
  if (bound.length !== 1 || !bound[0].name || !/^[A-Za-z_][\w'-]*$/.test(bound[0].name)) return null;
  const written = attrPath(select.childForFieldName('attrpath'));
  const parts = written.slice(written.length - (names.length - at - 1));
  // `.files` must follow the generator; what follows the file (`.path`) is not a part of the alias
  if (parts.length >= 2 && parts[1].name !== 'files') return null;
  return { name: bound[0].name, parts };
}

/** Reads through an alias: `gens.<g>.files.<f>.path`, `ssh.files.key.value`, `key.exists`. */
function aliasAccesses(root: Node, text: string, alias: Alias, seen: Set<number>): GeneratorAccess[] {
  const out: GeneratorAccess[] = [];
  const escaped = alias.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  for (const m of text.matchAll(new RegExp(`(?<![\\w'-])${escaped}\\s*\\.`, 'g'))) {
    const v = root.descendantForIndex(m.index!, m.index! + 1);
    const select = v?.parent?.type === 'variable_expression' ? v.parent.parent : v?.parent;
    if (select?.type !== 'select_expression' || seen.has(select.id) || select.childForFieldName('expression')?.text !== alias.name) continue;
    seen.add(select.id);
    const parts = [...alias.parts, ...attrPath(select.childForFieldName('attrpath'))];
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
