// Everything the rules and features see about one clan (a directory with a flake.nix, or the
// workspace folder): its files' facts, the registry and matrix, every generator declaration by name,
// and per machine the modules it has and the generators they declare (model/machineModel.ts).
import * as path from 'node:path';
import type { FileFacts, Generator, MatrixFacts, RegistryFacts } from './types';
import type { ClanEvaluation } from '../workspace/clanEvaluation';
import { mergeMatrix, mergeRegistry, registryGeneratorsFromEvaluation } from '../workspace/evaluatedFacts';
import type { AnalysisSettings } from '../workspace/settings';
import { varsOnDisk, type VarsOnDisk } from '../workspace/varsOnDisk';
import { Glob } from './glob';
import { buildMachineModel, type MachineModel } from './machineModel';

export interface ClanModel {
  root: string;
  settings: AnalysisSettings;
  files: Map<string, FileFacts>;
  registry: { file: string; facts: RegistryFacts } | null;
  matrix: { file: string; facts: MatrixFacts } | null;
  /** Absolute path of `settings.generatorsPath`. */
  generatorsFile: string;
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
}

/** The generator half of a model: reusable while the clan's generators and registry are unchanged. */
export type GeneratorParts = Pick<ClanModel, 'generators' | 'byName' | 'namePatterns' | 'namesOpen'>;

export function buildClanModel(
  root: string,
  settings: AnalysisSettings,
  files: Map<string, FileFacts>,
  evaluation: ClanEvaluation | null = null,
  reuse: GeneratorParts | null = null,
  reuseMachines: ((clan: ClanModel) => MachineModel | null) | null = null,
): ClanModel {
  const registryFile = path.resolve(root, settings.registryPath);
  const matrixFile = path.resolve(root, settings.matrixPath);
  const generatorsFile = path.resolve(root, settings.generatorsPath);
  // Evaluated facts where the evaluation knows them, the literal extraction otherwise.
  const registryFacts = mergeRegistry(files.get(registryFile)?.registry, evaluation?.registry);
  const matrixFacts = mergeMatrix(files.get(matrixFile)?.matrix, evaluation?.matrix);
  const registry = registryFacts ? { file: registryFile, facts: registryFacts } : null;
  const parts = reuse ?? generatorParts(files, registryFile, generatorsFile, evaluation, !!registry?.facts.understood);
  let machines: MachineModel | null = null;
  const clan: ClanModel = {
    root,
    settings,
    files,
    registry,
    matrix: matrixFacts ? { file: matrixFile, facts: matrixFacts } : null,
    generatorsFile,
    ...parts,
    varsOnDisk: () => varsOnDisk(root),
    evaluation,
    machineModel: () => (machines ??= reuseMachines?.(clan) ?? buildMachineModel(clan)),
  };
  return clan;
}

function generatorParts(
  files: Map<string, FileFacts>,
  registryFile: string,
  generatorsFile: string,
  evaluation: ClanEvaluation | null,
  registryUnderstood: boolean,
): GeneratorParts {
  const evaluatedRegistry = registryGeneratorsFromEvaluation(registryFile, evaluation?.registry);
  const generators: Generator[] = [];
  const byName = new Map<string, Generator[]>();
  const namePatterns: Glob[] = [];
  let namesOpen = false;
  for (const facts of files.values()) {
    const own = facts.file === registryFile && evaluatedRegistry ? [...facts.generators.filter((g) => g.origin !== 'registry'), ...evaluatedRegistry] : facts.generators;
    for (const g of own) {
      // Registry entries count only for the clan's own registry file.
      if (g.origin === 'registry' && facts.file !== registryFile) continue;
      generators.push(g);
      if (g.name.name !== null) {
        const list = byName.get(g.name.name);
        if (list) list.push(g);
        else byName.set(g.name.name, [g]);
      } else if (g.name.pattern === '*' || g.name.pattern === null) namesOpen = true;
      else namePatterns.push(new Glob(g.name.pattern));
    }
    for (const o of facts.opaqueGeneratorSources) {
      const fromRegistry = o.importTarget === generatorsFile && registryUnderstood;
      if (!fromRegistry) namesOpen = true;
    }
  }
  return { generators, byName, namePatterns, namesOpen };
}

/** Whether a generator with this literal name may exist in the clan. */
export function generatorMayExist(clan: ClanModel, name: string): boolean {
  return clan.namesOpen || clan.byName.has(name) || clan.namePatterns.some((re) => re.test(name));
}

export function relativeToClan(clan: ClanModel, file: string): string {
  return path.relative(clan.root, file) || path.basename(file);
}
