// Shared by the rules that check an option against a fixed set of string values.
import type { ClanModel } from '../model/clanModel';
import type { ClanEvaluation } from '../model/clanEvaluation';
import { evaluatedOptionSites, type OptionSite } from '../model/evaluatedOptionSites';
import type { Fix, Problem } from '../base/types';
import type { Generator, OptionValue } from '../facts/types';
import { closestName, editDistance } from '../base/closestName';
import { nameOf } from './generatorFacts';
import { Attached } from '../base/attached';

export interface EnumCheck {
  code: string;
  /** Which options: path with `*` for the file or prompt name. */
  matches(o: OptionValue): boolean;
  allowed: string[];
  /** The option, named for the message (`of`: the generators it belongs to, OptionSite.of). */
  describe(o: OptionValue, of: string): string;
  /** Known old spellings and their replacements (`user` -> `users`). */
  aliases?: Record<string, string>;
}

export const ofGenerator = (g: Generator): string => `generator '${nameOf(g)}'`;

/** An option written in a module: its generator named for a message only when one is written. */
class ModuleSite implements OptionSite {
  constructor(
    private readonly g: Generator,
    readonly o: OptionValue,
  ) {}

  get file(): string {
    return this.g.file;
  }

  get of(): string {
    return ofGenerator(this.g);
  }
}

/**
 * The option sites of a model, found once for the rules that read them. A part of a model (a rule
 * run over the files an edit reaches) inherits its model's properties: the sites are checked to be
 * of the same generators and evaluation.
 */
const SITES = new Attached<ClanModel, { generators: Generator[]; evaluation: ClanEvaluation | null; sites: OptionSite[] }>('optionSites');

/**
 * Every option value the option rules check: those written in modules, and those the registry
 * pipeline computes, each place once however many machines or entries it serves (a helper's
 * default), as written where the value is (a fix edits it there). A site's `of` is made when read.
 */
export function optionSites(clan: ClanModel): OptionSite[] {
  const kept = SITES.get(clan);
  if (kept && kept.generators === clan.generators && kept.evaluation === clan.evaluation) return kept.sites;
  const sites: OptionSite[] = [];
  for (const g of clan.generators) if (g.origin === 'module') for (const o of g.options) sites.push(new ModuleSite(g, o));
  if (clan.evaluation) sites.push(...evaluatedOptionSites(clan.evaluation));
  SITES.set(clan, { generators: clan.generators, evaluation: clan.evaluation, sites });
  return sites;
}

/** Where the evaluated option values are written (Rule.evaluationReach of the rules that read optionSites). */
export function evaluatedSiteFiles(evaluation: ClanEvaluation): Set<string> {
  return new Set(evaluatedOptionSites(evaluation).map((s) => s.file));
}

export function checkEnum(check: EnumCheck, clan: ClanModel): Problem[] {
  const problems: Problem[] = [];
  for (const site of optionSites(clan)) {
    const { file, o } = site;
    if (!check.matches(o) || o.literal === undefined) continue;
    if (typeof o.literal === 'string' && check.allowed.includes(o.literal)) continue;
    const value = String(o.literal);
    // an own property only: `constructor` and `toString` are no old spellings
    const alias = check.aliases && Object.hasOwn(check.aliases, value) ? check.aliases[value] : undefined;
    // in capitals (`"USERS"`), the value lower-cased may be allowed itself: closestName never answers with the name asked about
    const lower = value.toLowerCase();
    const closest = alias ?? closestName(value, check.allowed) ?? (check.allowed.includes(lower) ? lower : closestName(lower, check.allowed));
    const fixes: Fix[] = [];
    if (closest) {
      const safe = alias === closest || editDistance(value.toLowerCase(), closest, 1) <= 1;
      fixes.push({ title: `Change to "${closest}"`, edits: [{ file, range: o.valueRange, newText: JSON.stringify(closest) }], safe });
    }
    problems.push({
      file,
      range: o.valueRange,
      severity: 'error',
      code: check.code,
      message:
        `${check.describe(o, site.of)} cannot be ${typeof o.literal === 'string' ? `"${value}"` : value}: evaluation fails with ` +
        `"A definition for option ... is not of type \`one of ${check.allowed.map((a) => `"${a}"`).join(', ')}'".` +
        (closest ? ` Did you mean "${closest}"?` : ''),
      fixes,
    });
  }
  return problems;
}

export function fileOption(o: OptionValue, name: string): boolean {
  return o.path.length === 3 && o.path[0] === 'files' && o.path[2] === name;
}

export function promptOption(o: OptionValue, name: string): boolean {
  return o.path.length === 3 && o.path[0] === 'prompts' && o.path[2] === name;
}

export function where(o: OptionValue, of: string): string {
  return `${o.path.slice(0, -1).join('.')} of ${of}`;
}
