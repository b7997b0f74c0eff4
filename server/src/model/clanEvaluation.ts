// Evaluates a clan's registry, matrix and `vars-generators.nix` call per machine with the
// evaluator (server/src/eval), so the rules see what Nix would see: registry entries built by
// helpers, computed names, and the generators each machine really gets. A `throw` reached while
// computing a machine's generators is kept with the location of the value that caused it (the
// key string in the matrix). Results are plain data; nothing here holds syntax trees or thunks.
import type { Location, Range } from '../base/types';
import type { MatrixFacts, MatrixKeyRef, RegistryEntry, RegistryFacts } from '../facts/types';
import { addKeyRef, Places } from '../facts/places';
import type { NixParser } from '../syntax/nixParser';
import { AstCache, callFunction, evalFile, newContext, NixError, run, Thunk, type Context, type Loc, type Value } from '../facts/eval/index';
import { mkAttrs, unknown } from '../facts/eval/values';
import { validationHash } from '../facts/eval/validationHash';
import { runSteps } from '../facts/eval/runSteps';
import type { EvalReads } from '../facts/eval/context';
import { Attached } from '../base/attached';

export interface EvaluatedGenerator {
  name: string;
  /** Where the name was written (the registry's `generator = "..."`), when known. */
  nameLocation: Location | null;
  files: string[] | null;
  prompts: string[] | null;
  share: boolean | null;
  dependencies: string[] | null;
  /** The `.validation-hash` clan writes: null for no validation, undefined when not known statically. */
  validationHash: string | null | undefined;
  /** The values of the options the option rules check (EVALUATED_OPTIONS), where they are written. */
  options?: EvaluatedOption[];
}

/** An option's value as the pipeline computed it: a literal, and the place it is written. */
export interface EvaluatedOption {
  path: string[];
  literal: string | boolean | number;
  location: Location;
}

/** The options of files and prompts whose values the option rules check (enumOption.ts, invalidOptionType.ts). */
const EVALUATED_OPTIONS = { files: ['neededFor', 'secret', 'deploy'], prompts: ['type', 'persist'] } as const;

/** Those options of one evaluated generator, where their values are literals written in a file. */
function optionsOf(ctx: Context, g: Value): EvaluatedOption[] {
  const out: EvaluatedOption[] = [];
  if (g.t !== 'attrs') return out;
  for (const kind of ['files', 'prompts'] as const) {
    const set = g.attrs.get(kind);
    const items = set ? forceOr(ctx, set, (v) => (v.t === 'attrs' ? v : undefined)) : undefined;
    for (const [item, t] of items?.attrs ?? []) {
      const attrs = forceOr(ctx, t, (v) => (v.t === 'attrs' ? v : undefined));
      for (const option of EVALUATED_OPTIONS[kind]) {
        const v = forceOr(ctx, attrs?.attrs.get(option), (x) => x);
        if (!v?.loc || (v.t !== 'string' && v.t !== 'bool' && v.t !== 'int')) continue;
        out.push({ path: [kind, item, option], literal: v.t === 'int' ? Number(v.v) : v.v, location: toLocation(v.loc) });
      }
    }
  }
  return out;
}

export interface EvaluationThrow {
  message: string;
  /** The value that caused it (a matrix key), else the `throw` itself. */
  location: Location;
  /** Where the `throw` is written, when it differs from `location`. */
  thrownAt: Location | null;
  machine: string;
}

export interface ClanEvaluation {
  /** Registry entries as evaluated, or null when the registry's value is unknown. */
  registry: RegistryFacts | null;
  /** Machines and their keys as evaluated, or null when the matrix's value is unknown. */
  matrix: MatrixFacts | null;
  /** Per machine: its generators by name, or null when they could not be computed. */
  machines: Map<string, EvaluatedGenerator[] | null>;
  throws: EvaluationThrow[];
  /** Variables bound nowhere in the files the evaluation imported: Nix rejects those files ("undefined variable"). */
  undefinedVariables: EvaluatedUndefinedVariable[];
  /** Every file the evaluation read, with the text it saw (null: unreadable). Updated when a re-evaluation gave the same result. */
  inputs: Map<string, string | null>;
  /** The files the registry's evaluation read (the registry file and what it imports): while they are unchanged, so is `registry`. */
  registryInputs: Map<string, string | null>;
  /** Only `registry` is known (its inputs are unchanged, others changed): what is served until a new evaluation lands. */
  registryOnly?: true;
}

export interface EvaluatedUndefinedVariable {
  name: string;
  location: Location;
  /** The names in scope where it is written, for a did-you-mean. */
  inScope: string[];
}

export interface ClanFiles {
  registryFile: string;
  matrixFile: string;
  generatorsFile: string;
}

/** Machines named by the literal extraction (it knows helper lists such as `sharedCore`). */
export interface LiteralHints {
  machines: string[] | null;
}

