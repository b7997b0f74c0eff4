// Everything the rules and features see about one clan (a directory with a flake.nix, or the
// workspace folder): its files' facts, the registry and matrix, every generator declaration by name,
// and per machine the modules it has and the generators they declare (model/machineModel.ts).
import * as path from 'node:path';
import type { FileFacts, Generator, MatrixFacts, RegistryFacts } from '../facts/types';
import { noFacts } from '../facts/file';
import type { RuleInput } from '../facts/types';
import type { ClanEvaluation } from './clanEvaluation';
import { mergeMatrix, mergeRegistry, registryGeneratorsFromEvaluation } from './evaluatedFacts';
import type { AnalysisSettings } from '../base/settings';
import { varsOnDisk, type VarsOnDisk } from './varsOnDisk';
import { Glob } from '../base/glob';
import { closest, type Closest } from '../base/closestName';
import { addedInScanOrder, discoveryOrder } from '../base/discover';
import { addDeclaration, buildMachineModel, type MachineModel } from './machineModel';

export interface ClanModel {
  root: string;
  settings: AnalysisSettings;
  files: Map<string, FileFacts>;
  registry: { file: string; facts: RegistryFacts } | null;
  matrix: { file: string; facts: MatrixFacts } | null;
  /** Absolute path of `settings.generatorsPath`. */
  generatorsFile: string;
  /** The generators by file, by name and by the names they depend on (kept up to date per file). */
  generatorIndex: GeneratorIndex;
  generators: Generator[];
  /** Literal generator names -> their declarations. */
  byName: Map<string, Generator[]>;
  /** Generator names computed from interpolations, as wildcard patterns. */
  namePatterns: Glob[];
  /** True when some generator set cannot be enumerated, so any name might exist. */
  namesOpen: boolean;
  /** What is under vars/, sops/ and secrets/clan-vars/ (scanned on first use, then cached). */
  varsOnDisk(): VarsOnDisk;
  /** What evaluating the registry, the matrix and each machine's generators gave, if that ran. */
  evaluation: ClanEvaluation | null;
  /** The machines, their modules and their generators; built on first use. */
  machineModel(): MachineModel;
  /**
   * The files for which `pick` gives something, with what it gave, in file order. `pick` must read
   * only what the rule input `input` covers: the list is kept while that input is unchanged, so a
   * rule over a few files of a large clan does not walk every file on each keystroke.
   */
  filesWith<T>(input: RuleInput, pick: (facts: FileFacts) => readonly T[]): FilesWith<T>;
}

export type FilesWith<T> = { file: string; items: readonly T[] }[];

/** Every file's `pick`, non-empty ones only. */
export function pickFiles<T>(files: Map<string, FileFacts>, pick: (facts: FileFacts) => readonly T[]): FilesWith<T> {
  const out: FilesWith<T> = [];
  for (const facts of files.values()) {
    const items = pick(facts);
    if (items.length) out.push({ file: facts.file, items });
  }
  return out;
}

/** A declaration whose name is computed, with that name as a pattern. */
export interface ComputedDeclaration {
  g: Generator;
  glob: Glob;
}

/**
 * The generator half of a model, kept per clan and updated file by file: a keystroke in a module
 * replaces that file's generators here instead of regrouping the whole clan.
 */
export class GeneratorIndex {
  /** Each file's generators as the model counts them (the registry file's from its evaluation when there is one). */
  readonly byFile = new Map<string, Generator[]>();
  /** Literal generator names -> their declarations, in file order. */
  readonly byName = new Map<string, Generator[]>();
  /** A name in `dependencies` -> the generators naming it. */
  readonly dependents = new Map<string, Generator[]>();
  /** Bumped on every change. */
  version = 0;
  /** Bumped when a name is added or goes away. */
  namesVersion = 0;
  /** Suggestions among the names, while they are the same. */
  private suggestions = { namesVersion: 0, byQuery: new Map<string, Closest | null>() };
  /** How many generators there are. */
  count = 0;
  /** Each file's place, increasing along byFile, which is in the order a scan finds the files (base/discover.ts discoveryOrder: the clan's order, workspaceIndex.ts filesByRoot). */
  private readonly ordinal = new Map<string, number>();
  private nextOrdinal = 0;
  /** The file placed last (or one after it, once that file is gone): a new file after it is appended. */
  private last: string | undefined;
  /** Each file's declarations with computed names (few files have any). */
  private readonly computedByFile = new Map<string, Generator[]>();
  private readonly openFiles = new Set<string>();
  private list: Generator[] | null = null;
  private computedList: ComputedDeclaration[] | null = null;
  /** The patterns of computed names that say something of the name (not `*`), from `computed`. */
  private patterns: Glob[] | null = null;
  private evaluatedRegistry: Generator[] | null = null;
  private evaluation: ClanEvaluation | null | undefined = undefined;
  private registryUnderstood = false;

