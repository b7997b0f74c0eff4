// Loads web-tree-sitter and the tree-sitter-nix grammar once, and parses Nix text into trees.
// Trees live in wasm memory: whoever receives a Tree owns it and must call tree.delete().
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Language, Parser, type Edit, type ParseOptions, type Tree } from 'web-tree-sitter';
import { blankedGuess, blankTrailingFormalCommas, guessHolds, likelyTrailingCommas, trailingFormalCommas, withoutCommas } from './trailingComma';
import { LineIndex } from '../base/lineIndex';
import { TreeFlattener, type FlatTree } from './flatTree';

export type { Edit, Tree, Node } from 'web-tree-sitter';

/** Finds a file shipped next to the bundle (dist/) or, when running from sources, in the repo. */
function locate(name: string, fallbacks: string[]): string {
  const candidates = [path.join(__dirname, name), ...fallbacks];
  for (const c of candidates) if (fs.existsSync(c)) return c;
  throw new Error(`cannot find ${name}; looked in: ${candidates.join(', ')}`);
}

function repoRoot(): string {
  // server/src/parse -> repo root when running from sources
  return path.resolve(__dirname, '..', '..', '..');
}

/**
 * tree-sitter's error recovery is far worse than linear on some broken input (16 KB of `a.a.a.`
 * takes seconds, 400 KB of it minutes), so every parse has a time budget. The default allows
 * normal Nix about ten times what it needs (~3 µs a character), at least 1 s.
 */
export function defaultParseBudgetMs(length: number): number {
  return 1000 + length / 100;
}

/** CPU time a Linux `/proc/.../stat` file reports (a thread's or a process's), in ms; null when it cannot be read. */
export function procStatCpuMs(statFile: string): number | null {
  try {
    const stat = fs.readFileSync(statFile, 'latin1');
    // after the command's closing parenthesis, utime and stime are the 12th and 13th fields (ticks of 10 ms)
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks * 10 : null;
  } catch {
    return null;
  }
}