const toLocation = (l: Loc): Location => ({ file: l.file, range: l.range });

/** Arguments the real callers pass from outside the pure files (a module's pkgs, lib, config...). */
const OUTSIDE_ARGS = new Set(['pkgs', 'lib', 'config', 'options', 'inputs', 'self', 'system', 'specialArgs', 'modulesPath', 'osConfig', 'clan-core', 'nixpkgs']);

/** Per evaluation: the thunk of each argument filled from outside, one per name, so that calls given the same arguments are alike (evalFunction.ts keeps their results). */
const OUTSIDE_THUNKS = new Attached<Context, Map<string, Thunk>>('outsideArguments');

function outsideArgument(ctx: Context, name: string): Thunk {
  const thunks = OUTSIDE_THUNKS.get(ctx) ?? OUTSIDE_THUNKS.set(ctx, new Map());
  let t = thunks.get(name);
  if (!t) thunks.set(name, (t = Thunk.of(unknown(`argument ${name}`))));
  return t;
}

/**
 * Calls a file's function with `given`; required formals and the ones real callers fill from
 * outside (`pkgs` even with `pkgs ? null`) are unknown, other defaults apply.
 */
function applyWithUnknowns(ctx: Context, v: Value, given: Map<string, Thunk>): Value {
  if (v.t !== 'lambda') return v;
  const args = new Map(given);
  for (const [name, hasDefault] of v.formals ?? []) {
    if (!args.has(name) && (!hasDefault || OUTSIDE_ARGS.has(name))) args.set(name, outsideArgument(ctx, name));
  }
  return callFunction(ctx, v, Thunk.of(mkAttrs(args)), null);
}

function forceOr<T>(ctx: Context, t: Thunk | undefined, pick: (v: Value) => T | undefined): T | undefined {
  if (!t) return undefined;
  const r = run(() => pick(t.force(ctx)));
  return 'ok' in r ? r.ok : undefined;
}

const str = (v: Value) => (v.t === 'string' ? v.v : v.t === 'null' ? null : undefined);
const bool = (v: Value) => (v.t === 'bool' ? v.v : undefined);
const names = (v: Value) => (v.t === 'attrs' && !v.open ? [...v.attrs.keys()].sort() : undefined);

function stringList(ctx: Context, v: Value): string[] | undefined {
  if (v.t !== 'list') return undefined;
  const out: string[] = [];
  for (const item of v.items) {
    const s = item.force(ctx);
    if (s.t !== 'string') return undefined;
    out.push(s.v);
  }
  return out;
}

/** Steps between which an evaluation may pause (evaluateClanSteps). */
const ENTRIES_PER_STEP = 50;

function* evalRegistry(ctx: Context, file: string): Generator<void, RegistryFacts | null> {
  const r = run(() => applyWithUnknowns(ctx, evalFile(ctx, file), new Map()));
  if (!('ok' in r) || r.ok.t !== 'attrs' || r.ok.open) return null;
  const set = r.ok;
  const entries: RegistryEntry[] = [];
  const zero: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  for (const [key, thunk] of set.attrs) {
    if (entries.length % ENTRIES_PER_STEP === ENTRIES_PER_STEP - 1) yield;
    const nameLoc = set.nameLocs?.get(key);
    const keyRange = nameLoc && nameLoc.file === file ? nameLoc.range : zero;
    const e = run(() => thunk.force(ctx));
    const v = 'ok' in e && e.ok.t === 'attrs' ? e.ok : null;
    const field = (n: string) => v?.attrs.get(n);
    const gen = forceOr(ctx, field('generator'), (g) => (g.t === 'string' ? g : undefined));
    entries.push({
      key,
      keyRange,
      generator: gen
        ? { name: gen.v, pattern: null, range: gen.loc?.file === file ? gen.loc.range : (gen.origins?.find((o) => o.file === file)?.range ?? keyRange) }
        : null,
      envVar: forceOr(ctx, field('envVar'), str) ?? null,
      fileAttr: forceOr(ctx, field('fileAttr'), str) ?? null,
      secret: forceOr(ctx, field('secret'), bool) ?? null,
      files: forceOr(ctx, field('files'), names) ?? [],
      prompts: forceOr(ctx, field('prompts'), names) ?? [],
      script: forceOr(ctx, field('script'), str) ?? null,
      domain: forceOr(ctx, field('domain'), str) ?? null,
      kind: forceOr(ctx, field('kind'), str) ?? null,
    });
  }
  return { entries, understood: true };
}

