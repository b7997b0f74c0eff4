// Runs the rules over the clans' models. A rule's result is kept while the inputs it declares
// (`uses`) are unchanged in its clan, so a keystroke re-runs only the rules whose inputs changed.
import type { ClanModels } from '../model/clanModels';
import type { Problem } from '../model/types';
import type { WorkspaceIndex } from '../workspace/workspaceIndex';
import { isSilenced } from '../workspace/silence';
import { RULES } from './index';

export class RuleEngine {
  /** Per clan root and rule: the problems found and the input versions they were found with. */
  private results = new Map<string, Map<string, { key: string; problems: Problem[] }>>();
  /** Per clan root: the model the problems were last collected from, and those problems. */
  private collected = new Map<string, { generation: string; problems: Problem[] }>();

  constructor(
    private readonly index: WorkspaceIndex,
    private readonly models: ClanModels,
    private readonly log: (line: string) => void = () => {},
  ) {}

  /** Problems per file, for every file that has any. */
  allProblems(): Map<string, Problem[]> {
    const out = new Map<string, Problem[]>();
    const roots = new Set(this.index.filesByRoot().keys());
    for (const root of this.collected.keys()) if (!roots.has(root)) this.collected.delete(root);
    for (const root of roots) {
      for (const p of this.problemsOf(root)) {
        const list = out.get(p.file);
        if (list) list.push(p);
        else out.set(p.file, [p]);
      }
    }
    return out;
  }

  /** The problems of one clan (silenced ones left out). */
  problemsOf(root: string): Problem[] {
    const model = this.models.clan(root);
    const generation = this.index.generation(root);
    const kept = this.collected.get(root);
    if (kept && kept.generation === generation) return kept.problems;
    const versions = this.index.versionsOf(root);
    let results = this.results.get(root);
    if (!results) this.results.set(root, (results = new Map()));
    const ignore = new Set(this.index.getSettings().ignore);
    const problems: Problem[] = [];
    for (const rule of RULES) {
      const key = versions ? rule.uses.map((u) => versions[u]).join(',') : '';
      let cached = results.get(rule.code);
      if (!cached || cached.key !== key || !versions) {
        let found: Problem[] = [];
        try {
          found = rule.check(model);
          if (process.env.CLAN_VARS_DEBUG_RULES) this.log(`rule ${rule.code} ran`);
        } catch (e) {
          this.log(`rule ${rule.code} failed in ${root}: ${(e as Error).stack ?? e}`);
        }
        results.set(rule.code, (cached = { key, problems: found }));
      }
      for (const p of cached.problems) if (!isSilenced(p, ignore, this.index.facts.get(p.file))) problems.push(p);
    }
    this.collected.set(root, { generation, problems });
    return problems;
  }

  /** Forgets every result (the settings changed). */
  clear(): void {
    this.results.clear();
    this.collected.clear();
  }
}
