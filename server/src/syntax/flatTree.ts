// A tree-sitter tree read straight out of wasm memory, for the walks that read a file's facts.
// Reading a web-tree-sitter Node costs a call into wasm and a copy of the node each time (its
// type, a field, its children, its position): about as much as parsing, for the walks the facts
// need; tree-sitter's own cursor, called from wasm, still costs ~140 ns a node. Here the tree's
// subtrees are read where tree-sitter keeps them, by the layout of the pinned runtime
// (web-tree-sitter 0.25, lib/subtree.h, lib/tree.h and lib/parser.h in its package), and turned
// into the nodes a Node or TreeCursor shows (hidden subtrees flattened, aliases, fields) with the
// rules of its lib/node.c and lib/tree_cursor.c: a node's children when they are first asked for
// (reading all of a 134,000-node registry costs 14 ms, and a keystroke's extraction asks for 4,000
// of them). FlatNode and FlatCursor answer from those numbers and the text in plain JS, with the
// members of Node and TreeCursor the extraction uses and the same answers, whatever order they
// are asked in: test/unit/flat-tree.test.ts compares both on every node of the corpus.
import type { Language, Tree } from 'web-tree-sitter';
import { LineIndex } from '../base/lineIndex';

export interface Point {
  row: number;
  column: number;
}

/** tree-sitter's ERROR symbol (ts_builtin_sym_error). */
const ERROR = 0xffff;
const NAMED = 1;
const MISSING = 2;
const HAS_ERROR = 4;

// TSLanguage (lib/parser.h; the grammar's ABI 13 shares this prefix): byte offsets on wasm32
const LANG_SYMBOL_COUNT = 4;
const LANG_ALIAS_COUNT = 8;
const LANG_PRODUCTION_ID_COUNT = 28;
const LANG_FIELD_COUNT = 32;
const LANG_MAX_ALIAS_SEQUENCE_LENGTH = 36;
const LANG_FIELD_MAP_SLICES = 64;
const LANG_FIELD_MAP_ENTRIES = 68;
const LANG_SYMBOL_METADATA = 72;
const LANG_PUBLIC_SYMBOL_MAP = 76;
const LANG_ALIAS_SEQUENCES = 84;
// SubtreeHeapData (lib/subtree.h): byte offsets
const HEAP_PADDING_BYTES = 4;
const HEAP_SIZE_BYTES = 16;
const HEAP_ERROR_COST = 32;
const HEAP_CHILD_COUNT = 36;
const HEAP_SYMBOL = 40;
const HEAP_FLAGS = 44; // visible 1, named 2, extra 4; the next byte: is_missing 2
const HEAP_VISIBLE_DESCENDANT_COUNT = 56;
const HEAP_PRODUCTION_ID = 66;
// SubtreeInlineData: byte 0 is_inline 1, visible 2, named 4, extra 8, is_missing 32; byte 1 the
// symbol; byte 6 the padding's bytes; byte 7 the size's bytes. A Subtree is 8 bytes.

/** Reads trees out of tree-sitter's wasm memory (one per NixParser: one language). */
export class TreeFlattener {
  /** Per symbol (aliases included): its public symbol, and whether it is named. */
  private readonly publicSymbol: Uint16Array;
  private readonly namedSymbol: Uint8Array;
  /** Per production: its aliases (max_alias_sequence_length each; 0: none). */
  private readonly aliases: Uint16Array;
  private readonly aliasLength: number;
  /** Per production: where its field map starts and ends in fieldMap. */
  private readonly fieldSlices: Uint16Array;
  /** Field map entries, 3 numbers each: field id, child index, inherited. */
  private readonly fieldMap: Uint16Array;
  private readonly types: string[];
  readonly fieldNames: (string | null)[];
  private readonly fieldIds = new Map<string, number>();
  private u8 = new Uint8Array(0);
  private u16 = new Uint16Array(0);
  private u32 = new Uint32Array(0);

