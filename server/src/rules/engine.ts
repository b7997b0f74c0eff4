// Runs the rules over the clans' models. A rule's result is kept while the inputs it declares
// (`uses`) are unchanged in its clan, so a keystroke re-runs only the rules whose inputs changed.
// Rules whose findings on a generator depend only on the declarations of that generator's name
// (NAME_LOCAL) are re-run after a change of generators only over the files it can affect: the
// changed files and every file declaring a name they declared, before or after.
import type { ClanModels } from '../model/clanModels';
import type { Problem } from '../model/types';
import type { WorkspaceIndex } from '../workspace/workspaceIndex';
import { isSilenced } from '../workspace/silence';
import { RULES } from './index';
import type { Rule } from './types';
import type { ClanModel } from '../model/clanModel';

/**
 * Rules that read, for each generator, only that generator's declarations (same name, any file)
 * and the inputs they declare besides `generators`. Checked by test/unit/rules-incremental.test.ts,
 * which compares incremental and full results after edits.
 */
const NAME_LOCAL = new Set([
  'missing-runtime-input',
  'undeclared-output',
  'missing-output',
  'sandbox-hostile',
  'unknown-prompt',
  'invalid-mode',
  'invalid-validation',
  'removed-option',
  'invalid-needed-for',
  'invalid-prompt-type',
  'public-file-ownership',
  'users-secret-owner',
  'shared-definition-mismatch',
]);

/**
 * Rules whose findings on a generator also depend on the generators it names in `dependencies`:
 * a change of a name also affects the files of the generators that depend on it.
 */
const DEPENDENCY_LOCAL = new Set(['unknown-dependency', 'shared-depends-on-machine', 'unknown-input']);

/**
 * Rules that find cycles in the dependency graph. While the graph had no cycle, a cycle after an
 * edit must pass through a generator of the edited files (only their edges changed, and a name they
 * added is theirs), so it lies within what those generators reach: only that part is searched.
 */
const CYCLE_LOCAL = new Set(['dependency-cycle']);

/** Above this share of the clan's files, a full run is as cheap. */
const MAX_AFFECTED_SHARE = 0.25;

