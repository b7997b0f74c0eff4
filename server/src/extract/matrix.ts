// Reads the machine matrix (`lib/machine-env-matrix.nix`): machine name -> list of registry keys.
// Keys reach a machine through plain lists, let-bound lists (`sharedCore`), `inherit`, `rec`
// references and `++`; every literal key is recorded once, with all the machines it reaches.
import type { Node, TreeCursor } from 'web-tree-sitter';
import type { MatrixFacts, MatrixKeyRef, Position } from '../model/types';
import { applyParts, attrPath, bindingsOf, dottedName, inheritedNames, MAX_DEPTH, moveRange, rangeOf, stringValue, unparen } from '../parse/syntax';
import { letScope, namedBindings, topLevel, type Scope } from './topLevel';

const LIST_FUNCTIONS = new Set(['unique', 'flatten', 'concatLists']);

export function extractMatrix(root: Node): MatrixFacts {
  const top = topLevel(root);
  if (!top) return { machines: [], keys: [], understood: false };
  let sets = top.sets;
  let scope = top.scope;
  // `{ envMatrix = { lea = [...]; }; sharedCore = [...]; }`: the machines are under envMatrix.
  for (const set of top.sets) {
    const env = namedBindings(set).find((b) => b.name === 'envMatrix' && b.rest.length === 0);
    if (!env) continue;
    scope = withSetBindings(set, scope);
    let v = unparen(env.value);
    if (v?.type === 'let_expression') {
      scope = letScope(v, scope);
      v = unparen(v.childForFieldName('body'));
    }
    if (v?.type === 'attrset_expression' || v?.type === 'rec_attrset_expression') sets = [v];
    else return { machines: [], keys: [], understood: false };
  }

  const keys = new Map<string, MatrixKeyRef>();
  const helpers = new Set<string>();
  const candidates: { machine: string; value: Node | null; scope: Scope }[] = [];
  for (const set of sets) {
    const setScope = set.type === 'rec_attrset_expression' ? withSetBindings(set, scope) : scope;
    for (const b of bindingsOf(set)) {
      if (b.type === 'inherit') {
        for (const n of inheritedNames(b)) if (n.name !== null) candidates.push({ machine: n.name, value: scope.get(n.name) ?? null, scope });
      } else if (b.type === 'inherit_from') {
        const from = resolveVar(b.childForFieldName('expression'), scope);
        for (const n of inheritedNames(b)) {
          if (n.name === null) continue;
          const value = from && (from.type === 'attrset_expression' || from.type === 'rec_attrset_expression') ? bindingValue(from, n.name) : null;
          candidates.push({ machine: n.name, value, scope });
        }
      }
    }
    for (const { name, rest, value } of namedBindings(set)) {
      if (rest.length === 0) candidates.push({ machine: name, value, scope: setScope });
    }
  }

  const perMachine = new Map<string, MatrixKeyRef[]>();
  for (const c of candidates) {
    const refs: MatrixKeyRef[] = [];
    collect(c.value, c.scope, 0, new Set(), refs, (name) => helpers.add(name));
    perMachine.set(c.machine, refs);
  }
  const machines = candidates.map((c) => c.machine).filter((m) => !helpers.has(m));
  for (const machine of machines) {
    for (const ref of perMachine.get(machine) ?? []) {
      const id = `${ref.range.start.line}:${ref.range.start.character}`;
      const existing = keys.get(id);
      if (existing) {
        if (!existing.machines.includes(machine)) existing.machines.push(machine);
      } else keys.set(id, { key: ref.key, range: ref.range, machines: [machine] });
    }
  }
  // Keys in helper lists that no machine uses are still worth checking.
  for (const helper of helpers) {
    for (const ref of perMachine.get(helper) ?? []) {
      const id = `${ref.range.start.line}:${ref.range.start.character}`;
      if (!keys.has(id)) keys.set(id, { key: ref.key, range: ref.range, machines: [] });
    }
  }
  return { machines, keys: [...keys.values()], understood: true };
}

/**
 * Lists of plain strings by their text, with where they were last seen: an edit of one machine's
 * keys re-reads that list only (the refs of an unmoved list are the same objects, so the facts
 * compare equal cheaply). Shared by every matrix; cleared when it grows past the limit.
 */
const plainLists = new Map<string, { at: Position; refs: MatrixKeyRef[] }>();
const MAX_PLAIN_LISTS = 20_000;

