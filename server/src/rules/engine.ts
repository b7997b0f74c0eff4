// Runs the rules over the clans' models. A rule's result is a query of the index's database that
// reads the inputs the rule declares (`uses`), kept while they are unchanged in its clan, so a
// keystroke re-runs only the rules whose inputs changed;
// a rule that declares how far an edit reaches its findings (`reach`, `registryReach`, rules/types.ts)
// is re-run only over the files the edit can affect.
import type { ClanModels } from '../model/clanModels';
import type { Problem } from '../base/types';
import type { FileFacts } from '../facts/types';
import type { WorkspaceIndex } from '../model/workspaceIndex';
import { isSilenced } from './silence';
import { RULES } from './index';
import { computedNames, forgetScannedScripts } from './generatorFacts';
import type { Rule } from './types';
import { printable } from '../base/printable';
import { internalErrorProblem } from './internalError';
import { withFiles, withGenerators, type ClanModel, type GeneratorIndex } from '../model/clanModel';
import type { ClanEvaluation } from '../model/clanEvaluation';
import type { Derived } from '../base/query';
import type { RuleInput } from '../facts/types';
import { runSteps } from '../facts/eval/runSteps';

/** Every read of a generator's files in a file (one function, so the model keeps its list: ClanModel.filesWith). */
const accessesOf = (facts: FileFacts) => facts.accesses;

/** Above this share of the clan's files, a full run is as cheap. */
const MAX_AFFECTED_SHARE = 0.25;
/** The most files a partial run of a rule goes over in this clan. */
const partLimit = (model: ClanModel) => Math.max(16, model.files.size * MAX_AFFECTED_SHARE);

/** A rule's findings in one clan, by file, and what they were found with. */
interface RuleResult {
  /** The versions of the inputs besides those the rule's reaches follow. */
  others: string;
  /** The `generators` version. */
  generators: number;
  /** The findings by file; a file's list is a new array exactly when the run went over that file. */
  byFile: Map<string, Problem[]>;
  /** Rules with registryReach: the machine model's serial (not the model: a kept result must not keep an old model alive), the index, its names' version and the modules' version. */
  ranWith?: { machines: number; index: GeneratorIndex; names: number; modules: number };
  /** Rules with evaluationReach: the evaluation they ran with. */
  evaluation?: ClanEvaluation | null;
}

/** What a clan's problems were last collected from, and those problems by file. */
interface Collected {
  generation: string;
  byFile: Map<string, Problem[]>;
  /** The facts each file with findings (silenced ones too) had when they were collected: silencing comments live there. */
  facts: Map<string, FileFacts | undefined>;
  /** The files reported as not analysed (rules/internalError.ts). */
  failed: Set<string>;
}

/** The pass of the rules over one clan under way: what each rule's query runs over. */
interface Pass {
  root: string;
  model: ClanModel;
  versions: Readonly<Record<RuleInput, number>> | undefined;
  /** By (reach, the generators version a result was found with): the part of the clan an edit since reaches. */
  affected: Map<string, { files: Set<string>; model: ClanModel } | null>;
}

export class RuleEngine {
  /**
   * Per clan root and rule: the rule's result, a derived value of the index's query database
   * (base/query.ts) that reads the versions of the inputs the rule uses. It is computed again only
   * when one of them changed, from its previous result where the rule's reach allows.
   */
  private results = new Map<string, Map<string, Derived<RuleResult>>>();
  /** Per clan root: the problems collected from the rules' results. */
  private collected = new Map<string, Collected>();
  /** The pass under way (problemsByFile), null between passes. */
  private pass: Pass | null = null;

  constructor(
    private readonly index: WorkspaceIndex,
    private readonly models: ClanModels,
    private readonly log: (line: string) => void = () => {},
  ) {}

  /** Problems per file, for every file that has any. Lists of files that did not change keep their identity. */
  allProblems(): Map<string, Problem[]> {
    return runSteps(this.allProblemsSteps())!;
  }

