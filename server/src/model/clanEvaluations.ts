// The evaluations of each clan's registry pipeline (registry, matrix, the real vars-generators.nix
// call per machine), kept by WorkspaceIndex. An evaluation is redone only when a file it read
// changed. In the server it waits for a pause in typing (deferMs): meanwhile the rules see the
// literal facts only, so diagnostics stay immediate, and the evaluated ones follow.
import * as path from 'node:path';
import { Confinement } from '../base/confinement';
import { readsWithin, type EvalReads } from '../facts/eval/context';
import { AstCache } from '../facts/eval/index';
import type { FileFacts } from '../facts/types';
import { ParseTimeout, type NixParser } from '../syntax/nixParser';
import { evaluateClan, evaluateClanSteps, inputsUnchanged, registryPart, type ClanEvaluation, type ClanFiles, type LiteralHints } from './clanEvaluation';
import { rootAt, SLOW_MS, type AnalysisSettings } from '../base/settings';
import { registryGeneratorsFromEvaluation } from './evaluatedFacts';
import { inTurnsUnderWay, SLICE_MS, turnForRequests } from '../base/turns';
import { EVALUATED_INPUTS, registryChange, sameGeneratorNames, signatureOf, signaturesOf, type EvaluatedInput, type RegistryGeneratorChange } from './evaluationChanges';

/** What an evaluation of a clan reads: its three files, and what the literal matrix tells it. */
interface EvaluationRequest {
  files: ClanFiles;
  hints: LiteralHints;
}

export interface EvaluationHooks {
  /** A rule input of a clan changed because its evaluation did (the generators: those of the registry file). */
  bump(root: string, input: EvaluatedInput | 'generators', change?: RegistryGeneratorChange): void;
  /** A deferred evaluation is due: the clan must be refreshed. */
  due(root: string): void;
  /** A deferred evaluation finished: work the model will do with it can be done now, between requests (a step between two yields). */
  prepare?(root: string, evaluation: ClanEvaluation): Iterable<void>;
}

export class ClanEvaluations {
  /** Per clan root: the last evaluation (null: it failed or there is nothing to evaluate). */
  private byRoot = new Map<string, ClanEvaluation | null>();
  /** Texts of the files evaluations read, kept current by noteText. */
  private texts = new Map<string, string | null>();
  /**
   * Per clan root: the signatures (evaluationChanges.ts) of what the rule inputs saw last, made when
   * the next evaluation is compared with them (a clan evaluated once, as by the checker, makes none:
   * 47 ms of the shared clan's check).
   */
  private signatures = new Map<string, () => Record<EvaluatedInput, string>>();
  /** Per clan root: the texts of the registry, matrix and generators files a failed evaluation saw. */
  private failed = new Map<string, string>();
  private readonly astCache = new AstCache(100);
  private timers = new Map<string, NodeJS.Timeout>();
  /** Evaluations running in slices between requests, per clan root; an edit of an input cancels them. */
  private jobs = new Map<string, { cancelled: boolean }>();
  /** What a finished background evaluation produced, until the clan's model takes it. */
  private finished = new Map<string, ClanEvaluation | null>();
  /** Per clan root: an evaluation made ahead of the model (ahead), with what it was given, until current() takes it or makes its own. */
  private early = new Map<string, { request: EvaluationRequest; evaluation: ClanEvaluation }>();
  /** Per clan root: what the next background evaluation is given (the files to evaluate, the literal matrix's machines). */
  private requests = new Map<string, EvaluationRequest>();
  private dueRoots = new Set<string>();
  /** Per clan root: whether the rules last saw an evaluation or the literal facts only. */
  private serving = new Map<string, 'evaluated' | 'registry' | 'literal'>();
  /** 0: evaluate synchronously (the checker). The server waits for a pause in typing. */
  deferMs = 0;
  /** Called when a deferred evaluation is due and problems may change. */
  onDeferredChange: () => void = () => {};
  /** Who awaits the next deferred evaluation (whenLanded): while any does, its timer keeps the process alive. */
  private waiters: (() => void)[] = [];

  constructor(
    private readonly parser: NixParser,
    private readonly log: (line: string) => void,
    private readonly settings: () => AnalysisSettings,
    private readonly hooks: EvaluationHooks,
  ) {}

  /** True while an evaluation waits for the pause in typing or runs (its results are not published yet). */
  pending(): boolean {
    return this.timers.size > 0 || this.jobs.size > 0;
  }

