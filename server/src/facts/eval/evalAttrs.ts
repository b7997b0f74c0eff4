// Attribute sets, `rec` sets and `let` blocks: nested attrpaths (`a.b.c = 1` and merges with
// `a = { ... }`), dynamic names (`${x} = ...`, null names are dropped), `inherit` and
// `inherit (from)`. A dynamic name we cannot know leaves the set "open" rather than unknown.
import type { SNode } from './ast';
import type { Context } from './context';
import { directVariable, evalNode, lazy, locOf, lookup, siblingAlias, type Src } from './evalNode';
import { evalString } from './evalStrings';
import { Scope, Thunk } from './thunk';
import { mkAttrs, mkString, NixError, typeError, unknown, type AttrsValue, type Loc, type Value } from './values';

type Member =
  | { k: 'expr'; node: SNode; nameLoc: Loc }
  | { k: 'inherit'; name: string; from: Thunk | null; nameLoc: Loc }
  | { k: 'group'; group: Group; nameLoc: Loc };

interface Group {
  statics: Map<string, Member>;
  dynamics: { nameNode: SNode; member: Member }[];
  /** The statics' name locations, once built (only for groups taken from the cache). */
  nameLocs?: Map<string, Loc>;
}

/**
 * The groups of sets and lets whose members depend on their syntax only (no `inherit (e)`, whose
 * thunk belongs to one scope), per node, for the file they were read as. A function called once
 * per machine (a registry imported inside the generators function) reads the same set again and
 * again; its members need not be collected every time.
 */
function groupOf(ctx: Context, node: SNode, scope: Scope, src: Src, inheritScope: () => Scope): Group {
  const hit = node.group as { file: string; group: Group } | undefined;
  if (hit && hit.file === src.file) return hit.group;
  const group = collect(ctx, bindings(node), scope, src, { statics: new Map(), dynamics: [] }, inheritScope);
  if (syntaxOnly(group)) {
    group.nameLocs = new Map([...group.statics].map(([name, m]) => [name, m.nameLoc]));
    node.group = { file: src.file, group };
  }
  return group;
}

function syntaxOnly(g: Group): boolean {
  const ok = (m: Member): boolean => (m.k === 'inherit' ? m.from === null : m.k === 'group' ? syntaxOnly(m.group) : true);
  for (const m of g.statics.values()) if (!ok(m)) return false;
  for (const d of g.dynamics) if (!ok(d.member)) return false;
  return true;
}

/** The name an attr in an attrpath stands for: a string, null (dynamic, dropped), or unknown. */
export function attrName(ctx: Context, attr: SNode, scope: Scope, src: Src): Value {
  if (attr.type === 'identifier') return mkString(attr.text, locOf(src, attr));
  if (attr.type === 'string_expression') return evalString(ctx, attr, scope, src);
  if (attr.type === 'interpolation') return evalNode(ctx, attr.fields.expression ?? attr.children[0], scope, src);
  return unknown(`cannot evaluate ${attr.type}`, locOf(src, attr));
}

function staticName(attr: SNode): string | null {
  if (attr.type === 'identifier') return attr.text;
  if (attr.type === 'string_expression' && attr.children.every((c) => c.type === 'string_fragment')) {
    return attr.children.map((c) => c.text).join('');
  }
  return null;
}

const isPlainSet = (n: SNode) => n.type === 'attrset_expression';

function bindings(node: SNode): SNode[] {
  const set = node.children.find((c) => c.type === 'binding_set');
  return set ? set.children : [];
}

/** Collects the bindings of a set or let into a tree of members, without evaluating anything. */
function collect(ctx: Context, nodes: SNode[], scope: Scope, src: Src, group: Group, inheritScope: () => Scope): Group {
  for (const b of nodes) {
    if (b.type === 'binding') {
      const path = b.fields.attrpath?.children ?? [];
      const expr = b.fields.expression;
      if (!path.length || !expr) continue;
      addPath(ctx, group, path, { k: 'expr', node: expr, nameLoc: locOf(src, path[path.length - 1]) }, src, scope, inheritScope);
    } else if (b.type === 'inherit' || b.type === 'inherit_from') {
      const fromNode = b.type === 'inherit_from' ? b.fields.expression : undefined;
      // `inherit (e) a b;` evaluates e once; e sees the set's own scope (rec/let).
      const from = fromNode ? new Thunk(() => evalNode(ctx, fromNode, inheritScope(), src)) : null;
      for (const a of b.fields.attrs?.children ?? []) {
        const name = staticName(a);
        if (name === null) continue;
        addMember(group, name, { k: 'inherit', name, from, nameLoc: locOf(src, a) }, locOf(src, a), ctx, src, scope, inheritScope);
      }
    }
  }
  return group;
}

