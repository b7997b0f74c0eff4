// Reads the machine matrix (`lib/machine-env-matrix.nix`): machine name -> list of registry keys.
// Keys reach a machine through plain lists, let-bound lists (`sharedCore`), `inherit`, `rec`
// references and `++`; every literal key is recorded once, with all the machines it reaches.
import type { FlatCursor as TreeCursor, FlatNode as Node } from '../syntax/flatTree';
import type { Position } from '../base/types';
import type { MatrixFacts, MatrixKeyRef } from './types';
import { applyParts, dottedName, eachBinding, inheritedNames, MAX_DEPTH, moveRange, nameRefOf, rangeOf, samePosition, stringValue, unparen } from '../syntax/syntax';
import { addKeyRef, Places } from './places';
import { letScope, topLevel, type Scope } from './topLevel';
import { detached, detachStrings } from '../base/detached';

const LIST_FUNCTIONS = new Set(['unique', 'flatten', 'concatLists']);

export function extractMatrix(root: Node): MatrixFacts {
  const top = topLevel(root);
  if (!top) return { machines: [], keys: [], understood: false };
  let sets = top.sets;
  let scope = top.scope;
  const bindings = new Map<Node, SetBindings>();
  const bindingsIn = (set: Node) => bindings.get(set) ?? bindings.set(set, setBindings(set)).get(set)!;
  // `{ envMatrix = { lea = [...]; }; sharedCore = [...]; }`: the machines are under envMatrix.
  for (const set of top.sets) {
    const env = bindingsIn(set).named.find((b) => b.name === 'envMatrix');
    if (!env) continue;
    scope = withSetBindings(bindingsIn(set), scope);
    let v = unparen(env.value);
    if (v?.type === 'let_expression') {
      scope = letScope(v, scope);
      v = unparen(v.childForFieldName('body'));
    }
    if (v?.type === 'attrset_expression' || v?.type === 'rec_attrset_expression') sets = [v];
    else return { machines: [], keys: [], understood: false };
  }

  const helpers = new Set<string>();
  const candidates: { machine: string; value: Node | null; scope: Scope }[] = [];
  for (const set of sets) {
    const { named, inherits } = bindingsIn(set);
    const setScope = set.type === 'rec_attrset_expression' ? withSetBindings(bindingsIn(set), scope) : scope;
    for (const b of inherits) {
      if (b.type === 'inherit') {
        for (const n of inheritedNames(b)) if (n.name !== null) candidates.push({ machine: n.name, value: scope.get(n.name) ?? null, scope });
      } else {
        const from = resolveVar(b.childForFieldName('expression'), scope);
        const fromSet = from && (from.type === 'attrset_expression' || from.type === 'rec_attrset_expression') ? setBindings(from).named : [];
        for (const n of inheritedNames(b)) {
          if (n.name !== null) candidates.push({ machine: n.name, value: fromSet.find((f) => f.name === n.name)?.value ?? null, scope });
        }
      }
    }
    for (const { name, value } of named) candidates.push({ machine: name, value, scope: setScope });
  }

  const perMachine = new Map<string, MatrixKeyRef[]>();
  for (const c of candidates) {
    const refs: MatrixKeyRef[] = [];
    collect(c.value, c.scope, 0, new Set(), refs, (name) => helpers.add(name));
    perMachine.set(c.machine, refs);
  }
  const machines = candidates.map((c) => c.machine).filter((m) => !helpers.has(m));
  // a key is where it is written: one entry per place, with every machine it reaches
  const keys = new Places<MatrixKeyRef>();
  for (const machine of new Set(machines)) {
    for (const ref of perMachine.get(machine) ?? []) addKeyRef(keys, ref.key, ref.range, machine);
  }
  // Keys in helper lists that no machine uses are still worth checking.
  for (const helper of helpers) {
    for (const ref of perMachine.get(helper) ?? []) {
      if (!keys.get(ref.range.start)) keys.set(ref.range.start, { key: ref.key, range: ref.range, machines: [] });
    }
  }
  return { machines, keys: keys.values(), understood: true };
}