  /**
   * Resolves when the next deferred evaluation has landed (after onDeferredChange). The pause before
   * an evaluation is an unref'd timer, so that it never keeps a finished checker or server alive;
   * someone awaiting it does: while a promise of this is pending, the timer is ref'd.
   */
  whenLanded(): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      for (const t of this.timers.values()) t.ref?.();
    });
  }

  clear(): void {
    for (const root of [...this.jobs.keys()]) this.cancel(root);
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.finished.clear();
    this.early.clear();
    this.byRoot.clear();
    this.serving.clear();
    this.failed.clear();
    this.signatures.clear();
    this.texts.clear();
    this.reads.clear();
    this.astCache.clear();
  }

  /**
   * Records an editor's text for a file, when an evaluation reads (or may read) that file; null
   * when the text is not analysed (binary, too big), so the evaluation does not read it either.
   */
  noteText(file: string, text: string | null): void {
    if (!this.isInput(file) || this.texts.get(file) === text) return;
    this.texts.set(file, text);
    // still typing: the waiting evaluations start their pause again, the running ones are dropped
    for (const root of new Set([...this.timers.keys(), ...this.jobs.keys()])) this.schedule(root, true);
  }

  /**
   * The syntax an evaluation of `file` (a registry or matrix the cold scan is about to parse) will
   * read, made now in steps: the scan then extracts the file's facts from a copy of the tree kept
   * with it (syntax/sharedTrees.ts), so the file is parsed once at a cold start, not once by the scan
   * and again by the evaluation after it (the shared clan: 0.25 s of its check on one thread). Its
   * parse gets `budgetMs` (the scan's), and throws ParseTimeout when that runs out.
   */
  *prepareSyntax(file: string, text: string, budgetMs: number): Generator<void, void> {
    yield* this.astCache.prepare(this.parser, file, text, budgetMs);
  }

  /**
   * Without a pause in typing (the checker): evaluates the clans whose registry or matrix a cold scan
   * has just parsed (`parsed`, their facts), while the scan waits for its workers' last answers
   * (model/scan/scanFolder.ts), so the model does not wait for it after the scan (the shared clan:
   * 0.4-0.6 s on one thread). current() takes it when it asks for the same files and hints and
   * nothing it read has changed; else it evaluates again. What it evaluated, by clan root.
   */
  ahead(parsed: FileFacts[]): Map<string, ClanEvaluation> {
    const made = new Map<string, ClanEvaluation>();
    if (this.deferMs > 0) return made;
    const s = this.settings();
    for (const f of parsed) {
      const root = rootAt(f.file, s.registryPath) ?? rootAt(f.file, s.matrixPath);
      if (root === null || root === '' || this.early.has(root)) continue;
      const request = this.requestOf(root, (file) => parsed.find((p) => p.file === file));
      try {
        const evaluation = evaluateClan(this.parser, request.files, request.hints, { reads: this.readsOf(root), astCache: this.astCache });
        this.early.set(root, { request, evaluation });
        made.set(root, evaluation);
      } catch {
        // current() evaluates again, and says why it failed
      }
    }
    return made;
  }

  /** What an evaluation of `root` is given: its three files, and the machines of its matrix's facts (`facts`) when the syntax understood them. */
  private requestOf(root: string, facts: (file: string) => FileFacts | undefined): EvaluationRequest {
    const s = this.settings();
    const files = { registryFile: path.resolve(root, s.registryPath), matrixFile: path.resolve(root, s.matrixPath), generatorsFile: path.resolve(root, s.generatorsPath) };
    const literal = facts(files.matrixFile)?.matrix;
    return { files, hints: { machines: literal?.understood ? literal.machines : null } };
  }

  forget(file: string): void {
    this.texts.delete(file);
  }

  /** Files whose text an evaluation reads: the registry, matrix and generators files and what they import. */
  private isInput(file: string): boolean {
    const s = this.settings();
    if ([s.registryPath, s.matrixPath, s.generatorsPath].some((rel) => rootAt(file, rel) !== null)) return true;
    for (const e of this.byRoot.values()) if (e?.inputs.has(file)) return true;
    return false;
  }

  /** Per clan root: what its evaluations read (the editor's texts first), inside the clan only. */
  private reads = new Map<string, EvalReads>();

  private readsOf(root: string): EvalReads {
    let r = this.reads.get(root);
    if (!r) {
      const told = new Set<string>();
      const outside = (why: string) => {
        if (told.has(why)) return;
        told.add(why);
        this.log(`not reading a file of the registry pipeline of ${root}: ${why} (its value is unknown)`);
      };
      this.reads.set(root, (r = readsWithin(Confinement.within(root), (file) => this.texts.get(file), outside)));
    }
    return r;
  }

  /**
   * The evaluation of a clan: the previous one while its inputs are unchanged; when they changed,
   * a new one (now, or after the pause in typing, returning meanwhile the last one's registry part
   * while what the registry read is unchanged, else null). A new result bumps the
   * rule inputs whose evaluated part changed.
   */
  evaluate(root: string, files: Map<string, FileFacts>): ClanEvaluation | null {
    const result = this.current(root, files);
    // Switching between evaluated and literal facts changes what the registry and matrix show; the
    // generators only when the evaluated registry names other generators than its literal text.
    // Between an evaluation and its registry part (served while the matrix is edited) only the
    // matrix and the evaluation's findings change.
    const kind = !result ? 'literal' : result.registryOnly ? 'registry' : 'evaluated';
    const was = this.serving.get(root);
    if (was === kind) return result;
    this.serving.set(root, kind);
    this.hooks.bump(root, 'matrix');
    this.hooks.bump(root, 'evaluation');
    const registryStays = kind !== 'literal' && was !== 'literal' && was !== undefined;
    if (registryStays) return result;
    this.hooks.bump(root, 'registry');
    const registryFile = path.resolve(root, this.settings().registryPath);
    const literal = files.get(registryFile)?.registry ?? null;
    const evaluated = this.byRoot.get(root)?.registry ?? null;
    if (evaluated && !sameGeneratorNames(evaluated, literal)) this.hooks.bump(root, 'generators', registryChange(registryFile, literal, evaluated, (e) => [e.generator!.name ?? e.generator!.pattern, e.generator!.range]) ?? undefined);
    return result;
  }

  private current(root: string, files: Map<string, FileFacts>): ClanEvaluation | null {
    const due = this.dueRoots.delete(root);
    const s = this.settings();
    const registryFile = path.resolve(root, s.registryPath);
    const matrixFile = path.resolve(root, s.matrixPath);
    const generatorsFile = path.resolve(root, s.generatorsPath);
    if (!files.has(registryFile) && !files.has(matrixFile)) {
      this.byRoot.delete(root);
      return null;
    }
    const previous = this.byRoot.get(root);
    const read = this.readsOf(root).readFile;
    if (previous && inputsUnchanged(previous, read)) return previous;
    // an evaluation that failed is not retried until one of the three files changes (their texts
    // joined: made only where compared or kept, a copy of 0.5 MB for the shared clan's keystrokes)
    let joined: string | undefined;
    const attempt = () => (joined ??= [registryFile, matrixFile, generatorsFile].map((f) => read(f) ?? '\0').join('\0\0'));
    if (previous === null && this.failed.has(root) && this.failed.get(root) === attempt()) return null;
    const request = this.requestOf(root, (file) => files.get(file));
    const ran = this.finished.get(root);
    this.finished.delete(root);
    // the server evaluates in the background after a pause in typing; what it finished is taken
    // when its inputs are still those it read (else, or when none finished yet, one is scheduled)
    const fresh = due && ran !== undefined && (ran === null || inputsUnchanged(ran, read));
    if (this.deferMs > 0 && !fresh) {
      this.requests.set(root, request);
      this.schedule(root);
      // The rules now run on literal facts (when the evaluation lands, they must all run again),
      // but for the registry's while what it read is unchanged (an edit of the matrix): its
      // generators stay the same objects, so the rules and the machine model see no change there.
      const part = previous?.registry && inputsUnchanged(previous, read, previous.registryInputs) ? registryPart(previous) : null;
      const before = part ? this.signatures.get(root)?.() : undefined;
      if (before) this.signatures.set(root, () => ({ registry: before.registry, matrix: '', evaluation: '' }));
      else this.signatures.delete(root);
      return part;
    }
    let evaluation: ClanEvaluation | null = null;
    const early = this.early.get(root);
    this.early.delete(root);
    if (this.deferMs > 0) evaluation = ran ?? null;
    else if (early && sameRequest(early.request, request) && inputsUnchanged(early.evaluation, read)) evaluation = early.evaluation;
    else {
      try {
        evaluation = evaluateClan(this.parser, request.files, request.hints, { reads: this.readsOf(root), astCache: this.astCache });
      } catch (e) {
        this.logFailure(root, e);
      }
    }
    if (evaluation) this.failed.delete(root);
    else this.failed.set(root, attempt());
    // Bump only the rule inputs whose evaluated part changed; keep the old object when none did.
    const before = this.signatures.get(root)?.();
    const none = { registry: '', matrix: '', evaluation: '' };
    const sig = !before ? none : evaluation ? signaturesOf(evaluation) : none; // with nothing before, every input is bumped
    // an unchanged registry keeps its object, and with it its generators
    if (evaluation && previous?.registry && before?.registry === sig.registry) evaluation.registry = previous.registry;
    // compared with nothing, an evaluation's signatures are made only if a later one is compared with it
    this.signatures.set(root, before || !evaluation ? () => sig : () => signaturesOf(evaluation));
    let changed = !before || !previous !== !evaluation;
    for (const input of EVALUATED_INPUTS) {
      if (before && before[input] === sig[input] && !!previous === !!evaluation) continue;
      changed = true;
      this.hooks.bump(root, input);
    }
    // the registry file's generators come from its evaluation: those of the entries that changed
    if (previous && evaluation && before && before.registry !== sig.registry) {
      const change = registryChange(registryFile, previous.registry, evaluation.registry, (e) => e);
      if (change) this.hooks.bump(root, 'generators', change);
    }
    if (!changed && previous && evaluation) {
      previous.inputs = evaluation.inputs;
      return previous;
    }
    this.byRoot.set(root, evaluation);
    return evaluation;
  }

  /** A file too slow to parse is a fact about the text, said plainly; anything else is a bug, with its stack. */
  private logFailure(root: string, e: unknown): void {
    if (e instanceof ParseTimeout) this.log(`not evaluating the registry pipeline of ${root}: a file it reads could not be parsed in time (${e.message})`);
    else this.log(`evaluation failed in ${root}: ${(e as Error).stack ?? e}`);
  }

  /** Starts the pause before evaluating; a pause already running is only restarted by an edit (which also drops a running evaluation). */
  private schedule(root: string, restart = false): void {
    if ((this.timers.has(root) || this.jobs.has(root)) && !restart) return;
    clearTimeout(this.timers.get(root));
    this.cancel(root);
    const timer = setTimeout(() => {
      this.timers.delete(root);
      this.start(root);
    }, this.deferMs);
    if (!this.waiters.length) timer.unref?.();
    this.timers.set(root, timer);
  }

  private cancel(root: string): void {
    const job = this.jobs.get(root);
    if (job) job.cancelled = true;
    this.jobs.delete(root);
  }

  /**
   * The evaluation of a clan in steps, then what the model will compare and take from it, a part at
   * a time, so that taking it costs less and no request waits for it all (the shared clan: 45-90 ms
   * in one piece).
   */
  private *evaluationSteps(root: string, request: EvaluationRequest): Generator<void, ClanEvaluation> {
    const evaluation = yield* evaluateClanSteps(this.parser, request.files, request.hints, { reads: this.readsOf(root), astCache: this.astCache });
    for (const input of EVALUATED_INPUTS) {
      signatureOf(evaluation, input);
      yield;
    }
    registryGeneratorsFromEvaluation(request.files.registryFile, evaluation.registry);
    yield;
    if (this.hooks.prepare) yield* this.hooks.prepare(root, evaluation);
    return evaluation;
  }

  /**
   * Evaluates in slices of at most SLICE_MS, letting requests and edits in between; when it is done,
   * the clan is due and its model takes the result.
   */
  private start(root: string): void {
    const request = this.requests.get(root);
    if (!request) return;
    const job = { cancelled: false };
    this.jobs.set(root, job);
    const steps = this.evaluationSteps(root, request);
    const started = performance.now();
    const done = (evaluation: ClanEvaluation | null) => {
      this.jobs.delete(root);
      this.finished.set(root, evaluation);
      this.dueRoots.add(root);
      this.hooks.due(root);
      this.onDeferredChange();
      for (const resolve of this.waiters.splice(0)) resolve();
    };
    const slice = () => {
      if (job.cancelled) {
        // ends the generator: its finally blocks free what it holds in wasm (a tree, a cursor)
        steps.return(undefined as never);
        return;
      }
      if (turnForRequests() || inTurnsUnderWay()) {
        // a message came in: its way to an answer takes a few turns of the event loop; none waits for a
        // slice. A publish under way goes first too: it is short, and the two at once held both their garbage.
        setImmediate(slice);
        return;
      }
      const sliceStart = performance.now();
      const until = sliceStart + SLICE_MS;
      try {
        for (;;) {
          const stepStart = SLOW_MS ? performance.now() : 0;
          const step = steps.next();
          if (SLOW_MS && performance.now() - stepStart > SLOW_MS) this.log(`slow: one evaluation step took ${Math.round(performance.now() - stepStart)} ms${step.done ? ' (the last)' : ''}`);
          if (step.done) {
            this.log(`evaluated the registry pipeline of ${root} in ${Math.round(performance.now() - started)} ms`);
            return done(step.value);
          }
          if (performance.now() >= until) break;
        }
      } catch (e) {
        this.logFailure(root, e);
        return done(null);
      }
      if (SLOW_MS && performance.now() - sliceStart > SLOW_MS) this.log(`slow: an evaluation slice took ${Math.round(performance.now() - sliceStart)} ms`);
      setImmediate(slice);
    };
    setImmediate(slice);
  }
}

function sameRequest(a: EvaluationRequest, b: EvaluationRequest): boolean {
  const same = (x: string[] | null, y: string[] | null) => x === y || (!!x && !!y && x.length === y.length && x.every((m, i) => m === y[i]));
  return a.files.registryFile === b.files.registryFile && a.files.matrixFile === b.files.matrixFile && a.files.generatorsFile === b.files.generatorsFile && same(a.hints.machines, b.hints.machines);
}