  constructor(
    private readonly memory: WebAssembly.Memory,
    language: Language,
  ) {
    this.view();
    const l = (language as unknown as Record<number, number>)[0];
    const word = (offset: number) => this.u32[(l + offset) >> 2];
    const symbols = word(LANG_SYMBOL_COUNT) + word(LANG_ALIAS_COUNT);
    const productions = word(LANG_PRODUCTION_ID_COUNT);
    const fields = word(LANG_FIELD_COUNT);
    this.types = language.types.map((t) => t ?? '');
    this.fieldNames = language.fields.map((f) => f ?? null);
    // the layout is that of the runtime this was written for: its tables must match what the runtime says
    if (symbols !== language.types.length || fields + 1 !== language.fields.length) {
      throw new Error(`web-tree-sitter's language layout is not the one the tree reader knows (${symbols} symbols for ${language.types.length} types, ${fields} fields for ${language.fields.length - 1}): see server/src/syntax/flatTree.ts`);
    }
    this.aliasLength = this.u16[(l + LANG_MAX_ALIAS_SEQUENCE_LENGTH) >> 1];
    const metadata = word(LANG_SYMBOL_METADATA);
    const publicMap = word(LANG_PUBLIC_SYMBOL_MAP);
    this.publicSymbol = this.u16.slice(publicMap >> 1, (publicMap >> 1) + symbols);
    this.namedSymbol = new Uint8Array(symbols);
    for (let s = 0; s < symbols; s++) this.namedSymbol[s] = this.u8[metadata + 3 * s + 1];
    const aliasAt = word(LANG_ALIAS_SEQUENCES);
    this.aliases = aliasAt ? this.u16.slice(aliasAt >> 1, (aliasAt >> 1) + productions * this.aliasLength) : new Uint16Array(productions * this.aliasLength);
    this.fieldSlices = new Uint16Array(productions * 2);
    const entries: number[] = [];
    if (fields > 0) {
      const slices = word(LANG_FIELD_MAP_SLICES);
      const mapAt = word(LANG_FIELD_MAP_ENTRIES);
      for (let p = 0; p < productions; p++) {
        const index = this.u16[(slices >> 1) + 2 * p];
        const length = this.u16[(slices >> 1) + 2 * p + 1];
        this.fieldSlices[2 * p] = entries.length / 3;
        for (let k = 0; k < length; k++) {
          const e = mapAt + 4 * (index + k);
          entries.push(this.u16[e >> 1], this.u8[e + 2], this.u8[e + 3]);
        }
        this.fieldSlices[2 * p + 1] = entries.length / 3;
      }
    }
    this.fieldMap = Uint16Array.from(entries);
    for (let i = 0; i < language.types.length; i++) if (language.types[i] && language.nodeTypeIsNamed(i) !== (this.namedSymbol[i] === 1)) {
      throw new Error(`web-tree-sitter's symbol table is not the one the tree reader knows (${language.types[i]}): see server/src/syntax/flatTree.ts`);
    }
    language.fields.forEach((f, id) => f && this.fieldIds.set(f, id));
  }

  /** Views of the memory, again when it grew (growing detaches the old buffer: its views read as empty). */
  private view(): void {
    if (this.u8.length !== 0) return;
    const buffer = this.memory.buffer;
    this.u8 = new Uint8Array(buffer);
    this.u16 = new Uint16Array(buffer);
    this.u32 = new Uint32Array(buffer);
  }

  /** The nodes of `tree` (parsed from `text`), as web-tree-sitter shows them, read as they are asked for. */
  flatten(tree: Tree, text: string): FlatTree {
    this.view();
    const root = (tree as unknown as Record<number, number>)[0]; // TSTree: its root Subtree first
    const heap = this.u8[root] & 1 ? 0 : this.u32[root >> 2];
    // every node the tree has: its root and the root's visible descendants
    const nodes = 1 + (heap && this.u32[(heap + HEAP_CHILD_COUNT) >> 2] ? this.u32[(heap + HEAP_VISIBLE_DESCENDANT_COUNT) >> 2] : 0);
    const t = new FlatTree(this, tree, text, nodes);
    this.write(t, 0, root, heap ? this.u32[(heap + HEAP_PADDING_BYTES) >> 2] : this.u8[root + 6], 0, 0, -1);
    return t;
  }