  /** The folders a module tells clan-vars-helper to read generator files from (my.secrets.discover.dir). */
  private readonly discoverDirs: Set<string>;

  constructor(
    private readonly registryFile: string,
    private readonly generatorsFile: string,
    files: Map<string, FileFacts>,
  ) {
    this.discoverDirs = new Set([...files.values()].flatMap((f) => (f.discoverDirs ?? []).flatMap((d) => (d.dir === null ? [] : [d.dir]))));
    // in the order a scan finds them (the index gives them so: sorting them again is one pass)
    for (const facts of [...files.values()].sort((a, b) => discoveryOrder(a.file, b.file))) this.setFile(facts.file, facts);
  }

  /**
   * Brings the registry's part up to date: the registry file's generators come from its
   * evaluation when there is one, and a registry the extraction understands closes the generator
   * set its pipeline computes. Only the files concerned are replaced.
   */
  useRegistry(evaluation: ClanEvaluation | null, understood: boolean, files: Map<string, FileFacts>): void {
    if (evaluation === this.evaluation && understood === this.registryUnderstood) return;
    const closes = understood !== this.registryUnderstood;
    this.evaluation = evaluation;
    this.registryUnderstood = understood;
    const registry = registryGeneratorsFromEvaluation(this.registryFile, evaluation?.registry);
    // an evaluation and its registry part, or two with the same registry: the same generators
    if (registry === this.evaluatedRegistry && !closes) return;
    this.evaluatedRegistry = registry;
    this.setFile(this.registryFile, files.get(this.registryFile));
    if (!closes) return;
    for (const facts of files.values()) if (facts.opaqueGeneratorSources.some((o) => o.importTarget === this.generatorsFile)) this.setFile(facts.file, facts);
  }

  /** Every generator, in file order. */
  get generators(): Generator[] {
    if (!this.list) {
      // a loop, not flat(): a keystroke makes the list again (17,000 generators in 8,000 files: 0.3 ms, flat() 1.8 ms)
      const list: Generator[] = [];
      for (const gs of this.byFile.values()) for (let i = 0; i < gs.length; i++) list.push(gs[i]);
      this.list = list;
    }
    return this.list;
  }

  /**
   * The declarations with computed names, in file order, each with its name as a pattern (`*` when
   * nothing of it is known): made again only when a file's such declarations changed, not on every
   * keystroke in a clan of thousands of generators.
   */
  get computed(): ComputedDeclaration[] {
    if (!this.computedList) {
      // the files in the order of byFile, which is that of their ordinals (both follow when a file came)
      const files = [...this.computedByFile.keys()].sort((a, b) => this.ordinal.get(a)! - this.ordinal.get(b)!);
      this.computedList = files.flatMap((f) => this.computedByFile.get(f)!.map((g) => ({ g, glob: new Glob(g.name.pattern ?? '*') })));
    }
    return this.computedList;
  }

  /** Generator names computed from interpolations, as wildcard patterns. */
  get namePatterns(): Glob[] {
    return (this.patterns ??= this.computed.flatMap((c) => (c.g.name.pattern === null || c.g.name.pattern === '*' ? [] : [c.glob])));
  }

  /** True when some generator set cannot be enumerated, so any name might exist. */
  get namesOpen(): boolean {
    return this.openFiles.size > 0;
  }