/** CPU time the calling thread has used, in ms, so the scan's worker threads each count their own; the whole process's where /proc is missing. */
export function threadCpuMs(): number {
  const own = procStatCpuMs('/proc/thread-self/stat');
  if (own !== null) return own;
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** How long a parse runs before outOfTime reads the thread's CPU time. */
const LAZY_CPU_MS = 5;

/**
 * The stop condition of a parse with a budget: true once both the wall-clock time and the CPU time
 * this thread used since the parse began are past the budget. A parse on a machine busy with other
 * work (the thread not run for a while) is not cut short for it, so the same text gives the same
 * result under load; one that really takes that long still stops. `wallClock`: the wall-clock time
 * alone.
 *
 * Reading a thread's CPU time costs a file read (~40 µs, as much as parsing a small file), so it is
 * read only for a parse still running after LAZY_CPU_MS (a handful of the cold scan's thousands),
 * counting that much as CPU time before (tree-sitter calls back often while it works; the error is
 * below /proc's 10 ms ticks), then after the wall-clock deadline at most every 20 ms.
 */
export function outOfTime(budgetMs: number, wallClock = false): () => boolean {
  const started = performance.now();
  const deadline = started + budgetMs;
  if (wallClock) return () => performance.now() > deadline;
  const lazyMs = Math.min(LAZY_CPU_MS, budgetMs / 4);
  let cpu: number | null = null;
  let nextLook = deadline;
  return () => {
    const now = performance.now();
    if (cpu === null) {
      if (now - started < lazyMs) return false;
      cpu = threadCpuMs() - lazyMs;
    }
    if (now <= nextLook) return false;
    nextLook = now + 20;
    return threadCpuMs() - cpu > budgetMs;
  };
}

/** Thrown when a parse runs out of its time budget. */
export class ParseTimeout extends Error {
  constructor(readonly budgetMs: number) {
    super(`parsing took longer than ${Math.round(budgetMs)} ms`);
  }
}

export class NixParser {
  private constructor(private readonly parser: Parser) {}

  private static loading: Promise<NixParser> | undefined;
  /** The loaded parser's (set once it is loaded: a Tree comes from it). */
  private static flattener: TreeFlattener | undefined;

  static load(): Promise<NixParser> {
    NixParser.loading ??= (async () => {
      const runtime = locate('tree-sitter.wasm', [
        path.join(repoRoot(), 'node_modules', 'web-tree-sitter', 'tree-sitter.wasm'),
      ]);
      // tree-sitter's wasm is instantiated here (emscripten's instantiateWasm), so that the trees
      // can be read out of its memory (syntax/flatTree.ts)
      let memory: WebAssembly.Memory | undefined;
      await Parser.init({
        locateFile: () => runtime,
        instantiateWasm(imports: WebAssembly.Imports, done: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void) {
          const module = new WebAssembly.Module(fs.readFileSync(runtime));
          memory = (imports.env as { memory: WebAssembly.Memory }).memory;
          done(new WebAssembly.Instance(module, imports), module);
          return {};
        },
      });
      if (!memory) throw new Error("web-tree-sitter did not let its wasm be instantiated here: its trees cannot be read");
      const grammar = locate('tree-sitter-nix.wasm', [path.join(repoRoot(), 'grammars', 'tree-sitter-nix.wasm')]);
      const language = await Language.load(fs.readFileSync(grammar));
      const parser = new Parser();
      parser.setLanguage(language);
      NixParser.flattener = new TreeFlattener(memory, language);
      return new NixParser(parser);
    })();
    return NixParser.loading;
  }

  /**
   * Parses `text`. When `old` is given it must already have been edited (tree.edit) to match
   * `text`; it is reused for an incremental parse and is NOT deleted here.
   */
  /** Set when tree-sitter's wasm aborted (out of memory): every later parse fails, so results are incomplete. */
  static aborted: string | null = null;

  /**
   * `wallClock`: the budget is wall-clock time alone (an open document while the user types: an
   * answer must not wait longer because the machine is busy); otherwise see outOfTime.
   */
  parse(text: string, old?: Tree, budgetMs = defaultParseBudgetMs(text.length), wallClock = false): Tree {
    try {
      return this.parseWithin(text, old, budgetMs, wallClock);
    } catch (e) {
      if (/^Aborted/.test((e as Error).message ?? '')) NixParser.aborted ??= (e as Error).message;
      throw e;
    }
  }

  private parseWithin(text: string, old: Tree | undefined, budgetMs: number, wallClock: boolean): Tree {
    // the callback returns true to stop the parse (the typings say void)
    const options = { progressCallback: outOfTime(budgetMs, wallClock) } as unknown as ParseOptions;
    const commas = old ? [] : likelyTrailingCommas(text);
    if (commas.length > 0) {
      const guessed = blankedGuess(text, commas, (t) => this.parser.parse(t, null, options) ?? this.timedOut(budgetMs));
      if (guessed) return guessed;
    }
    let tree = this.parser.parse(text, old ?? null, options);
    if (!tree) return this.timedOut(budgetMs);
    if (!tree.rootNode.hasError) return tree;
    if (old) {
      // Error recovery in an incremental parse can build a different tree than a parse of the same
      // text from scratch; parse broken text afresh so that the same text always gives the same
      // tree (and the same diagnostics), however it was typed.
      tree.delete();
      tree = this.parser.parse(text, null, options);
      if (!tree) return this.timedOut(budgetMs);
      if (!tree.rootNode.hasError) return tree;
    }
    return blankTrailingFormalCommas(text, tree, (t, prev) => {
      const again = this.parser.parse(t, prev, options);
      if (!again) return this.timedOut(budgetMs);
      return again;
    });
  }

  /**
   * An incremental parse of `text` from `old` (already edited to match it, not deleted here), or
   * null when the result has a syntax error: then the caller parses afresh, in its own way (a
   * broken text gets the same tree however it was typed; see parseWithin).
   */
  reparse(text: string, old: Tree, budgetMs = defaultParseBudgetMs(text.length)): Tree | null {
    const options = { progressCallback: outOfTime(budgetMs) } as unknown as ParseOptions;
    const tree = this.parser.parse(text, old, options);
    if (!tree) return this.timedOut(budgetMs);
    if (!tree.rootNode.hasError) return tree;
    tree.delete();
    return null;
  }

  /**
   * `parse` in slices of about `sliceMs`, yielding in between, for work done between requests. A
   * parser of its own holds the halted parse (tree-sitter resumes it on the next call), so other
   * parses may run meanwhile; it is freed when the generator ends or is ended with `return()`.
   * The budget counts only the time spent in slices, and of that only the time the process was run:
   * the time given to other work in between (and a busy machine's) is not the text's. Note that error recovery may build another tree for a
   * broken text when a halted parse resumes than one parse in one go does.
   */
  *parseSteps(text: string, sliceMs: number, budgetMs = defaultParseBudgetMs(text.length)): Generator<void, Tree> {
    const own = new Parser();
    try {
      own.setLanguage(this.parser.language);
      /** Time spent in slices so far. */
      let parsing = 0;
      let until = 0;
      const options = { progressCallback: () => performance.now() > until } as unknown as ParseOptions;
      // nixfmt's trailing commas in formals, which the grammar rejects: first the text with what reads as
      // such commas blanked (trailingComma.ts blankedGuess); if that guess is wrong, the text as it is,
      // then without the commas its tree shows; each in slices
      const guess = likelyTrailingCommas(text);
      let stage: 'guess' | 'plain' | 'blanked' = guess.length > 0 ? 'guess' : 'plain';
      let parsed = stage === 'guess' ? withoutCommas(text, guess) : text;
      for (;;) {
        const sliceStart = performance.now();
        const cpu = threadCpuMs();
        until = sliceStart + Math.min(sliceMs, budgetMs - parsing);
        const tree = own.parse(parsed, null, options);
        // a slice counts the time the thread was run in it (not the machine's other work), at most its wall time
        parsing += Math.min(performance.now() - sliceStart, threadCpuMs() - cpu);
        if (tree) {
          if (stage === 'guess') {
            if (guessHolds(tree, guess)) return tree;
            tree.delete();
            [stage, parsed] = ['plain', text];
            continue;
          }
          if (!tree.rootNode.hasError || stage === 'blanked') return tree;
          const commas = trailingFormalCommas(text, tree);
          if (commas.length === 0) return tree;
          tree.delete();
          [stage, parsed] = ['blanked', withoutCommas(text, commas)];
          continue;
        }
        if (parsing >= budgetMs) throw new ParseTimeout(budgetMs);
        yield;
      }
    } finally {
      own.delete();
    }
  }

  /** The nodes of `tree` read straight out of wasm as they are asked for (syntax/flatTree.ts); `tree` must outlive their reading. */
  static flatten(tree: Tree): FlatTree {
    if (!NixParser.flattener) throw new Error('a tree, but no parser loaded');
    return NixParser.flattener.flatten(tree, treeText(tree));
  }

  /** A stopped parse would resume on the next call: reset the parser so the next text starts afresh. */
  private timedOut(budgetMs: number): never {
    this.parser.reset();
    throw new ParseTimeout(budgetMs);
  }
}

/** The text `tree` was parsed from (web-tree-sitter keeps it; a node's text is a slice of it). */
export function treeText(tree: Tree): string {
  return (tree as unknown as { textCallback(index: number): string }).textCallback(0);
}

/** Builds a tree-sitter edit for replacing [start, end) of `oldText` with `newText`, in UTF-16 units (`old`: the old text's lines; by default the shared index of the last texts, LineIndex.of). */
export function makeEdit(oldText: string, start: number, end: number, inserted: string, old = LineIndex.of(oldText)): Edit {
  const point = (offset: number) => {
    const p = old.positionAt(offset);
    return { row: p.line, column: p.character };
  };
  const startPosition = point(start);
  const oldEndPosition = point(end);
  const lines = inserted.split('\n');
  const newEndPosition =
    lines.length === 1
      ? { row: startPosition.row, column: startPosition.column + inserted.length }
      : { row: startPosition.row + lines.length - 1, column: lines[lines.length - 1].length };
  return {
    startIndex: start,
    oldEndIndex: end,
    newEndIndex: start + inserted.length,
    startPosition,
    oldEndPosition,
    newEndPosition,
  };
}