  /**
   * allProblems in steps, one rule at a time, for the server's publish (base/turns.ts): null when,
   * between two steps, a clan changed (an edit came in), so that the problems found would be stale.
   */
  *allProblemsSteps(): Generator<void, Map<string, Problem[]> | null> {
    const roots = [...this.index.filesByRoot().keys()];
    for (const root of this.collected.keys()) if (!roots.includes(root)) this.collected.delete(root);
    if (roots.length === 1) return yield* this.problemsSteps(roots[0]);
    const out = new Map<string, Problem[]>();
    for (const root of roots) {
      const byFile = yield* this.problemsSteps(root);
      if (!byFile) return null;
      for (const [file, list] of byFile) out.set(file, list);
    }
    return out;
  }

  /**
   * The problems of one clan by file (silenced ones left out), each file's sorted by position. Only
   * the files whose findings or silencing comments changed are collected again.
   */
  problemsByFile(root: string): Map<string, Problem[]> {
    return runSteps(this.problemsSteps(root))!;
  }

  /** problemsByFile in steps, a step after each rule; null when the clan changed between two steps. */
  private *problemsSteps(root: string): Generator<void, Map<string, Problem[]> | null> {
    const generation = this.index.generation(root);
    const kept = this.collected.get(root);
    if (kept && kept.generation === generation) return kept.byFile;
    this.index.settle(root);
    let results = this.results.get(root);
    if (!results) this.results.set(root, (results = new Map()));
    // files whose findings may differ from the collected ones: those a rule's new result went over
    const dirty = new Set<string>();
    // what each rule's query reads while it runs (a request answered between two steps may run a pass of its own)
    const pass: Pass = { root, model: this.models.clan(root), versions: this.index.versionsOf(root), affected: new Map() };
    for (const rule of RULES) {
      let query = results.get(rule.code);
      if (!query) results.set(rule.code, (query = this.index.db.derived((previous: RuleResult | undefined) => this.result(rule, previous))));
      const before = query.peek();
      let after: RuleResult;
      this.pass = pass;
      try {
        after = query.get();
      } finally {
        this.pass = null;
      }
      if (after !== before) for (const file of new Set([...(before?.byFile.keys() ?? []), ...after.byFile.keys()])) if (before?.byFile.get(file) !== after.byFile.get(file)) dirty.add(file);
      yield;
      // meanwhile an edit came in (the findings would be stale), or a request collected this generation's (with the findings of the rules run here)
      if (this.index.generation(root) !== generation) return null;
      const now = this.collected.get(root);
      if (now?.generation === generation) return now.byFile;
    }
    // collected afresh: every file with findings
    if (!kept) for (const query of results.values()) query.peek()?.byFile.forEach((_, f) => dirty.add(f));
    const collected: Collected = kept ?? { generation, byFile: new Map(), facts: new Map(), failed: new Set() };
    collected.generation = generation;
    // a silencing comment added or removed changes a file's facts, not the rules' findings
    for (const [file, facts] of collected.facts) if (this.index.facts.get(file) !== facts) dirty.add(file);
    // a file whose analysis threw, or no longer does (or is in another clan now)
    for (const file of this.index.failedFiles) if (this.index.clanRootOf(file) === root) dirty.add(file);
    for (const file of collected.failed) dirty.add(file);
    const ignore = new Set(this.index.getSettings().ignore);
    for (const file of dirty) {
      const facts = this.index.facts.get(file);
      const found: Problem[] = [];
      collected.failed.delete(file);
      if (facts?.internalError !== undefined && this.index.clanRootOf(file) === root) {
        collected.failed.add(file);
        found.push(printableTexts(internalErrorProblem(file, facts.internalError)));
      }
      // the loop above made and computed a query for every rule
      for (const rule of RULES) found.push(...(results.get(rule.code)!.peek()!.byFile.get(file) ?? []));
      if (found.length) collected.facts.set(file, facts);
      else collected.facts.delete(file);
      const shown = found.filter((p) => !isSilenced(p, ignore, facts)).sort(byPosition);
      if (shown.length) collected.byFile.set(file, shown);
      else collected.byFile.delete(file);
    }
    this.collected.set(root, collected);
    forgetScannedScripts();
    return collected.byFile;
  }

