// Reads the secret registry (`lib/secret-registry.nix`): an attrset keyed by logical name whose
// values are entries, usually built by helpers (`mkPromptedSecret { generator = "x"; ... }`).
import type { FlatNode as Node } from '../syntax/flatTree';
import type { Position } from '../base/types';
import { detached, detachStrings } from '../base/detached';
import type { NameRef } from '../syntax/syntax';
import type { RegistryEntry, RegistryFacts } from './types';
import { applyParts, eachBinding, inheritedNames, MAX_DEPTH, moveRange, nameRefOf, samePosition, stringPattern, stringValue, unparen } from '../syntax/syntax';
import { addSimpleBindings, topLevel, type Scope } from './topLevel';
import { Attached } from '../base/attached';

interface Cached {
  /** The binding's text, a copy of its own (the key it is kept under in the next version too). */
  key: string;
  start: Position;
  entries: RegistryEntry[];
}

/**
 * Per registry file: the entries of each top-level binding, keyed by the binding's text, so that a
 * keystroke re-reads only the binding it changed. Dropped when the text outside the sets changes
 * (the `let` bindings the entries may refer to, before the sets or after them).
 */
const caches = new Map<string, { outside: string; byText: Map<string, Cached> }>();

/** The file's text outside the sets that hold the entries, each set's place marked by a NUL. */
function outsideSets(text: string, sets: Node[]): string {
  let out = '';
  let at = 0;
  for (const set of [...sets].sort((a, b) => a.startIndex - b.startIndex)) {
    out += `${text.slice(at, set.startIndex)}\0`;
    at = Math.max(at, set.endIndex);
  }
  return out + text.slice(at);
}

/**
 * `text`: the file's text as written, for the cache's keys. A tree's own text may differ from it
 * where a parse blanked nixfmt's trailing commas in formals (syntax/trailingComma.ts) and an
 * incremental one did not need to: keyed by the tree's text, the first keystroke after a full parse
 * found none of its bindings and read all of them again (80 ms for the shared clan's registry).
 */
export function extractRegistry(root: Node, file = '', text = root.text): RegistryFacts {
  const top = topLevel(root);
  if (!top) return { entries: [], understood: false };
  const outside = outsideSets(text, top.sets);
  const previous = caches.get(file);
  // With syntax errors the same binding text can parse differently depending on what surrounds it,
  // so the cache is only used (and kept) for files that parse cleanly.
  const clean = !root.hasError;
  const reuse = clean && previous && previous.outside === outside ? previous.byText : new Map<string, Cached>();
  const next = new Map<string, Cached>();
  const entries: RegistryEntry[] = [];
  for (const set of top.sets) {
    eachBinding(set, (cursor) => {
      const type = cursor.nodeType as string;
      if (type !== 'binding' && type !== 'inherit' && type !== 'inherit_from') return;
      const bindingText = text.slice(cursor.startIndex, cursor.endIndex);
      const start = { line: cursor.startPosition.row, character: cursor.startPosition.column };
      const hit = reuse.get(bindingText);
      // what is kept across versions holds no view into this version's text (base/detached.ts)
      const found = !hit
        ? detachStrings(bindingEntries(cursor.currentNode, top.scope))
        : samePosition(hit.start, start)
          ? hit.entries // unchanged: the same objects, so consumers can compare by identity
          : hit.entries.map((e) => rebaseEntry(e, hit.start, start));
      const key = hit?.key ?? detached(bindingText);
      next.set(key, { key, start, entries: found });
      entries.push(...found);
    });
  }
  if (file && clean) caches.set(file, { outside, byText: next });
  else if (file) caches.delete(file);
  return { entries, understood: true };
}

/** Forgets the cached entries of a file (when it is closed or deleted). */
export function forgetRegistryCache(file: string): void {
  caches.delete(file);
}

const byKey = new Attached<RegistryFacts, Map<string, RegistryEntry>>('entriesByKey');

/** A registry's entries by key (of a key written twice, the last), once per registry: the rules over the matrix read them on every keystroke there. */
export function entriesByKey(registry: RegistryFacts): Map<string, RegistryEntry> {
  return byKey.get(registry) ?? byKey.set(registry, new Map(registry.entries.map((e) => [e.key, e])));
}

function bindingEntries(b: Node, scope: Scope): RegistryEntry[] {
  if (b.type === 'inherit' || b.type === 'inherit_from') {
    return inheritedNames(b)
      .filter((n) => n.name !== null)
      .map((n) => entry(n.name!, n, b.type === 'inherit' ? scope.get(n.name!) ?? null : null, scope));
  }
  const ap = b.childForFieldName('attrpath');
  const attrs = ap ? ap.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment') : [];
  if (attrs.length !== 1) return []; // `key.attr = ...` refines an entry declared elsewhere
  const ref = nameRefOf(attrs[0]);
  return ref.name === null ? [] : [entry(ref.name, ref, b.childForFieldName('expression'), scope)];
}

function rebaseEntry(e: RegistryEntry, from: Position, to: Position): RegistryEntry {
  return { ...e, keyRange: moveRange(e.keyRange, from, to), generator: e.generator && { ...e.generator, range: moveRange(e.generator.range, from, to) } };
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
    domain: stringValue(unparen(fields.get('domain') ?? null)),
    kind: stringValue(unparen(fields.get('kind') ?? null)),
  };
}

/**
 * The `name = value` fields of an entry: a plain attrset, the attrset argument of a helper call, or a
 * `//` of those (in a chain, the sets after its first MAX_DEPTH `//` are not read).
 */
function entryFields(value: Node | null, scope: Scope, depth = 0): Map<string, Node> {
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
  } else if (n.type === 'binary_expression' && n.childForFieldName('operator')?.text === '//' && depth < MAX_DEPTH) {
    // `a // b // c` is `a // (b // c)`; either side may be a let-bound entry: the right side's fields win
    for (const side of ['left', 'right']) for (const [k, v] of entryFields(n.childForFieldName(side), scope, depth + 1)) fields.set(k, v);
  }
  for (const set of sets) addSimpleBindings(set, fields);
  return fields;
}
