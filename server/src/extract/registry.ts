// Reads the secret registry (`lib/secret-registry.nix`): an attrset keyed by logical name whose
// values are entries, usually built by helpers (`mkPromptedSecret { generator = "x"; ... }`).
import type { Node } from 'web-tree-sitter';
import type { NameRef, RegistryEntry, RegistryFacts } from '../model/types';
import { applyParts, attrPath, bindingsOf, inheritedNames, nameRefOf, stringPattern, stringValue, unparen } from '../parse/syntax';
import { namedBindings, topLevel, type Scope } from './topLevel';

export function extractRegistry(root: Node): RegistryFacts {
  const top = topLevel(root);
  if (!top) return { entries: [], understood: false };
  const entries: RegistryEntry[] = [];
  for (const set of top.sets) {
    for (const b of bindingsOf(set)) {
      if (b.type === 'inherit' || b.type === 'inherit_from') {
        for (const name of inheritedNames(b)) {
          if (name.name !== null) entries.push(entry(name.name, name, top.scope.get(name.name) ?? null, top.scope));
        }
      }
    }
    for (const { name, nameNode, rest, value } of namedBindings(set)) {
      if (rest.length) continue; // `key.attr = ...` refines an entry declared elsewhere
      entries.push(entry(name, nameRefOf(nameNode), value, top.scope));
    }
  }
  return { entries, understood: true };
}

function entry(key: string, ref: NameRef, value: Node | null, scope: Scope): RegistryEntry {
  const fields = entryFields(value, scope);
  const gen = fields.get('generator');
  let generator: NameRef | null = null;
  if (gen) {
    const g = unparen(gen);
    if (g && stringPattern(g) !== null) generator = nameRefOf(g);
  }
  const envNode = unparen(fields.get('envVar') ?? null);
  const secretNode = unparen(fields.get('secret') ?? null);
  return {
    key,
    keyRange: ref.range,
    generator,
    envVar: envNode ? stringValue(envNode) : null,
    fileAttr: stringValue(unparen(fields.get('fileAttr') ?? null)),
    secret: secretNode?.type === 'variable_expression' && /^(true|false)$/.test(secretNode.text) ? secretNode.text === 'true' : null,
  };
}

/** The `name = value` fields of an entry: a plain attrset, or the attrset argument of a helper call. */
function entryFields(value: Node | null, scope: Scope): Map<string, Node> {
  const fields = new Map<string, Node>();
  let n = unparen(value);
  if (n?.type === 'variable_expression' && scope.has(n.text)) n = unparen(scope.get(n.text)!);
  if (!n) return fields;
  const sets: Node[] = [];
  if (n.type === 'attrset_expression' || n.type === 'rec_attrset_expression') sets.push(n);
  else if (n.type === 'apply_expression') {
    for (const a of applyParts(n).args) {
      const u = unparen(a);
      if (u && (u.type === 'attrset_expression' || u.type === 'rec_attrset_expression')) sets.push(u);
    }
  } else if (n.type === 'binary_expression' && n.childForFieldName('operator')?.text === '//') {
    for (const side of ['left', 'right']) {
      const u = unparen(n.childForFieldName(side));
      if (u && (u.type === 'attrset_expression' || u.type === 'apply_expression')) for (const [k, v] of entryFields(u, scope)) fields.set(k, v);
    }
  }
  for (const set of sets) {
    for (const b of bindingsOf(set)) {
      if (b.type !== 'binding') continue;
      const parts = attrPath(b.childForFieldName('attrpath'));
      const v = b.childForFieldName('expression');
      if (parts.length === 1 && parts[0].name !== null && v) fields.set(parts[0].name, v);
    }
  }
  return fields;
}