  /**
   * A rule's result in the pass under way, computed again because an input it uses changed (or for
   * the first time): over the part of the clan the change reaches when the rule says how far that is
   * and the previous result allows, over the whole clan otherwise.
   */
  private result(rule: Rule, cached: RuleResult | undefined): RuleResult {
    const { root, versions } = this.pass!;
    // the inputs it declares it uses, read: the query depends on them alone (on anything of the clan
    // while it has no versions); what the rule reads of the model is read untracked
    if (versions) for (const u of rule.uses) void versions[u];
    else this.index.generation(root);
    return this.index.db.untracked(() => this.rerun(rule, cached));
  }

  /** The rule's findings found again: over a part of the clan from `cached` where its reach allows, else over all of it. */
  private rerun(rule: Rule, cached: RuleResult | undefined): RuleResult {
    const { root, model, versions, affected } = this.pass!;
    // the inputs besides those the rule's reaches follow
    const others = versions ? rule.uses.filter((u) => u !== 'generators' && !(u === 'evaluation' && rule.evaluationReach)).map((u) => versions[u]).join(',') : '';
    let byFile: Map<string, Problem[]> | null = null;
    const reach = rule.reach;
    if (cached && versions && (reach === 'name' || reach === 'dependencies' || reach === 'readers') && cached.others === others) {
      const since = `${reach}:${cached.generators}`;
      if (!affected.has(since)) {
        const files = this.affectedFiles(root, model, cached.generators, reach);
        affected.set(since, files && partOf(model, files, reach === 'readers'));
      }
      let part = affected.get(since) ?? null;
      if (part && rule.evaluationReach && cached.evaluation !== model.evaluation) part = evaluationPart(model, part, rule.evaluationReach, cached.evaluation ?? null, reach === 'readers');
      if (part) byFile = this.runOver(rule, root, part, cached.byFile);
    }
    if (!byFile && cached && versions && rule.registryReach) {
      const part = this.registryPart(root, model, cached, versions.modules, rule.reach === 'readers');
      if (part) byFile = this.runOver(rule, root, part, cached.byFile);
    }
    if (!byFile && cached && versions && rule.reach === 'cycles' && cached.others === others && cached.byFile.size === 0) {
      const part = this.forwardPart(root, model, cached.generators);
      if (part) byFile = group(this.check(rule, part, root));
    }
    byFile ??= group(this.check(rule, model, root));
    const ranWith = rule.registryReach && versions ? { machines: model.machineModel().serial, index: model.generatorIndex, names: model.generatorIndex.namesVersion, modules: versions.modules } : undefined;
    return { others, generators: versions?.generators ?? 0, byFile, ranWith, evaluation: rule.evaluationReach ? model.evaluation : undefined };
  }

  private check(rule: Rule, model: ClanModel, root: string): Problem[] {
    try {
      const started = performance.now();
      const found = rule.check(model);
      if (process.env.CLAN_VARS_DEBUG_RULES) this.log(`rule ${rule.code} ran over ${model.generators.length} generators in ${(performance.now() - started).toFixed(1)} ms`);
      for (const p of found) printableTexts(p);
      return found;
    } catch (e) {
      this.log(`rule ${rule.code} failed in ${root}: ${(e as Error).stack ?? e}`);
      return [];
    }
  }

