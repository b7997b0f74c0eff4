// Finds reads of generators: `config.clan.core.vars.generators.<g>.files.<f>.path`, also through
// `osConfig` or any other base, and `...generators.<g>` alone. Only the places where the text
// says `vars.generators` are looked at, so files without reads cost a text search. A read in the
// value of a `let` binding that nothing else in its `let` names is marked `unevaluated`: Nix is lazy
// and never evaluates it (clan's disk-id migration guide leaves `suffix = config.clan.core.vars
// .generators.disk-id.files.diskId.value;` in disko.nix files whose disk names no longer use it).
import type { FlatNode as Node } from '../syntax/flatTree';
import type { NameRef } from '../syntax/syntax';
import type { GeneratorAccess } from './types';
import { attrPath, dottedName, isIdentifier, rangeOf } from '../syntax/syntax';

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
    if (access) out.push(marked(root, select, text, access));
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
  const name = boundName(binding);
  if (!name) return null;
  const written = attrPath(select.childForFieldName('attrpath'));
  const parts = written.slice(written.length - (names.length - at - 1));
  // `.files` must follow the generator; what follows the file (`.path`) is not a part of the alias
  if (parts.length >= 2 && parts[1].name !== 'files') return null;
  return { name, parts };
}

/** Reads through an alias: `gens.<g>.files.<f>.path`, `ssh.files.key.value`, `key.exists`. */
function aliasAccesses(root: Node, text: string, alias: Alias, seen: Set<number>): GeneratorAccess[] {
  const out: GeneratorAccess[] = [];
  for (const m of text.matchAll(new RegExp(`${wordStart(alias.name)}\\s*\\.`, 'g'))) {
    const v = root.descendantForIndex(m.index!, m.index! + 1);
    const select = v?.parent?.type === 'variable_expression' ? v.parent.parent : v?.parent;
    if (select?.type !== 'select_expression' || seen.has(select.id) || select.childForFieldName('expression')?.text !== alias.name) continue;
    seen.add(select.id);
    const parts = [...alias.parts, ...attrPath(select.childForFieldName('attrpath'))];
    const generator = parts[0];
    if (!generator) continue;
    const hasFile = parts[1]?.name === 'files';
    out.push(marked(root, select, text, { generator, file: hasFile ? (parts[2] ?? null) : null, attr: hasFile ? (parts[3] ?? null) : (parts[1] ?? null), range: rangeOf(select) }));
  }
  return out;
}

/** The name a binding binds when it is one identifier (`ssh = ...;`, not `a.b = ...;` or `"x y" = ...;`), else null. */
function boundName(binding: Node): string | null {
  const bound = attrPath(binding.childForFieldName('attrpath'));
  return bound.length === 1 && bound[0].name && isIdentifier(bound[0].name) ? bound[0].name : null;
}

/** A pattern for where identifier `name` starts as a whole word (an identifier has no character a pattern reads specially). */
function wordStart(name: string): string {
  return `(?<![\\w'-])${name}`;
}

/** `access` read at `node`, marked `unevaluated` when Nix never evaluates it there. */
function marked(root: Node, node: Node, text: string, access: GeneratorAccess): GeneratorAccess {
  return unevaluated(root, node, text) ? { ...access, unevaluated: true } : access;
}

/**
 * Whether `node` is in the value of a `let` binding whose name no identifier elsewhere in its `let`
 * is (its other bindings, its body, interpolations in its strings; an attribute of that name or a
 * binding that shadows it counts too: only a name written nowhere else as code is surely not read).
 * Comments and the text of strings are no reads.
 */
function unevaluated(root: Node, node: Node, text: string): boolean {
  for (let n: Node | null = node.parent; n; n = n.parent) {
    if (n.type !== 'binding' || n.parent?.type !== 'binding_set' || n.parent.parent?.type !== 'let_expression') continue;
    const name = boundName(n);
    if (!name) continue;
    const scope = n.parent.parent;
    const word = new RegExp(`${wordStart(name)}(?![\\w'-])`, 'g');
    word.lastIndex = scope.startIndex;
    let read = false;
    for (let m = word.exec(text); m && m.index < scope.endIndex; m = word.exec(text)) {
      if (m.index >= n.startIndex && m.index < n.endIndex) continue;
      if (root.descendantForIndex(m.index, m.index + name.length)?.type === 'identifier') {
        read = true;
        break;
      }
    }
    if (!read) return true;
  }
  return false;
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