function addPath(ctx: Context, group: Group, path: SNode[], leaf: Member, src: Src, scope: Scope, inheritScope: () => Scope): void {
  let g = group;
  for (let i = 0; i < path.length; i++) {
    const attr = path[i];
    const last = i === path.length - 1;
    const name = staticName(attr);
    const member: Member = last ? leaf : { k: 'group', group: { statics: new Map(), dynamics: [] }, nameLoc: locOf(src, attr) };
    if (name === null) {
      g.dynamics.push({ nameNode: attr, member });
      if (last) return;
      g = (member as { group: Group }).group;
      continue;
    }
    const existing = g.statics.get(name);
    if (!existing) {
      g.statics.set(name, member);
      if (last) return;
      g = (member as { group: Group }).group;
      continue;
    }
    // Merge with an earlier definition when both sides are attribute sets.
    const target = asGroup(ctx, existing, src, scope, inheritScope);
    if (!target) throw new NixError('error', `attribute '${name}' already defined`, locOf(src, attr));
    g.statics.set(name, { k: 'group', group: target, nameLoc: existing.nameLoc });
    if (last) {
      if (leaf.k === 'expr' && isPlainSet(leaf.node)) collect(ctx, bindings(leaf.node), scope, src, target, inheritScope);
      else throw new NixError('error', `attribute '${name}' already defined`, locOf(src, attr));
      return;
    }
    g = target;
  }
}

function asGroup(ctx: Context, m: Member, src: Src, scope: Scope, inheritScope: () => Scope): Group | null {
  if (m.k === 'group') return m.group;
  if (m.k === 'expr' && isPlainSet(m.node)) return collect(ctx, bindings(m.node), scope, src, { statics: new Map(), dynamics: [] }, inheritScope);
  return null;
}

function addMember(group: Group, name: string, m: Member, loc: Loc, ctx: Context, src: Src, scope: Scope, inheritScope: () => Scope): void {
  if (group.statics.has(name)) throw new NixError('error', `attribute '${name}' already defined`, loc);
  void ctx;
  void src;
  void scope;
  void inheritScope;
  group.statics.set(name, m);
}

/** Turns a member into a thunk; `valueScope` is where expressions are evaluated. */
function memberThunk(ctx: Context, m: Member, valueScope: Scope, outer: Scope, src: Src, loc: Loc): Thunk {
  switch (m.k) {
    case 'expr':
      return lazy(ctx, m.node, valueScope, src);
    case 'inherit':
      // `inherit x;` refers to the binding of x, as a variable does (see lazy)
      if (!m.from) return outer.lexical(m.name) ?? ctx.globals.lexical(m.name) ?? new Thunk(() => lookup(ctx, m.name, outer, m.nameLoc));
      return new Thunk(() => {
        const from = m.from!.force(ctx, m.nameLoc);
        if (from.t === 'unknown') return from;
        if (from.t !== 'attrs') throw typeError('a set', from, m.nameLoc);
        const hit = from.attrs.get(m.name);
        if (!hit) return from.open ? unknown(`attribute '${m.name}' may exist`, m.nameLoc) : missing(m.name, m.nameLoc);
        return hit.force(ctx, m.nameLoc);
      });
    case 'group':
      return new Thunk(() => instantiate(ctx, m.group, valueScope, valueScope, src, m.nameLoc, null));
  }
}

function missing(name: string, loc: Loc): never {
  throw new NixError('error', `attribute '${name}' missing`, loc);
}

/**
 * The attributes of a set whose static members become thunks when first asked for: a function
 * returning a large set (a registry of 2,000 entries, applied once per machine) costs what its
 * callers read of it. Iterating makes every member, in the order a plain Map would hold them
 * (the statics as written, then what was added), so the laziness cannot be observed.
 */
class LazyMembers extends Map<string, Thunk> {
  /** Names set that are not statics, in the order they were set. */
  private added: string[] | null = null;
  private complete = false;

  // what memberThunk needs, as fields rather than a closure: a registry evaluation makes ~100,000 of these
  constructor(
    private readonly statics: Map<string, Member>,
    private readonly ctx: Context,
    private readonly valueScope: Scope,
    private readonly outer: Scope,
    private readonly src: Src,
    private readonly loc: Loc,
  ) {
    super();
  }

  override get(name: string): Thunk | undefined {
    const made = super.get(name);
    if (made !== undefined || this.complete) return made;
    const m = this.statics.get(name);
    if (!m) return undefined;
    const t = memberThunk(this.ctx, m, this.valueScope, this.outer, this.src, this.loc);
    super.set(name, t);
    return t;
  }

  override has(name: string): boolean {
    return super.has(name) || (!this.complete && this.statics.has(name));
  }

  override set(name: string, value: Thunk): this {
    if (!this.complete && !this.statics.has(name) && !super.has(name)) (this.added ??= []).push(name);
    super.set(name, value);
    return this;
  }

  override get size(): number {
    return this.complete ? super.size : this.statics.size + (this.added?.length ?? 0);
  }

  override delete(name: string): boolean {
    this.makeAll();
    return super.delete(name);
  }

  override clear(): void {
    this.complete = true;
    super.clear();
  }

  override keys(): MapIterator<string> {
    this.makeAll();
    return super.keys();
  }

  override values(): MapIterator<Thunk> {
    this.makeAll();
    return super.values();
  }

