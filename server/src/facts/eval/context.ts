// The state of one evaluation: the step budget, the depth limit, the files it may read, the ASTs
// and imported values it has cached, and the global scope with the builtins.
import type { NixParser } from '../../syntax/nixParser';
import type { SNode } from './ast';
import { parseKeepingSteps, parseSource, type KeptParse } from './parseSource';
import { sharedTrees } from '../../syntax/sharedTrees';
import type { UndefinedVariable } from './undefinedVariables';
import type { Scope } from './thunk';
import { unknown, type Loc, type Value } from './values';
import type { Confinement } from '../../base/confinement';
import { WorkspaceReadError } from '../../base/readWorkspaceFile';
import { storePathOf } from '../../base/storePath';

export const DEFAULT_MAX_STEPS = 2_000_000;
/**
 * Nested evaluation levels. The JS stack usually ends evaluation first (around 2,000 levels of a
 * recursive function with Node's default stack): running out of it is caught where it happens and
 * gives unknown there. This bound keeps the depth finite with a larger stack.
 */
export const DEFAULT_MAX_DEPTH = 10_000;

/** Returns a file's text, or null when it cannot be read (or may not be: outside the clan). */
export type ReadFile = (file: string) => string | null;

/**
 * What an evaluation may read: files' texts (`import`), and whether a path is a folder (`import
 * ./dir` reads its default.nix). Both keep to a confinement (readsWithin): a file outside the clan
 * is never read, so no message can quote it.
 */
export interface EvalReads {
  readFile: ReadFile;
  isDirectory(p: string): boolean;
  /**
   * `builtins.readDir`: a folder's entries, name -> Nix's type (`regular`, `directory`, `symlink`,
   * `unknown`); null when it cannot be listed (outside, missing). Absent: this evaluation lists no
   * folder, because what it yields is kept by file content and would not follow the folder.
   */
  readDir?(p: string): Map<string, string> | null;
  /** `builtins.pathExists`; null when it cannot be told (outside). Absent as readDir. */
  pathExists?(p: string): boolean | null;
  /** The store path a string interpolating the path `p` names (`"${./tags}"`, base/storePath.ts); null when it cannot be told. Absent as readDir. */
  storePath?(p: string): string | null;
}

/** The paths read by the evaluations whose context is made while recordReads runs (null: none runs). */
let recording: Set<string> | null = null;

/**
 * Runs `build` and gives the paths every evaluation made meanwhile read: a file's text, whether a
 * path is a folder or exists, a folder's entries, a path copied to the store (all of it below that
 * path). What `build` computes from those evaluations holds while nothing at or below them changes.
 */
export function recordReads<T>(build: () => T): { value: T; paths: Set<string> } {
  const outer = recording;
  const paths = new Set<string>();
  recording = paths;
  try {
    return { value: build(), paths };
  } finally {
    recording = outer;
    if (outer) for (const p of paths) outer.add(p);
  }
}

/** Notes a path the model read from disk itself (not through an evaluation's reads) for the recordReads running, if any. */
export function noteRead(p: string): void {
  recording?.add(p);
}

/** `reads`, noting each path asked of it in `paths`. */
function noting(reads: EvalReads, paths: Set<string>): EvalReads {
  const note =
    <R,>(f: (p: string) => R) =>
    (p: string): R => {
      paths.add(p);
      return f(p);
    };
  return {
    readFile: note((p) => reads.readFile(p)),
    isDirectory: note((p) => reads.isDirectory(p)),
    ...(reads.readDir ? { readDir: note((p) => reads.readDir!(p)) } : {}),
    ...(reads.pathExists ? { pathExists: note((p) => reads.pathExists!(p)) } : {}),
    ...(reads.storePath ? { storePath: note((p) => reads.storePath!(p)) } : {}),
  };
}

/** An evaluation that reads nothing (facts kept as ASTs, tests of expressions). */
export const NO_READS: EvalReads = { readFile: () => null, isDirectory: () => false };