  /** Orders declarations as the clan's generators are ordered: by file, then as written in it. */
  readonly fileOrder = (a: Generator, b: Generator): number =>
    this.ordinal.get(a.file)! - this.ordinal.get(b.file)! || (this.byFile.get(a.file) ?? []).indexOf(a) - (this.byFile.get(b.file) ?? []).indexOf(b);

  /** The generator name closest to `name` (did you mean), remembered while the names stay the same. */
  closestName(name: string): Closest | null {
    if (this.suggestions.namesVersion !== this.namesVersion) this.suggestions = { namesVersion: this.namesVersion, byQuery: new Map() };
    const memo = this.suggestions.byQuery;
    if (!memo.has(name)) {
      if (memo.size >= 1024) memo.clear();
      memo.set(name, closest(name, this.byName.keys()));
    }
    return memo.get(name)!;
  }

  /** Replaces what one file contributes (`facts` undefined: the file is gone). */
  setFile(file: string, facts: FileFacts | undefined): void {
    // the registry file among no scanned files (a registry path not ending in .nix: clan imports it
    // all the same) while its evaluation read it: it has the evaluation's generators
    if (!facts && file === this.registryFile && this.evaluatedRegistry) facts = noFacts(file);
    this.version++;
    this.list = null;
    this.count -= this.byFile.get(file)?.length ?? 0;
    // names the file declared and no other file does: the set of names changed unless it declares them again
    const gone = new Set<string>();
    for (const g of this.byFile.get(file) ?? []) {
      if (g.name.name !== null && remove(this.byName, g.name.name, g)) gone.add(g.name.name);
      for (const d of g.dependencies) if (d.name !== null) remove(this.dependents, d.name, g);
    }
    if (this.computedByFile.delete(file)) this.computedList = this.patterns = null;
    this.openFiles.delete(file);
    if (!facts) {
      this.byFile.delete(file);
      this.ordinal.delete(file);
      if (gone.size) this.namesVersion++;
      return;
    }
    const added = !this.ordinal.has(file);
    // a generator file of a folder clan-vars-helper reads (the helper merges it into clan.core.vars.generators)
    const declared = facts.setGenerators && this.discoverDirs.has(path.dirname(file)) ? [...facts.generators, ...facts.setGenerators] : facts.generators;
    const own = file === this.registryFile && this.evaluatedRegistry ? [...declared.filter((g) => g.origin !== 'registry'), ...this.evaluatedRegistry] : declared;
    // Registry entries count only for the clan's own registry file.
    const counted = own.filter((g) => g.origin !== 'registry' || file === this.registryFile);
    this.byFile.set(file, counted);
    if (added) this.place(file);
    this.count += counted.length;
    const computed: Generator[] = [];
    for (const g of counted) {
      if (g.name.name !== null) {
        if (this.insert(g.name.name, g) && !gone.delete(g.name.name)) this.namesVersion++;
      } else {
        computed.push(g);
        if (g.name.pattern === '*' || g.name.pattern === null) this.openFiles.add(file);
      }
      for (const d of g.dependencies) if (d.name !== null) addDeclaration(this.dependents, d.name, g);
    }
    if (gone.size) this.namesVersion++;
    if (computed.length) {
      this.computedByFile.set(file, computed);
      this.computedList = this.patterns = null;
    }
    for (const o of facts.opaqueGeneratorSources) {
      const fromRegistry = o.importTarget === this.generatorsFile && this.registryUnderstood;
      if (!fromRegistry) this.openFiles.add(file);
    }
  }

  /**
   * Gives a file new to byFile its place in the order a scan finds files: the next number after the
   * others (the scan's case), or, when it went among them, byFile in that order again and every
   * file numbered again.
   */
  private place(file: string): void {
    const { last, reordered } = addedInScanOrder(this.byFile, file, this.last);
    this.last = last;
    if (!reordered) {
      this.ordinal.set(file, this.nextOrdinal++);
      return;
    }
    let i = 0;
    for (const f of this.byFile.keys()) this.ordinal.set(f, i++);
    this.nextOrdinal = i;
  }