  /** Runs `rule` over a part of the clan: the findings of the part's files are replaced, the others' stay (a new map: the previous result is left as it was). */
  private runOver(rule: Rule, root: string, part: { files: Set<string>; model: ClanModel }, before: Map<string, Problem[]>): Map<string, Problem[]> {
    const byFile = new Map(before);
    for (const f of part.files) byFile.delete(f);
    return group(this.check(rule, part.model, root).filter((p) => part.files.has(p.file)), byFile);
  }

  /**
   * The files whose findings a change of generators since `version` can alter: the changed files,
   * then every file declaring a name declared in the set (with `dependents`, also every file with a
   * generator depending on such a name), until nothing is added. null when a full
   * run is needed (a computed name, an evaluation, or most of the clan affected).
   */
  private affectedFiles(root: string, model: ClanModel, version: number, reach: 'name' | 'dependencies' | 'readers'): Set<string> | null {
    const changes = this.index.generatorChangesSince(root, version);
    if (!changes || changes.names.has(null)) return null;
    const dependents = reach === 'dependencies';
    // their messages suggest names from the whole clan (did you mean): a name added or removed changes them anywhere
    if (reach !== 'name' && changes.renamed) return null;
    const index = model.generatorIndex;
    const namesOf = (file: string) => (index.byFile.get(file) ?? []).flatMap((g) => (g.name.name !== null ? [g.name.name] : []));
    const files = new Set(changes.files);
    const seen = new Set<string>();
    const limit = partLimit(model);
    /** Adds the files declaring each name, and the names those declare, until nothing is added. */
    const closeOverNames = (queue: string[]): boolean => {
      while (queue.length) {
        const name = queue.pop()!;
        if (seen.has(name)) continue;
        seen.add(name);
        // with the declarations whose computed names could be it: the rules merge them into it (mergedDeclarations)
        for (const d of [...(model.byName.get(name) ?? []), ...computedNames(model).computed.flatMap((c) => (c.glob.test(name) ? [c.g] : []))]) {
          if (files.has(d.file)) continue;
          files.add(d.file);
          if (files.size > limit) return false;
          queue.push(...namesOf(d.file));
        }
      }
      return true;
    };
    const start = [...changes.names] as string[];
    for (const f of changes.files) start.push(...namesOf(f));
    if (!closeOverNames(start)) return null;
    if (dependents) {
      // one step: the generators that depend on an affected name (not those depending on them)
      const next: string[] = [];
      for (const name of [...seen]) {
        for (const { file } of index.dependents.get(name) ?? []) {
          if (files.has(file)) continue;
          files.add(file);
          if (files.size > limit) return null;
          next.push(...namesOf(file));
        }
      }
      if (!closeOverNames(next)) return null;
    }
    if (reach === 'readers') addReaders(model, seen, files);
    return files.size > limit ? null : files;
  }

  /**
   * After a registry or matrix edit (and no other generator change): the files whose findings of a
   * registryReach rule can differ, with the model restricted to their generators; null when a full
   * run is needed (names added or removed, which change suggestions everywhere; modules changed; the
   * machine model was not updated from the one the result was found with).
   */
  private registryPart(root: string, model: ClanModel, cached: RuleResult, modules: number, readers: boolean): { files: Set<string>; model: ClanModel } | null {
    const ran = cached.ranWith;
    const index = model.generatorIndex;
    if (!ran || ran.index !== index || ran.names !== index.namesVersion || ran.modules !== modules) return null;
    const registryFile = model.registry?.file ?? null;
    const changes = this.index.generatorChangesSince(root, cached.generators);
    if (!changes) return null;
    for (const f of changes.files) if (f !== registryFile) return null;
    const delta = model.machineModel().delta;
    if (!delta || delta.from !== ran.machines) return null;
    // the generators depending on a changed name, those found before (their messages name machines and suggestions), and the registry's own
    const files = new Set(cached.byFile.keys());
    if (registryFile) files.add(registryFile);
    for (const name of delta.names) for (const g of index.dependents.get(name) ?? []) files.add(g.file);
    if (readers) addReaders(model, delta.names, files);
    if (files.size > partLimit(model)) return null;
    return partOf(model, files, readers);
  }

