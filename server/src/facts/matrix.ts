// Reads the machine matrix (`lib/machine-env-matrix.nix`): machine name -> list of registry keys.
// Keys reach a machine through plain lists, let-bound lists (`sharedCore`), `inherit`, `rec`
// references and `++`; every literal key is recorded once, with all the machines it reaches.
import type { FlatCursor as TreeCursor, FlatNode as Node } from '../syntax/flatTree';
import type { Position } from '../base/types';
import type { MatrixFacts, MatrixKeyRef } from './types';
import { applyParts, dottedName, eachBinding, inheritedNames, MAX_DEPTH, moveRange, nameRefOf, rangeOf, samePosition, stringValue, unparen } from '../syntax/syntax';
import { addKeyRef, Places, sameKeyRef } from './places';
import { samePath } from '../base/pathPrefix';
import { letScope, topLevel, type Scope } from './topLevel';
import { detached, detachStrings } from '../base/detached';

const LIST_FUNCTIONS = new Set(['unique', 'flatten', 'concatLists']);

/**
 * `envMatrix` as a text can write it in a name: bare, or quoted with any letter escaped that Nix
 * reads as itself (`"envM\atrix"`; `\n`, `\t` and `\r` are other characters). A backslash before
 * the first letter needs no place in the pattern: the rest of the name still matches.
 */
const ENV_MATRIX = /en\\?v\\?M\\?atr\\?i\\?x/;

/** One binding of the machines' attrset as read: the machines it names and the keys each reaches. */
interface Entry {
  /** The binding's text, a copy of its own (its key in the next version's cache too). */
  text: string;
  start: Position;
  inherit: boolean;
  candidates: { machine: string; refs: MatrixKeyRef[] }[];
  /** The names in scope its values read: a binding of such a name is a helper list, not a machine. */
  used: string[];
  /**
   * For a binding of one machine in a set whose bindings cannot read each other: per ref of that
   * machine, the key as the facts give it where it is written inside the binding (null for a repeat
   * of its place), undefined where it is written outside (a let-bound list, which other machines
   * may reach too). Kept with the binding, so an unchanged binding gives the same objects.
   */
  own?: (MatrixKeyRef | null | undefined)[];
}

/**
 * Per matrix file: its bindings by their text, so that a keystroke re-reads only the binding it
 * changed, and what the last extraction made of the keys written outside them. Dropped when the
 * text around the machines' attrset (the `let` block their lists may refer to) changes.
 */
const caches = new Map<string, { context: string; byText: Map<string, Entry>; outside: Places<MatrixKeyRef>; machines: string[] }>();