/** The text of a `"..."` string the cursor is on when it holds only plain text (else null); the cursor is left where it was. */
function plainString(cursor: TreeCursor): string | null {
  if (!cursor.gotoFirstChild()) return null;
  let text = '';
  let plain = true;
  do {
    if (!cursor.nodeIsNamed) continue;
    if (cursor.nodeType === 'string_fragment') text += cursor.nodeText;
    else plain = false;
  } while (plain && cursor.gotoNextSibling());
  cursor.gotoParent();
  return plain ? text : null;
}

function withSetBindings(set: Node, scope: Scope): Scope {
  const next = new Map(scope);
  for (const { name, rest, value } of namedBindings(set)) if (!rest.length && value) next.set(name, value);
  return next;
}

function bindingValue(set: Node, name: string): Node | null {
  for (const b of bindingsOf(set)) {
    if (b.type !== 'binding') continue;
    const parts = attrPath(b.childForFieldName('attrpath'));
    if (parts.length === 1 && parts[0].name === name) return b.childForFieldName('expression');
  }
  return null;
}

function resolveVar(node: Node | null, scope: Scope): Node | null {
  let n = unparen(node);
  for (let i = 0; n?.type === 'variable_expression' && scope.has(n.text) && i < 20; i++) n = unparen(scope.get(n.text)!);
  return n;
}

function collect(node: Node | null, scope: Scope, depth: number, active: Set<string>, out: MatrixKeyRef[], usedVar: (name: string) => void): void {
  const n = unparen(node);
  if (!n || depth > MAX_DEPTH) return;
  switch (n.type) {
    case 'list_expression': {
      // a list of plain strings (most of a large matrix) read before, at this place or elsewhere
      const text = n.text;
      const start = n.startPosition;
      const known = n.hasError ? undefined : plainLists.get(text);
      if (known) {
        if (known.at.line !== start.row || known.at.character !== start.column) {
          const at = { line: start.row, character: start.column };
          known.refs = known.refs.map((r) => ({ ...r, range: moveRange(r.range, known.at, at) }));
          known.at = at;
        }
        out.push(...known.refs);
        return;
      }
      const before = out.length;
      let plainOnly = true;
      // a cursor over the elements: plain strings are read without a Node each
      const cursor = n.walk();
      try {
        if (!cursor.gotoFirstChild()) return;
        do {
          if (!cursor.nodeIsNamed || cursor.nodeType === 'comment') continue;
          const plain = cursor.nodeType === 'string_expression' ? plainString(cursor) : null;
          if (plain !== null) {
            out.push({ key: plain, range: { start: { line: cursor.startPosition.row, character: cursor.startPosition.column }, end: { line: cursor.endPosition.row, character: cursor.endPosition.column } }, machines: [] });
            continue;
          }
          plainOnly = false;
          const e = cursor.currentNode;
          const s = unparen(e);
          const value = stringValue(s);
          if (value !== null && s) out.push({ key: value, range: rangeOf(s), machines: [] });
          else collect(e, scope, depth + 1, active, out, usedVar);
        } while (cursor.gotoNextSibling());
      } finally {
        cursor.delete();
      }
      // with a syntax error, the same text can parse differently elsewhere: not kept
      if (plainOnly && !n.hasError) {
        if (plainLists.size >= MAX_PLAIN_LISTS) plainLists.clear();
        plainLists.set(text, { at: { line: start.row, character: start.column }, refs: out.slice(before) });
      }
      return;
    }
    case 'binary_expression':
      if (n.childForFieldName('operator')?.text !== '++') return;
      collect(n.childForFieldName('left'), scope, depth + 1, active, out, usedVar);
      return collect(n.childForFieldName('right'), scope, depth + 1, active, out, usedVar);
    case 'variable_expression': {
      const name = n.text;
      if (!scope.has(name) || active.has(name)) return;
      usedVar(name);
      active.add(name);
      collect(scope.get(name)!, scope, depth + 1, active, out, usedVar);
      active.delete(name);
      return;
    }
    case 'let_expression':
      return collect(n.childForFieldName('body'), letScope(n, scope), depth + 1, active, out, usedVar);
    case 'apply_expression': {
      const { fn, args } = applyParts(n);
      const name = dottedName(fn)?.split('.').pop();
      if (name && LIST_FUNCTIONS.has(name)) for (const a of args) collect(a, scope, depth + 1, active, out, usedVar);
      return;
    }
  }
}
