// The models of the clans of one workspace index: queries of its query database (base/query.ts),
// derived from the index's cells (each clan's generation, the version of each rule input, the
// settled evaluation), kept until a cell they read changes. The parts of a model are queries of
// their own: the generator index while the generators are unchanged (updated file by file from the
// one before); the machine structure while the module structure, the vars folders and the machines
// the matrix names are unchanged (an edit of the matrix's keys stops there: early cut-off); the
// machine model while generators, module structure, registry, matrix and vars are unchanged.
import type { Derived } from '../base/query';
import type { FileFacts } from '../facts/types';
import type { WorkspaceIndex } from './workspaceIndex';
import { buildClanModel, type ClanModel, type FilesWith, GeneratorIndex, pickFiles } from './clanModel';
import type { RuleInput } from '../facts/types';
import { buildMachineModel, buildMachineStructure, type MachineModel, type MachineStructure } from './machineModel';
import * as path from 'node:path';
import { recordReads } from '../facts/eval/context';

/** What a clan's generator views read, as one value: a new one means a view may differ (ClanModels.viewStamps). */
export type ViewStamp = object;

/** Whether two stamps differ (see ClanModels.viewStamps). */
export const stampChanged = (a: ViewStamp | undefined, b: ViewStamp) => a !== b;

/** The rule inputs the machine model is made from (the generator views read them too). */
const MACHINE_INPUTS: readonly RuleInput[] = ['generators', 'modules', 'registry', 'matrix', 'vars'];

/** The queries one clan's model is made of. */
interface ClanQueries {
  /** The model: the files, registry and matrix as merged with the evaluation, the parts below. Computed again on every change of the clan (cheap: the parts are kept). */
  model: Derived<ClanModel>;
  /** The generator index and the `generators` version it is up to date with. */
  index: Derived<{ index: GeneratorIndex; version: number }>;
  /** The machines the matrix names, as the machine structure reads them. */
  matrixMachines: Derived<string>;
  structure: Derived<MachineStructure>;
  /** The machine model, the structure it was built on and the `generators` version it is up to date with. */
  machines: Derived<{ model: MachineModel; structure: MachineStructure; version: number }>;
  /** A new object whenever what the generator views read changed. */
  views: Derived<ViewStamp>;
}

export class ClanModels {
  private clans = new Map<string, ClanQueries>();
  /** Per clan and pick function: the files it picks, a query that reads the version of its input (model/ruleInputs.ts). */
  private picked = new Map<string, Map<Function, Derived<FilesWith<unknown>>>>();

  constructor(private readonly index: WorkspaceIndex) {}

  /** The model of one clan, as of its current generation; its inputs settled first (WorkspaceIndex.settle). */
  clan(root: string): ClanModel {
    return this.queriesOf(root).model.get();
  }

  private queriesOf(root: string): ClanQueries {
    let q = this.clans.get(root);
    if (!q) this.clans.set(root, (q = this.queries(root)));
    return q;
  }

  /**
   * Reads the cells of the rule inputs `inputs` of a clan (its generation while it has no versions:
   * then anything may have changed).
   */
  private readInputs(root: string, inputs: readonly RuleInput[]): void {
    const v = this.index.versionsOf(root);
    if (!v) this.index.generation(root);
    else for (const input of inputs) void v[input];
  }

