// The models of the clans of one workspace index, built from its facts on demand and kept until
// something of their clan changes. The parts of a model are reused separately: the generator half
// while generators, registry and evaluation are unchanged; the machine model while everything it
// reads (generators, module structure, registry, matrix, vars folders) is unchanged.
import type { ClanEvaluation } from '../workspace/clanEvaluation';
import type { WorkspaceIndex } from '../workspace/workspaceIndex';
import { buildClanModel, type ClanModel, type GeneratorParts } from './clanModel';
import { buildMachineModel, buildMachineStructure, type MachineModel, type MachineStructure } from './machineModel';

export class ClanModels {
  private models = new Map<string, { generation: string; model: ClanModel }>();
  private generatorParts = new Map<string, { key: string; evaluation: ClanEvaluation | null; parts: GeneratorParts }>();
  private machineModels = new Map<string, { key: string; evaluation: ClanEvaluation | null; generators: unknown; version: number; model: MachineModel }>();
  private structures = new Map<string, { key: string; evaluation: ClanEvaluation | null; structure: MachineStructure }>();

  constructor(private readonly index: WorkspaceIndex) {}

  /** The model of one clan, rebuilt when one of its files changed. */
  clan(root: string): ClanModel {
    const generation = this.index.generation(root);
    const kept = this.models.get(root);
    if (kept && kept.generation === generation) return kept.model;
    const files = this.index.filesOf(root);
    const evaluation = this.index.evaluations.evaluate(root, files);
    const v = this.index.versionsOf(root);
    const partsKey = v ? `${v.generators},${v.registry}` : null;
    const parts = this.generatorParts.get(root);
    const reuse = parts && partsKey !== null && parts.key === partsKey && parts.evaluation === evaluation ? parts.parts : null;
    const machinesKey = v ? `${v.generators},${v.modules},${v.registry},${v.matrix},${v.vars}` : null;
    const generatorsVersion = v?.generators ?? 0;
    // the machines and their module graph depend on the module structure, not on the generators
    const structureKey = v ? `${v.modules},${v.matrix},${v.vars}` : null;
    const model = buildClanModel(root, this.index.getSettings(), files, evaluation, reuse, (clan) => {
      const m = this.machineModels.get(root);
      if (m && machinesKey !== null && m.key === machinesKey && m.evaluation === evaluation && m.generators === clan.generators) return m.model;
      const s = this.structures.get(root);
      const reused = s && structureKey !== null && s.key === structureKey && s.evaluation === evaluation;
      const structure = reused ? s.structure : buildMachineStructure(clan, this.index.external.modulesOf(root, this.index.getSettings().clanCorePath));
      if (structureKey !== null) this.structures.set(root, { key: structureKey, evaluation, structure });
      // only generators changed since the last model: update the machines that have the changed files
      const changed = reused && m && v ? this.index.generatorChangesSince(root, m.version) : null;
      return buildMachineModel(clan, structure, changed && m ? { model: m.model, changed } : undefined);
    });
    if (partsKey !== null) {
      const { generators, byName, namePatterns, namesOpen } = model;
      this.generatorParts.set(root, { key: partsKey, evaluation, parts: { generators, byName, namePatterns, namesOpen } });
    }
    if (machinesKey !== null) {
      const machineModel = model.machineModel;
      // remember the machine model once it has been built for this key
      model.machineModel = () => {
        const built = machineModel();
        this.machineModels.set(root, { key: machinesKey, evaluation, generators: model.generators, version: generatorsVersion, model: built });
        return built;
      };
    }
    this.models.set(root, { generation, model });
    return model;
  }

  /** Forgets every model (the settings changed). */
  clear(): void {
    this.models.clear();
    this.generatorParts.clear();
    this.machineModels.clear();
    this.structures.clear();
  }
}