  /** Adds a declaration to its name's list at its file's place, so the order is that of a fresh build; true for a new name. */
  private insert(name: string, g: Generator): boolean {
    const list = this.byName.get(name);
    if (!list) {
      this.byName.set(name, [g]);
      return true;
    }
    const at = this.ordinal.get(g.file)!;
    let i = list.length;
    while (i > 0 && this.ordinal.get(list[i - 1].file)! > at) i--;
    list.splice(i, 0, g);
    return false;
  }
}

/** Takes a generator out of its key's list; true when that was the last one (the key is gone). */
function remove(map: Map<string, Generator[]>, key: string, g: Generator): boolean {
  const list = map.get(key);
  if (!list) return false;
  const i = list.indexOf(g);
  if (i >= 0) list.splice(i, 1);
  if (list.length > 0) return false;
  map.delete(key);
  return true;
}

export function buildClanModel(
  root: string,
  settings: AnalysisSettings,
  files: Map<string, FileFacts>,
  evaluation: ClanEvaluation | null = null,
  reuse: GeneratorIndex | null = null,
  /** The machine model, when something else keeps it (model/clanModels.ts); built here on first use otherwise. */
  machineModel: (() => MachineModel) | null = null,
  filesWith: (<T>(input: RuleInput, pick: (facts: FileFacts) => readonly T[]) => FilesWith<T>) | null = null,
): ClanModel {
  const registryFile = path.resolve(root, settings.registryPath);
  const matrixFile = path.resolve(root, settings.matrixPath);
  const generatorsFile = path.resolve(root, settings.generatorsPath);
  // Evaluated facts where the evaluation knows them, the literal extraction otherwise.
  const registryFacts = mergeRegistry(files.get(registryFile)?.registry, evaluation?.registry);
  const matrixFacts = mergeMatrix(files.get(matrixFile)?.matrix, evaluation?.matrix);
  const registry = registryFacts ? { file: registryFile, facts: registryFacts } : null;
  const index = reuse ?? new GeneratorIndex(registryFile, generatorsFile, files);
  index.useRegistry(evaluation, !!registry?.facts.understood, files);
  let machines: MachineModel | null = null;
  const clan: ClanModel = {
    root,
    settings,
    files,
    registry,
    matrix: matrixFacts ? { file: matrixFile, facts: matrixFacts } : null,
    generatorsFile,
    generatorIndex: index,
    get generators() {
      return index.generators;
    },
    byName: index.byName,
    get namePatterns() {
      return index.namePatterns;
    },
    get namesOpen() {
      return index.namesOpen;
    },
    varsOnDisk: () => varsOnDisk(root),
    evaluation,
    machineModel: machineModel ?? (() => (machines ??= buildMachineModel(clan))),
    filesWith: filesWith ?? ((_input, pick) => pickFiles(files, pick)),
  };
  return clan;
}

/** The model seen through a subset of its generators (everything else as it is): rules re-run over part of a clan. */
export function withGenerators(clan: ClanModel, generators: Generator[]): ClanModel {
  return Object.create(clan, { generators: { value: generators, enumerable: true } }) as ClanModel;
}

/** The model as seen from some of its files: the files it picks (ClanModel.filesWith) are those only. */
export function withFiles(clan: ClanModel, files: ReadonlySet<string>): ClanModel {
  const filesWith: ClanModel['filesWith'] = (input, pick) => clan.filesWith(input, pick).filter((f) => files.has(f.file));
  return Object.create(clan, { filesWith: { value: filesWith, enumerable: true } }) as ClanModel;
}

/** Whether a generator with this literal name may exist in the clan. */
export function generatorMayExist(clan: ClanModel, name: string): boolean {
  return clan.namesOpen || generatorDeclared(clan, name);
}

/** Whether a module of the clan declares `name`, literally or by a computed-name pattern. */
export function generatorDeclared(clan: ClanModel, name: string): boolean {
  return clan.byName.has(name) || clan.namePatterns.some((re) => re.test(name));
}

export function relativeToClan(clan: ClanModel, file: string): string {
  return path.relative(clan.root, file) || path.basename(file);
}