  private queries(root: string): ClanQueries {
    const db = this.index.db;
    const settings = () => this.index.getSettings();
    // a part reads the model it is a part of untracked: what it reads of it is covered by the cells it reads itself
    const shell = () => db.untracked(() => q.model.get());
    const q: ClanQueries = {
      model: db.derived(() => {
        this.index.generation(root);
        const files = this.index.filesOf(root);
        const evaluation = this.index.evaluationOf(root);
        return buildClanModel(root, settings(), files, evaluation, q.index.get().index, () => q.machines.get().model, <T,>(input: RuleInput, pick: (facts: FileFacts) => readonly T[]) => this.filesWith(root, files, input, pick));
      }),
      index: db.derived((previous) => {
        this.readInputs(root, ['generators']);
        const version = this.index.versionsOf(root)?.generators ?? -1;
        const files = this.index.filesOf(root);
        if (previous && version >= 0) {
          if (previous.version === version) return previous;
          const changes = this.index.generatorChangesSince(root, previous.version);
          if (changes) {
            for (const file of changes.files) previous.index.setFile(file, files.get(file));
            return { index: previous.index, version };
          }
        }
        return { index: new GeneratorIndex(path.resolve(root, settings().registryPath), path.resolve(root, settings().generatorsPath), files), version };
      }),
      matrixMachines: db.derived(() => {
        this.readInputs(root, ['matrix']);
        this.index.evaluationOf(root);
        return shell().matrix?.facts.machines.join('\0') ?? '';
      }),
      structure: db.derived((): MachineStructure => {
        // the machines and their module graph depend on the module structure and the machines the
        // matrix names, not on the generators, the registry or the matrix's keys
        this.readInputs(root, ['modules', 'vars']);
        q.matrixMachines.get();
        const { value, paths } = recordReads(() => buildMachineStructure(shell(), this.index.external.modulesOf(root, settings().clanCorePath), this.index.parser));
        return { ...value, reads: paths };
      }),
      machines: db.derived((previous) => {
        this.readInputs(root, MACHINE_INPUTS);
        this.index.evaluationOf(root);
        q.index.get();
        const structure = q.structure.get();
        const clan = shell();
        const version = this.index.versionsOf(root)?.generators ?? -1;
        // only generators changed since the last model: update the machines that have the changed files
        const same = previous && version >= 0 && previous.structure === structure;
        const changed = same ? this.index.generatorChangesSince(root, previous.version) : null;
        // the structure's evaluations that run only when a machine asks (a module set computed from the file tree) read here
        const { value: model, paths } = recordReads(() => buildMachineModel(clan, structure, changed && previous ? { model: previous.model, changed } : undefined));
        for (const p of paths) structure.reads?.add(p);
        return { model, structure, version };
      }),
      views: db.derived(() => {
        this.readInputs(root, MACHINE_INPUTS);
        this.index.settledEvaluation(root);
        return {};
      }),
    };
    return q;
  }

  /**
   * The paths the evaluations of a clan's module structure read, as of its last structure (none
   * before one was built): a change on disk at or below one of them changes the structure
   * (WorkspaceAnalysis.changedOnDisk).
   */
  readsOnDisk(root: string): ReadonlySet<string> | undefined {
    return this.clans.get(root)?.structure.peek()?.reads;
  }

  /** The files `pick` gives something for, taken again only when the clan's `input` changed. */
  private filesWith<T>(root: string, files: Map<string, FileFacts>, input: RuleInput, pick: (facts: FileFacts) => readonly T[]): FilesWith<T> {
    if (!this.index.versionsOf(root)) return pickFiles(files, pick);
    let byPick = this.picked.get(root);
    if (!byPick) this.picked.set(root, (byPick = new Map()));
    let query = byPick.get(pick);
    if (!query) {
      query = this.index.db.derived(() => {
        void this.index.versionsOf(root)?.[input]; // the one input it reads: the index bumps it when a file's contribution changes
        return pickFiles<unknown>(this.index.filesOf(root), pick);
      });
      byPick.set(pick, query);
    }
    return query.get() as FilesWith<T>;
  }

  /**
   * Per clan whose model was built: a stamp of what its generator views read (generators, modules,
   * registry, matrix, vars on disk, the evaluation). A new stamp means a view may differ. Read by the
   * writer (the publisher), after its step.
   */
  viewStamps(): Map<string, ViewStamp> {
    const out = new Map<string, ViewStamp>();
    for (const [root, q] of this.clans) if (q.model.peek()) out.set(root, q.views.get());
    return out;
  }

  /** What the models were built at (each clan's generator index's versions, its machine model's serial): what a read must never change. */
  revisions(): string {
    const out: Record<string, unknown> = {};
    for (const [root, q] of [...this.clans].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const index = q.index.peek();
      out[root] = { model: q.model.changedAt, index: index ? [index.version, index.index.version, index.index.namesVersion] : null, machines: q.machines.peek()?.model.serial ?? null };
    }
    return JSON.stringify(out);
  }

  /** Forgets every model (the settings changed). */
  clear(): void {
    this.picked.clear();
    this.clans.clear();
  }
}