function* evalMatrix(ctx: Context, file: string, hints: LiteralHints): Generator<void, { facts: MatrixFacts; lists: Map<string, Thunk> } | null> {
  const r = run(() => {
    let v = applyWithUnknowns(ctx, evalFile(ctx, file), new Map());
    if (v.t === 'attrs' && v.attrs.has('envMatrix')) v = v.attrs.get('envMatrix')!.force(ctx);
    return v;
  });
  if (!('ok' in r) || r.ok.t !== 'attrs' || r.ok.open) return null;
  const lists = new Map<string, Thunk>();
  const refs = new Places<MatrixKeyRef>();
  const wanted = hints.machines && new Set(hints.machines);
  let n = 0;
  for (const [machine, thunk] of r.ok.attrs) {
    if (wanted && !wanted.has(machine)) continue;
    if (++n % ENTRIES_PER_STEP === 0) yield;
    const l = run(() => thunk.force(ctx));
    if (!('ok' in l) || l.ok.t !== 'list') continue;
    lists.set(machine, thunk);
    for (const item of l.ok.items) {
      const s = run(() => item.force(ctx));
      if (!('ok' in s) || s.ok.t !== 'string' || s.ok.loc?.file !== file) continue;
      addKeyRef(refs, s.ok.v, s.ok.loc.range, machine);
    }
  }
  return { facts: { machines: [...lists.keys()], keys: refs.values(), understood: true }, lists };
}

/**
 * One object per distinct evaluated generator: machines whose keys select the same registry entry
 * get equal generators (on the shared 1x clan, 11,000 of them are 2,000 distinct), kept once. They
 * are found first by what they are made of: the values of the fields a generator's record reads
 * (`RECORD_FIELDS`), which are the same objects on every machine that selects the entry (the
 * registry's values are computed once), so a record is made once per distinct entry; records made
 * of other objects are then kept once by their content.
 */
class GeneratorRecords {
  private readonly byContent = new Map<string, EvaluatedGenerator>();
  private readonly byParts = new Map<string, EvaluatedGenerator>();
  /** A number per field value met, by identity. */
  private readonly ids = new Map<Value, number>();

  /** The record of generator `name` (whose value is `g`, its name written at `nameLoc`), made by `make` unless one made of the same values is kept. */
  recordOf(ctx: Context, name: string, nameLoc: Loc | undefined, g: Value, make: () => EvaluatedGenerator): EvaluatedGenerator {
    const parts = this.partsKey(ctx, name, nameLoc, g);
    const kept = parts === null ? undefined : this.byParts.get(parts);
    if (kept) return kept;
    const made = this.interned(make());
    if (parts !== null) this.byParts.set(parts, made);
    return made;
  }

  /** Its name, where it is written, and which objects its fields' values are; null when a field cannot be forced (its record then says so, from its content). */
  private partsKey(ctx: Context, name: string, nameLoc: Loc | undefined, g: Value): string | null {
    if (g.t !== 'attrs') return null;
    let key = nameLoc ? `${name}\0${nameLoc.file}\0${nameLoc.range.start.line},${nameLoc.range.start.character},${nameLoc.range.end.line},${nameLoc.range.end.character}` : `${name}\0`;
    for (const field of RECORD_FIELDS) {
      const t = g.attrs.get(field);
      if (!t) {
        key += '\0-';
        continue;
      }
      const r = run(() => t.force(ctx));
      if (!('ok' in r)) return null;
      let id = this.ids.get(r.ok);
      if (id === undefined) this.ids.set(r.ok, (id = this.ids.size));
      key += `\0${id}`;
    }
    return key;
  }

  private interned(g: EvaluatedGenerator): EvaluatedGenerator {
    const key = JSON.stringify(g);
    const kept = this.byContent.get(key);
    if (kept) return kept;
    this.byContent.set(key, g);
    return g;
  }
}

/** The fields of a generator's value that its record (evalMachine) is made from. */
const RECORD_FIELDS = ['files', 'prompts', 'share', 'dependencies', 'validation'] as const;

function evalMachine(ctx: Context, gens: Value, keys: Thunk, machine: string, matrixFile: string, throws: EvaluationThrow[], records: GeneratorRecords): EvaluatedGenerator[] | null {
  const r = run(() => {
    const v = applyWithUnknowns(ctx, gens, new Map([['keys', keys]]));
    if (v.t !== 'attrs' || v.open) return null;
    const out: EvaluatedGenerator[] = [];
    for (const [name, thunk] of v.attrs) {
      const g = thunk.force(ctx);
      const nameLoc = v.nameLocs?.get(name);
      out.push(
        records.recordOf(ctx, name, nameLoc, g, () => {
          const field = (n: (typeof RECORD_FIELDS)[number]) => (g.t === 'attrs' ? g.attrs.get(n) : undefined);
          const validation = field('validation');
          return {
            name,
            nameLocation: nameLoc ? toLocation(nameLoc) : null,
            files: forceOr(ctx, field('files'), names) ?? null,
            prompts: forceOr(ctx, field('prompts'), names) ?? (field('prompts') ? null : []),
            share: forceOr(ctx, field('share'), bool) ?? (field('share') ? null : false),
            dependencies: forceOr(ctx, field('dependencies'), (d) => stringList(ctx, d)) ?? (field('dependencies') ? null : []),
            validationHash: validation ? forceOr(ctx, validation, (x) => validationHash(ctx, x)) : null,
            options: optionsOf(ctx, g),
          };
        }),
      );
    }
    return out;
  });
  if ('ok' in r) return r.ok;
  if ('error' in r && (r.error.kind === 'throw' || r.error.kind === 'abort')) throws.push(describeThrow(r.error, machine, matrixFile));
  return null;
}