  override entries(): MapIterator<[string, Thunk]> {
    this.makeAll();
    return super.entries();
  }

  override forEach(fn: (value: Thunk, key: string, map: Map<string, Thunk>) => void, thisArg?: unknown): void {
    this.makeAll();
    super.forEach(fn, thisArg);
  }

  override [Symbol.iterator](): MapIterator<[string, Thunk]> {
    return this.entries();
  }

  /** Makes every member, then holds them in plain insertion order. */
  private makeAll(): void {
    if (this.complete) return;
    const added = this.added;
    // the members made so far came in the statics' order (none, often): the rest go after them
    let inOrder = added === null;
    if (inOrder) {
      const statics = this.statics.keys();
      for (const made of super.keys()) {
        if (statics.next().value === made) continue;
        inOrder = false;
        break;
      }
    }
    if (inOrder) {
      for (const name of this.statics.keys()) this.get(name);
      this.complete = true;
      return;
    }
    const thunks: Thunk[] = [];
    for (const name of this.statics.keys()) thunks.push(this.get(name)!);
    for (const name of added ?? []) thunks.push(super.get(name)!);
    this.complete = true;
    super.clear();
    let i = 0;
    for (const name of this.statics.keys()) super.set(name, thunks[i++]);
    for (const name of added ?? []) super.set(name, thunks[i++]);
  }
}

/**
 * Builds the attrset value of a group: its statics made when asked for, or, for a rec set,
 * `filled` (the thunks it shares with its scope).
 */
function instantiate(ctx: Context, g: Group, valueScope: Scope, outer: Scope, src: Src, loc: Loc, filled: Map<string, Thunk> | null): AttrsValue {
  const attrs = filled ?? new LazyMembers(g.statics, ctx, valueScope, outer, src, loc);
  // a cached group's name locations are shared (read only) while no dynamic name adds to them
  const nameLocs = g.nameLocs && g.dynamics.length === 0 ? g.nameLocs : new Map<string, Loc>(g.nameLocs ?? [...g.statics].map(([name, m]) => [name, m.nameLoc]));
  const set = mkAttrs(attrs, loc);
  set.nameLocs = nameLocs;
  for (const d of g.dynamics) {
    const name = attrName(ctx, d.nameNode, valueScope, src);
    if (name.t === 'null') continue;
    if (name.t === 'unknown') {
      set.open = true;
      continue;
    }
    if (name.t !== 'string') throw typeError('a string', name, locOf(src, d.nameNode));
    if (attrs.has(name.v)) throw new NixError('error', `dynamic attribute '${name.v}' already defined`, locOf(src, d.nameNode));
    attrs.set(name.v, memberThunk(ctx, d.member, valueScope, outer, src, loc));
    nameLocs.set(name.v, name.loc ?? locOf(src, d.nameNode));
  }
  return set;
}

export function evalAttrset(ctx: Context, node: SNode, scope: Scope, src: Src): Value {
  const loc = locOf(src, node);
  const isRec = node.type !== 'attrset_expression';
  if (!isRec) {
    const g = groupOf(ctx, node, scope, src, () => scope);
    return instantiate(ctx, g, scope, scope, src, loc, null);
  }
  const vars = new Map<string, Thunk>();
  const recScope = new Scope(scope, vars);
  const g = groupOf(ctx, node, recScope, src, () => recScope);
  fillBindings(ctx, g, vars, recScope, scope, src, loc);
  const set = instantiate(ctx, g, recScope, scope, src, loc, new Map(vars));
  if (node.type === 'let_attrset_expression') {
    const body = set.attrs.get('body');
    if (!body) throw new NixError('error', "attribute 'body' missing", loc);
    return body.force(ctx, loc);
  }
  return set;
}

/** The scope a `let` block's body sees. */
export function evalLet(ctx: Context, node: SNode, scope: Scope, src: Src): Scope {
  const vars = new Map<string, Thunk>();
  const letScope = new Scope(scope, vars);
  const g = groupOf(ctx, node, letScope, src, () => letScope);
  if (g.dynamics.length) throw new NixError('error', 'dynamic attributes not allowed in let', locOf(src, node));
  fillBindings(ctx, g, vars, letScope, scope, src, locOf(src, node));
  return letScope;
}

/** The thunks of a `let` or `rec` set's bindings; one that is only a sibling's name forwards to it. */
function fillBindings(ctx: Context, g: Group, vars: Map<string, Thunk>, inner: Scope, outer: Scope, src: Src, loc: Loc): void {
  for (const [name, m] of g.statics) {
    const sibling = m.k === 'expr' ? directVariable(m.node) : null;
    if (sibling === null || !g.statics.has(sibling)) vars.set(name, memberThunk(ctx, m, inner, outer, src, loc));
  }
  for (const [name, m] of g.statics) {
    const sibling = m.k === 'expr' ? directVariable(m.node) : null;
    if (sibling !== null && g.statics.has(sibling)) vars.set(name, siblingAlias(ctx, sibling, vars, inner, (m as { nameLoc: Loc }).nameLoc));
  }
}