  /**
   * Reads the children of node `i` of `t` (its subtree's children, and those of the hidden
   * subtrees among them, in order) as the nodes from t.size on.
   */
  expand(t: FlatTree, i: number): void {
    if ((t.source as unknown as Record<number, number>)[0] === 0) throw new Error('a syntax tree was read after it was deleted');
    this.view();
    const { u8, u32, aliases, aliasLength } = this;
    const subtree = t.sub[i];
    const first = t.size;
    const own = u8[subtree] & 1 ? 0 : u32[subtree >> 2];
    if (!own || !u32[(own + HEAP_CHILD_COUNT) >> 2]) {
      t.first[i] = -1;
      t.count[i] = 0;
      return;
    }
    // The subtrees whose children are being read, depth first (a stack of frames, one number of
    // each kind per frame): where the children are, how many, the next one, the next structural
    // number (extras have none), the byte position, the production, and for a hidden subtree
    // (whose children are the node's) its own structural number, or -2 when it is an extra (for
    // fields: found as the cursor finds them). No closure here: variables a closure writes live
    // on the heap, and this loop is hot.
    let f = this.frames;
    let top = 0;
    f = this.push(f, top, own, t.start[i] << 1, VISIBLE);
    while (top >= 0) {
      const next = f.next[top];
      if (next === f.count[top]) {
        top--;
        continue;
      }
      f.next[top] = next + 1;
      const child = f.children[top] + 8 * next;
      const inline = u8[child] & 1;
      const heap = inline ? 0 : u32[child >> 2];
      const flags = inline ? u8[child] >> 1 : u8[heap + HEAP_FLAGS]; // visible 1, named 2, extra 4
      const extra = flags & 4;
      let alias = 0;
      const structural = f.structural[top];
      if (!extra) {
        const production = f.production[top];
        if (production && aliasLength) alias = aliases[production * aliasLength + structural];
        f.structural[top] = structural + 1;
      }
      let start = f.position[top];
      if (next > 0) start += inline ? u8[child + 6] : u32[(heap + HEAP_PADDING_BYTES) >> 2];
      f.position[top] = start + (inline ? u8[child + 7] : u32[(heap + HEAP_SIZE_BYTES) >> 2]);
      if (flags & 1 || alias) this.write(t, t.size, child, start, alias, extra ? 0 : this.fieldOf(top, structural), i);
      else if (heap && u32[(heap + HEAP_CHILD_COUNT) >> 2]) f = this.push(f, ++top, heap, start, extra ? EXTRA : structural);
    }
    t.first[i] = t.size > first ? first : -1;
    t.count[i] = t.size - first;
  }

  /** Adds node `n` to `t`: the subtree at `subtree`, starting at byte `start`, shown as `alias` (0: itself), a child of `parent`. */
  private write(t: FlatTree, n: number, subtree: number, start: number, alias: number, field: number, parent: number): void {
    const { u8, u16, u32 } = this;
    if (n === t.capacity) t.grow();
    const inline = u8[subtree] & 1;
    const heap = inline ? 0 : u32[subtree >> 2];
    const symbol = inline ? u8[subtree + 1] : u16[(heap + HEAP_SYMBOL) >> 1];
    const size = inline ? u8[subtree + 7] : u32[(heap + HEAP_SIZE_BYTES) >> 2];
    const shown = alias || symbol;
    t.type[n] = shown === ERROR ? ERROR : this.publicSymbol[shown];
    t.field[n] = field;
    t.start[n] = start >>> 1;
    t.end[n] = (start + size) >>> 1;
    t.parent[n] = parent;
    t.sub[n] = subtree;
    t.first[n] = UNREAD;
    const named = alias ? this.namedSymbol[alias] === 1 : inline ? (u8[subtree] & 4) !== 0 : (u8[heap + HEAP_FLAGS] & 2) !== 0;
    const missing = inline ? (u8[subtree] & 32) !== 0 : (u8[heap + HEAP_FLAGS + 1] & 2) !== 0;
    // ts_node_has_error: the subtree's error cost (a missing leaf's is that of a missing tree)
    const error = missing || (heap !== 0 && u32[(heap + HEAP_ERROR_COST) >> 2] > 0);
    t.flags[n] = (named ? NAMED : 0) | (missing ? MISSING : 0) | (error ? HAS_ERROR : 0);
    t.size = n + 1;
  }

  private frames = new Frames(64);

  /** Sets frame `top` to read the children of the subtree at `heap`; the frames, grown when they were full. */
  private push(frames: Frames, top: number, heap: number, start: number, entry: number): Frames {
    const f = top === frames.size ? (this.frames = frames.grow()) : frames;
    const count = this.u32[(heap + HEAP_CHILD_COUNT) >> 2];
    f.children[top] = heap - 8 * count;
    f.count[top] = count;
    f.next[top] = 0;
    f.structural[top] = 0;
    f.position[top] = start;
    f.production[top] = this.u16[(heap + HEAP_PRODUCTION_ID) >> 1];
    f.entry[top] = entry;
    return f;
  }