/**
 * Reads from disk inside `reads`; `text` first gives a text the editor has for a file (undefined:
 * none). `outside` hears of each file refused because it leads outside, with why (paths only).
 */
export function readsWithin(reads: Confinement, text: (file: string) => string | null | undefined = () => undefined, outside: (why: string) => void = () => {}): EvalReads {
  return {
    readFile: (file) => {
      const own = text(file);
      if (own !== undefined) {
        const where = reads.confine(file);
        if ('real' in where) return own;
        outside(where.outside);
        return null;
      }
      try {
        return reads.readText(file, 5_000_000);
      } catch (e) {
        if (e instanceof WorkspaceReadError && e.code === 'EOUTSIDE') outside(e.message);
        return null;
      }
    },
    isDirectory: (p) => reads.isDirectory(p),
  };
}

/**
 * Only `readDir` and `pathExists`, inside `reads`: for an evaluation whose result is not kept by
 * file content (the model's, of module sets computed from the file tree).
 */
export function folderReads(reads: Confinement): Required<Pick<EvalReads, 'readDir' | 'pathExists' | 'storePath'>> {
  const inside = (p: string) => 'real' in reads.confine(p);
  const stored = new Map<string, string | null>();
  return {
    storePath: (p) => (stored.has(p) ? stored.get(p)! : stored.set(p, storePathOf(reads, p)).get(p)!),
    readDir: (p) => {
      if (!inside(p)) return null;
      try {
        // list, not entries: a folder that cannot be listed is unknown, not empty
        return new Map(reads.list(p).map((e) => [e.name, e.isFile() ? 'regular' : e.isDirectory() ? 'directory' : e.isSymbolicLink() ? 'symlink' : 'unknown']));
      } catch {
        return null;
      }
    },
    // a link that resolves nowhere is outside (confine): unknown, as Nix's answer depends on its version
    pathExists: (p) => (inside(p) ? reads.stat(p) !== null : null),
  };
}

export interface EvalOptions {
  maxSteps?: number;
  maxDepth?: number;
  /** What it may read (readsWithin); default: nothing. The server gives the text of open documents first. */
  reads?: EvalReads;
  /** Shared between evaluations: parsed files by path and text. */
  astCache?: AstCache;
}

/**
 * Parsed files, reused while their text stays the same. The evaluation's inputs (`prepare`) keep
 * their tree-sitter tree too, so that the next text of the file is parsed incrementally.
 */
export class AstCache {
  private entries = new Map<string, KeptParse>();

  constructor(private readonly limit = 200) {}

  get(parser: NixParser, file: string, text: string): SNode {
    const hit = this.entries.get(file);
    if (hit && hit.text === text) return hit.ast;
    // The parser runs in wasm, whose state must not be left halfway by a stack overflow.
    if (!hasStackHeadroom()) throw new RangeError('too little stack left to parse');
    this.drop(file);
    return this.put(file, { text, tree: null, treeText: text, ast: parseSource(parser, text) });
  }

  /**
   * Puts the AST of `file` in the cache unless it is there, yielding while it is built. Its tree
   * is shared (syntax/sharedTrees.ts): a parse afresh starts from an open document's tree of the
   * same text, and the document's first parse from this one. `budgetMs`: a parse afresh's time.
   */
  *prepare(parser: NixParser, file: string, text: string, budgetMs?: number): Generator<void, void> {
    const hit = this.entries.get(file);
    if (hit?.text === text) return;
    // the outdated parse goes now (a stopped evaluation leaves no stale entry); the new one is built from it
    this.entries.delete(file);
    sharedTrees.put(file, this, null);
    this.put(file, yield* parseKeepingSteps(parser, text, hit, undefined, () => sharedTrees.copyOf(file, text, this), budgetMs));
  }

  /** Frees the kept trees (wasm memory). */
  clear(): void {
    for (const file of [...this.entries.keys()]) this.drop(file);
  }

  private drop(file: string): void {
    sharedTrees.put(file, this, null);
    this.entries.get(file)?.tree?.delete();
    this.entries.delete(file);
  }