/**
 * Lists of plain strings by their text, with where they were seen: an edit of one machine's keys
 * re-reads that list only (the refs of an unmoved list are the same objects, so the facts compare
 * equal cheaply). Several machines may have the same list: each place keeps its own refs, the
 * most recent few per text. Shared by every matrix; cleared when it grows past the limit.
 */
const plainLists = new Map<string, { at: Position; refs: MatrixKeyRef[] }[]>();
const MAX_PLAIN_LISTS = 20_000;
const MAX_PLACES_PER_LIST = 64;

/** The refs of a plain list with this text at `at`: those kept for that place, else those of another place moved there. */
function knownList(text: string, at: Position): MatrixKeyRef[] | undefined {
  const places = plainLists.get(text);
  if (!places) return undefined;
  const here = places.find((p) => samePosition(p.at, at));
  if (here) return here.refs;
  const from = places[places.length - 1];
  const refs = from.refs.map((r) => ({ ...r, range: moveRange(r.range, from.at, at) }));
  rememberList(text, at, refs);
  return refs;
}

function rememberList(text: string, at: Position, refs: MatrixKeyRef[]): void {
  let places = plainLists.get(text);
  if (!places) {
    if (plainLists.size >= MAX_PLAIN_LISTS) plainLists.clear();
    // kept across versions of the file: no view into this version's text (base/detached.ts)
    plainLists.set(detached(text), (places = []));
  }
  detachStrings(refs);
  if (places.length >= MAX_PLACES_PER_LIST) places.shift();
  places.push({ at, refs });
}

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

interface SetBindings {
  /** `name = value;` bindings with a single literal name. */
  named: { name: string; value: Node | null }[];
  /** `inherit ...;` and `inherit (x) ...;` bindings. */
  inherits: Node[];
}

/** The bindings of an attrset, read with one cursor: a matrix has a binding per machine, so no Node is made for a name. */
function setBindings(set: Node): SetBindings {
  const out: SetBindings = { named: [], inherits: [] };
  eachBinding(set, (c) => {
    const type: string = c.nodeType;
    if (type === 'inherit' || type === 'inherit_from') out.inherits.push(c.currentNode);
    else if (type === 'binding') {
      const b = bindingAt(c);
      if (b) out.named.push(b);
    }
  });
  return out;
}

/** The binding the cursor is on when its name is one literal part; the cursor is left on the binding. */
function bindingAt(c: TreeCursor): { name: string; value: Node | null } | null {
  if (!c.gotoFirstChild()) return null;
  let name: string | null = null;
  let value: Node | null = null;
  do {
    const field = c.currentFieldName;
    if (field === 'attrpath') name = singleName(c);
    else if (field === 'expression') value = c.currentNode;
  } while (c.gotoNextSibling());
  c.gotoParent();
  return name === null ? null : { name, value };
}

/** The name of the attrpath the cursor is on when it has one part with a literal name; the cursor is left there. */
function singleName(c: TreeCursor): string | null {
  if (!c.gotoFirstChild()) return null;
  let name: string | null = null;
  let parts = 0;
  do {
    if (!c.nodeIsNamed || c.nodeType === 'comment') continue;
    if (++parts > 1) break;
    name = c.nodeType === 'identifier' ? c.nodeText : nameRefOf(c.currentNode).name;
  } while (c.gotoNextSibling());
  c.gotoParent();
  return parts === 1 ? name : null;
}

function withSetBindings(set: SetBindings, scope: Scope): Scope {
  const next = new Map(scope);
  for (const { name, value } of set.named) if (value) next.set(name, value);
  return next;
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
      const at = { line: start.row, character: start.column };
      const known = n.hasError ? undefined : knownList(text, at);
      if (known) {
        out.push(...known);
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
      if (plainOnly && !n.hasError) rememberList(text, at, out.slice(before));
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