  /**
   * The field of the child with structural number `structural` of frame `top`: from that frame's
   * production, else (the frame a hidden subtree) from its parent's, up to a visible node, as
   * ts_tree_cursor_current_field_id finds it.
   */
  private fieldOf(top: number, structural: number): number {
    const { fieldSlices, fieldMap } = this;
    const f = this.frames;
    for (let i = top; i >= 0; i--) {
      const production = f.production[i];
      const to = fieldSlices[2 * production + 1];
      for (let e = fieldSlices[2 * production]; e < to; e++) if (fieldMap[3 * e + 2] === 0 && fieldMap[3 * e + 1] === structural) return fieldMap[3 * e];
      const entry = f.entry[i];
      if (entry < 0) return 0; // a visible node's children, or an extra's
      structural = entry;
    }
    return 0;
  }

  typeName(id: number): string {
    return id === ERROR ? 'ERROR' : (this.types[id] ?? '');
  }

  /** The type ids of these type names (aliases and the symbols they stand for share a name). */
  typeIds(names: string[]): Set<number> {
    const ids = new Set<number>();
    for (const name of names) {
      if (name === 'ERROR') ids.add(ERROR);
      this.types.forEach((t, id) => t === name && ids.add(id));
    }
    return ids;
  }

  fieldId(name: string): number {
    return this.fieldIds.get(name) ?? -1;
  }
}

/** FlatTree.first of a node whose children are not read yet. */
const UNREAD = -2;
/** Frame entry of a visible subtree's children. */
const VISIBLE = -1;
/** Frame entry of a hidden extra's children. */
const EXTRA = -2;

/** The stack of TreeFlattener.flatten, as columns. */
class Frames {
  readonly children: Int32Array;
  readonly count: Int32Array;
  readonly next: Int32Array;
  readonly structural: Int32Array;
  readonly position: Int32Array;
  readonly production: Int32Array;
  readonly entry: Int32Array;

  constructor(readonly size: number) {
    this.children = new Int32Array(size);
    this.count = new Int32Array(size);
    this.next = new Int32Array(size);
    this.structural = new Int32Array(size);
    this.position = new Int32Array(size);
    this.production = new Int32Array(size);
    this.entry = new Int32Array(size);
  }

  grow(): Frames {
    const g = new Frames(this.size * 2);
    for (const k of ['children', 'count', 'next', 'structural', 'position', 'production', 'entry'] as const) g[k].set(this[k]);
    return g;
  }
}

/**
 * The nodes of one tree, read out of wasm as they are asked for: node 0 is the root, and the
 * children of a node are numbered in a row when they are first asked for. The tree must not be
 * deleted while they are (a read after that throws).
 */
export class FlatTree {
  start!: Int32Array;
  end!: Int32Array;
  /** -1 for the root. */
  parent!: Int32Array;
  /** Its first child (-1: none, UNREAD: not read yet), and how many children it has. */
  first!: Int32Array;
  count!: Int32Array;
  /** Where its subtree is in wasm memory. */
  sub!: Uint32Array;
  type!: Uint16Array;
  field!: Uint16Array;
  flags!: Uint8Array;
  /** How many nodes are read. */
  size = 0;
  private readonly nodes: (FlatNode | undefined)[] = [];
  private lines: LineIndex | null = null;

  constructor(
    readonly flattener: TreeFlattener,
    /** The tree (web-tree-sitter's) the nodes are read from. */
    readonly source: Tree,
    /** The text the tree was parsed from. */
    readonly text: string,
    /** Room for this many nodes: all the tree has (the pages of what is never read are never touched). */
    public capacity: number,
  ) {
    this.columns(capacity);
  }

  /** The columns, in one buffer of `capacity` nodes, with what they held. */
  private columns(capacity: number): void {
    const buffer = new ArrayBuffer(29 * capacity);
    const column = <T extends Int32Array | Uint32Array | Uint16Array | Uint8Array>(make: new (b: ArrayBuffer, offset: number, length: number) => T, offset: number, old: T | undefined): T => {
      const c = new make(buffer, offset * capacity, capacity);
      if (old) c.set(old.subarray(0, this.size));
      return c;
    };
    this.start = column(Int32Array, 0, this.start);
    this.end = column(Int32Array, 4, this.end);
    this.parent = column(Int32Array, 8, this.parent);
    this.first = column(Int32Array, 12, this.first);
    this.count = column(Int32Array, 16, this.count);
    this.sub = column(Uint32Array, 20, this.sub);
    this.type = column(Uint16Array, 24, this.type);
    this.field = column(Uint16Array, 26, this.field);
    this.flags = column(Uint8Array, 28, this.flags);
    this.capacity = capacity;
  }

