// One workspace folder analysed: the index of its files' facts, the per-clan models built from
// them, and the rules run over those models. Server, checker and tests use this.
import { ClanModels } from '../model/clanModels';
import type { ClanModel } from '../model/clanModel';
import type { Problem } from '../base/types';
import type { NixParser } from '../syntax/nixParser';
import { RuleEngine } from './engine';
import type { AnalysisSettings } from '../inputs/settings';
import { WorkspaceIndex, type Log } from '../model/workspaceIndex';

export class WorkspaceAnalysis extends WorkspaceIndex {
  readonly models: ClanModels;
  readonly engine: RuleEngine;

  constructor(folder: string, settings: AnalysisSettings, parser: NixParser, log: Log = () => {}) {
    super(folder, settings, parser, log);
    this.models = new ClanModels(this);
    this.engine = new RuleEngine(this, this.models, log);
  }

  /** The model of one clan. */
  clan(root: string): ClanModel {
    this.settle(root);
    return this.models.clan(root);
  }

  clanOf(file: string): ClanModel {
    return this.clan(this.clanRootOf(file));
  }

  /** Problems per file, for every file that has any. */
  allProblems(): Map<string, Problem[]> {
    return this.engine.allProblems();
  }

  /** Every version and revision of the index and its models (a read changes none: test/server/reads-dont-write.test.ts). */
  override revisions(): string {
    return `${super.revisions()} ${this.models.revisions()}`;
  }

  override async reconfigure(settings: AnalysisSettings): Promise<void> {
    this.models.clear();
    this.engine.clear();
    await super.reconfigure(settings);
  }
}
