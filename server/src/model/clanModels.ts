// The models of the clans of one workspace index, built from its facts on demand and kept until
// something of their clan changes. The parts of a model are reused separately: the generator half
// while generators, registry and evaluation are unchanged; the machine model while everything it
// reads (generators, module structure, registry, matrix, vars folders) is unchanged.
import type { Derived } from '../base/query';
import type { ClanEvaluation } from './clanEvaluation';
import type { FileFacts } from '../facts/types';
import type { WorkspaceIndex } from './workspaceIndex';
import { buildClanModel, type ClanModel, type FilesWith, GeneratorIndex, pickFiles } from './clanModel';
import type { RuleInput } from '../facts/types';
import { buildMachineModel, buildMachineStructure, type MachineModel, type MachineStructure } from './machineModel';

export interface ViewStamp {
  versions: string;
  evaluation: ClanEvaluation | null;
  settings: object;
}

/** Whether two stamps differ (see ClanModels.viewStamps). */
export const stampChanged = (a: ViewStamp | undefined, b: ViewStamp) => !a || a.versions !== b.versions || a.evaluation !== b.evaluation || a.settings !== b.settings;

export class ClanModels {
  private models = new Map<string, { generation: string; model: ClanModel }>();
  /** Per clan: the generator index and the `generators` version it is up to date with (its registry part is brought up to date by the model). */
  private generatorIndexes = new Map<string, { version: number; index: GeneratorIndex }>();
  private machineModels = new Map<string, { key: string; evaluation: ClanEvaluation | null; generators: GeneratorIndex; version: number; model: MachineModel }>();
  private structures = new Map<string, { key: string; structure: MachineStructure }>();
  /** Per clan and pick function: the files it picks, a query that reads the version of its input (model/ruleInputs.ts). */
  private picked = new Map<string, Map<Function, Derived<FilesWith<unknown>>>>();

  constructor(private readonly index: WorkspaceIndex) {}

  /** The model of one clan, rebuilt when one of its files changed; its inputs settled first (WorkspaceIndex.settle). */
  clan(root: string): ClanModel {
    const generation = this.index.generation(root);
    const kept = this.models.get(root);
    if (kept && kept.generation === generation) return kept.model;
    const files = this.index.filesOf(root);
    const evaluation = this.index.evaluationOf(root);
    const v = this.index.versionsOf(root);
    const reuse = v ? this.generatorIndexOf(root, files, v.generators) : null;
    const machinesKey = v ? `${v.generators},${v.modules},${v.registry},${v.matrix},${v.vars}` : null;
    const generatorsVersion = v?.generators ?? 0;
    const model = buildClanModel(root, this.index.getSettings(), files, evaluation, reuse, (clan) => {
      const m = this.machineModels.get(root);
      if (m && machinesKey !== null && m.key === machinesKey && m.evaluation === evaluation && m.generators === clan.generatorIndex) return m.model;
      // the machines and their module graph depend on the module structure and the machines the
      // matrix names, not on the generators, the registry or the matrix's keys
      const structureKey = v ? `${v.modules},${v.vars},${clan.matrix?.facts.machines.join('\0') ?? ''}` : null;
      const s = this.structures.get(root);
      const reused = s && structureKey !== null && s.key === structureKey;
      const structure = reused ? s.structure : buildMachineStructure(clan, this.index.external.modulesOf(root, this.index.getSettings().clanCorePath), this.index.parser);
      if (structureKey !== null) this.structures.set(root, { key: structureKey, structure });
      // only generators changed since the last model: update the machines that have the changed files
      const changed = reused && m && v ? this.index.generatorChangesSince(root, m.version) : null;
      return buildMachineModel(clan, structure, changed && m ? { model: m.model, changed } : undefined);
    }, <T,>(input: RuleInput, pick: (facts: FileFacts) => readonly T[]) => this.filesWith(root, files, input, pick));
    if (v) this.generatorIndexes.set(root, { version: v.generators, index: model.generatorIndex });
    if (machinesKey !== null) {
      const machineModel = model.machineModel;
      // remember the machine model once it has been built for this key
      model.machineModel = () => {
        const built = machineModel();
        this.machineModels.set(root, { key: machinesKey, evaluation, generators: model.generatorIndex, version: generatorsVersion, model: built });
        return built;
      };
    }
    this.models.set(root, { generation, model });
    return model;
  }

  /**
   * The clan's generator index brought up to date by replacing the files whose generators changed,
   * or null when it must be built afresh (none yet, or the changes are not known file by file).
   */
  private generatorIndexOf(root: string, files: Map<string, FileFacts>, version: number): GeneratorIndex | null {
    const kept = this.generatorIndexes.get(root);
    if (!kept) return null;
    if (kept.version === version) return kept.index;
    const changes = this.index.generatorChangesSince(root, kept.version);
    if (!changes) return null;
    for (const file of changes.files) kept.index.setFile(file, files.get(file));
    kept.version = version;
    return kept.index;
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
   * registry, matrix, vars on disk, the evaluation). A new stamp means a view may differ.
   */
  viewStamps(): Map<string, ViewStamp> {
    const out = new Map<string, ViewStamp>();
    for (const [root, kept] of this.models) {
      const v = this.index.versionsOf(root);
      out.set(root, { versions: v ? `${v.generators},${v.modules},${v.registry},${v.matrix},${v.vars}` : kept.generation, evaluation: kept.model.evaluation, settings: kept.model.settings });
    }
    return out;
  }

  /** What the models were built at (each clan's generation, its generator index's versions, its machine model's serial): what a read must never change. */
  revisions(): string {
    const out: Record<string, unknown> = {};
    for (const [root, kept] of [...this.models].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const index = this.generatorIndexes.get(root);
      out[root] = { generation: kept.generation, index: index ? [index.version, index.index.version, index.index.namesVersion] : null, machines: this.machineModels.get(root)?.model.serial ?? null };
    }
    return JSON.stringify(out);
  }

  /** Forgets every model (the settings changed). */
  clear(): void {
    this.picked.clear();
    this.models.clear();
    this.generatorIndexes.clear();
    this.machineModels.clear();
    this.structures.clear();
  }
}