function describeThrow(e: NixError, machine: string, matrixFile: string): EvaluationThrow {
  const cause = e.causes.find((c) => c.file === matrixFile) ?? e.causes[0] ?? null;
  const at = e.loc ? toLocation(e.loc) : null;
  const location = cause ? toLocation(cause) : (at ?? { file: matrixFile, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } });
  return { message: e.nixMessage, location, thrownAt: cause ? at : null, machine };
}

export interface EvaluateOptions {
  /** What it reads: the clan's files, and nothing outside the clan (facts/eval/context.ts readsWithin). */
  reads: EvalReads;
  astCache: AstCache;
  maxSteps?: number;
}

/** Evaluates the registry, the matrix and each machine's generators. Never throws. */
export function evaluateClan(parser: NixParser, files: ClanFiles, hints: LiteralHints, options: EvaluateOptions): ClanEvaluation {
  return runSteps(evaluateClanSteps(parser, files, hints, options));
}

/**
 * The same, in steps (a machine, or a few dozen registry entries or matrix lines, each), so the
 * server can evaluate in slices between requests and drop an evaluation an edit made stale.
 */
export function* evaluateClanSteps(parser: NixParser, files: ClanFiles, hints: LiteralHints, options: EvaluateOptions): Generator<void, ClanEvaluation> {
  const ctx = newContext(parser, { reads: options.reads, astCache: options.astCache, maxSteps: options.maxSteps ?? 1_000_000 });
  // Reading through the context records the text, so a later change (or a new file) is noticed.
  const exists = (file: string) => {
    const text = options.reads.readFile(file);
    ctx.filesRead.set(file, text);
    return text !== null;
  };
  // the inputs' ASTs first, built in steps (a large registry takes a few hundred ms in one go)
  for (const file of [files.registryFile, files.matrixFile, files.generatorsFile]) {
    const text = options.reads.readFile(file);
    if (text !== null) yield* ctx.astCache.prepare(parser, file, text);
  }
  const registry = exists(files.registryFile) ? yield* evalRegistry(ctx, files.registryFile) : null;
  const registryInputs = new Map(ctx.filesRead);
  yield;
  const matrix = exists(files.matrixFile) ? yield* evalMatrix(ctx, files.matrixFile, hints) : null;
  yield;
  const machines = new Map<string, EvaluatedGenerator[] | null>();
  const throws: EvaluationThrow[] = [];
  const records = new GeneratorRecords();
  if (matrix && exists(files.generatorsFile)) {
    const gens = run(() => evalFile(ctx, files.generatorsFile));
    if ('ok' in gens && gens.ok.t === 'lambda') {
      for (const [machine, keys] of matrix.lists) {
        machines.set(machine, evalMachine(ctx, gens.ok, keys, machine, files.matrixFile, throws, records));
        yield;
      }
    }
  }
  const undefinedVariables = [...ctx.undefinedVariables].flatMap(([file, vars]) => vars.map((v) => ({ name: v.name, location: { file, range: v.range }, inScope: v.inScope })));
  return { registry, matrix: matrix?.facts ?? null, machines, throws, undefinedVariables, inputs: new Map(ctx.filesRead), registryInputs };
}

/** Whether every input of an earlier evaluation (or of its registry, `inputs`) still has the text it had. */
export function inputsUnchanged(evaluation: ClanEvaluation, readFile: (file: string) => string | null, inputs = evaluation.inputs): boolean {
  for (const [file, text] of inputs) if (readFile(file) !== text) return false;
  return true;
}

const registryParts = new Attached<ClanEvaluation, ClanEvaluation>('registryPart');

/** The registry part of an evaluation: its registry, nothing else known (one object per evaluation). */
export function registryPart(evaluation: ClanEvaluation): ClanEvaluation {
  let part = registryParts.get(evaluation);
  if (!part) {
    const { registry, registryInputs } = evaluation;
    part = { registry, matrix: null, machines: new Map(), throws: [], undefinedVariables: [], inputs: registryInputs, registryInputs, registryOnly: true };
    registryParts.set(evaluation, part);
  }
  return part;
}