/** `text`: the file's text as written, for the cache's keys (see extractRegistry). */
export function extractMatrix(root: Node, file = '', text = root.text): MatrixFacts {
  const top = topLevel(root);
  if (!top) return { machines: [], keys: [], understood: false };
  let sets = top.sets;
  let scope = top.scope;
  // `{ envMatrix = { lea = [...]; }; sharedCore = [...]; }`: the machines are under envMatrix (a
  // name the text has, quoted, escaped or not: a matrix without it is not walked for it on each keystroke).
  for (const set of ENV_MATRIX.test(text) ? top.sets : []) {
    const env = envMatrix(set);
    if (!env) continue;
    scope = withSetBindings(setBindings(set), scope);
    let v = unparen(env.value);
    if (v?.type === 'let_expression') {
      scope = letScope(v, scope);
      v = unparen(v.childForFieldName('body'));
    }
    if (v?.type === 'attrset_expression' || v?.type === 'rec_attrset_expression') sets = [v];
    else return { machines: [], keys: [], understood: false };
  }

  // A binding's keys depend on its text and on the text around the set (what its names refer to),
  // unless the set is `rec` or has a syntax error (the same text can parse differently elsewhere).
  const set = sets.length === 1 && sets[0].type === 'attrset_expression' && !root.hasError ? sets[0] : null;
  const context = set && file ? `${text.slice(0, set.startIndex)}\0${set.endPosition.row}:${set.endPosition.column}\0${text.slice(set.endIndex)}` : null;
  const previous = caches.get(file);
  const reuse = context !== null && previous?.context === context ? previous.byText : undefined;
  const next = new Map<string, Entry>();
  /** The last version's entries by where they start: made when a binding was edited. */
  let earlier: Places<Entry> | undefined;

  const ordered: Entry[] = [];
  for (const s of sets) {
    const setScope = s.type === 'rec_attrset_expression' ? withSetBindings(setBindings(s), scope) : scope;
    const named: Entry[] = [];
    eachBinding(s, (c) => {
      const type: string = c.nodeType;
      if (type !== 'binding' && type !== 'inherit' && type !== 'inherit_from') return;
      const bindingText = text.slice(c.startIndex, c.endIndex);
      const start = { line: c.startPosition.row, character: c.startPosition.column };
      const hit = reuse?.get(bindingText);
      let entry = hit && samePosition(hit.start, start) ? hit : undefined;
      if (!entry) {
        entry = readEntry(c, hit?.text ?? detached(bindingText), start, scope, setScope, context !== null);
        if (reuse && entry.own) keepEqualKeys(entry.own, (earlier ??= entriesByStart(reuse)).get(start)?.own);
      }
      next.set(entry.text, entry);
      // inherited machines come before the set's own, as a set's bindings are read
      (entry.inherit ? ordered : named).push(entry);
    });
    ordered.push(...named);
  }

  const helpers = new Set<string>();
  for (const e of ordered) for (const name of e.used) helpers.add(name);
  // a machine named twice: the keys of its last binding
  const perMachine = new Map<string, { entry: Entry; refs: MatrixKeyRef[] }>();
  for (const entry of ordered) for (const { machine, refs } of entry.candidates) perMachine.set(machine, { entry, refs });
  const names = ordered.flatMap((e) => e.candidates.map((c) => c.machine)).filter((m) => !helpers.has(m));
  const machines = previous && samePath(previous.machines, names) ? previous.machines : names;
  // a key is where it is written: one entry per place, with every machine it reaches
  const keys: MatrixKeyRef[] = [];
  const outside = new Places<MatrixKeyRef>();
  const made: number[] = [];
  const reach = (ref: MatrixKeyRef, machine: string) => {
    const k = addKeyRef(outside, ref.key, ref.range, machine);
    if (k) made.push(keys.push(k) - 1);
  };
  for (const machine of new Set(machines)) {
    const { entry, refs } = perMachine.get(machine)!;
    const own = entry.candidates.length === 1 ? entry.own : undefined;
    for (let i = 0; i < refs.length; i++) {
      const o = own?.[i];
      if (o) keys.push(o);
      else if (o === undefined) reach(refs[i], machine);
    }
  }
  // Keys in helper lists that no machine uses are still worth checking.
  for (const helper of helpers) {
    for (const ref of perMachine.get(helper)?.refs ?? []) {
      if (outside.get(ref.range.start)) continue;
      const k = { key: ref.key, range: ref.range, machines: [] };
      outside.set(ref.range.start, k);
      made.push(keys.push(k) - 1);
    }
  }
  // the keys made anew that equal the last extraction's: its objects
  const kept = new Places<MatrixKeyRef>();
  for (const i of made) {
    const was = previous?.outside.get(keys[i].range.start);
    if (was && sameKeyRef(was, keys[i])) keys[i] = was;
    kept.set(keys[i].range.start, keys[i]);
  }
  if (context !== null) caches.set(file, { context, byText: next, outside: kept, machines });
  else caches.delete(file);
  return { machines, keys, understood: true };
}

function entriesByStart(entries: Map<string, Entry>): Places<Entry> {
  const byStart = new Places<Entry>();
  for (const e of entries.values()) if (!byStart.get(e.start)) byStart.set(e.start, e);
  return byStart;
}

/**
 * In a binding read again (its text changed), the keys equal to those the binding had where it
 * started the same: the last version's objects, so that a keystroke in one key of a machine's list
 * changes that key alone for what compares the keys by identity (the machine model, the merge with
 * the evaluated matrix).
 */
function keepEqualKeys(own: (MatrixKeyRef | null | undefined)[], was: (MatrixKeyRef | null | undefined)[] | undefined): void {
  if (!was?.length) return;
  const byStart = new Places<MatrixKeyRef>();
  for (const r of was) if (r && !byStart.get(r.range.start)) byStart.set(r.range.start, r);
  for (let i = 0; i < own.length; i++) {
    const r = own[i];
    const old = r && byStart.get(r.range.start);
    if (old && sameKeyRef(old, r)) own[i] = old;
  }
}

/** Forgets the bindings kept for a matrix file (when it is closed or deleted). */
export function forgetMatrixCache(file: string): void {
  caches.delete(file);
}

/**
 * Reads the binding the cursor is on. `own`: the entry is kept, and its set's bindings cannot read
 * each other, so the keys written inside it are its machine's alone (made once, for every version
 * of the file with this binding).
 */