export class RuleEngine {
  /** Per clan root and rule: the problems found and the input versions they were found with. */
  private results = new Map<string, Map<string, { key: string; others: string; generators: number; problems: Problem[] }>>();
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
    // by (dependents, the generators version the cached result was found with)
    const affected = new Map<string, { files: Set<string>; model: ClanModel } | null>();
    for (const rule of RULES) {
      const key = versions ? rule.uses.map((u) => versions[u]).join(',') : '';
      const others = versions ? rule.uses.filter((u) => u !== 'generators').map((u) => versions[u]).join(',') : '';
      let cached = results.get(rule.code);
      if (!cached || cached.key !== key || !versions) {
        let found: Problem[] | null = null;
        const dependents = DEPENDENCY_LOCAL.has(rule.code);
        if (cached && versions && (NAME_LOCAL.has(rule.code) || dependents) && cached.others === others) {
          const since = `${dependents}:${cached.generators}`;
          if (!affected.has(since)) {
            const files = this.affectedFiles(root, model, cached.generators, dependents);
            affected.set(since, files && { files, model: { ...model, generators: model.generators.filter((g) => files.has(g.file)) } });
          }
          const part = affected.get(since);
          if (part) found = this.run(rule, part.model, root)
            .filter((p) => part.files.has(p.file))
            .concat(cached.problems.filter((p) => !part.files.has(p.file)));
        }
        if (!found && cached && versions && CYCLE_LOCAL.has(rule.code) && cached.others === others && cached.problems.length === 0) {
          const part = this.forwardPart(root, model, cached.generators);
          if (part) found = this.run(rule, part, root);
        }
        found ??= this.run(rule, model, root);
        results.set(rule.code, (cached = { key, others, generators: versions?.generators ?? 0, problems: found }));
      }
      for (const p of cached.problems) if (!isSilenced(p, ignore, this.index.facts.get(p.file))) problems.push(p);
    }
    this.collected.set(root, { generation, problems });
    return problems;
  }

  private run(rule: Rule, model: ClanModel, root: string): Problem[] {
    try {
      const found = rule.check(model);
      if (process.env.CLAN_VARS_DEBUG_RULES) this.log(`rule ${rule.code} ran over ${model.generators.length} generators`);
      return found;
    } catch (e) {
      this.log(`rule ${rule.code} failed in ${root}: ${(e as Error).stack ?? e}`);
      return [];
    }
  }

  /**
   * The files whose findings a change of generators since `version` can alter: the changed files,
   * then every file declaring a name declared in the set (with `dependents`, also every file with a
   * generator depending on such a name), until nothing is added. null when a full
   * run is needed (a computed name, an evaluation, or most of the clan affected).
   */
  private affectedFiles(root: string, model: ClanModel, version: number, dependents: boolean): Set<string> | null {
    const changes = this.index.generatorChangesSince(root, version);
    if (!changes || changes.names.has(null)) return null;
    // their messages suggest names from the whole clan (did you mean): a name added or removed changes them anywhere
    if (dependents && changes.renamed) return null;
    const byFile = new Map<string, string[]>();
    const add = (map: Map<string, string[]>, key: string, value: string) => {
      const list = map.get(key);
      if (list) list.push(value);
      else map.set(key, [value]);
    };
    // name -> files of the generators that depend on it
    const dependentFiles = new Map<string, string[]>();
    for (const g of model.generators) {
      if (g.name.name !== null) add(byFile, g.file, g.name.name);
      if (dependents) for (const d of g.dependencies) if (d.name !== null) add(dependentFiles, d.name, g.file);
    }
    const files = new Set(changes.files);
    const seen = new Set<string>();
    const limit = Math.max(16, model.files.size * MAX_AFFECTED_SHARE);
    /** Adds the files declaring each name, and the names those declare, until nothing is added. */
    const closeOverNames = (queue: string[]): boolean => {
      while (queue.length) {
        const name = queue.pop()!;
        if (seen.has(name)) continue;
        seen.add(name);
        for (const d of model.byName.get(name) ?? []) {
          if (files.has(d.file)) continue;
          files.add(d.file);
          if (files.size > limit) return false;
          queue.push(...(byFile.get(d.file) ?? []));
        }
      }
      return true;
    };
    const start = [...changes.names] as string[];
    for (const f of changes.files) start.push(...(byFile.get(f) ?? []));
    if (!closeOverNames(start)) return null;
    if (dependents) {
      // one step: the generators that depend on an affected name (not those depending on them)
      const next: string[] = [];
      for (const name of [...seen]) {
        for (const file of dependentFiles.get(name) ?? []) {
          if (files.has(file)) continue;
          files.add(file);
          if (files.size > limit) return null;
          next.push(...(byFile.get(file) ?? []));
        }
      }
      if (!closeOverNames(next)) return null;
    }
    return files;
  }

  /** The model restricted to the generators reachable through dependencies from those of the files changed since `version`. */
  private forwardPart(root: string, model: ClanModel, version: number): ClanModel | null {
    const changes = this.index.generatorChangesSince(root, version);
    if (!changes || changes.names.has(null)) return null;
    const seen = new Set<string>();
    const queue = [...changes.names] as string[];
    for (const f of changes.files) for (const g of model.files.get(f)?.generators ?? []) if (g.name.name !== null) queue.push(g.name.name);
    const limit = Math.max(64, model.generators.length * MAX_AFFECTED_SHARE);
    const generators: ClanModel['generators'] = [];
    while (queue.length) {
      const name = queue.pop()!;
      if (seen.has(name)) continue;
      seen.add(name);
      for (const g of model.byName.get(name) ?? []) {
        generators.push(g);
        if (generators.length > limit) return null;
        for (const d of g.dependencies) if (d.name !== null && !seen.has(d.name)) queue.push(d.name);
      }
    }
    return { ...model, generators };
  }

  /** Forgets every result (the settings changed). */
  clear(): void {
    this.results.clear();
    this.collected.clear();
  }
}