  /** Room for twice as many nodes (not needed when the capacity is the tree's count: a safeguard). */
  grow(): void {
    this.columns(2 * this.capacity);
  }

  get rootNode(): FlatNode {
    return this.node(0);
  }

  walk(): FlatCursor {
    return new FlatCursor(this, 0);
  }

  node(i: number): FlatNode {
    return (this.nodes[i] ??= new FlatNode(this, i));
  }

  nodeOrNull(i: number): FlatNode | null {
    return i < 0 ? null : this.node(i);
  }

  /** The first child of node `i`, or -1. */
  firstChild(i: number): number {
    if (this.first[i] === UNREAD) this.flattener.expand(this, i);
    return this.first[i];
  }

  /** The next sibling of node `i`, or -1. */
  nextOf(i: number): number {
    const p = this.parent[i];
    return p >= 0 && i + 1 < this.first[p] + this.count[p] ? i + 1 : -1;
  }

  /** The row and column (UTF-16 code units, as web-tree-sitter's) of an offset. */
  point(offset: number): Point {
    const lines = (this.lines ??= LineIndex.of(this.text));
    const row = lines.lineAt(offset);
    return { row, column: offset - lines.lineStart(row) };
  }

  /** The smallest node under `from` spanning [start, end), as tree-sitter's ts_node_descendant_for_byte_range. */
  descendantFor(from: number, start: number, end: number): number {
    let node = from;
    for (let descended = true; descended; ) {
      descended = false;
      for (let c = this.firstChild(node); c >= 0; c = this.nextOf(c)) {
        const cEnd = this.end[c];
        if (cEnd < end) continue;
        if (this.start[c] === cEnd ? cEnd < start : cEnd <= start) continue;
        if (start < this.start[c]) break;
        node = c;
        descended = true;
        break;
      }
    }
    return node;
  }

  /** The offset of a point (clamped to its line). */
  offsetOf(p: Point): number {
    return (this.lines ??= LineIndex.of(this.text)).offsetAt({ line: p.row, character: p.column });
  }
}

/** A node of a FlatTree, with the members of web-tree-sitter's Node the extraction reads. */
export class FlatNode {
  constructor(
    readonly tree: FlatTree,
    /** Its number in the tree (in the order nodes were read: a node's children are numbered in a row). */
    readonly id: number,
  ) {}

  get typeId(): number {
    return this.tree.type[this.id];
  }

  get type(): string {
    return this.tree.flattener.typeName(this.tree.type[this.id]);
  }

  get isNamed(): boolean {
    return (this.tree.flags[this.id] & NAMED) !== 0;
  }

  get isMissing(): boolean {
    return (this.tree.flags[this.id] & MISSING) !== 0;
  }

  get isError(): boolean {
    return this.tree.type[this.id] === ERROR;
  }

  get hasError(): boolean {
    return (this.tree.flags[this.id] & HAS_ERROR) !== 0;
  }

  get startIndex(): number {
    return this.tree.start[this.id];
  }

  get endIndex(): number {
    return this.tree.end[this.id];
  }

  get startPosition(): Point {
    return this.tree.point(this.tree.start[this.id]);
  }

  get endPosition(): Point {
    return this.tree.point(this.tree.end[this.id]);
  }

  get text(): string {
    return this.tree.text.slice(this.tree.start[this.id], this.tree.end[this.id]);
  }

  get parent(): FlatNode | null {
    return this.tree.nodeOrNull(this.tree.parent[this.id]);
  }

  get children(): FlatNode[] {
    const out: FlatNode[] = [];
    for (let c = this.tree.firstChild(this.id); c >= 0; c = this.tree.nextOf(c)) out.push(this.tree.node(c));
    return out;
  }

  get namedChildren(): FlatNode[] {
    const out: FlatNode[] = [];
    // (the columns are read after firstChild: reading children may grow them)
    for (let c = this.tree.firstChild(this.id); c >= 0; c = this.tree.nextOf(c)) if (this.tree.flags[c] & NAMED) out.push(this.tree.node(c));
    return out;
  }