function readEntry(c: TreeCursor, text: string, start: Position, scope: Scope, setScope: Scope, own: boolean): Entry {
  const used = new Set<string>();
  const candidates: { machine: string; value: Node | null; scope: Scope }[] = [];
  const type: string = c.nodeType;
  if (type === 'inherit') {
    for (const n of inheritedNames(c.currentNode)) if (n.name !== null) candidates.push({ machine: n.name, value: scope.get(n.name) ?? null, scope });
  } else if (type === 'inherit_from') {
    const b = c.currentNode;
    const from = inheritSource(b.childForFieldName('expression'), scope);
    for (const n of inheritedNames(b)) if (n.name !== null) candidates.push(inheritedFrom(from, n.name, scope));
  } else {
    const b = bindingAt(c);
    if (b) candidates.push({ machine: b.name, value: b.value, scope: setScope });
  }
  const read = candidates.map(({ machine, value, scope: s }) => {
    const refs: MatrixKeyRef[] = [];
    collect(value, s, 0, new Set(), refs, (name) => used.add(name));
    return { machine, refs };
  });
  const entry: Entry = { text, start, inherit: type !== 'binding', candidates: read, used: [...used] };
  // kept across versions of the file: no view into this version's text (base/detached.ts)
  detachStrings(entry.candidates);
  detachStrings(entry.used);
  if (own && entry.candidates.length === 1) {
    const end = { line: c.endPosition.row, character: c.endPosition.column };
    const { machine, refs } = entry.candidates[0];
    const seen = new Places<true>();
    entry.own = refs.map((r) => {
      if (before(r.range.start, start) || before(end, r.range.start)) return undefined;
      if (seen.get(r.range.start)) return null;
      seen.set(r.range.start, true);
      return { key: r.key, range: r.range, machines: [machine] };
    });
  }
  return entry;
}

const before = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character < b.character);

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
  /** `inherit ...;` bindings (an `inherit (x) ...;` in the set is not read). */
  inherits: Node[];
}

/** The bindings of an attrset, read with one cursor: a matrix has a binding per machine, so no Node is made for a name. */
function setBindings(set: Node): SetBindings {
  const out: SetBindings = { named: [], inherits: [] };
  eachBinding(set, (c) => {
    const type: string = c.nodeType;
    if (type === 'inherit') out.inherits.push(c.currentNode);
    else if (type === 'binding') {
      const b = bindingAt(c);
      if (b) out.named.push(b);
    }
  });
  return out;
}

/** The set's first `envMatrix = ...;` binding, if it has one (a Node for that binding alone). */
function envMatrix(set: Node): { value: Node | null } | null {
  let found: { value: Node | null } | null = null;
  eachBinding(set, (c) => {
    if (!found && c.nodeType === 'binding') found = bindingAt(c, 'envMatrix');
  });
  return found;
}

/** The binding the cursor is on when its name is one literal part (`only`: and that name); the cursor is left on the binding. */
function bindingAt(c: TreeCursor, only?: string): { name: string; value: Node | null } | null {
  if (!c.gotoFirstChild()) return null;
  let name: string | null = null;
  let value: Node | null = null;
  do {
    const field = c.currentFieldName;
    if (field === 'attrpath') {
      name = singleName(c);
      if (only !== undefined && name !== only) break;
    } else if (field === 'expression') value = c.currentNode;
  } while (c.gotoNextSibling());
  c.gotoParent();
  return name === null || (only !== undefined && name !== only) ? null : { name, value };
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

/** The set an `inherit (x)` reads its attributes from. */
interface Source {
  bindings: SetBindings;
  /** Where the set is written: what its `inherit name;` reads. */
  outer: Scope;
  /** What its values read: `outer`, with its own bindings for a rec set. */
  inner: Scope;
}

/**
 * The set x is, in `inherit (x) ...;`: through parentheses, let-bound names and `let ... in`, at most
 * 20 steps of those (so a cycle of names ends); null when it is no set within them.
 */
function inheritSource(node: Node | null, scope: Scope): Source | null {
  let n = unparen(node);
  for (let i = 0; n && i < 20; i++) {
    if (n.type === 'variable_expression' && scope.has(n.text)) n = unparen(scope.get(n.text)!);
    else if (n.type === 'let_expression') {
      scope = letScope(n, scope);
      n = unparen(n.childForFieldName('body'));
    } else break;
  }
  if (n?.type !== 'attrset_expression' && n?.type !== 'rec_attrset_expression') return null;
  const bindings = setBindings(n);
  return { bindings, outer: scope, inner: n.type === 'rec_attrset_expression' ? withSetBindings(bindings, scope) : scope };
}

/**
 * The machine of `inherit (x) machine;`: its value, a `machine = ...;` or an `inherit machine;` of
 * x's set, with the scope that value reads; null where it is not known.
 */
function inheritedFrom(from: Source | null, machine: string, scope: Scope): { machine: string; value: Node | null; scope: Scope } {
  const own = from?.bindings.named.find((f) => f.name === machine);
  if (own) return { machine, value: own.value, scope: from!.inner };
  const inherited = from?.bindings.inherits.some((i) => inheritedNames(i).some((n) => n.name === machine));
  return inherited ? { machine, value: from!.outer.get(machine) ?? null, scope: from!.outer } : { machine, value: null, scope };
}

/**
 * The keys `node` reaches (lists, `++`, let-bound names, `let ... in`, lib.flatten, unique and
 * concatLists), added to `out`; `usedVar` is told each name of the scope it reads. A part more than
 * MAX_DEPTH steps deep is not read, so pathological text ends quickly.
 */
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