  /** `file` must not be in the cache: the newest entry is the last, the oldest goes first. */
  private put(file: string, parsed: KeptParse): SNode {
    this.entries.set(file, parsed);
    // a tree of an incremental parse keeps the commas blanked before it: shared only without any
    sharedTrees.put(file, this, parsed.fresh || parsed.treeText === parsed.text ? parsed.tree : null, parsed.text);
    if (this.entries.size > this.limit) this.drop(this.entries.keys().next().value!);
    return parsed.ast;
  }
}

const PROBE_FRAMES = 2000;

function probe(n: number): number {
  return n === 0 ? 0 : 1 + probe(n - 1);
}

/** Whether some 100 KB of JS stack are left (a recursion of a couple of thousand small frames succeeds). */
function hasStackHeadroom(): boolean {
  try {
    return probe(PROBE_FRAMES) === PROBE_FRAMES;
  } catch {
    return false;
  }
}

/**
 * The JS stack ran out (or another RangeError: a string or array too long): the value is unknown
 * there, and evaluation goes on above. Anything else is rethrown. This runs with almost no stack
 * left, so it does as little as possible (an overflow here is a RangeError for the level above).
 */
export function stackExhausted(e: unknown): Value {
  if (e instanceof RangeError) return STACK;
  throw e;
}

const STACK = unknown('stack');

export class Context {
  steps = 0;
  depth = 0;
  exhausted = false;
  /**
   * A kept result of a call was given again (evalFunction.ts): the cells in it are one here where
   * Nix makes them apart per call, so one cell may be two in Nix (equality.ts sameCell).
   */
  keptResultsShared = false;
  readonly maxSteps: number;
  readonly maxDepth: number;
  readonly reads: EvalReads;
  readonly astCache: AstCache;
  /** Imported files' values by absolute path. */
  readonly imports = new Map<string, import('./thunk').Thunk>();
  /** Files whose import failed on undefined variables (Nix's "undefined variable"), with those variables. */
  readonly undefinedVariables = new Map<string, UndefinedVariable[]>();
  /** Every file this evaluation read, with the text it saw. */
  readonly filesRead = new Map<string, string | null>();
  /** The store paths strings of this evaluation name (`"${./tags}"`), each with the path of the workspace it is a copy of. */
  readonly storeCopies = new Map<string, string>();
  /** The global scope (builtins, true, false, null, ...), set up by the evaluator. */
  globals!: Scope;

  constructor(
    /** null: an evaluation of ASTs kept as facts, which reads no file (the model has no parser). */
    readonly parser: NixParser | null,
    options: EvalOptions = {},
  ) {
    this.maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
    this.maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
    this.reads = recording ? noting(options.reads ?? NO_READS, recording) : (options.reads ?? NO_READS);
    this.astCache = options.astCache ?? new AstCache();
  }

  /** Runs one evaluation step one level deeper; gives "unknown" when the budget, the depth or the JS stack runs out. */
  enter(_loc: Loc | null, fn: () => Value): Value {
    if (!this.countStep()) return unknown('budget');
    if (this.depth >= this.maxDepth) return unknown('depth');
    this.depth++;
    try {
      return fn();
    } catch (e) {
      return stackExhausted(e);
    } finally {
      this.depth--;
    }
  }

  /** Counts one step; false when the budget is gone. */
  countStep(): boolean {
    if (this.exhausted) return false;
    if (++this.steps > this.maxSteps) this.exhausted = true;
    return !this.exhausted;
  }

  /** Counts `n` steps of work done in a loop; false when the budget is gone. */
  tick(n = 1): boolean {
    if (this.exhausted) return false;
    this.steps += n;
    if (this.steps > this.maxSteps) this.exhausted = true;
    return !this.exhausted;
  }

  /** The AST of a file, or null when it cannot be read. */
  load(file: string): SNode | null {
    const text = this.reads.readFile(file);
    this.filesRead.set(file, text);
    if (text === null || !this.parser) return null;
    return this.astCache.get(this.parser, file, text);
  }
}