  /** The model restricted to the generators reachable through dependencies from those of the files changed since `version`. */
  private forwardPart(root: string, model: ClanModel, version: number): ClanModel | null {
    const changes = this.index.generatorChangesSince(root, version);
    if (!changes || changes.names.has(null)) return null;
    const seen = new Set<string>();
    const queue = [...changes.names] as string[];
    for (const f of changes.files) for (const g of model.generatorIndex.byFile.get(f) ?? []) if (g.name.name !== null) queue.push(g.name.name);
    const limit = Math.max(64, model.generatorIndex.count * MAX_AFFECTED_SHARE);
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
    return withGenerators(model, generators);
  }

  /** Forgets every result (the settings changed). */
  clear(): void {
    this.results.clear();
    this.collected.clear();
  }
}

/** The generators of some files of the model, file by file. */
function generatorsOf(model: ClanModel, files: Set<string>): ClanModel['generators'] {
  const out: ClanModel['generators'] = [];
  for (const f of files) for (const g of model.generatorIndex.byFile.get(f) ?? []) out.push(g);
  return out;
}

/** Part of the clan a rule re-runs over: the model restricted to the files' generators (and, for a readers rule, to their reads). */
function partOf(model: ClanModel, files: Set<string>, readers: boolean): { files: Set<string>; model: ClanModel } {
  const part = withGenerators(model, generatorsOf(model, files));
  return { files, model: readers ? withFiles(part, files) : part };
}

/**
 * `part` widened to the files where the old and the new evaluation put a rule's findings
 * (Rule.evaluationReach); null when that is most of the clan.
 */
function evaluationPart(model: ClanModel, part: { files: Set<string> }, reach: NonNullable<Rule['evaluationReach']>, before: ClanEvaluation | null, readers: boolean): { files: Set<string>; model: ClanModel } | null {
  const files = new Set(part.files);
  for (const evaluation of [before, model.evaluation]) if (evaluation) for (const f of reach(evaluation)) files.add(f);
  return files.size > partLimit(model) ? null : partOf(model, files, readers);
}

/** Adds the files that read a file of one of `names` (`.files.<f>.path`) to `files`. */
function addReaders(model: ClanModel, names: ReadonlySet<string | null>, files: Set<string>): void {
  for (const { file, items } of model.filesWith('accesses', accessesOf)) if (!files.has(file) && items.some((a) => a.generator.name !== null && names.has(a.generator.name))) files.add(file);
}

/** Groups problems by file (into `into`, when given). */
function group(problems: Problem[], into = new Map<string, Problem[]>()): Map<string, Problem[]> {
  for (const p of problems) {
    const list = into.get(p.file);
    if (list) list.push(p);
    else into.set(p.file, [p]);
  }
  return into;
}

/**
 * Every text of a finding that is shown, one printable line each (base/printable.ts) wherever it
 * goes: the Problems panel, the checker's output, SARIF, a fix's title. Rules quote names from the
 * workspace, in the message and in clan's own error text alike, and a name may hold a line break, a
 * terminal escape or a bidirectional override. The edits are left as they are: they write a name
 * back into the file it came from.
 */
function printableTexts(p: Problem): Problem {
  p.message = printable(p.message);
  if (p.explanation) p.explanation = printable(p.explanation);
  for (const r of p.related ?? []) r.message = printable(r.message);
  for (const f of p.fixes ?? []) {
    f.title = printable(f.title);
    if (f.preview) f.preview = printable(f.preview);
  }
  return p;
}

/** One order for a file's problems, however they were found: by position, then code and message (the vars view and the graph order by it too). */
export function byPosition(a: Problem, b: Problem): number {
  return (
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character ||
    (a.code < b.code ? -1 : a.code > b.code ? 1 : 0) ||
    (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
  );
}