  get firstNamedChild(): FlatNode | null {
    for (let c = this.tree.firstChild(this.id); c >= 0; c = this.tree.nextOf(c)) if (this.tree.flags[c] & NAMED) return this.tree.node(c);
    return null;
  }

  get lastNamedChild(): FlatNode | null {
    let last = -1;
    for (let c = this.tree.firstChild(this.id); c >= 0; c = this.tree.nextOf(c)) if (this.tree.flags[c] & NAMED) last = c;
    return this.tree.nodeOrNull(last);
  }

  get nextNamedSibling(): FlatNode | null {
    for (let c = this.tree.nextOf(this.id); c >= 0; c = this.tree.nextOf(c)) if (this.tree.flags[c] & NAMED) return this.tree.node(c);
    return null;
  }

  get previousNamedSibling(): FlatNode | null {
    const p = this.tree.parent[this.id];
    let prev = -1;
    for (let c = p < 0 ? -1 : this.tree.firstChild(p); c >= 0 && c !== this.id; c = this.tree.nextOf(c)) if (this.tree.flags[c] & NAMED) prev = c;
    return this.tree.nodeOrNull(prev);
  }

  childForFieldName(name: string): FlatNode | null {
    const id = this.tree.flattener.fieldId(name);
    if (id < 0) return null;
    for (let c = this.tree.firstChild(this.id); c >= 0; c = this.tree.nextOf(c)) if (this.tree.field[c] === id) return this.tree.node(c);
    return null;
  }

  /** The descendants (itself included) of the given types, in document order. */
  descendantsOfType(types: string | string[]): FlatNode[] {
    const t = this.tree;
    const wanted = t.flattener.typeIds(typeof types === 'string' ? [types] : types);
    const out: FlatNode[] = [];
    // depth first, in document order, without recursion
    const stack = [this.id];
    while (stack.length) {
      const i = stack.pop()!;
      if (wanted.has(t.type[i])) out.push(t.node(i));
      const first = t.firstChild(i);
      for (let c = first + t.count[i] - 1; first >= 0 && c >= first; c--) stack.push(c);
    }
    return out;
  }

  /** The smallest node under this one spanning [start, end). */
  descendantForIndex(start: number, end = start): FlatNode {
    return this.tree.node(this.tree.descendantFor(this.id, start, end));
  }

  descendantForPosition(start: Point, end: Point = start): FlatNode {
    return this.descendantForIndex(this.tree.offsetOf(start), this.tree.offsetOf(end));
  }

  walk(): FlatCursor {
    return new FlatCursor(this.tree, this.id);
  }
}

/** A cursor over a FlatTree, with the members of web-tree-sitter's TreeCursor the extraction uses. */
export class FlatCursor {
  constructor(
    private readonly tree: FlatTree,
    private readonly root: number,
    private at = root,
  ) {}

  get currentNode(): FlatNode {
    return this.tree.node(this.at);
  }

  get nodeType(): string {
    return this.tree.flattener.typeName(this.tree.type[this.at]);
  }

  get nodeIsNamed(): boolean {
    return (this.tree.flags[this.at] & NAMED) !== 0;
  }

  get nodeIsMissing(): boolean {
    return (this.tree.flags[this.at] & MISSING) !== 0;
  }

  get currentFieldName(): string | null {
    return this.tree.flattener.fieldNames[this.tree.field[this.at]] ?? null;
  }

  get startIndex(): number {
    return this.tree.start[this.at];
  }

  get endIndex(): number {
    return this.tree.end[this.at];
  }

  get startPosition(): Point {
    return this.tree.point(this.tree.start[this.at]);
  }

  get endPosition(): Point {
    return this.tree.point(this.tree.end[this.at]);
  }

  get nodeText(): string {
    return this.tree.text.slice(this.tree.start[this.at], this.tree.end[this.at]);
  }

  gotoFirstChild(): boolean {
    const c = this.tree.firstChild(this.at);
    if (c < 0) return false;
    this.at = c;
    return true;
  }

  gotoNextSibling(): boolean {
    if (this.at === this.root) return false;
    const n = this.tree.nextOf(this.at);
    if (n < 0) return false;
    this.at = n;
    return true;
  }

  gotoParent(): boolean {
    if (this.at === this.root) return false;
    this.at = this.tree.parent[this.at];
    return true;
  }

  delete(): void {}
}
